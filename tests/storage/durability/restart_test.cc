// Restart equivalence: engines replayed from the log of other engines hold
// the same state (their snapshots are byte for byte equal) and behave the
// same: receipt handles and shard iterators issued before the restart work
// after it, in-flight messages come back at their deadline, FIFO order,
// deduplication and sequence numbers carry on. Compaction: a snapshot plus
// the log suffix appended while it ran (overlapping it) replays to the same
// state. All on a manual clock.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "storage/durability/change_codec.h"
#include "storage/durability/durable_store.h"
#include "tests/storage/durability/memory_journal.h"

namespace shoal::storage::testing {
namespace {

using namespace std::chrono_literals;

const QueueKey kStd{"123456789012", "us-east-1", "jobs"};
const QueueKey kFifo{"123456789012", "us-east-1", "jobs.fifo"};
const StreamKey kStream{"123456789012", "us-east-1", "clicks"};

StreamRegistryOptions stream_options() {
  StreamRegistryOptions o;
  o.iterator_key = "a persisted key";
  o.delays.update = 2s;
  return o;
}

// One process's engines on the shared manual clock.
struct Engines {
  explicit Engines(const Clock& base) : clock(base), queues(clock), streams(clock, stream_options()) {}
  durability::ReplayClock clock;
  QueueRegistry queues;
  StreamRegistry streams;

  // Applies due time-driven transitions everywhere, so lazily kept state
  // compares equal.
  void settle() {
    for (const auto& q : queues.list(kStd.account, kStd.region, "")) (void)q->counts();
    for (const auto& s : streams.list(kStream.account, kStream.region)) (void)s->describe();
  }

