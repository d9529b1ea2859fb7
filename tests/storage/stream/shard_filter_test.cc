// ListShards filters on a young stream: its first shards are found at the
// trim horizon even though the horizon is before the stream existed.
#include "storage/stream/shard_filter.h"

#include <doctest/doctest.h>

#include "tests/storage/stream/stream_test_util.h"

namespace shoal::storage {

TEST_CASE("a young stream's first shards are found at and from the trim horizon") {
  testing::StreamFixture f;
  auto stream = f.create(2);
  const auto shards = stream->shards();
  CHECK(filter_shards(shards, {ShardFilterType::kAtTrimHorizon, {}, {}}, f.clock.now(), 24).size() == 2);
  CHECK(filter_shards(shards, {ShardFilterType::kFromTrimHorizon, {}, {}}, f.clock.now(), 24).size() == 2);
  CHECK(filter_shards(shards, {ShardFilterType::kAfterShardId, "shardId-000000000001", {}}, f.clock.now(), 24).empty());
  CHECK(parse_shard_filter_type("AT_LATEST") == ShardFilterType::kAtLatest);
  CHECK_FALSE(parse_shard_filter_type("LATEST"));
}

}  // namespace shoal::storage
