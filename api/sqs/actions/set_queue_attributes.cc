// SetQueueAttributes: validates every attribute before changing any; a new
// RedrivePolicy must name an existing dead-letter queue that admits the queue.
#include "api/sqs/queue_attributes_codec.h"
#include "api/sqs/redrive_policy.h"
#include "api/sqs/sqs_action.h"

namespace shoal::api::sqs {

ActionResult set_queue_attributes(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  auto attributes = queue->attributes();
  static const nlohmann::json kNone = nlohmann::json::object();
  const auto* requested = member(call.input, "Attributes");
  if (auto invalid = apply_queue_attributes(requested ? *requested : kNone, AttributeUse::kSet, attributes)) {
    return ActionResult::fail(*invalid);
  }
  if (requested != nullptr && requested->contains("RedrivePolicy")) {
    if (auto invalid_target =
            check_dead_letter_target(call.queues, queue->key(), attributes, requested_redrive_policy(requested))) {
      return ActionResult::fail(*invalid_target);
    }
  }
  queue->set_attributes(std::move(attributes));
  return ActionResult::ok(nlohmann::json::object());
}

}  // namespace shoal::api::sqs
