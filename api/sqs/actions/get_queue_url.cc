// GetQueueUrl: the URL of a queue by name, optionally in another account.
#include "api/sqs/queue_address.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ActionResult get_queue_url(const SqsCall& call) {
  storage::QueueKey key{string_member(call.input, "QueueOwnerAWSAccountId").value_or(call.ctx.account),
                        call.ctx.region, string_member(call.input, "QueueName").value_or("")};
  if (!call.queues.find(key)) return ActionResult::fail(queue_does_not_exist());
  return ActionResult::ok({{"QueueUrl", queue_url(call.ctx, key)}});
}

}  // namespace shoal::api::sqs
