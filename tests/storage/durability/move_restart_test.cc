// Restarts around cross-queue moves: a message a receive moved to its
// dead-letter queue, or a message move task moved back, is after a restart
// (replay, or a compacted log) in the queue it was moved to, exactly once,
// with its MessageId, body, receive count and dead-letter source; move tasks
// keep their state and progress and carry on without moving anything twice;
// a control reset (registry clear) brings nothing back. All on a manual clock.
#include <doctest/doctest.h>

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

QueueKey key_of(std::string name) { return QueueKey{"123456789012", "us-east-1", std::move(name)}; }

struct Engines {
  explicit Engines(const Clock& base) : clock(base), queues(clock), streams(clock, {}) {}
  durability::ReplayClock clock;
  QueueRegistry queues;
  StreamRegistry streams;

  std::vector<std::string> snapshot() {
    for (const auto& q : queues.all()) (void)q->counts();  // applies due transitions
    std::vector<std::string> out;
    queues.snapshot([&](const QueueChange& c) { out.push_back(durability::encode_change(c)); });
    streams.snapshot([&](const StreamChange& c) { out.push_back(durability::encode_change(c)); });
    return out;
  }
};

// A running process whose changes go to `disk` (replayed from it first).
struct Process {
  Process(const Clock& base, Disk& disk) : engines(base) {
    replay(disk.records, engines.queues, engines.streams, &engines.clock);
    store = std::make_unique<durability::DurableStore>(std::make_unique<MemoryJournal>(disk),
                                                        durability::DurableOptions{}, engines.queues,
                                                        engines.streams, false);
  }
  std::shared_ptr<Queue> queue(const std::string& name) { return engines.queues.find(key_of(name)); }
  Engines engines;
  std::unique_ptr<durability::DurableStore> store;
};

NewMessage msg(const std::string& body, const std::string& group = {}) {
  NewMessage m;
  m.body = body;
  m.md5_of_body = "md5-" + body;
  m.group_id = group;
  m.deduplication_id = group.empty() ? "" : "dedup-" + body;
  m.attributes["a"] = {"String", body, ""};
  return m;
}

// Body -> how many times it is in the queue (peek: nothing is received).
std::map<std::string, int> contents(Queue& q) {
  std::map<std::string, int> out;
  for (const auto& p : q.peek()) ++out[std::string(p.message->body())];
  return out;
}

// source --(maxReceiveCount 2)--> dlq, and a plain queue `elsewhere`.
void create_queues(QueueRegistry& queues, bool fifo = false) {
  const std::string suffix = fifo ? ".fifo" : "";
  QueueAttributes dlq_attributes;
  dlq_attributes.fifo = fifo;
  (void)queues.create(key_of("dlq" + suffix), dlq_attributes, {});
  (void)queues.create(key_of("elsewhere" + suffix), dlq_attributes, {});
  QueueAttributes source = dlq_attributes;
  source.dead_letter = DeadLetterTarget{key_of("dlq" + suffix), 2};
  (void)queues.create(key_of("source" + suffix), source, {});
}

// Sends the bodies to source and receives everything three times with
// visibility 0: the third receive moves every message to the DLQ.
void drive_to_dlq(QueueRegistry& queues, Queue& source, const std::vector<std::string>& body_list,
                  const std::string& group = {}) {
  for (const auto& b : body_list) (void)source.send(msg(b, group));
  for (int round = 0; round < 2; ++round) {
    CHECK(queues.receive(source, 10, 0s).size() == body_list.size());
  }
  CHECK(queues.receive(source, 10, 0s).empty());  // all moved
}

}  // namespace

TEST_CASE("a message a receive moved to its DLQ is there once after a restart, as it was") {
  ManualClock clock;
  Disk disk;
  std::vector<std::string> before;
  std::string message_id;
  {
    Process p(clock, disk);
    create_queues(p.engines.queues);
    drive_to_dlq(p.engines.queues, *p.queue("source"), {"a", "b"});
    (void)p.queue("source")->send(msg("stays"));
    auto peeked = p.queue("dlq")->peek();
    REQUIRE(peeked.size() == 2);
    message_id = peeked[0].message->message_id();
    before = p.engines.snapshot();
  }  // killed
  Process restarted(clock, disk);
  CHECK(restarted.engines.snapshot() == before);
  CHECK(contents(*restarted.queue("source")) == std::map<std::string, int>{{"stays", 1}});
  CHECK(contents(*restarted.queue("dlq")) == std::map<std::string, int>{{"a", 1}, {"b", 1}});
  const auto moved = restarted.queue("dlq")->peek();
  CHECK(moved[0].message->message_id() == message_id);
  CHECK(moved[0].receive_count == 2);
  REQUIRE(moved[0].message->dead_letter_source());
  CHECK(*moved[0].message->dead_letter_source() == key_of("source"));
  // The receives that did deliver were logged too: a receive now counts on.
  auto again = restarted.engines.queues.receive(*restarted.queue("source"), 10, 0s);
  REQUIRE(again.size() == 1);
  CHECK(again[0].receive_count == 1);
}

