// Resharding: SplitShard, MergeShards and UpdateShardCount close parents with
// an EndingSequenceNumber, link children to parents, respect AWS's rules and
// limits, and let a reader cross from parents to children without losing or
// repeating a record.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "storage/stream/shard_filter.h"
#include "tests/storage/stream/stream_test_util.h"

namespace shoal::storage {
namespace {

using testing::iterator;
using testing::put;
using testing::read;
using testing::StreamFixture;

const ShardInfo& shard(const std::vector<ShardInfo>& shards, const std::string& id) {
  for (const auto& s : shards) {
    if (s.shard_id == id) return s;
  }
  FAIL("no shard " << id);
  return shards.front();
}

// Reads a shard following NextShardIterator until it ends (closed: no next
// iterator; open: an empty read at the tip); returns the records' data and
// the ChildShards reported at the end.
std::vector<std::string> drain(StreamFixture& f, Stream& stream, const std::string& shard_id,
                               std::vector<ChildShard>* children) {
  std::vector<std::string> out;
  std::string it = iterator(stream, shard_id);
  for (int rounds = 0; rounds < 100; ++rounds) {
    auto got = read(f.registry, it, 2);
    for (const auto& r : got.records) out.push_back(r.data);
    if (!got.next_shard_iterator) {
      *children = got.child_shards;
      return out;
    }
    if (got.records.empty()) return out;
    it = *got.next_shard_iterator;
  }
  FAIL("shard " << shard_id << " never ended");
  return out;
}

}  // namespace

TEST_CASE("SplitShard closes the parent and opens two children covering its range") {
  StreamFixture f;
  auto stream = f.create(1);
  const HashKey middle = HashKey{1} << 127;
  REQUIRE(f.registry.split_shard(StreamFixture::key(), "shardId-000000000000", middle).is_ok());
  const auto shards = stream->shards();
  REQUIRE(shards.size() == 3);
  const auto& parent = shard(shards, "shardId-000000000000");
  CHECK_FALSE(parent.open());
  REQUIRE(parent.ending_sequence_number);
  CHECK(*parent.ending_sequence_number > parent.starting_sequence_number);
  const auto& left = shard(shards, "shardId-000000000001");
  const auto& right = shard(shards, "shardId-000000000002");
  CHECK(left.parent_shard_id == "shardId-000000000000");
  CHECK(right.parent_shard_id == "shardId-000000000000");
  CHECK_FALSE(left.adjacent_parent_shard_id);
  CHECK(left.hash_key_range == HashKeyRange{0, middle - 1});
  CHECK(right.hash_key_range == HashKeyRange{middle, kMaxHashKey});
  CHECK(stream->describe().open_shard_count == 2);
  // Children's numbers sort after everything the parent ever issued.
  CHECK(left.starting_sequence_number > *parent.ending_sequence_number);
}

TEST_CASE("SplitShard wants a key above start + 1 and below end, on an open shard") {
  StreamFixture f;
  auto stream = f.create(2);
  const auto range = stream->shards()[1].hash_key_range;
  const auto key = StreamFixture::key();
  CHECK(f.registry.split_shard(key, "shardId-000000000001", range.start + 1).code() == Status::Code::kInvalidArgument);
  CHECK(f.registry.split_shard(key, "shardId-000000000001", range.end).code() == Status::Code::kInvalidArgument);
  CHECK(f.registry.split_shard(key, "shardId-000000000009", range.end - 1).code() == Status::Code::kNotFound);
  REQUIRE(f.registry.split_shard(key, "shardId-000000000001", range.start + 2).is_ok());
  CHECK(f.registry.split_shard(key, "shardId-000000000001", range.start + 5).code() == Status::Code::kResourceInUse);
}

TEST_CASE("MergeShards joins two adjacent open shards into one child") {
  StreamFixture f;
  auto stream = f.create(3);
  const auto key = StreamFixture::key();
  CHECK(f.registry.merge_shards(key, "shardId-000000000000", "shardId-000000000002").code() ==
        Status::Code::kInvalidArgument);
  CHECK(f.registry.merge_shards(key, "shardId-000000000001", "shardId-000000000001").code() ==
        Status::Code::kInvalidArgument);
  REQUIRE(f.registry.merge_shards(key, "shardId-000000000002", "shardId-000000000001").is_ok());
  const auto shards = stream->shards();
  const auto& child = shard(shards, "shardId-000000000003");
  CHECK(child.parent_shard_id == "shardId-000000000002");
  CHECK(child.adjacent_parent_shard_id == "shardId-000000000001");
  CHECK(child.hash_key_range == HashKeyRange{even_hash_key_range(1, 3).start, kMaxHashKey});
  CHECK(stream->describe().open_shard_count == 2);
  CHECK(f.registry.merge_shards(key, "shardId-000000000000", "shardId-000000000001").code() ==
        Status::Code::kResourceInUse);
}

TEST_CASE("UpdateShardCount doubles at most, halves at most, and doubles into even ranges") {
  StreamFixture f;
  auto stream = f.create(2);
  const auto key = StreamFixture::key();
  CHECK(f.registry.update_shard_count(key, 5).status().code() == Status::Code::kLimitExceeded);
  auto up = f.registry.update_shard_count(key, 4);
  REQUIRE(up.ok());
  CHECK(up->current_shard_count == 2);
  CHECK(up->target_shard_count == 4);
  auto d = stream->describe();
  CHECK(d.open_shard_count == 4);
  std::vector<ShardInfo> open;
  for (const auto& s : d.shards) {
    if (s.open()) open.push_back(s);
  }
  REQUIRE(open.size() == 4);
  for (int i = 0; i < 4; ++i) CHECK(open[static_cast<std::size_t>(i)].hash_key_range == even_hash_key_range(i, 4));
  CHECK(open[0].parent_shard_id == "shardId-000000000000");
  CHECK(open[3].parent_shard_id == "shardId-000000000001");
  CHECK(f.registry.update_shard_count(key, 1).status().code() == Status::Code::kLimitExceeded);
  REQUIRE(f.registry.update_shard_count(key, 3).ok());
  d = stream->describe();
  CHECK(d.open_shard_count == 3);
  // Down by one is one merge: the two middle quarters, nearest to thirds.
  CHECK(d.shards.size() == 7);
  const auto& middle = shard(d.shards, "shardId-000000000006");
  CHECK(middle.parent_shard_id == "shardId-000000000003");
  CHECK(middle.adjacent_parent_shard_id == "shardId-000000000004");
  CHECK(middle.hash_key_range == HashKeyRange{even_hash_key_range(1, 4).start, even_hash_key_range(2, 4).end});
}

TEST_CASE("a reader crossing a split via ChildShards reads every record once, in order") {
  StreamFixture f;
  auto stream = f.create(1);
  std::map<std::string, std::vector<std::string>> by_key;  // partition key -> data in put order
  auto put_some = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      const std::string pk = "key-" + std::to_string(i % 7);
      put(*stream, pk, pk + "/" + std::to_string(i));
      by_key[pk].push_back(pk + "/" + std::to_string(i));
    }
  };
  put_some(0, 20);
  REQUIRE(f.registry.split_shard(StreamFixture::key(), "shardId-000000000000", HashKey{1} << 127).is_ok());
  put_some(20, 45);
  REQUIRE(f.registry.merge_shards(StreamFixture::key(), "shardId-000000000001", "shardId-000000000002").is_ok());
  put_some(45, 60);

  std::map<std::string, std::vector<std::string>> seen;
  std::vector<std::string> pending = {"shardId-000000000000"};
  std::set<std::string> done;
  while (!pending.empty()) {
    const std::string id = pending.front();
    pending.erase(pending.begin());
    if (done.count(id)) continue;
    done.insert(id);
    std::vector<ChildShard> children;
    for (const auto& data : drain(f, *stream, id, &children)) seen[data.substr(0, data.find('/'))].push_back(data);
    for (const auto& c : children) {
      // A child is read only once all its parents are done (KCL's rule).
      bool parents_done = true;
      for (const auto& p : c.parent_shards) parents_done = parents_done && done.count(p);
      if (parents_done) pending.push_back(c.shard_id);
    }
  }
  CHECK(done == std::set<std::string>{"shardId-000000000000", "shardId-000000000001", "shardId-000000000002",
                                      "shardId-000000000003"});
  CHECK(seen == by_key);
}

