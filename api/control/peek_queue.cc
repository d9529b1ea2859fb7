#include "api/control/peek_queue.h"

#include "api/sqs/queue_address.h"

namespace shoal::api::control {
namespace {

PeekQueue lookup(const ControlCall& call, const storage::QueueKey& key) {
  PeekQueue out;
  out.queue = call.engines.queues.find(key);
  if (!out.queue) {
    out.code = "AWS.SimpleQueueService.NonExistentQueue";
    out.message = "The specified queue does not exist.";
  }
  return out;
}

PeekQueue fail(int status, std::string code, std::string message) {
  return PeekQueue{nullptr, status, std::move(code), std::move(message)};
}

}  // namespace

PeekQueue find_peek_queue(const ControlCall& call) {
  RequestContext ctx = call.ctx;
  ctx.region = call.region();
  ctx.account = call.account();
  if (auto url = call.param("QueueUrl")) {
    auto key = sqs::parse_queue_url(*url, ctx);
    if (!key) return fail(404, "InvalidAddress", "The address " + *url + " is not valid for this endpoint.");
    return lookup(call, *key);
  }
  if (auto name = call.param("queue")) return lookup(call, {ctx.account, ctx.region, *name});
  return fail(400, "AWS.SimpleQueueService.NonExistentQueue",
              "Name the queue: QueueUrl=<url>, or queue=<name> (with account "
              "and region when not the defaults).");
}

PeekQueue find_peek_queue(const ControlCall& call, std::string_view region_account_name) {
  // "/us-east-1/000000000000/name"
  std::string_view rest = region_account_name;
  if (rest.starts_with('/')) rest.remove_prefix(1);
  auto slash1 = rest.find('/');
  auto slash2 = slash1 == std::string_view::npos ? slash1 : rest.find('/', slash1 + 1);
  if (slash2 == std::string_view::npos || rest.find('/', slash2 + 1) != std::string_view::npos) {
    return fail(404, "InvalidAddress", "Expected /_aws/sqs/messages/<region>/<account>/<queue name>.");
  }
  return lookup(call, {std::string(rest.substr(slash1 + 1, slash2 - slash1 - 1)), std::string(rest.substr(0, slash1)),
                       std::string(rest.substr(slash2 + 1))});
}

}  // namespace shoal::api::control