  std::vector<std::string> snapshot() {
    settle();
    std::vector<std::string> out;
    queues.snapshot([&](const QueueChange& c) { out.push_back(durability::encode_change(c)); });
    streams.snapshot([&](const StreamChange& c) { out.push_back(durability::encode_change(c)); });
    return out;
  }
};

// A running process: engines whose changes go to `disk`.
struct Process {
  Process(const Clock& base, Disk& disk) : engines(base) {
    replay(disk.records, engines.queues, engines.streams, &engines.clock);
    store = std::make_unique<durability::DurableStore>(std::make_unique<MemoryJournal>(disk),
                                                        durability::DurableOptions{}, engines.queues,
                                                        engines.streams, false);
  }
  Engines engines;
  std::unique_ptr<durability::DurableStore> store;
};

NewMessage msg(const std::string& body, const std::string& group = {}, const std::string& dedup = {},
               std::optional<std::chrono::seconds> delay = std::nullopt) {
  NewMessage m;
  m.body = body;
  m.md5_of_body = "md5-" + body;
  m.group_id = group;
  m.deduplication_id = dedup;
  m.delay = delay;
  m.attributes["a"] = {"String", body, ""};
  return m;
}

std::vector<std::string> bodies(const std::vector<ReceivedMessage>& received) {
  std::vector<std::string> out;
  for (const auto& r : received) out.push_back(std::string(r.message->body()));
  return out;
}

QueueAttributes fifo_attributes() {
  QueueAttributes a;
  a.fifo = true;
  a.deduplication_scope = "queue";
  return a;
}

// Drives a mix of every queue operation; returns a receipt handle still live.
std::string drive_queues(QueueRegistry& queues, ManualClock& clock) {
  auto q = queues.create(kStd, {}, {{"team", "a"}}).queue;
  auto f = queues.create(kFifo, fifo_attributes(), {}).queue;
  auto gone = queues.create({"123456789012", "us-east-1", "gone"}, {}, {}).queue;
  (void)gone->send(msg("lost"));
  REQUIRE(queues.remove(gone->key()));
  for (int i = 0; i < 6; ++i) (void)q->send(msg("m" + std::to_string(i)));
  (void)q->send(msg("late", {}, {}, 40s));
  clock.advance(1s);
  auto got = q->receive(3, 30s);
  REQUIRE(got.size() == 3);
  REQUIRE(q->delete_message(got[0].receipt_handle));
  REQUIRE(q->change_visibility(got[1].receipt_handle, 0s));
  REQUIRE(q->change_visibility(got[2].receipt_handle, 100s));
  q->tag({{"env", "test"}});
  q->untag({"team"});
  auto attrs = q->attributes();
  attrs.visibility_timeout = 45s;
  q->set_attributes(attrs);
  clock.advance(2s);
  (void)q->receive(1, std::nullopt);  // m1 again, receive count 2

  (void)f->send(msg("a1", "A", "d1"));
  (void)f->send(msg("a2", "A", "d2"));
  (void)f->send(msg("b1", "B", "d3"));
  (void)f->send(msg("a1 again", "A", "d1"));  // deduplicated
  auto head = f->receive(10, 20s);
  REQUIRE(bodies(head) == std::vector<std::string>{"a1", "a2", "b1"});
  REQUIRE(f->delete_message(head[0].receipt_handle));
  REQUIRE(f->change_visibility(head[1].receipt_handle, 0s));
  return got[2].receipt_handle;
}

void drive_streams(StreamRegistry& streams, ManualClock& clock) {
  StreamConfig config;
  config.shard_count = 2;
  auto s = *streams.create(kStream, config);
  for (int i = 0; i < 20; ++i) {
    REQUIRE(s->put_record({"pk" + std::to_string(i), std::nullopt, "data" + std::to_string(i), std::nullopt}));
  }
  REQUIRE(s->put_records({{"x", std::nullopt, "batch1", std::nullopt}, {"y", std::nullopt, "batch2", std::nullopt}}));
  REQUIRE(s->add_tags({{"team", "data"}}));
  REQUIRE(s->register_consumer("reader"));
  clock.advance(1s);
  REQUIRE(streams.split_shard(kStream, "shardId-000000000000", HashKey{1} << 100));
  clock.advance(3s);  // the split lands
  REQUIRE(s->put_record({"after split", std::nullopt, "z", std::nullopt}));
  REQUIRE(s->increase_retention(48));
  clock.advance(3s);
  REQUIRE(s->start_encryption("alias/aws/kinesis"));
  clock.advance(3s);
  REQUIRE(s->enable_monitoring({"IncomingBytes"}));
  REQUIRE(s->put_record({"encrypted", std::nullopt, "e", std::nullopt}));
  streams.put_resource_policy("arn:aws:kinesis:us-east-1:123456789012:stream/clicks", "{\"Version\":1}");
  auto other = *streams.create({kStream.account, kStream.region, "temp"}, config);
  REQUIRE(streams.remove(other->key(), false));
}

}  // namespace

TEST_CASE("queues replayed from the log equal the originals and keep working") {
  ManualClock clock;
  Disk disk;
  std::string handle;
  std::vector<std::string> before;
  {
    Process p(clock, disk);
    handle = drive_queues(p.engines.queues, clock);
    before = p.engines.snapshot();
  }
  Process restarted(clock, disk);
  CHECK(restarted.engines.snapshot() == before);

  auto q = restarted.engines.queues.find(kStd);
  REQUIRE(q);
  CHECK(restarted.engines.queues.find({"123456789012", "us-east-1", "gone"}) == nullptr);
  CHECK(q->tags() == std::map<std::string, std::string>{{"env", "test"}});
  CHECK(q->attributes().visibility_timeout == 45s);
  // A handle issued before the restart still changes and deletes its message.
  CHECK(q->change_visibility(handle, 5s));
  CHECK(q->delete_message(handle));

  // FIFO: b1 in flight still holds B; A's a2 (made visible) is next; the
  // deduplication window still answers d1's first send.
  auto f = restarted.engines.queues.find(kFifo);
  REQUIRE(f);
  auto first = f->send(msg("dup", "A", "d1"));
  auto again = f->receive(10, 20s);
  CHECK(bodies(again) == std::vector<std::string>{"a2"});
  auto fresh = f->send(msg("a3", "A", "d9"));
  CHECK(fresh.sequence_number > first.sequence_number);
}

TEST_CASE("a message in flight at the crash becomes visible at its deadline, not before") {
  ManualClock clock;
  Disk disk;
  {
    Process p(clock, disk);
    auto q = p.engines.queues.create(kStd, {}, {}).queue;
    (void)q->send(msg("job"));
    (void)q->send(msg("delayed", {}, {}, 60s));
    REQUIRE(q->receive(1, 30s).size() == 1);
  }  // killed
  clock.advance(10s);
  Process restarted(clock, disk);
  auto q = restarted.engines.queues.find(kStd);
  REQUIRE(q);
  CHECK(q->receive(10, 30s).empty());
  CHECK(q->counts().in_flight == 1);
  CHECK(q->counts().delayed == 1);
  clock.advance(19s);
  CHECK(q->receive(10, 30s).empty());
  clock.advance(1s);
  auto back = q->receive(10, 300s);
  REQUIRE(back.size() == 1);
  CHECK(back[0].message->body() == "job");
  CHECK(back[0].receive_count == 2);
  clock.advance(30s);
  CHECK(bodies(q->receive(10, 30s)) == std::vector<std::string>{"delayed"});
}

TEST_CASE("purged and deleted messages stay gone after a restart") {
  ManualClock clock;
  Disk disk;
  {
    Process p(clock, disk);
    auto q = p.engines.queues.create(kStd, {}, {}).queue;
    (void)q->send(msg("a"));
    auto got = q->receive(1, 0s);
    REQUIRE(q->delete_message(got[0].receipt_handle));
    (void)q->send(msg("b"));
    REQUIRE(q->purge());
    (void)q->send(msg("c"));
  }
  Process restarted(clock, disk);
  auto q = restarted.engines.queues.find(kStd);
  REQUIRE(q);
  CHECK(bodies(q->receive(10, 30s)) == std::vector<std::string>{"c"});
  CHECK(q->purge().code() == Status::Code::kPurgeInProgress);
}

TEST_CASE("streams replayed from the log equal the originals; iterators and sequence numbers carry on") {
  ManualClock clock;
  Disk disk;
  std::vector<std::string> before;
  std::string iterator;
  std::string last_sequence;
  {
    Process p(clock, disk);
    drive_streams(p.engines.streams, clock);
    auto s = p.engines.streams.find(kStream);
    auto it = s->get_shard_iterator("shardId-000000000001", {ShardIteratorType::kTrimHorizon, {}, {}});
    REQUIRE(it);
    iterator = *it;
    auto put = s->put_record({"k", std::nullopt, "last", std::nullopt});
    REQUIRE(put);
    last_sequence = put->sequence_number;
    before = p.engines.snapshot();
  }
  clock.advance(1min);
  Process restarted(clock, disk);
  CHECK(restarted.engines.snapshot() == before);
  CHECK(restarted.engines.streams.find({kStream.account, kStream.region, "temp"}) == nullptr);
  CHECK(restarted.engines.streams.resource_policy("arn:aws:kinesis:us-east-1:123456789012:stream/clicks") ==
        "{\"Version\":1}");

  auto read = restarted.engines.streams.get_records(iterator, 10000);
  REQUIRE_MESSAGE(read.ok(), read.status().message());
  CHECK_FALSE(read->records.empty());

  auto s = restarted.engines.streams.find(kStream);
  auto put = s->put_record({"k", std::nullopt, "next", std::nullopt});
  REQUIRE(put);
  CHECK(put->sequence_number > last_sequence);
  CHECK(put->encryption == EncryptionType::kKms);
  CHECK(s->describe().shards.size() == 4);  // two, then one split into two
  REQUIRE(s->find_consumer("reader"));
}

TEST_CASE("a snapshot plus an overlapping log suffix replays to the same state") {
  ManualClock clock;
  Disk disk;
  Process p(clock, disk);
  (void)drive_queues(p.engines.queues, clock);
  drive_streams(p.engines.streams, clock);
  // The compaction "began" here: records from now on are kept after the
  // snapshot, which is taken later and so already contains them.
  const auto began = disk.records.size();
  auto q = p.engines.queues.find(kStd);
  (void)q->send(msg("during"));
  auto got = q->receive(10, 10s);
  REQUIRE_FALSE(got.empty());
  REQUIRE(q->delete_message(got.back().receipt_handle));
  auto s = p.engines.streams.find(kStream);
  REQUIRE(s->put_record({"during", std::nullopt, "d", std::nullopt}));
  REQUIRE(p.engines.streams.merge_shards(kStream, "shardId-000000000001", "shardId-000000000003"));
  auto created = p.engines.queues.create({"123456789012", "us-east-1", "born-during"}, {}, {});
  REQUIRE(p.engines.queues.remove(kFifo));
  const auto snapshot = p.engines.snapshot();
  std::vector<std::string> compacted = snapshot;
  compacted.insert(compacted.end(), disk.records.begin() + static_cast<std::ptrdiff_t>(began), disk.records.end());

  Engines restored(clock);
  replay(compacted, restored.queues, restored.streams, &restored.clock);
  CHECK(restored.snapshot() == p.engines.snapshot());
  CHECK(restored.queues.find({"123456789012", "us-east-1", "born-during"}));
  CHECK(restored.queues.find(kFifo) == nullptr);

  // And through the store's own compaction.
  std::string error;
  REQUIRE(p.store->compact(&error));
  Engines again(clock);
  replay(disk.records, again.queues, again.streams, &again.clock);
  CHECK(again.snapshot() == p.engines.snapshot());
}

TEST_CASE("the log holds only acknowledged changes: refused operations log nothing") {
  ManualClock clock;
  Disk disk;
  Process p(clock, disk);
  auto q = p.engines.queues.create(kStd, {}, {}).queue;
  const auto after_create = disk.records.size();
  CHECK(q->receive(10, 30s).empty());
  CHECK_FALSE(q->delete_message("garbage"));
  (void)p.engines.queues.create(kStd, {}, {});  // exists: untouched
  CHECK(disk.records.size() == after_create);
  CHECK(durability::DurableStore::take_thread_lsn() == after_create);
  CHECK(durability::DurableStore::take_thread_lsn() == 0);
}

TEST_CASE("UpdateShardCount's short-lived shards and consumer tags come back from the log and a snapshot") {
  ManualClock clock;
  Disk disk;
  std::vector<std::string> before;
  {
    Process p(clock, disk);
    StreamConfig config;
    config.shard_count = 4;
    auto s = *p.engines.streams.create(kStream, config);
    REQUIRE(s->put_record({"pk", std::nullopt, "before", std::nullopt}));
    REQUIRE(p.engines.streams.update_shard_count(kStream, 5));
    clock.advance(3s);  // the update lands: 15 shards
    REQUIRE(s->register_consumer("tagged", {{"team", "data"}}));
    REQUIRE(s->add_consumer_tags("tagged", {{"env", "test"}, {"tier", "1"}}));
    REQUIRE(s->remove_consumer_tags("tagged", {"tier"}));
    before = p.engines.snapshot();
  }
  clock.advance(1min);
  Process restarted(clock, disk);
  CHECK(restarted.engines.snapshot() == before);
  auto s = restarted.engines.streams.find(kStream);
  CHECK(s->describe().shards.size() == 15);
  CHECK(s->describe().open_shard_count == 5);
  const auto consumer = s->find_consumer("tagged");
  REQUIRE(consumer);
  CHECK(consumer->tags == std::map<std::string, std::string>{{"env", "test"}, {"team", "data"}});

  // From the snapshot alone too.
  Engines restored(clock);
  replay(before, restored.queues, restored.streams, &restored.clock);
  CHECK(restored.snapshot() == before);
  CHECK(restored.streams.find(kStream)->find_consumer("tagged")->tags.size() == 2);
}

}  // namespace shoal::storage::testing