TEST_CASE("FIFO: a dead-letter move survives a restart with the DLQ's own sequence numbers") {
  ManualClock clock;
  Disk disk;
  std::vector<std::string> before;
  {
    Process p(clock, disk);
    create_queues(p.engines.queues, true);
    drive_to_dlq(p.engines.queues, *p.queue("source.fifo"), {"f1", "f2"}, "g");
    before = p.engines.snapshot();
  }
  Process restarted(clock, disk);
  CHECK(restarted.engines.snapshot() == before);
  CHECK(restarted.queue("source.fifo")->peek().empty());
  auto dlq = restarted.queue("dlq.fifo");
  auto first = dlq->receive(10, 30s);
  REQUIRE(first.size() == 2);
  CHECK(first[0].message->body() == "f1");
  CHECK(first[1].message->body() == "f2");
  // A send after the restart numbers on past the moved messages.
  const auto sent = dlq->send(msg("f3", "g"));
  CHECK(sent.sequence_number > first[1].message->sequence_number());
}

TEST_CASE("a move task's moves and state survive a restart; it carries on without moving twice") {
  ManualClock clock;
  Disk disk;
  std::string task_id;
  {
    Process p(clock, disk);
    create_queues(p.engines.queues);
    drive_to_dlq(p.engines.queues, *p.queue("source"), {"m0", "m1", "m2", "m3", "m4"});
    // One message per second, to each message's source queue.
    auto started = p.engines.queues.move_tasks().start(key_of("dlq"), std::nullopt, 1);
    REQUIRE(started.status);
    task_id = started.task.id;
    clock.advance(2s);
    p.engines.queues.move_tasks().catch_up();  // 3 moved by now
    CHECK(p.queue("source")->peek().size() == 3);
  }  // killed
  {
    Process restarted(clock, disk);
    auto tasks = restarted.engines.queues.move_tasks().list(key_of("dlq"), 10);
    REQUIRE(tasks.size() == 1);
    CHECK(tasks[0].id == task_id);
    CHECK(tasks[0].status == MoveTaskStatus::kRunning);
    CHECK(tasks[0].moved == 3);
    CHECK(tasks[0].to_move == 5);
    CHECK(restarted.queue("source")->peek().size() == 3);
    CHECK(restarted.queue("dlq")->peek().size() == 2);
    // Moved messages count their receives afresh in their source.
    for (const auto& p : restarted.queue("source")->peek()) {
      CHECK(p.receive_count == 0);
      CHECK_FALSE(p.message->dead_letter_source());
    }
    clock.advance(10s);
    tasks = restarted.engines.queues.move_tasks().list(key_of("dlq"), 10);
    CHECK(tasks[0].status == MoveTaskStatus::kCompleted);
    CHECK(tasks[0].moved == 5);
  }  // killed after completing
  Process again(clock, disk);
  auto tasks = again.engines.queues.move_tasks().list(key_of("dlq"), 10);
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].status == MoveTaskStatus::kCompleted);
  CHECK(tasks[0].moved == 5);
  CHECK(contents(*again.queue("source")) ==
        std::map<std::string, int>{{"m0", 1}, {"m1", 1}, {"m2", 1}, {"m3", 1}, {"m4", 1}});
  CHECK(again.queue("dlq")->peek().empty());
}

TEST_CASE("a cancelled move task stays cancelled after a restart, with what it moved") {
  ManualClock clock;
  Disk disk;
  {
    Process p(clock, disk);
    create_queues(p.engines.queues);
    drive_to_dlq(p.engines.queues, *p.queue("source"), {"x0", "x1", "x2"});
    auto started = p.engines.queues.move_tasks().start(key_of("dlq"), key_of("elsewhere"), 1);
    REQUIRE(started.status);
    REQUIRE(p.engines.queues.move_tasks().cancel(key_of("dlq"), started.task.id).status);
  }
  Process restarted(clock, disk);
  clock.advance(10s);
  auto tasks = restarted.engines.queues.move_tasks().list(key_of("dlq"), 10);
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].status == MoveTaskStatus::kCancelled);
  CHECK(tasks[0].moved == 1);
  CHECK(restarted.queue("elsewhere")->peek().size() == 1);
  CHECK(restarted.queue("dlq")->peek().size() == 2);
  // Not running: another task may start.
  CHECK(restarted.engines.queues.move_tasks().start(key_of("dlq"), key_of("elsewhere"), std::nullopt).status);
}

