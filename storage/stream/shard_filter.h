// ListShards' ShardFilter applied to a snapshot of shards (ShardInfo from
// Stream::describe). Pure function; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/clock.h"
#include "storage/stream/stream_types.h"

namespace shoal::storage {

enum class ShardFilterType {
  kAfterShardId, kAtTrimHorizon, kFromTrimHorizon, kAtLatest, kAtTimestamp, kFromTimestamp
};
std::optional<ShardFilterType> parse_shard_filter_type(std::string_view s);

struct ShardFilter {
  ShardFilterType type = ShardFilterType::kFromTrimHorizon;
  std::string shard_id;  // kAfterShardId
  TimePoint timestamp;   // kAtTimestamp, kFromTimestamp
};

// Keeps the input order (by index). Rules (AWS ListShards docs):
//   AFTER_SHARD_ID   shards whose index is greater than shard_id's
//   AT_LATEST        open shards
//   AT_TIMESTAMP     started <= t and (open or closed >= t)
//   FROM_TIMESTAMP   open shards and shards closed at or after t (t raised
//                    to the trim horizon when older)
//   AT/FROM_TRIM_HORIZON  as AT/FROM_TIMESTAMP at now - retention
// A stream's first shards (no parent) count as started at the beginning of
// time, so a young stream's trim horizon still finds them.
std::vector<ShardInfo> filter_shards(const std::vector<ShardInfo>& shards, const ShardFilter& filter,
                                     TimePoint now, int retention_hours);

}  // namespace shoal::storage
