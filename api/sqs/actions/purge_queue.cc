// PurgeQueue: deletes every message; once per 60 seconds per queue.
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ActionResult purge_queue(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  auto status = queue->purge();
  if (status.code() == storage::Status::Code::kPurgeInProgress) {
    return ActionResult::fail(purge_in_progress(queue->key().name));
  }
  if (!status) return ActionResult::fail(from_status(status));
  return ActionResult::ok(nlohmann::json::object());
}

}  // namespace shoal::api::sqs
