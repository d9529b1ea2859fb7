// SetQueueAttributes: validates every attribute before changing any.
#include "api/sqs/queue_attributes_codec.h"
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
  queue->set_attributes(std::move(attributes));
  return ActionResult::ok(nlohmann::json::object());
}

}  // namespace shoal::api::sqs
