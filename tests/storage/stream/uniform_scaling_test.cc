// UpdateShardCount's layouts: the shard totals AWS reaches (recorded against
// AWS by moto), then every shard of 1->2, 2->3, 4->5, 5->9, 10->20 and 20->10
// (ids, parents, adjacent parents, hash ranges, open or closed), sequence
// numbers across the short-lived shards, readers crossing them, replay.
#include "storage/stream/uniform_scaling.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/storage/stream/stream_test_util.h"

namespace shoal::storage {
namespace {

using testing::iterator;
using testing::put;
using testing::read;
using testing::StreamFixture;

// Start of range i of n even ranges; i == n is one past the last key.
HashKey at(int i, int n) { return i == n ? kMaxHashKey : even_hash_key_range(i, n).start; }
// The range from boundary a of n to boundary b of m (b == m: to the end).
HashKeyRange span(int a, int n, int b, int m) { return {at(a, n), b == m ? kMaxHashKey : at(b, m) - 1}; }

struct Expected {
  int index;
  std::optional<int> parent;
  std::optional<int> adjacent;
  HashKeyRange range;
  bool open;
};

std::optional<std::string> id(std::optional<int> index) {
  if (!index) return std::nullopt;
  return shard_id_for_index(static_cast<std::uint32_t>(*index));
}

void check_layout(const std::vector<ShardInfo>& shards, const std::vector<Expected>& want) {
  REQUIRE(shards.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& got = shards[i];
    const auto& w = want[i];
    CAPTURE(got.shard_id);
    CHECK(got.shard_id == shard_id_for_index(static_cast<std::uint32_t>(w.index)));
    CHECK(got.parent_shard_id == id(w.parent));
    CHECK(got.adjacent_parent_shard_id == id(w.adjacent));
    CHECK(got.hash_key_range.start == w.range.start);
    CHECK(got.hash_key_range.end == w.range.end);
    CHECK(got.open() == w.open);
  }
}

std::vector<ShardInfo> scaled(int from, int to) {
  StreamFixture f;
  auto stream = f.create(from);
  auto out = f.registry.update_shard_count(StreamFixture::key(), to);
  REQUIRE_MESSAGE(out.ok(), out.status().message());
  CHECK(out->current_shard_count == from);
  CHECK(out->target_shard_count == to);
  return stream->shards();
}

int open_count(const std::vector<ShardInfo>& shards) {
  int n = 0;
  for (const auto& s : shards) n += s.open() ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("UpdateShardCount reaches the shard totals AWS reaches") {
  // moto's test_update_shard_count, "verified against AWS": (initial, target, total shards after).
  const std::vector<std::array<int, 3>> recorded = {{2, 4, 6}, {4, 5, 15}, {10, 13, 37}, {4, 2, 6}, {5, 3, 7}};
  for (const auto& [from, to, total] : recorded) {
    CAPTURE(from);
    CAPTURE(to);
    const auto shards = scaled(from, to);
    CHECK(static_cast<int>(shards.size()) == total);
    CHECK(open_count(shards) == to);
  }
}

TEST_CASE("1 -> 2 splits the shard where CreateStream would") {
  check_layout(scaled(1, 2), {
                                 {0, {}, {}, span(0, 1, 1, 1), false},
                                 {1, 0, {}, span(0, 2, 1, 2), true},
                                 {2, 0, {}, span(1, 2, 2, 2), true},
                             });
}

TEST_CASE("2 -> 3 splits both shards at the thirds and merges the middle pieces") {
  check_layout(scaled(2, 3), {
                                 {0, {}, {}, span(0, 2, 1, 2), false},
                                 {1, {}, {}, span(1, 2, 2, 2), false},
                                 {2, 0, {}, span(0, 3, 1, 3), true},
                                 {3, 0, {}, span(1, 3, 1, 2), false},
                                 {4, 1, {}, span(1, 2, 2, 3), false},
                                 {5, 1, {}, span(2, 3, 3, 3), true},
                                 {6, 3, 4, span(1, 3, 2, 3), true},
                             });
}

TEST_CASE("4 -> 5 makes 15 shards and ends with exact fifths") {
  check_layout(scaled(4, 5), {
                                 {0, {}, {}, span(0, 4, 1, 4), false},
                                 {1, {}, {}, span(1, 4, 2, 4), false},
                                 {2, {}, {}, span(2, 4, 3, 4), false},
                                 {3, {}, {}, span(3, 4, 4, 4), false},
                                 {4, 0, {}, span(0, 5, 1, 5), true},
                                 {5, 0, {}, span(1, 5, 1, 4), false},
                                 {6, 1, {}, span(1, 4, 2, 5), false},
                                 {7, 1, {}, span(2, 5, 2, 4), false},
                                 {8, 2, {}, span(2, 4, 3, 5), false},
                                 {9, 2, {}, span(3, 5, 3, 4), false},
                                 {10, 3, {}, span(3, 4, 4, 5), false},
                                 {11, 3, {}, span(4, 5, 5, 5), true},
                                 {12, 5, 6, span(1, 5, 2, 5), true},
                                 {13, 7, 8, span(2, 5, 3, 5), true},
                                 {14, 9, 10, span(3, 5, 4, 5), true},
                             });
}

TEST_CASE("5 -> 9 splits every shard, keeps three old boundaries and merges once") {
  check_layout(scaled(5, 9), {
                                 {0, {}, {}, span(0, 5, 1, 5), false},
                                 {1, {}, {}, span(1, 5, 2, 5), false},
                                 {2, {}, {}, span(2, 5, 3, 5), false},
                                 {3, {}, {}, span(3, 5, 4, 5), false},
                                 {4, {}, {}, span(4, 5, 5, 5), false},
                                 {5, 0, {}, span(0, 9, 1, 9), true},
                                 {6, 0, {}, span(1, 9, 1, 5), true},
                                 {7, 1, {}, span(1, 5, 3, 9), true},
                                 {8, 1, {}, span(3, 9, 2, 5), true},
                                 {9, 2, {}, span(2, 5, 5, 9), true},
                                 {10, 2, {}, span(5, 9, 3, 5), false},
                                 {11, 3, {}, span(3, 5, 6, 9), false},
                                 {12, 3, {}, span(6, 9, 4, 5), true},
                                 {13, 4, {}, span(4, 5, 8, 9), true},
                                 {14, 4, {}, span(8, 9, 9, 9), true},
                                 {15, 10, 11, span(5, 9, 6, 9), true},
                             });
}

TEST_CASE("10 -> 20 splits every shard in two and merges nothing") {
  std::vector<Expected> want;
  for (int i = 0; i < 10; ++i) want.push_back({i, {}, {}, span(i, 10, i + 1, 10), false});
  for (int i = 0; i < 10; ++i) {
    want.push_back({10 + 2 * i, i, {}, span(i, 10, 2 * i + 1, 20), true});
    want.push_back({11 + 2 * i, i, {}, span(2 * i + 1, 20, i + 1, 10), true});
  }
  check_layout(scaled(10, 20), want);
}

TEST_CASE("20 -> 10 merges neighbours pairwise into exact tenths") {
  std::vector<Expected> want;
  for (int i = 0; i < 20; ++i) want.push_back({i, {}, {}, span(i, 20, i + 1, 20), false});
  for (int k = 0; k < 10; ++k) want.push_back({20 + k, 2 * k, 2 * k + 1, span(2 * k, 20, 2 * k + 2, 20), true});
  check_layout(scaled(20, 10), want);
}

TEST_CASE("the plan: every layout covers the key space with the target count of open shards") {
  for (int n = 1; n <= 24; ++n) {
    std::vector<ScalingShard> open;
    for (int i = 0; i < n; ++i) open.push_back({static_cast<std::uint32_t>(i), even_hash_key_range(i, n)});
    for (int t = (n + 1) / 2; t <= 2 * n; ++t) {
      CAPTURE(n);
      CAPTURE(t);
      auto plan = plan_uniform_scaling(open, static_cast<std::uint32_t>(n), t);
      REQUIRE(plan.ok());
      // Shards end up open unless closed by the plan.
      std::map<std::uint32_t, HashKeyRange> shards;
      for (const auto& s : open) shards[s.index] = s.range;
      std::uint32_t next = static_cast<std::uint32_t>(n);
      for (const auto& child : plan->children) {
        for (auto parent : child.parents) CHECK(shards.count(parent) == 1);  // parents exist before their child
        shards[next++] = child.range;
      }
      for (auto index : plan->close) shards.erase(index);
      std::vector<HashKeyRange> ranges;
      for (const auto& [index, range] : shards) ranges.push_back(range);
      std::sort(ranges.begin(), ranges.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
      REQUIRE(static_cast<int>(ranges.size()) == t);
      CHECK(ranges.front().start == 0);
      CHECK(ranges.back().end == kMaxHashKey);
      for (std::size_t i = 1; i < ranges.size(); ++i) CHECK(ranges[i].start == ranges[i - 1].end + 1);
      // Up: n splits and 2n - t merges; down: n - t merges.
      const int made = static_cast<int>(plan->children.size());
      CHECK(made == (t == n ? 0 : t > n ? 2 * n + (2 * n - t) : n - t));
    }
  }
}

TEST_CASE("the plan refuses targets past double or below half") {
  std::vector<ScalingShard> open = {{0, even_hash_key_range(0, 2)}, {1, even_hash_key_range(1, 2)}};
  CHECK(plan_uniform_scaling(open, 2, 5).status().code() == Status::Code::kInvalidArgument);
  CHECK(plan_uniform_scaling(open, 2, 0).status().code() == Status::Code::kInvalidArgument);
  CHECK(plan_uniform_scaling(open, 2, 2)->children.empty());
}

TEST_CASE("short-lived shards sit between their parents and children in sequence order") {
  StreamFixture f;
  auto stream = f.create(4);
  REQUIRE(f.registry.update_shard_count(StreamFixture::key(), 5).ok());
  std::map<std::string, ShardInfo> by_id;
  for (const auto& s : stream->shards()) by_id[s.shard_id] = s;
  for (const auto& [shard_id, s] : by_id) {
    for (const auto& parent : {s.parent_shard_id, s.adjacent_parent_shard_id}) {
      if (!parent) continue;
      CAPTURE(shard_id);
      REQUIRE(by_id.at(*parent).ending_sequence_number);
      CHECK(s.starting_sequence_number > *by_id.at(*parent).ending_sequence_number);
    }
  }
}

TEST_CASE("a reader crossing UpdateShardCount through the short-lived shards reads every record once") {
  StreamFixture f;
  auto stream = f.create(4);
  std::map<std::string, std::vector<std::string>> written;  // partition key -> data in put order
  auto put_some = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      const std::string pk = "key-" + std::to_string(i % 11);
      put(*stream, pk, pk + "/" + std::to_string(i));
      written[pk].push_back(pk + "/" + std::to_string(i));
    }
  };
  put_some(0, 40);
  REQUIRE(f.registry.update_shard_count(StreamFixture::key(), 5).ok());
  put_some(40, 90);

  // Breadth-first from the original shards, a child once all its parents are read.
  std::map<std::string, std::vector<std::string>> read_by_key;
  std::vector<std::string> queue = {"shardId-000000000000", "shardId-000000000001", "shardId-000000000002",
                                    "shardId-000000000003"};
  std::map<std::string, int> parents_left;
  for (const auto& s : stream->shards()) {
    parents_left[s.shard_id] = (s.parent_shard_id ? 1 : 0) + (s.adjacent_parent_shard_id ? 1 : 0);
  }
  for (std::size_t q = 0; q < queue.size(); ++q) {
    std::string it = iterator(*stream, queue[q]);
    for (int rounds = 0; rounds < 100; ++rounds) {
      auto got = read(f.registry, it, 3);
      for (const auto& r : got.records) read_by_key[r.partition_key].push_back(r.data);
      if (!got.next_shard_iterator) {
        for (const auto& child : got.child_shards) {
          if (--parents_left[child.shard_id] == 0) queue.push_back(child.shard_id);
        }
        break;
      }
      if (got.records.empty()) break;
      it = *got.next_shard_iterator;
    }
  }
  CHECK(queue.size() == 15);  // every shard reached
  CHECK(read_by_key == written);
}

TEST_CASE("UpdateShardCount to the current count changes nothing") {
  StreamFixture f;
  auto stream = f.create(3);
  auto out = f.registry.update_shard_count(StreamFixture::key(), 3);
  REQUIRE(out.ok());
  CHECK(out->current_shard_count == 3);
  CHECK(stream->shards().size() == 3);
  CHECK(stream->status() == StreamStatus::kActive);
}

TEST_CASE("UpdateShardCount on an ON_DEMAND stream is refused") {
  StreamFixture f;
  StreamConfig config;
  config.mode = StreamMode::kOnDemand;
  auto stream = f.registry.create(StreamFixture::key("od"), config);
  REQUIRE(stream.ok());
  CHECK(f.registry.update_shard_count(StreamFixture::key("od"), 8).status().code() == Status::Code::kInvalidArgument);
  CHECK((*stream)->shards().size() == 4);
}

TEST_CASE("the new layout appears when the update delay ends, short-lived shards included") {
  StreamRegistryOptions options;
  options.delays.update = std::chrono::seconds(2);
  StreamFixture f(options);
  auto stream = f.create(2);
  REQUIRE(f.registry.update_shard_count(StreamFixture::key(), 3).ok());
  CHECK(stream->status() == StreamStatus::kUpdating);
  CHECK(stream->shards().size() == 2);
  f.clock.advance(std::chrono::seconds(2));
  CHECK(stream->status() == StreamStatus::kActive);
  const auto shards = stream->shards();
  CHECK(shards.size() == 7);
  CHECK(open_count(shards) == 3);
}

}  // namespace shoal::storage
