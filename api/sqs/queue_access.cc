#include "api/sqs/queue_access.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "api/common/access_policy.h"
#include "api/sqs/queue_address.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {
namespace {

// The service model says of these: "Cross-account permissions don't apply to
// this action."
constexpr std::array<std::string_view, 9> kOwnerOnly = {
    "AddPermission", "CreateQueue",        "DeleteQueue", "ListQueueTags", "ListQueues",
    "RemovePermission", "SetQueueAttributes", "TagQueue",   "UntagQueue",
};

// Everything else of the API, by its permission name.
constexpr std::array<std::string_view, 11> kShared = {
    "CancelMessageMoveTask", "ChangeMessageVisibility",    "DeleteMessage", "GetQueueAttributes",
    "GetQueueUrl",           "ListDeadLetterSourceQueues", "ListMessageMoveTasks", "PurgeQueue",
    "ReceiveMessage",        "SendMessage",                "StartMessageMoveTask",
};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view name) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string_view permission_action(std::string_view action) {
  if (action == "SendMessageBatch") return "SendMessage";
  if (action == "DeleteMessageBatch") return "DeleteMessage";
  if (action == "ChangeMessageVisibilityBatch") return "ChangeMessageVisibility";
  return action;
}

std::optional<AwsError> check_queue_access(const RequestContext& ctx, std::string_view action,
                                           const storage::QueueKey& key, const storage::Queue* queue) {
  if (ctx.account == key.account) return std::nullopt;  // the hot path: one compare
  const auto permission = permission_action(action);
  const auto iam_action = "sqs:" + std::string(permission);
  const auto arn = queue_arn(key);
  const bool shareable = queue != nullptr && contains(kShared, permission);
  const auto policy = shareable ? queue->attributes().policy : std::string();
  const auto verdict = decide_access(ctx.account, key.account, shareable, policy, iam_action, arn);
  if (verdict == Access::kGranted) return std::nullopt;
  // SQS writes the action in lower case in this message.
  return access_denied(not_authorized_message(ctx.account, lowercase(iam_action), arn, verdict));
}

std::optional<std::string> add_permission_refusal(std::string_view action) {
  if (action == "*" || contains(kShared, action)) return std::nullopt;
  if (contains(kOwnerOnly, action)) return "Only the queue owner is allowed to invoke this action.";
  return "Please refer to the appropriate WSDL for a list of valid actions.";
}

}  // namespace shoal::api::sqs
