// ListMessageMoveTasks: a source queue's most recent move tasks, newest
// first; MaxResults 1-10, default 1, as AWS documents.
#include "api/sqs/limits.h"
#include "api/sqs/move_task_codec.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ActionResult list_message_move_tasks(const SqsCall& call) {
  auto [source, error] = resolve_queue_arn(call, "SourceArn");
  if (!source) return ActionResult::fail(error);
  auto max_results = int_member(call.input, "MaxResults").value_or(1);
  if (max_results < 1 || max_results > limits::kMaxListMoveTasksResults) {
    return ActionResult::fail(invalid_parameter("MaxResults", std::to_string(max_results),
                                                "You must enter a number that's between 1 and 10."));
  }
  nlohmann::json results = nlohmann::json::array();
  for (const auto& task : call.queues.move_tasks().list(source->key(), static_cast<std::size_t>(max_results))) {
    results.push_back(render_move_task(task));
  }
  return ActionResult::ok({{"Results", std::move(results)}});
}

}  // namespace shoal::api::sqs
