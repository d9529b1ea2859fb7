// Streams under threads (scripts/tsan.sh runs these under ThreadSanitizer):
// puts racing with SplitShard and MergeShards, GetRecords and a
// SubscribeToShard-style reader (read_shard + watch_shard) following the
// lineage meanwhile, and a stream deleted while calls are in flight. Every
// acknowledged record must be readable exactly once afterwards.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/storage/stream/stream_test_util.h"

namespace shoal::storage {
namespace {

using namespace std::chrono_literals;
using testing::StreamFixture;

std::vector<ShardInfo> open_shards(const Stream& stream) {
  std::vector<ShardInfo> out;
  for (auto& s : stream.shards()) {
    if (s.open()) out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(),
            [](const ShardInfo& a, const ShardInfo& b) { return a.hash_key_range.start < b.hash_key_range.start; });
  return out;
}

// One reshard: splits the widest open shard in two while there are fewer
// than `most` open shards, else merges the first adjacent pair.
Status reshard(StreamFixture& f, const Stream& stream, std::size_t most) {
  const auto open = open_shards(stream);
  if (open.size() < most) {
    const auto widest = std::max_element(open.begin(), open.end(), [](const ShardInfo& a, const ShardInfo& b) {
      return a.hash_key_range.end - a.hash_key_range.start < b.hash_key_range.end - b.hash_key_range.start;
    });
    const HashKeyRange& r = widest->hash_key_range;
    return f.registry.split_shard(StreamFixture::key(), widest->shard_id, r.start + (r.end - r.start) / 2 + 1);
  }
  return f.registry.merge_shards(StreamFixture::key(), open[0].shard_id, open[1].shard_id);
}

// Every record of every shard, from TRIM_HORIZON to its end.
std::vector<std::string> read_everything(StreamFixture& f, Stream& stream) {
  std::vector<std::string> out;
  for (const auto& shard : stream.shards()) {
    std::string it = testing::iterator(stream, shard.shard_id);
    for (;;) {
      auto got = testing::read(f.registry, it);
      for (auto& r : got.records) out.push_back(std::move(r.data));
      if (!got.next_shard_iterator || got.records.empty()) break;
      it = *got.next_shard_iterator;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("puts racing with splits and merges: every acknowledged record is read once, in shard order") {
  StreamFixture f;
  auto stream = f.create(2);
  constexpr int kWriters = 3;
  constexpr int kPerWriter = 300;
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::atomic<int> writers_left{kWriters};
  std::atomic<int> reshards{0};

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        const std::string data = std::to_string(w) + ":" + std::to_string(i);
        auto out = stream->put_record({"key-" + std::to_string(i * kWriters + w), std::nullopt, data, std::nullopt});
        CHECK_MESSAGE(out.ok(), out.status().message());
        if (out.ok()) {
          std::lock_guard lock(mutex);
          acknowledged.push_back(data);
        }
      }
      --writers_left;
    });
  }
  threads.emplace_back([&] {
    while (writers_left.load() > 0) {
      if (reshard(f, *stream, 5).is_ok()) ++reshards;
      (void)stream->describe();
      (void)f.registry.limits(StreamFixture::key().account, StreamFixture::key().region);
    }
  });
  threads.emplace_back([&] {  // GetRecords from TRIM_HORIZON of whatever shards exist now
    while (writers_left.load() > 0) {
      for (const auto& shard : stream->shards()) {
        auto it = stream->get_shard_iterator(shard.shard_id, {});
        if (!it.ok()) continue;
        auto got = f.registry.get_records(*it, 50);
        CHECK_MESSAGE(got.ok(), got.status().message());
      }
    }
  });
  std::vector<std::string> subscribed;
  threads.emplace_back([&] {  // a subscription on the first shard, following its first child
    std::uint32_t index = 0;
    std::uint64_t counter = 0;
    for (;;) {
      // CHECK and return, not REQUIRE: an exception must not leave a thread.
      auto read = stream->read_shard(index, counter, 1 << 20);
      CHECK_MESSAGE(read.ok(), read.status().message());
      if (!read.ok()) return;
      for (auto& r : read->records) subscribed.push_back(std::move(r.data));
      counter = read->next_counter;
      if (read->end_of_shard) {
        CHECK_FALSE(read->child_shards.empty());
        if (read->child_shards.empty()) return;
        const std::string child = read->child_shards.front().shard_id;
        bool found = false;
        for (const auto& s : stream->shards()) {
          if (s.shard_id == child) {
            index = s.index;
            found = true;
          }
        }
        CHECK(found);
        auto start = stream->start_position(child, {});
        CHECK(start.ok());
        if (!found || !start.ok()) return;
        counter = *start;
        continue;
      }
      if (!read->records.empty()) continue;
      if (writers_left.load() == 0) return;
      auto woken = std::make_shared<std::atomic<bool>>(false);
      const auto id = stream->watch_shard(index, counter, [woken] { woken->store(true); });
      while (id != 0 && !woken->load() && writers_left.load() > 0) std::this_thread::yield();
      stream->unwatch_shard(index, id);
    }
  });
  for (auto& t : threads) t.join();

  CHECK(reshards.load() > 0);
  REQUIRE(acknowledged.size() == kWriters * kPerWriter);
  auto everything = read_everything(f, *stream);
  std::sort(everything.begin(), everything.end());
  std::sort(acknowledged.begin(), acknowledged.end());
  CHECK(everything == acknowledged);
  // The subscriber saw each record of its lineage once, each an acknowledged one.
  CHECK(std::set<std::string>(subscribed.begin(), subscribed.end()).size() == subscribed.size());
  for (const auto& d : subscribed) CHECK(std::binary_search(acknowledged.begin(), acknowledged.end(), d));
}

TEST_CASE("a stream deleted while puts and reads are in flight answers each call cleanly") {
  StreamFixture f;
  auto stream = f.create(2);
  std::atomic<bool> deleted{false};
  std::atomic<int> put_after_delete{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < 2000; ++i) {
        const bool was_deleted = deleted.load();
        auto out = stream->put_record({"k" + std::to_string(i), std::nullopt, std::to_string(w), std::nullopt});
        if (was_deleted && out.ok()) ++put_after_delete;
        if (was_deleted && !out.ok()) return;  // the stream refuses writes from now on
      }
    });
  }
  threads.emplace_back([&] {
    while (!deleted.load()) {
      for (const auto& shard : stream->shards()) {
        auto it = stream->get_shard_iterator(shard.shard_id, {});
        if (it.ok()) (void)f.registry.get_records(*it, 100);
      }
    }
  });
  threads.emplace_back([&] {
    while (stream->shard_positions().front().records < 100) std::this_thread::yield();
    CHECK(f.registry.remove(StreamFixture::key(), false).is_ok());
    deleted = true;
  });
  for (auto& t : threads) t.join();
  CHECK(put_after_delete.load() == 0);
  CHECK_FALSE(f.registry.find(StreamFixture::key()));
}

}  // namespace shoal::storage
