// ListShards: a page of the stream's shards (MaxResults, default 1000) after
// ExclusiveStartShardId, narrowed by ShardFilter. NextToken is opaque, carries
// the stream, filter and position, and expires after 300 s like AWS's.
#include <chrono>

#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"
#include "api/kinesis/stream_access.h"
#include "storage/stream/shard_filter.h"

namespace shoal::api::kinesis {
namespace {

constexpr std::int64_t kDefaultMaxResults = 1000;
constexpr std::int64_t kTokenLifetimeMs = 300'000;
constexpr std::string_view kShardsTokenKind = "ListShards";

struct Page {
  storage::StreamKey key;
  std::int64_t stream_created_ms = 0;
  std::optional<storage::ShardFilter> filter;
  std::optional<std::uint32_t> after_index;  // shards with a greater index
  std::optional<std::string> after_id;       // unparsable ExclusiveStartShardId: by id text
};

std::string token_for(const Page& page, std::uint32_t last_index, storage::TimePoint now) {
  nlohmann::json fields = {{"a", page.key.account},
                           {"r", page.key.region},
                           {"n", page.key.name},
                           {"c", page.stream_created_ms},
                           {"i", last_index},
                           {"t", storage::to_epoch_ms(now)}};
  if (page.filter) {
    fields["ft"] = static_cast<int>(page.filter->type);
    fields["fs"] = page.filter->shard_id;
    fields["fts"] = storage::to_epoch_ms(page.filter->timestamp);
  }
  return encode_token(kShardsTokenKind, std::move(fields));
}

// The page a NextToken continues, or the error AWS answers for it.
std::optional<AwsError> page_from_token(std::string_view token, storage::TimePoint now, Page& page) {
  auto fields = decode_token(kShardsTokenKind, token);
  auto invalid = [] { return invalid_argument("Invalid NextToken."); };
  if (!fields) return invalid();
  try {
    const auto& f = *fields;
    page.key = {f.at("a").get<std::string>(), f.at("r").get<std::string>(), f.at("n").get<std::string>()};
    page.stream_created_ms = f.at("c").get<std::int64_t>();
    page.after_index = f.at("i").get<std::uint32_t>();
    if (f.contains("ft")) {
      const int type = f.at("ft").get<int>();
      if (type < 0 || type > static_cast<int>(storage::ShardFilterType::kFromTimestamp)) return invalid();
      page.filter = storage::ShardFilter{static_cast<storage::ShardFilterType>(type), f.at("fs").get<std::string>(),
                                         storage::TimePoint(std::chrono::milliseconds(f.at("fts").get<std::int64_t>()))};
    }
    if (storage::to_epoch_ms(now) - f.at("t").get<std::int64_t>() > kTokenLifetimeMs) {
      return error("ExpiredNextTokenException",
                   "The NextToken has expired: it is valid for 300 seconds. Call ListShards with the StreamName "
                   "and ExclusiveStartShardId instead.");
    }
  } catch (const nlohmann::json::exception&) {
    return invalid();
  }
  return std::nullopt;
}

std::optional<AwsError> parse_filter(const nlohmann::json& input, Page& page) {
  const auto* filter = member(input, "ShardFilter");
  if (filter == nullptr) return std::nullopt;
  const auto type_name = string_member(*filter, "Type").value_or("");
  auto type = storage::parse_shard_filter_type(type_name);
  if (!type) return invalid_argument("Invalid ShardFilter Type " + type_name + ".");
  storage::ShardFilter f;
  f.type = *type;
  if (*type == storage::ShardFilterType::kAfterShardId) {
    auto id = string_member(*filter, "ShardId");
    if (!id) return invalid_argument("ShardId must be specified for ShardFilter type AFTER_SHARD_ID.");
    auto index = shard_index_of(*id);
    f.shard_id = index ? storage::shard_id_for_index(*index) : *id;
  }
  if (*type == storage::ShardFilterType::kAtTimestamp || *type == storage::ShardFilterType::kFromTimestamp) {
    auto ts = int_member(*filter, "Timestamp");
    if (!ts) return invalid_argument("Timestamp must be specified for ShardFilter type " + type_name + ".");
    f.timestamp = storage::TimePoint(std::chrono::milliseconds(*ts));
  }
  page.filter = std::move(f);
  return std::nullopt;
}

}  // namespace

ActionResult list_shards(const KinesisCall& call) {
  const auto now = call.clock.now();
  const auto token = string_member(call.input, "NextToken");
  const bool named = member(call.input, "StreamName") != nullptr || member(call.input, "StreamARN") != nullptr;
  if (token) {
    // AWS refuses these beside a NextToken (boto3's list_shards paginator trips on it: botocore#2009).
    for (const char* other : {"StreamName", "StreamARN", "ExclusiveStartShardId", "StreamCreationTimestamp"}) {
      if (member(call.input, other) != nullptr) {
        return ActionResult::fail(
            invalid_argument("NextToken and " + std::string(other) + " cannot be provided together."));
      }
    }
  }
  if (!token && !named) return ActionResult::fail(invalid_argument("Either NextToken or StreamName should be provided."));

  Page page;
  std::shared_ptr<storage::Stream> stream;
  if (token) {
    if (auto e = page_from_token(*token, now, page)) return ActionResult::fail(*e);
    if (auto denied = check_stream_access(call, page.key.account, stream_arn(page.key))) {
      return ActionResult::fail(*denied);
    }
    stream = call.streams.find(page.key);
    if (!stream || storage::to_epoch_ms(stream->created()) != page.stream_created_ms) {
      return ActionResult::fail(stream_not_found(page.key.name, page.key.account));
    }
  } else {
    auto resolved = resolve_stream(call);
    if (!resolved.stream) return ActionResult::fail(resolved.error);
    stream = std::move(resolved.stream);
    page.key = resolved.key;
    page.stream_created_ms = storage::to_epoch_ms(stream->created());
    if (auto e = parse_filter(call.input, page)) return ActionResult::fail(*e);
    if (auto start = string_member(call.input, "ExclusiveStartShardId")) {
      page.after_index = shard_index_of(*start);
      if (!page.after_index) page.after_id = *start;
    }
  }
  const auto max_results = static_cast<std::size_t>(int_member(call.input, "MaxResults").value_or(kDefaultMaxResults));

  const auto d = stream->describe();
  const auto& all = d.shards;
  std::vector<storage::ShardInfo> filtered;
  if (page.filter) filtered = storage::filter_shards(all, *page.filter, now, d.retention_hours);
  const auto& shards = page.filter ? filtered : all;

  nlohmann::json out_shards = nlohmann::json::array();
  std::optional<std::uint32_t> last;
  bool more = false;
  for (const auto& shard : shards) {
    if (page.after_index && shard.index <= *page.after_index) continue;
    if (page.after_id && shard.shard_id <= *page.after_id) continue;
    if (out_shards.size() == max_results) {
      more = true;
      break;
    }
    out_shards.push_back(shard_json(shard));
    last = shard.index;
  }
  nlohmann::json out = {{"Shards", std::move(out_shards)}};
  if (more && last) out["NextToken"] = token_for(page, *last, now);
  return ActionResult::ok(std::move(out));
}

}  // namespace shoal::api::kinesis
