#include "storage/stream/shard_filter.h"

#include <algorithm>

namespace shoal::storage {

std::optional<ShardFilterType> parse_shard_filter_type(std::string_view s) {
  if (s == "AFTER_SHARD_ID") return ShardFilterType::kAfterShardId;
  if (s == "AT_TRIM_HORIZON") return ShardFilterType::kAtTrimHorizon;
  if (s == "FROM_TRIM_HORIZON") return ShardFilterType::kFromTrimHorizon;
  if (s == "AT_LATEST") return ShardFilterType::kAtLatest;
  if (s == "AT_TIMESTAMP") return ShardFilterType::kAtTimestamp;
  if (s == "FROM_TIMESTAMP") return ShardFilterType::kFromTimestamp;
  return std::nullopt;
}

std::vector<ShardInfo> filter_shards(const std::vector<ShardInfo>& shards, const ShardFilter& filter,
                                     TimePoint now, int retention_hours) {
  const TimePoint horizon = now - std::chrono::hours(retention_hours);
  const auto open_at = [](const ShardInfo& s, TimePoint t) {
    const bool started = !s.parent_shard_id || s.created <= t;
    return started && (s.open() || *s.closed >= t);
  };
  const auto alive_from = [](const ShardInfo& s, TimePoint t) { return s.open() || *s.closed >= t; };
  const auto after = parse_shard_id(filter.shard_id);

  std::vector<ShardInfo> out;
  for (const auto& s : shards) {
    bool keep = false;
    switch (filter.type) {
      case ShardFilterType::kAfterShardId: keep = !after || s.index > *after; break;
      case ShardFilterType::kAtLatest: keep = s.open(); break;
      case ShardFilterType::kAtTimestamp: keep = open_at(s, filter.timestamp); break;
      case ShardFilterType::kFromTimestamp: keep = alive_from(s, std::max(filter.timestamp, horizon)); break;
      case ShardFilterType::kAtTrimHorizon: keep = open_at(s, horizon); break;
      case ShardFilterType::kFromTrimHorizon: keep = alive_from(s, horizon); break;
    }
    if (keep) out.push_back(s);
  }
  return out;
}

}  // namespace shoal::storage