TEST_CASE("moved messages and move tasks survive compaction, also with moves racing it") {
  ManualClock clock;
  Disk disk;
  Process p(clock, disk);
  create_queues(p.engines.queues);
  create_queues(p.engines.queues, true);
  drive_to_dlq(p.engines.queues, *p.queue("source"), {"s0", "s1", "s2", "s3"});
  drive_to_dlq(p.engines.queues, *p.queue("source.fifo"), {"f0"}, "g");
  REQUIRE(p.engines.queues.move_tasks().start(key_of("dlq"), key_of("elsewhere"), 1).status);
  // The compaction "began" here: what follows is the overlapping suffix.
  const auto began = disk.records.size();
  clock.advance(1s);
  p.engines.queues.move_tasks().catch_up();
  (void)p.queue("source")->send(msg("late"));
  for (int round = 0; round < 3; ++round) (void)p.engines.queues.receive(*p.queue("source"), 10, 0s);
  const auto snapshot = p.engines.snapshot();
  std::vector<std::string> compacted = snapshot;
  compacted.insert(compacted.end(), disk.records.begin() + static_cast<std::ptrdiff_t>(began), disk.records.end());

  Engines restored(clock);
  replay(compacted, restored.queues, restored.streams, &restored.clock);
  CHECK(restored.snapshot() == p.engines.snapshot());
  auto dlq = restored.queues.find(key_of("dlq"));
  CHECK(contents(*dlq) == std::map<std::string, int>{{"late", 1}, {"s2", 1}, {"s3", 1}});
  for (const auto& m : dlq->peek()) REQUIRE(m.message->dead_letter_source());
  CHECK(contents(*restored.queues.find(key_of("elsewhere"))) == std::map<std::string, int>{{"s0", 1}, {"s1", 1}});
  CHECK(restored.queues.find(key_of("dlq.fifo"))->peek().size() == 1);

  // And through the store's own compaction; retention still counts from the
  // original send on the standard DLQ.
  std::string error;
  REQUIRE(p.store->compact(&error));
  Engines again(clock);
  replay(disk.records, again.queues, again.streams, &again.clock);
  CHECK(again.snapshot() == p.engines.snapshot());
  clock.advance(4 * 24h - 2s);  // just short of the default retention from the first sends
  CHECK(again.queues.find(key_of("dlq"))->peek().size() == 3);
  clock.advance(1s);
  CHECK(contents(*again.queues.find(key_of("dlq"))) == std::map<std::string, int>{{"late", 1}});
}

TEST_CASE("a reset (registry clear) is logged: move tasks and account settings do not come back") {
  ManualClock clock;
  Disk disk;
  {
    Process p(clock, disk);
    create_queues(p.engines.queues);
    drive_to_dlq(p.engines.queues, *p.queue("source"), {"r0", "r1"});
    REQUIRE(p.engines.queues.move_tasks().start(key_of("dlq"), key_of("elsewhere"), 1).status);
    AccountSettings settings;
    settings.billing_commitment_status = "ENABLED";
    settings.started_at = clock.now();
    p.engines.streams.set_account_settings("123456789012", settings);
    p.engines.streams.set_account_settings("210987654321", settings);
    StreamConfig config;
    REQUIRE(p.engines.streams.create({"123456789012", "us-east-1", "s"}, config).ok());
    CHECK(p.engines.queues.clear() == 3);
    CHECK(p.engines.streams.clear(std::string("123456789012")) == 1);
    CHECK(p.engines.queues.move_tasks().list(key_of("dlq"), 10).empty());
  }
  Process restarted(clock, disk);
  CHECK(restarted.engines.queues.all().empty());
  CHECK(restarted.engines.queues.move_tasks().list(key_of("dlq"), 10).empty());
  CHECK(restarted.engines.queues.move_tasks().next_due() == std::nullopt);
  CHECK(restarted.engines.streams.account_settings("123456789012").billing_commitment_status ==
        AccountSettings{}.billing_commitment_status);
  CHECK(restarted.engines.streams.account_settings("210987654321").billing_commitment_status == "ENABLED");
  CHECK(restarted.engines.streams.find({"123456789012", "us-east-1", "s"}) == nullptr);
  CHECK(restarted.engines.streams.all().empty());
}

TEST_CASE("a stream dropped by a reset is gone after a restart even with a delete delay") {
  ManualClock clock;
  Disk disk;
  StreamRegistryOptions slow;
  slow.delays.remove = 30s;
  {
    durability::ReplayClock rc(clock);
    QueueRegistry queues(rc);
    StreamRegistry streams(rc, slow);
    durability::DurableStore store(std::make_unique<MemoryJournal>(disk), {}, queues, streams, false);
    REQUIRE(streams.create({"123456789012", "us-east-1", "s"}, StreamConfig{}).ok());
    CHECK(streams.clear() == 1);
  }
  durability::ReplayClock rc(clock);
  QueueRegistry queues(rc);
  StreamRegistry streams(rc, slow);
  replay(disk.records, queues, streams, &rc);
  CHECK(streams.list("123456789012", "us-east-1").empty());
  // The name is free at once, as it was before the restart.
  CHECK(streams.create({"123456789012", "us-east-1", "s"}, StreamConfig{}).ok());
}

}  // namespace shoal::storage::testing
