// Per-shard throughput limits on a manual clock: the buckets themselves
// (1,000 records/s, 1 MiB/s written, 5 calls/s and 2 MiB/s read, overdrafts
// paid off at the rate), then through the stream engine: PutRecord and
// PutRecords fail only the records over their shard's limit, GetRecords past
// 5 calls a second is refused, advancing the clock lets calls through again,
// and nothing is throttled while the limits are off (the default).
#include <doctest/doctest.h>

#include <string>
#include <variant>
#include <vector>

#include "storage/stream/shard_throughput.h"
#include "tests/storage/stream/stream_test_util.h"

namespace shoal::storage {
namespace {

using namespace std::chrono_literals;
using testing::iterator;
using testing::StreamFixture;

constexpr std::int64_t kMiB = 1 << 20;

const TimePoint kT0{std::chrono::milliseconds(1'700'000'000'000)};

StreamRegistryOptions throttled() {
  StreamRegistryOptions o;
  o.limits.throughput.enabled = true;
  return o;
}

// A record of `bytes` bytes of data (partition key "k" adds one more) that
// lands on shard 0 of a 2-shard stream (MD5("a") < 2^127), or shard 1.
PutRecordInput record(std::size_t bytes, int shard = 0) {
  return {shard == 0 ? "a" : "", std::nullopt, std::string(bytes, 'x'), std::nullopt};
}

int throttled_count(const std::vector<PutRecordOutcome>& outcomes) {
  int n = 0;
  for (const auto& o : outcomes) n += o.throttled ? 1 : 0;
  return n;
}

struct RecordingObserver : StreamObserver {
  std::vector<std::size_t> puts;  // records per RecordsPut
  void on_change(const StreamChange& change) override {
    if (const auto* put = std::get_if<RecordsPut>(&change)) puts.push_back(put->records.size());
  }
};

}  // namespace

TEST_CASE("writes: 1,000 records a second per shard, refilled as the clock moves") {
  ShardThroughput shard{ThroughputLimits{}};
  for (int i = 0; i < 1000; ++i) REQUIRE(shard.admit_write(kT0, 1));
  CHECK_FALSE(shard.admit_write(kT0, 1));
  CHECK(shard.admit_write(kT0 + 1ms, 1));  // one record's worth per millisecond
  CHECK_FALSE(shard.admit_write(kT0 + 1ms, 1));
  int after_a_second = 0;
  while (shard.admit_write(kT0 + 1001ms, 1)) ++after_a_second;
  CHECK(after_a_second == 1000);  // full again, never more than a second's worth
}

TEST_CASE("writes: 1 MiB a second per shard; a refused record costs nothing") {
  ShardThroughput shard{ThroughputLimits{}};
  for (int i = 0; i < 512; ++i) REQUIRE(shard.admit_write(kT0, 2048));
  CHECK_FALSE(shard.admit_write(kT0, 2048));
  // 1 KiB refills per ms (1 MiB/s); the refusals took none of it.
  CHECK_FALSE(shard.admit_write(kT0 + 1ms, 2048));
  CHECK(shard.admit_write(kT0 + 2ms, 2048));
}

TEST_CASE("writes: a record over a second's worth passes a full bucket and its debt blocks the next") {
  ShardThroughput shard{ThroughputLimits{}};
  CHECK(shard.admit_write(kT0, 3 * kMiB));  // e.g. with UpdateMaxRecordSize
  CHECK_FALSE(shard.admit_write(kT0 + 2000ms, 1));  // 2 MiB owed at 1 MiB/s
  CHECK(shard.admit_write(kT0 + 2001ms, 1));
}

TEST_CASE("reads: 5 calls a second per shard, and bytes read are paid off at 2 MiB/s") {
  ShardThroughput shard{ThroughputLimits{}};
  for (int i = 0; i < 5; ++i) REQUIRE(shard.admit_read(kT0));
  CHECK_FALSE(shard.admit_read(kT0));
  CHECK_FALSE(shard.admit_read(kT0 + 199ms));
  CHECK(shard.admit_read(kT0 + 200ms));

  ShardThroughput big{ThroughputLimits{}};
  REQUIRE(big.admit_read(kT0));
  big.charge_read(10 * kMiB);  // one GetRecords may return 10 MiB
  CHECK_FALSE(big.admit_read(kT0 + 4000ms));  // 8 MiB owed
  CHECK(big.admit_read(kT0 + 4001ms));
}

TEST_CASE("the stream engine throttles PutRecords record by record, per shard") {
  StreamFixture f(throttled());
  auto stream = f.create(2);
  RecordingObserver observer;
  f.registry.set_observer(&observer);

  std::vector<PutRecordInput> batch(500, record(10));
  for (int call = 0; call < 2; ++call) {
    auto out = stream->put_records(batch);
    REQUIRE(out.ok());
    CHECK(throttled_count(*out) == 0);
  }
  // Shard 0 has taken its 1,000 records this second; shard 1 has room.
  batch.resize(10);
  batch.push_back(record(10, 1));
  auto out = stream->put_records(batch);
  REQUIRE(out.ok());
  CHECK(throttled_count(*out) == 10);
  CHECK(out->front().shard_id == "shardId-000000000000");
  CHECK(out->front().sequence_number.empty());
  CHECK_FALSE(out->back().throttled);
  CHECK(out->back().shard_id == "shardId-000000000001");
  CHECK_FALSE(out->back().sequence_number.empty());
  // Only what was written is logged; a call refused whole logs nothing.
  CHECK(observer.puts == std::vector<std::size_t>{500, 500, 1});
  auto single = stream->put_record(record(10));
  REQUIRE(single.ok());
  CHECK(single->throttled);
  CHECK(observer.puts.size() == 3);

  f.clock.advance(1s);
  auto again = stream->put_records(std::vector<PutRecordInput>(500, record(10)));
  REQUIRE(again.ok());
  CHECK(throttled_count(*again) == 0);
  CHECK(observer.puts.back() == 500);
  f.registry.set_observer(nullptr);
}

TEST_CASE("the stream engine refuses a sixth GetRecords a second on a shard; the iterator stays good") {
  StreamFixture f(throttled());
  auto stream = f.create(2);
  const auto it = iterator(*stream, "shardId-000000000000");
  for (int i = 0; i < 5; ++i) REQUIRE(f.registry.get_records(it, 10).ok());
  auto sixth = f.registry.get_records(it, 10);
  REQUIRE_FALSE(sixth.ok());
  CHECK(sixth.status().code() == Status::Code::kThrottled);
  // Another shard has its own limit.
  CHECK(f.registry.get_records(iterator(*stream, "shardId-000000000001"), 10).ok());
  f.clock.advance(200ms);
  CHECK(f.registry.get_records(it, 10).ok());
}

TEST_CASE("without throughput limits nothing is throttled") {
  StreamFixture f;
  auto stream = f.create(1);
  for (int call = 0; call < 10; ++call) {
    auto out = stream->put_records(std::vector<PutRecordInput>(500, record(2000)));
    REQUIRE(out.ok());
    CHECK(throttled_count(*out) == 0);
  }
  const auto it = iterator(*stream, "shardId-000000000000");
  for (int i = 0; i < 20; ++i) CHECK(f.registry.get_records(it, 10).ok());
}

}  // namespace shoal::storage
