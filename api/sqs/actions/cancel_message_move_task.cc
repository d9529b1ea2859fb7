// CancelMessageMoveTask: stops a running move task named by its TaskHandle;
// the messages already moved stay moved. Answers how many were.
#include "api/sqs/move_task_codec.h"
#include "api/sqs/queue_access.h"
#include "api/sqs/queue_address.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ActionResult cancel_message_move_task(const SqsCall& call) {
  auto handle = decode_task_handle(string_member(call.input, "TaskHandle").value_or(""));
  if (!handle) return ActionResult::fail(invalid_parameter_value("Value for parameter TaskHandle is invalid."));
  auto key = parse_queue_arn(handle->source_arn);
  if (!key) return ActionResult::fail(arn_not_found("SourceArn"));
  // The queue is named only inside the handle: AWS answers a missing one as
  // not found even in another account (recorded), then checks access.
  auto source = call.queues.find(*key);
  if (!source) return ActionResult::fail(arn_not_found("SourceArn"));
  if (auto denied = check_queue_access(call.ctx, call.action, *key, source.get())) return ActionResult::fail(*denied);
  auto cancelled = call.queues.move_tasks().cancel(*key, handle->task_id);
  // A task that already finished cannot be cancelled: AWS no longer knows it
  // as an active task.
  if (!cancelled.status) return ActionResult::fail(move_task_does_not_exist());
  return ActionResult::ok({{"ApproximateNumberOfMessagesMoved", cancelled.task.moved}});
}

}  // namespace shoal::api::sqs
