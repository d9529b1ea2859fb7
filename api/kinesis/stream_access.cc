#include "api/kinesis/stream_access.h"

#include <algorithm>
#include <array>

#include "api/common/access_policy.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

// The actions Kinesis Data Streams supports in resource-based policies: on a
// stream, reading and writing records and describing it; on a consumer,
// describing it and subscribing. Everything else stays the owner's.
constexpr std::array<std::string_view, 9> kShared = {
    "DescribeStream", "DescribeStreamSummary", "GetRecords",  "GetShardIterator",       "ListShards",
    "PutRecord",      "PutRecords",            "SubscribeToShard", "DescribeStreamConsumer",
};

}  // namespace

std::optional<AwsError> check_stream_access(const KinesisCall& call, std::string_view owner,
                                            const std::string& resource_arn) {
  if (call.ctx.account == owner) return std::nullopt;  // the hot path: one compare
  const bool shareable = std::find(kShared.begin(), kShared.end(), call.action) != kShared.end();
  const auto policy = shareable ? call.streams.resource_policy(resource_arn).value_or("") : std::string();
  const auto iam_action = "kinesis:" + std::string(call.action);
  const auto verdict = decide_access(call.ctx.account, owner, shareable, policy, iam_action, resource_arn);
  if (verdict == Access::kGranted) return std::nullopt;
  return error("AccessDeniedException", not_authorized_message(call.ctx.account, iam_action, resource_arn, verdict));
}

}  // namespace shoal::api::kinesis
