// ListDeadLetterSourceQueues: the URLs of the queues whose RedrivePolicy names
// this queue, by name, paginated like ListQueues (MaxResults 1-1000 and an
// opaque NextToken, only when MaxResults was given).
#include "api/common/base64.h"
#include "api/sqs/limits.h"
#include "api/sqs/queue_address.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ActionResult list_dead_letter_source_queues(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  auto max_results = int_member(call.input, "MaxResults");
  if (max_results && (*max_results < 1 || *max_results > limits::kMaxListDeadLetterSourceQueuesResults)) {
    return ActionResult::fail(invalid_parameter("MaxResults", std::to_string(*max_results),
                                                "MaxResults must be an integer between 1 and 1000."));
  }
  std::string after;
  if (auto token = string_member(call.input, "NextToken")) {
    auto decoded = base64_decode(*token);
    if (!decoded) return ActionResult::fail(invalid_parameter_value("Invalid or expired next token."));
    after = *decoded;
  }
  const auto limit =
      static_cast<std::size_t>(max_results.value_or(limits::kMaxListDeadLetterSourceQueuesResults));

  nlohmann::json urls = nlohmann::json::array();
  std::string last;
  bool more = false;
  for (const auto& source : call.queues.dead_letter_sources(queue->key())) {
    if (!after.empty() && source->key().name <= after) continue;
    if (urls.size() == limit) {
      more = true;
      break;
    }
    urls.push_back(queue_url(call.ctx, source->key()));
    last = source->key().name;
  }
  nlohmann::json out = {{"queueUrls", std::move(urls)}};
  if (more && max_results) out["NextToken"] = base64_encode(last);
  return ActionResult::ok(std::move(out));
}

}  // namespace shoal::api::sqs
