// ListQueues: the caller's queues in its region by name prefix, paginated with
// MaxResults (1-1000) and an opaque NextToken (the base64 of the last name).
#include "api/common/base64.h"
#include "api/sqs/limits.h"
#include "api/sqs/queue_address.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ActionResult list_queues(const SqsCall& call) {
  auto prefix = string_member(call.input, "QueueNamePrefix").value_or("");
  auto max_results = int_member(call.input, "MaxResults");
  if (max_results && (*max_results < 1 || *max_results > limits::kMaxListQueuesResults)) {
    return ActionResult::fail(invalid_parameter("MaxResults", std::to_string(*max_results),
                                                "MaxResults must be an integer between 1 and 1000."));
  }
  std::string after;
  if (auto token = string_member(call.input, "NextToken")) {
    auto decoded = base64_decode(*token);
    if (!decoded) return ActionResult::fail(invalid_parameter_value("Invalid or expired next token."));
    after = *decoded;
  }
  auto limit = static_cast<std::size_t>(max_results.value_or(limits::kMaxListQueuesResults));

  nlohmann::json urls = nlohmann::json::array();
  std::string last;
  bool more = false;
  for (const auto& queue : call.queues.list(call.ctx.account, call.ctx.region, prefix)) {
    if (!after.empty() && queue->key().name <= after) continue;
    if (urls.size() == limit) {
      more = true;
      break;
    }
    urls.push_back(queue_url(call.ctx, queue->key()));
    last = queue->key().name;
  }
  nlohmann::json out = nlohmann::json::object();
  if (!urls.empty()) out["QueueUrls"] = std::move(urls);
  // AWS only paginates when MaxResults was given.
  if (more && max_results) out["NextToken"] = base64_encode(last);
  return ActionResult::ok(std::move(out));
}

}  // namespace shoal::api::sqs
