// Stream records: routing, sequence numbers per shard, every iterator type,
// GetRecords limits, MillisBehindLatest, record size and retention trimming.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/stream/sequence_number.h"
#include "tests/storage/stream/stream_test_util.h"

namespace shoal::storage {
namespace {

using testing::iterator;
using testing::put;
using testing::read;
using testing::StreamFixture;

std::vector<std::string> datas(const GetRecordsOutcome& out) {
  std::vector<std::string> v;
  for (const auto& r : out.records) v.push_back(r.data);
  return v;
}

}  // namespace

TEST_CASE("records go to the shard whose range holds MD5(partition key)") {
  StreamFixture f;
  auto stream = f.create(2);
  // MD5("a") < 2^127 <= MD5("") (see hash_key_test).
  CHECK(put(*stream, "a", "x").shard_id == "shardId-000000000000");
  CHECK(put(*stream, "", "x").shard_id == "shardId-000000000001");
}

TEST_CASE("an explicit hash key overrides the partition key, boundaries included") {
  StreamFixture f;
  auto stream = f.create(2);
  CHECK(put(*stream, "", "x", HashKey{0}).shard_id == "shardId-000000000000");
  CHECK(put(*stream, "", "x", kMaxHashKey).shard_id == "shardId-000000000001");
  const HashKey half = HashKey{1} << 127;
  CHECK(put(*stream, "a", "x", half - 1).shard_id == "shardId-000000000000");
  CHECK(put(*stream, "a", "x", half).shard_id == "shardId-000000000001");
}

TEST_CASE("sequence numbers increase strictly within a shard and name their shard") {
  StreamFixture f;
  auto stream = f.create(3);
  std::string previous;
  for (int i = 0; i < 50; ++i) {
    const auto out = put(*stream, "same key", std::to_string(i));
    CHECK(out.sequence_number.size() == 56);
    CHECK(out.sequence_number > previous);
    previous = out.sequence_number;
    if (i % 10 == 0) f.clock.advance(std::chrono::milliseconds(700));
  }
  const auto out = put(*stream, "same key", "last");
  const auto parts = decode_sequence_number(out.sequence_number);
  REQUIRE(parts);
  CHECK(shard_id_for_index(parts->shard_index) == out.shard_id);
  // Every record sorts after its shard's StartingSequenceNumber.
  for (const auto& shard : stream->shards()) {
    if (shard.shard_id == out.shard_id) CHECK(shard.starting_sequence_number < out.sequence_number);
  }
}

TEST_CASE("a sequence number of another shard is refused for AT_SEQUENCE_NUMBER") {
  StreamFixture f;
  auto stream = f.create(2);
  const auto in0 = put(*stream, "a", "x");
  const auto other = stream->get_shard_iterator("shardId-000000000001",
                                                {ShardIteratorType::kAtSequenceNumber, in0.sequence_number, {}});
  REQUIRE_FALSE(other.ok());
  CHECK(other.status().code() == Status::Code::kInvalidArgument);
  const auto garbage = stream->get_shard_iterator("shardId-000000000000",
                                                  {ShardIteratorType::kAfterSequenceNumber, "12345", {}});
  CHECK(garbage.status().code() == Status::Code::kInvalidArgument);
  const auto unknown = stream->get_shard_iterator("shardId-000000000007", {});
  CHECK(unknown.status().code() == Status::Code::kNotFound);
}

TEST_CASE("each iterator type starts where AWS says") {
  StreamFixture f;
  auto stream = f.create(1);
  const std::string shard = "shardId-000000000000";
  std::vector<PutRecordOutcome> puts;
  for (int i = 0; i < 5; ++i) {
    puts.push_back(put(*stream, "k", "r" + std::to_string(i)));
    f.clock.advance(std::chrono::seconds(1));
  }
  const TimePoint third = f.clock.now() - std::chrono::seconds(3);  // arrival of r2

  CHECK(datas(read(f.registry, iterator(*stream, shard))) == std::vector<std::string>{"r0", "r1", "r2", "r3", "r4"});
  CHECK(read(f.registry, iterator(*stream, shard, ShardIteratorType::kLatest)).records.empty());
  CHECK(datas(read(f.registry, iterator(*stream, shard, ShardIteratorType::kAtSequenceNumber,
                                        puts[3].sequence_number))) == std::vector<std::string>{"r3", "r4"});
  CHECK(datas(read(f.registry, iterator(*stream, shard, ShardIteratorType::kAfterSequenceNumber,
                                        puts[3].sequence_number))) == std::vector<std::string>{"r4"});
  CHECK(datas(read(f.registry, iterator(*stream, shard, ShardIteratorType::kAtTimestamp, {}, third))) ==
        std::vector<std::string>{"r2", "r3", "r4"});
  CHECK(datas(read(f.registry, iterator(*stream, shard, ShardIteratorType::kAtTimestamp, {},
                                        third - std::chrono::milliseconds(1)))) ==
        std::vector<std::string>{"r2", "r3", "r4"});
  CHECK(datas(read(f.registry, iterator(*stream, shard, ShardIteratorType::kAtTimestamp, {}, TimePoint{}))).size() == 5);
  // The shard's StartingSequenceNumber reads from the first record.
  CHECK(datas(read(f.registry, iterator(*stream, shard, ShardIteratorType::kAtSequenceNumber,
                                        stream->shards()[0].starting_sequence_number))).size() == 5);
}

TEST_CASE("LATEST sees only records put after the iterator was taken") {
  StreamFixture f;
  auto stream = f.create(1);
  put(*stream, "k", "old");
  const auto it = iterator(*stream, "shardId-000000000000", ShardIteratorType::kLatest);
  put(*stream, "k", "new");
  CHECK(datas(read(f.registry, it)) == std::vector<std::string>{"new"});
}

TEST_CASE("a reader following NextShardIterator gets each record once and waits at the tip") {
  StreamFixture f;
  auto stream = f.create(1);
  for (int i = 0; i < 7; ++i) put(*stream, "k", std::to_string(i));
  auto it = iterator(*stream, "shardId-000000000000");
  std::vector<std::string> seen;
  for (int round = 0; round < 5; ++round) {
    const auto out = read(f.registry, it, 3);
    for (const auto& r : out.records) seen.push_back(r.data);
    REQUIRE(out.next_shard_iterator);
    it = *out.next_shard_iterator;
  }
  CHECK(seen == std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6"});
  put(*stream, "k", "7");
  CHECK(datas(read(f.registry, it)) == std::vector<std::string>{"7"});
}

TEST_CASE("GetRecords returns at most limit records and at most 10 MiB") {
  StreamFixture f;
  auto stream = f.create(1);
  const std::string mib(1024 * 1024 - 1, 'x');  // plus a 1-byte partition key = 1 MiB
  for (int i = 0; i < 12; ++i) put(*stream, "k", mib);
  const auto it = iterator(*stream, "shardId-000000000000");
  CHECK(read(f.registry, it, 4).records.size() == 4);
  const auto capped = read(f.registry, it, 10000);
  CHECK(capped.records.size() == 10);
  REQUIRE(capped.next_shard_iterator);
  CHECK(read(f.registry, *capped.next_shard_iterator).records.size() == 2);
}

TEST_CASE("MillisBehindLatest is the age of the first unread record, 0 when caught up") {
  StreamFixture f;
  auto stream = f.create(1);
  put(*stream, "k", "a");
  f.clock.advance(std::chrono::seconds(10));
  put(*stream, "k", "b");
  f.clock.advance(std::chrono::seconds(5));
  const auto it = iterator(*stream, "shardId-000000000000");
  const auto first = read(f.registry, it, 1);
  CHECK(first.millis_behind_latest == 5000);
  CHECK(read(f.registry, *first.next_shard_iterator, 1).millis_behind_latest == 0);
}

TEST_CASE("records are stamped with a non-decreasing arrival time") {
  StreamFixture f;
  auto stream = f.create(1);
  put(*stream, "k", "a");
  const auto first_arrival = f.clock.now();
  f.clock.advance(std::chrono::seconds(-30));  // the wall clock stepped back
  put(*stream, "k", "b");
  const auto out = read(f.registry, iterator(*stream, "shardId-000000000000"));
  REQUIRE(out.records.size() == 2);
  CHECK(out.records[0].arrival == first_arrival);
  CHECK(out.records[1].arrival == first_arrival);
}

TEST_CASE("records over the stream's max record size are refused until it is raised") {
  StreamFixture f;
  auto stream = f.create(1);
  const std::string data(1024 * 1024, 'x');
  const auto too_big = stream->put_record({"k", std::nullopt, data, std::nullopt});
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.status().code() == Status::Code::kInvalidArgument);
  CHECK(too_big.status().message().find("1048577") != std::string::npos);
  CHECK(stream->update_max_record_size(1023).code() == Status::Code::kInvalidArgument);
  CHECK(stream->update_max_record_size(10241).code() == Status::Code::kInvalidArgument);
  REQUIRE(stream->update_max_record_size(2048).is_ok());
  CHECK(stream->describe().max_record_size_kib == 2048);
  CHECK(stream->put_record({"k", std::nullopt, data, std::nullopt}).ok());
}

TEST_CASE("PutRecords stores a batch in order or refuses it whole") {
  StreamFixture f;
  auto stream = f.create(2);
  auto ok = stream->put_records({{"a", std::nullopt, "1", std::nullopt}, {"", std::nullopt, "2", std::nullopt},
                                 {"a", std::nullopt, "3", std::nullopt}});
  REQUIRE(ok.ok());
  REQUIRE(ok->size() == 3);
  CHECK((*ok)[0].shard_id == "shardId-000000000000");
  CHECK((*ok)[1].shard_id == "shardId-000000000001");
  CHECK((*ok)[2].sequence_number > (*ok)[0].sequence_number);
  auto bad = stream->put_records({{"a", std::nullopt, "4", std::nullopt},
                                  {"a", std::nullopt, std::string(1024 * 1024 + 1, 'x'), std::nullopt}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().rfind("record 1: ", 0) == 0);
  CHECK(read(f.registry, iterator(*stream, "shardId-000000000000")).records.size() == 2);
}

TEST_CASE("SequenceNumberForOrdering must be a real sequence number; the new one is greater") {
  StreamFixture f;
  auto stream = f.create(1);
  const auto first = put(*stream, "k", "a");
  auto second = stream->put_record({"k", std::nullopt, "b", first.sequence_number});
  REQUIRE(second.ok());
  CHECK(second->sequence_number > first.sequence_number);
  auto bad = stream->put_record({"k", std::nullopt, "c", std::string("12345")});
  CHECK(bad.status().code() == Status::Code::kInvalidArgument);
  const auto future = encode_sequence_number({0, 0, 1, to_epoch_ms(f.clock.now()) / 1000 + 100});
  CHECK(stream->put_record({"k", std::nullopt, "c", future}).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("records older than the retention period are no longer returned") {
  StreamFixture f;
  auto stream = f.create(1);
  put(*stream, "k", "old");
  f.clock.advance(std::chrono::hours(2));
  put(*stream, "k", "young");
  f.clock.advance(std::chrono::hours(22) - std::chrono::minutes(1));  // "old" is 23 h 59 min old
  const auto it = iterator(*stream, "shardId-000000000000");
  CHECK(datas(read(f.registry, it)) == std::vector<std::string>{"old", "young"});
  f.clock.advance(std::chrono::minutes(2));  // 24 h 1 min: past retention
  CHECK(datas(read(f.registry, it)) == std::vector<std::string>{"young"});
  f.clock.advance(std::chrono::hours(1));  // "old" 25 h old, "young" 23 h
  CHECK(datas(read(f.registry, iterator(*stream, "shardId-000000000000"))) == std::vector<std::string>{"young"});
}

TEST_CASE("a longer retention keeps records that 24 hours would drop") {
  StreamFixture f;
  auto stream = f.create(1);
  REQUIRE(stream->increase_retention(48).is_ok());
  put(*stream, "k", "a");
  f.clock.advance(std::chrono::hours(30));
  CHECK(read(f.registry, iterator(*stream, "shardId-000000000000")).records.size() == 1);
  REQUIRE(stream->decrease_retention(24).is_ok());
  CHECK(read(f.registry, iterator(*stream, "shardId-000000000000")).records.empty());
}

TEST_CASE("retention changes stay within AWS's bounds and directions") {
  StreamFixture f;
  auto stream = f.create(1);
  CHECK(stream->decrease_retention(12).code() == Status::Code::kInvalidArgument);
  CHECK(stream->increase_retention(8761).code() == Status::Code::kInvalidArgument);
  REQUIRE(stream->increase_retention(100).is_ok());
  const auto shorter = stream->increase_retention(50);
  CHECK(shorter.code() == Status::Code::kInvalidArgument);
  CHECK(shorter.message().find("100") != std::string::npos);
  CHECK(stream->decrease_retention(200).code() == Status::Code::kInvalidArgument);
  CHECK(stream->retention_hours() == 100);
  CHECK(stream->increase_retention(100).is_ok());
}

TEST_CASE("records read back with partition key, data and arrival time intact") {
  StreamFixture f;
  auto stream = f.create(1);
  const std::string binary("\0\x01\xff zero", 8);
  const auto out = put(*stream, "pk-é", binary);
  const auto got = read(f.registry, iterator(*stream, "shardId-000000000000"));
  REQUIRE(got.records.size() == 1);
  CHECK(got.records[0].partition_key == "pk-é");
  CHECK(got.records[0].data == binary);
  CHECK(got.records[0].sequence_number == out.sequence_number);
  CHECK(got.records[0].arrival == f.clock.now());
}

}  // namespace shoal::storage