TEST_CASE("the end of a closed shard has no next iterator and names its children") {
  StreamFixture f;
  auto stream = f.create(1);
  put(*stream, "k", "a");
  REQUIRE(f.registry.split_shard(StreamFixture::key(), "shardId-000000000000", HashKey{1} << 127).is_ok());
  const auto got = read(f.registry, iterator(*stream, "shardId-000000000000"));
  CHECK(got.records.size() == 1);
  CHECK_FALSE(got.next_shard_iterator);
  REQUIRE(got.child_shards.size() == 2);
  CHECK(got.child_shards[0].shard_id == "shardId-000000000001");
  CHECK(got.child_shards[0].parent_shards == std::vector<std::string>{"shardId-000000000000"});
  CHECK(got.child_shards[1].hash_key_range.end == kMaxHashKey);
  // LATEST on a closed shard is already at its end.
  CHECK_FALSE(read(f.registry, iterator(*stream, "shardId-000000000000", ShardIteratorType::kLatest))
                  .next_shard_iterator);
}

TEST_CASE("with an update delay the stream is UPDATING and the parents take writes until it ends") {
  StreamRegistryOptions options;
  options.delays.update = std::chrono::seconds(2);
  StreamFixture f(options);
  auto stream = f.create(1);
  REQUIRE(f.registry.split_shard(StreamFixture::key(), "shardId-000000000000", HashKey{1} << 127).is_ok());
  CHECK(stream->status() == StreamStatus::kUpdating);
  CHECK(stream->shards().size() == 1);
  CHECK(put(*stream, "k", "during").shard_id == "shardId-000000000000");
  CHECK(f.registry.update_shard_count(StreamFixture::key(), 2).status().code() == Status::Code::kResourceInUse);
  CHECK(stream->increase_retention(48).code() == Status::Code::kResourceInUse);
  f.clock.advance(std::chrono::seconds(2));
  CHECK(stream->status() == StreamStatus::kActive);
  CHECK(stream->shards().size() == 3);
  CHECK(put(*stream, "k", "after").shard_id != "shardId-000000000000");
  // Shard times: the children were created when the update ended.
  CHECK(stream->shards()[1].created == f.clock.now());
}

