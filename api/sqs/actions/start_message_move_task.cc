// StartMessageMoveTask: starts moving a dead-letter queue's messages to
// DestinationArn, or back to each message's source queue when it is absent,
// at MaxNumberOfMessagesPerSecond (1-500) or the engine's system-optimized
// rate. One running task per source queue.
#include "api/sqs/limits.h"
#include "api/sqs/move_task_codec.h"
#include "api/sqs/queue_address.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ActionResult start_message_move_task(const SqsCall& call) {
  auto [source, source_error] = resolve_queue_arn(call, "SourceArn");
  if (!source) return ActionResult::fail(source_error);
  if (call.queues.dead_letter_sources(source->key()).empty()) {
    return ActionResult::fail(invalid_parameter_value("Source queue must be configured as a Dead Letter Queue."));
  }
  std::optional<storage::QueueKey> destination;
  if (member(call.input, "DestinationArn") != nullptr) {
    // Moving into a queue is sending to it.
    auto [queue, error] = resolve_queue_arn(call, "DestinationArn", "SendMessage");
    if (!queue) return ActionResult::fail(error);
    destination = queue->key();
  }
  std::optional<int> rate;
  if (auto r = int_member(call.input, "MaxNumberOfMessagesPerSecond")) {
    if (*r < 1 || *r > limits::kMaxMoveTaskMessagesPerSecond) {
      return ActionResult::fail(invalid_parameter("MaxNumberOfMessagesPerSecond", std::to_string(*r),
                                                  "You must enter a number that's between 1 and 500."));
    }
    rate = static_cast<int>(*r);
  }
  auto started = call.queues.move_tasks().start(source->key(), destination, rate);
  if (started.status.code() == storage::Status::Code::kResourceInUse) {
    return ActionResult::fail(invalid_parameter_value(
        "There is already a task running. Only one active task is allowed for a source queue arn at a given time."));
  }
  if (!started.status) return ActionResult::fail(arn_not_found("SourceArn"));
  return ActionResult::ok({{"TaskHandle", encode_task_handle(started.task)}});
}

}  // namespace shoal::api::sqs
