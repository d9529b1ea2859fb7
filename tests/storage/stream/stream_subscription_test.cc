// What SubscribeToShard needs from the stream engine: start positions, reads
// from a kept position (continuation numbers, trimmed records, the end of a
// closed shard), one-shot shard watchers woken by puts and reshards, the
// registry of active subscriptions (refusal within 5 s, takeover after) and
// a subscription's read budget.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <vector>

#include "storage/stream/sequence_number.h"
#include "storage/stream/subscription_registry.h"
#include "tests/storage/stream/stream_test_util.h"

namespace shoal::storage {
namespace {

using testing::put;
using testing::StreamFixture;
using namespace std::chrono_literals;

std::vector<std::string> datas(const ShardRead& read) {
  std::vector<std::string> v;
  for (const auto& r : read.records) v.push_back(r.data);
  return v;
}

ShardRead read_all(Stream& stream, std::uint32_t shard, std::uint64_t from) {
  auto out = stream.read_shard(shard, from, 1 << 20);
  REQUIRE_MESSAGE(out.ok(), out.status().message());
  return std::move(out).value();
}

std::uint64_t start(Stream& stream, ShardIteratorType type, const std::string& sequence = {}, TimePoint at = {}) {
  auto out = stream.start_position("shardId-000000000000", {type, sequence, at});
  REQUIRE_MESSAGE(out.ok(), out.status().message());
  return *out;
}

SubscriptionKey key_for(std::uint32_t shard = 0) { return {StreamFixture::key(), "app", TimePoint(1000ms), shard}; }

}  // namespace

TEST_CASE("start positions: TRIM_HORIZON, LATEST, AT/AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP") {
  StreamFixture f;
  auto stream = f.create(1);
  const auto a = put(*stream, "k", "a").sequence_number;
  f.clock.advance(2s);
  const auto t_b = f.clock.now();
  const auto b = put(*stream, "k", "b").sequence_number;
  put(*stream, "k", "c");

  CHECK(datas(read_all(*stream, 0, start(*stream, ShardIteratorType::kTrimHorizon))) ==
        std::vector<std::string>{"a", "b", "c"});
  CHECK(read_all(*stream, 0, start(*stream, ShardIteratorType::kLatest)).records.empty());
  CHECK(datas(read_all(*stream, 0, start(*stream, ShardIteratorType::kAtSequenceNumber, b))) ==
        std::vector<std::string>{"b", "c"});
  CHECK(datas(read_all(*stream, 0, start(*stream, ShardIteratorType::kAfterSequenceNumber, a))) ==
        std::vector<std::string>{"b", "c"});
  CHECK(datas(read_all(*stream, 0, start(*stream, ShardIteratorType::kAtTimestamp, {}, t_b))) ==
        std::vector<std::string>{"b", "c"});

  auto other = f.create(2, "other");
  const auto foreign = put(*other, "", "x").sequence_number;  // shard 1 of another stream
  CHECK(stream->start_position("shardId-000000000000", {ShardIteratorType::kAtSequenceNumber, foreign, {}})
            .status()
            .code() == Status::Code::kInvalidArgument);
  CHECK(stream->start_position("shardId-000000000007", {}).status().code() == Status::Code::kNotFound);
}

TEST_CASE("a read's continuation resumes exactly after it with AFTER_SEQUENCE_NUMBER, even when empty") {
  StreamFixture f;
  auto stream = f.create(1);
  // Nothing yet: the continuation is the shard's starting number.
  auto empty = read_all(*stream, 0, start(*stream, ShardIteratorType::kTrimHorizon));
  CHECK(empty.records.empty());
  CHECK(empty.continuation == stream->shards()[0].starting_sequence_number);
  put(*stream, "k", "a");
  CHECK(datas(read_all(*stream, 0, start(*stream, ShardIteratorType::kAfterSequenceNumber, empty.continuation))) ==
        std::vector<std::string>{"a"});

  put(*stream, "k", "b");
  auto first = read_all(*stream, 0, start(*stream, ShardIteratorType::kTrimHorizon));
  CHECK(datas(first) == std::vector<std::string>{"a", "b"});
  CHECK(first.continuation == first.records.back().sequence_number);
  // Caught up: an empty read still says where it stands.
  auto idle = read_all(*stream, 0, first.next_counter);
  CHECK(idle.records.empty());
  CHECK(idle.continuation == first.continuation);
  CHECK(idle.millis_behind_latest == 0);
  put(*stream, "k", "c");
  CHECK(datas(read_all(*stream, 0, start(*stream, ShardIteratorType::kAfterSequenceNumber, idle.continuation))) ==
        std::vector<std::string>{"c"});
  // A LATEST position's continuation is the newest record's number.
  auto latest = read_all(*stream, 0, start(*stream, ShardIteratorType::kLatest));
  CHECK(decode_sequence_number(latest.continuation)->counter == 3);
}

TEST_CASE("read_shard: byte limit, MillisBehindLatest, no GetRecords throttle") {
  StreamRegistryOptions o;
  o.limits.throughput.enabled = true;
  StreamFixture f(o);
  auto stream = f.create(1);
  for (int i = 0; i < 10; ++i) put(*stream, "k", std::string(100, static_cast<char>('a' + i)));
  f.clock.advance(1500ms);
  auto first = stream->read_shard(0, 0, 250);  // each record is 101 bytes
  REQUIRE(first.ok());
  CHECK(first->records.size() == 2);
  CHECK(first->bytes == 202);
  CHECK(first->millis_behind_latest == 1500);
  // Way past GetRecords' 5 calls per second: subscriptions have their own budget.
  std::uint64_t at = first->next_counter;
  for (int i = 0; i < 8; ++i) {
    auto r = stream->read_shard(0, at, 101);
    REQUIRE(r.ok());
    CHECK(r->records.size() == 1);
    at = r->next_counter;
  }
  auto last = stream->read_shard(0, at, 1);  // at least one record
  REQUIRE(last.ok());
  CHECK(last->records.size() == 0);
}

TEST_CASE("records trimmed by retention are skipped, so the position moves on") {
  StreamFixture f;
  auto stream = f.create(1);
  put(*stream, "k", "old");
  auto position = read_all(*stream, 0, 0).next_counter;  // 2
  put(*stream, "k", "trimmed");
  f.clock.advance(25h);
  auto read = read_all(*stream, 0, position);
  CHECK(read.records.empty());
  CHECK(read.next_counter == 3);
  // Nothing new for a reader there: a watcher waits.
  std::atomic<int> woken{0};
  CHECK(stream->watch_shard(0, read.next_counter, [&] { ++woken; }) != 0);
  CHECK(woken == 0);
}

TEST_CASE("a closed shard read to its end names its children; a watcher there fires at once") {
  StreamFixture f;
  auto stream = f.create(1);
  put(*stream, "k", "before");
  REQUIRE(stream->split_shard("shardId-000000000000", HashKey{1} << 127, 10).is_ok());
  auto read = read_all(*stream, 0, 0);
  CHECK(datas(read) == std::vector<std::string>{"before"});
  CHECK(read.end_of_shard);
  REQUIRE(read.child_shards.size() == 2);
  CHECK(read.child_shards[0].shard_id == "shardId-000000000001");
  CHECK(read.child_shards[0].parent_shards == std::vector<std::string>{"shardId-000000000000"});
  int woken = 0;
  CHECK(stream->watch_shard(0, read.next_counter, [&] { ++woken; }) == 0);
  CHECK(woken == 1);
}

TEST_CASE("a shard watcher fires once, after the lock, for a put on its shard only") {
  StreamFixture f;
  auto stream = f.create(2);
  std::atomic<int> zero{0};
  std::atomic<int> one{0};
  const auto w0 = stream->watch_shard(0, 0, [&] {
    // Outside the stream's lock: reading the stream here must not deadlock.
    (void)stream->shards();
    ++zero;
  });
  CHECK(w0 != 0);
  CHECK(stream->watch_shard(1, 0, [&] { ++one; }) != 0);
  put(*stream, "a", "x");  // MD5("a") is in shard 0
  CHECK(zero == 1);
  CHECK(one == 0);
  put(*stream, "a", "y");
  CHECK(zero == 1);  // one-shot
  // Already news for a reader at 0: fires at once, registers nothing.
  CHECK(stream->watch_shard(0, 0, [&] { ++zero; }) == 0);
  CHECK(zero == 2);
  // PutRecords wakes too; an unwatched watcher never fires.
  const auto w1 = stream->watch_shard(1, 0, [&] { one += 10; });
  stream->unwatch_shard(1, w1);
  const auto w2 = stream->watch_shard(1, 0, [&] { ++one; });
  CHECK(w2 != 0);
  REQUIRE(stream->put_records({{"", std::nullopt, "z", std::nullopt}}).ok());  // MD5("") is in shard 1
  CHECK(one == 2);                                                             // the first watcher of shard 1 and w2
}

TEST_CASE("resharding, deregistering a consumer and deleting the stream wake every watcher") {
  StreamFixture f;
  auto stream = f.create(2);
  REQUIRE(stream->register_consumer("app").ok());
  int woken = 0;
  auto watch_both = [&] {
    REQUIRE(stream->watch_shard(0, 1, [&] { ++woken; }) != 0);
    REQUIRE(stream->watch_shard(1, 1, [&] { ++woken; }) != 0);
  };
  watch_both();
  REQUIRE(stream->deregister_consumer("app").is_ok());
  CHECK(woken == 2);
  watch_both();
  REQUIRE(stream->merge_shards("shardId-000000000000", "shardId-000000000001").is_ok());
  CHECK(woken == 4);
  REQUIRE(stream->watch_shard(2, 1, [&] { ++woken; }) != 0);
  REQUIRE(f.registry.remove(StreamFixture::key(), true).is_ok());
  CHECK(woken == 5);
}

TEST_CASE("a second subscription within 5 seconds is refused; a later one takes over") {
  SubscriptionRegistry registry;
  auto first = registry.acquire(key_for(), TimePoint(10s));
  REQUIRE(first.ok());
  CHECK(registry.active() == 1);
  int taken = 0;
  (*first)->set_waker([&] { ++taken; });

  auto early = registry.acquire(key_for(), TimePoint(14999ms));
  CHECK(early.status().code() == Status::Code::kResourceInUse);
  // Another shard, or the same name registered again (another ARN), is free.
  CHECK(registry.acquire(key_for(1), TimePoint(11s)).ok());
  auto again = key_for();
  again.consumer_created = TimePoint(2000ms);
  CHECK(registry.acquire(again, TimePoint(11s)).ok());
  CHECK(registry.active() == 1);  // both leases above were dropped at once

  auto second = registry.acquire(key_for(), TimePoint(15s));
  REQUIRE(second.ok());
  CHECK(taken == 1);
  CHECK((*first)->taken_over());
  CHECK(!(*second)->taken_over());
  (*first)->release();  // no longer its slot: the new one stays
  CHECK(registry.active() == 1);
  (*second)->release();
  CHECK(registry.active() == 0);
  CHECK(registry.acquire(key_for(), TimePoint(15s)).ok());
}

TEST_CASE("a lease frees its slot when dropped, and may outlive the registry") {
  std::shared_ptr<SubscriptionRegistry::Lease> kept;
  {
    SubscriptionRegistry registry;
    {
      auto lease = registry.acquire(key_for(), TimePoint(0s));
      REQUIRE(lease.ok());
    }
    CHECK(registry.active() == 0);
    kept = *registry.acquire(key_for(), TimePoint(0s));
  }
  kept->release();
  CHECK(kept->budget() == nullptr);  // limits off
}

TEST_CASE("list names each held lease with its start, in key order; a released one is gone") {
  SubscriptionRegistry registry;
  CHECK(registry.list().empty());
  auto second = *registry.acquire(key_for(1), TimePoint(20s));
  auto first = *registry.acquire(key_for(0), TimePoint(30s));
  auto held = registry.list();
  REQUIRE(held.size() == 2);
  CHECK(held[0].key == key_for(0));
  CHECK(held[0].started == TimePoint(30s));
  CHECK(held[1].key == key_for(1));
  CHECK(held[1].started == TimePoint(20s));
  second->release();
  held = registry.list();
  REQUIRE(held.size() == 1);
  CHECK(held[0].key.shard == 0);
}

TEST_CASE("a subscription's budget is 2 MiB/s and says when it has credit again") {
  ThroughputLimits limits;
  limits.enabled = true;
  SubscriptionRegistry registry(limits);
  auto lease = *registry.acquire(key_for(), TimePoint(0s));
  auto* budget = lease->budget();
  REQUIRE(budget != nullptr);
  CHECK(budget->has_credit(TimePoint(0s)));
  CHECK(budget->time_to_credit(TimePoint(0s)) == 0ms);
  budget->take(3 << 20);  // a 3 MiB read overdraws a full second by 1 MiB
  CHECK(!budget->has_credit(TimePoint(0s)));
  CHECK(budget->time_to_credit(TimePoint(0s)) == 501ms);
  CHECK(!budget->has_credit(TimePoint(500ms)));
  CHECK(budget->has_credit(TimePoint(501ms)));
}

}  // namespace shoal::storage