TEST_CASE("the account's open shard limit caps create, split and UpdateShardCount") {
  StreamRegistryOptions options;
  options.limits.shard_limit = 4;
  StreamFixture f(options);
  auto a = f.create(2, "a");
  CHECK(f.registry.create(StreamFixture::key("b"), {StreamMode::kProvisioned, 3, {}, 1024, {}}).status().code() ==
        Status::Code::kLimitExceeded);
  auto b = f.create(1, "b");
  REQUIRE(f.registry.split_shard(StreamFixture::key("a"), "shardId-000000000000", HashKey{1} << 100).is_ok());
  const auto limit = f.registry.split_shard(StreamFixture::key("a"), "shardId-000000000002", HashKey{1} << 90);
  CHECK(limit.code() == Status::Code::kLimitExceeded);
  CHECK(f.registry.update_shard_count(StreamFixture::key("b"), 2).status().code() == Status::Code::kLimitExceeded);
  CHECK(f.registry.limits("123456789012", "us-east-1").open_shard_count == 4);
  // Other regions have their own limit.
  CHECK(f.registry.create({"123456789012", "eu-west-1", "a"}, {StreamMode::kProvisioned, 4, {}, 1024, {}}).ok());
}

TEST_CASE("ListShards filters pick shards by lifetime") {
  StreamFixture f;
  auto stream = f.create(1);
  const TimePoint start = f.clock.now();
  f.clock.advance(std::chrono::hours(1));
  REQUIRE(f.registry.split_shard(StreamFixture::key(), "shardId-000000000000", HashKey{1} << 127).is_ok());
  const TimePoint split = f.clock.now();
  f.clock.advance(std::chrono::hours(1));
  const auto shards = stream->shards();
  const auto ids = [&](ShardFilter filter) {
    std::vector<std::string> out;
    for (const auto& s : filter_shards(shards, filter, f.clock.now(), 24)) out.push_back(s.shard_id);
    return out;
  };
  using V = std::vector<std::string>;
  const V all = {"shardId-000000000000", "shardId-000000000001", "shardId-000000000002"};
  const V children = {"shardId-000000000001", "shardId-000000000002"};
  CHECK(ids({ShardFilterType::kAtLatest, {}, {}}) == children);
  CHECK(ids({ShardFilterType::kAfterShardId, "shardId-000000000000", {}}) == children);
  CHECK(ids({ShardFilterType::kAtTrimHorizon, {}, {}}) == V{"shardId-000000000000"});
  CHECK(ids({ShardFilterType::kFromTrimHorizon, {}, {}}) == all);
  CHECK(ids({ShardFilterType::kAtTimestamp, {}, start}) == V{"shardId-000000000000"});
  CHECK(ids({ShardFilterType::kAtTimestamp, {}, split}) == all);  // the parent closed at that instant
  CHECK(ids({ShardFilterType::kAtTimestamp, {}, split + std::chrono::milliseconds(1)}) == children);
  CHECK(ids({ShardFilterType::kFromTimestamp, {}, split}) == all);
  CHECK(ids({ShardFilterType::kFromTimestamp, {}, split + std::chrono::milliseconds(1)}) == children);
}

TEST_CASE("a closed shard disappears once its retention has passed") {
  StreamFixture f;
  auto stream = f.create(1);
  put(*stream, "k", "a");
  REQUIRE(f.registry.split_shard(StreamFixture::key(), "shardId-000000000000", HashKey{1} << 127).is_ok());
  f.clock.advance(std::chrono::hours(24) - std::chrono::milliseconds(1));
  CHECK(stream->shards().size() == 3);
  f.clock.advance(std::chrono::milliseconds(2));
  CHECK(stream->shards().size() == 2);
  CHECK(stream->get_shard_iterator("shardId-000000000000", {}).status().code() == Status::Code::kNotFound);
}

}  // namespace shoal::storage
