// ListStreams: the caller's streams in name order, after
// ExclusiveStartStreamName or a NextToken, at most Limit (default and cap
// 100, as AWS), with StreamSummaries, HasMoreStreams and an opaque NextToken.
#include <algorithm>

#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

constexpr std::int64_t kMaxLimit = 100;
constexpr std::string_view kStreamsTokenKind = "ListStreams";

}  // namespace

ActionResult list_streams(const KinesisCall& call) {
  const auto limit = static_cast<std::size_t>(std::min(int_member(call.input, "Limit").value_or(kMaxLimit), kMaxLimit));
  std::optional<std::string> after = string_member(call.input, "ExclusiveStartStreamName");
  if (auto token = string_member(call.input, "NextToken")) {
    auto fields = decode_token(kStreamsTokenKind, *token);
    if (!fields || !fields->contains("after") || !(*fields)["after"].is_string()) {
      return ActionResult::fail(invalid_argument("Invalid NextToken."));
    }
    after = (*fields)["after"].get<std::string>();
  }

  auto streams = call.streams.list(call.ctx.account, call.ctx.region);  // by name
  auto it = streams.begin();
  if (after) {
    it = std::upper_bound(streams.begin(), streams.end(), *after,
                          [](const std::string& name, const auto& s) { return name < s->key().name; });
  }
  nlohmann::json names = nlohmann::json::array();
  nlohmann::json summaries = nlohmann::json::array();
  for (; it != streams.end() && names.size() < limit; ++it) {
    const auto& s = **it;
    names.push_back(s.key().name);
    summaries.push_back({{"StreamName", s.key().name},
                         {"StreamARN", stream_arn(s.key())},
                         {"StreamStatus", std::string(storage::to_string(s.status()))},
                         {"StreamModeDetails", stream_mode_json(s.mode())},
                         {"StreamCreationTimestamp", timestamp_value(s.created())}});
  }
  const bool more = it != streams.end();
  nlohmann::json out = {{"StreamNames", names}, {"StreamSummaries", std::move(summaries)}, {"HasMoreStreams", more}};
  if (more && !names.empty()) out["NextToken"] = encode_token(kStreamsTokenKind, {{"after", names.back()}});
  return ActionResult::ok(std::move(out));
}

}  // namespace shoal::api::kinesis
