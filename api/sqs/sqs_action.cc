#include "api/sqs/sqs_action.h"

#include "api/sqs/queue_access.h"
#include "api/sqs/queue_address.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ResolvedQueue resolve_queue(const SqsCall& call) {
  auto url = string_member(call.input, "QueueUrl");
  if (!url) return {nullptr, missing_parameter("QueueUrl")};
  auto key = parse_queue_url(*url, call.ctx);
  if (!key) return {nullptr, queue_does_not_exist()};
  auto queue = call.queues.find(*key);
  if (auto denied = check_queue_access(call.ctx, call.action, *key, queue.get())) return {nullptr, *denied};
  if (!queue) return {nullptr, queue_does_not_exist()};
  return {std::move(queue), {}};
}

ResolvedQueue resolve_queue_arn(const SqsCall& call, const char* parameter, std::string_view action) {
  auto arn = string_member(call.input, parameter);
  auto key = arn ? parse_queue_arn(*arn) : std::nullopt;
  auto queue = key ? call.queues.find(*key) : nullptr;
  if (key) {
    if (auto denied = check_queue_access(call.ctx, action.empty() ? call.action : action, *key, queue.get())) {
      return {nullptr, *denied};
    }
  }
  if (!queue) return {nullptr, arn_not_found(parameter)};
  return {std::move(queue), {}};
}

}  // namespace shoal::api::sqs
