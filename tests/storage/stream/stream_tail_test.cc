// Stream::newest_records (the console's live tail) and the per-shard figures
// of shard_positions: newest first across shards, data cut to a prefix with
// its full size kept, bytes and records put kept as records come and go.
#include <doctest/doctest.h>

#include <string>

#include "tests/storage/stream/stream_test_util.h"

namespace shoal::storage {
namespace {

using namespace std::chrono_literals;
using testing::put;
using testing::StreamFixture;

}  // namespace

TEST_CASE("the tail is the newest records across shards, newest first") {
  StreamFixture f;
  auto stream = f.create(2);
  put(*stream, "a", "first");  // MD5("a") is in shard 0, MD5("") in shard 1
  f.clock.advance(5ms);
  put(*stream, "", "second");
  f.clock.advance(5ms);
  put(*stream, "a", "third");
  auto tail = stream->newest_records(10, 100);
  REQUIRE(tail.size() == 3);
  CHECK(tail[0].data == "third");
  CHECK(tail[0].shard_id == "shardId-000000000000");
  CHECK(tail[1].data == "second");
  CHECK(tail[1].shard_id == "shardId-000000000001");
  CHECK(tail[1].partition_key.empty());
  CHECK(tail[2].data == "first");
  CHECK(tail[2].arrival + 10ms == f.clock.now());
  CHECK(tail[0].sequence_number > tail[2].sequence_number);

  auto two = stream->newest_records(2, 100);
  REQUIRE(two.size() == 2);
  CHECK(two[1].data == "second");
}

TEST_CASE("the tail cuts data to a prefix and keeps its size") {
  StreamFixture f;
  auto stream = f.create(1);
  put(*stream, "k", std::string(5000, 'x'));
  auto tail = stream->newest_records(1, 16);
  REQUIRE(tail.size() == 1);
  CHECK(tail[0].data == std::string(16, 'x'));
  CHECK(tail[0].data_size == 5000);
  CHECK(stream->newest_records(0, 16).empty());
}

TEST_CASE("shard positions count bytes and records put as records come and go") {
  StreamFixture f;
  auto stream = f.create(1);
  put(*stream, "key", "12345");
  put(*stream, "k", "1");
  auto p = stream->shard_positions();
  REQUIRE(p.size() == 1);
  CHECK(p[0].records == 2);
  CHECK(p[0].bytes == 3 + 5 + 1 + 1);
  CHECK(p[0].records_put == 2);
  f.clock.advance(std::chrono::hours(25));  // past the 24-hour retention
  put(*stream, "z", "zz");
  p = stream->shard_positions();
  CHECK(p[0].records == 1);
  CHECK(p[0].bytes == 3);
  CHECK(p[0].records_put == 3);
}

}  // namespace shoal::storage
