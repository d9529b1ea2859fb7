// DeleteQueue: removes the queue and its messages; parked receives end.
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ActionResult delete_queue(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  auto status = call.queues.remove(queue->key());
  if (!status) return ActionResult::fail(from_status(status));
  return ActionResult::ok(nlohmann::json::object());
}

}  // namespace shoal::api::sqs
