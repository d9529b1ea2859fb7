// GetQueueUrl: the URL of a queue by name, optionally in another account
// (whose queue's policy must allow sqs:GetQueueUrl).
#include "api/sqs/queue_access.h"
#include "api/sqs/queue_address.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ActionResult get_queue_url(const SqsCall& call) {
  storage::QueueKey key{string_member(call.input, "QueueOwnerAWSAccountId").value_or(call.ctx.account),
                        call.ctx.region, string_member(call.input, "QueueName").value_or("")};
  auto queue = call.queues.find(key);
  if (auto denied = check_queue_access(call.ctx, call.action, key, queue.get())) return ActionResult::fail(*denied);
  if (!queue) return ActionResult::fail(queue_does_not_exist());
  return ActionResult::ok({{"QueueUrl", queue_url(call.ctx, key)}});
}

}  // namespace shoal::api::sqs
