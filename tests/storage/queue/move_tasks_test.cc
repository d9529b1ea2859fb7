// Message move tasks on a ManualClock: the rate is honoured (first message at
// once, then MaxNumberOfMessagesPerSecond), progress is computed on every
// observation, one running task per source, cancel keeps what moved, the
// default destination is each message's source queue, a deleted destination
// fails the task and leaves the rest in the DLQ.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/queue/queue_registry.h"

namespace shoal::storage {
namespace {

using namespace std::chrono_literals;

QueueKey key_of(std::string name) { return QueueKey{"000000000000", "us-east-1", std::move(name)}; }

NewMessage message(std::string body) {
  NewMessage m;
  m.body = std::move(body);
  return m;
}

// source --(maxReceiveCount 1)--> dlq; dest is a plain queue.
struct Fixture {
  ManualClock clock;
  QueueRegistry registry{clock};
  std::shared_ptr<Queue> dlq = registry.create(key_of("dlq"), {}, {}).queue;
  std::shared_ptr<Queue> source;
  std::shared_ptr<Queue> dest = registry.create(key_of("dest"), {}, {}).queue;

  Fixture() {
    QueueAttributes s;
    s.dead_letter = DeadLetterTarget{dlq->key(), 1};
    source = registry.create(key_of("source"), s, {}).queue;
  }

  // Sends n messages to source and drives them all into the DLQ.
  void fill_dlq(int n, std::shared_ptr<Queue> from = nullptr) {
    Queue& q = from ? *from : *source;
    for (int i = 0; i < n; ++i) q.send(message("m" + std::to_string(i)));
    for (int i = 0; i < n; ++i) registry.receive(q, 1, 0s);
    registry.receive(q, 10, 0s);
  }

  std::size_t only_task_count() { return registry.move_tasks().list(dlq->key(), 10).size(); }

  MoveTask only_task() {
    auto tasks = registry.move_tasks().list(dlq->key(), 10);
    REQUIRE(tasks.size() == 1);
    return tasks[0];
  }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "a task moves one message at once, then at its rate, then completes") {
  fill_dlq(5);
  REQUIRE(dlq->counts().visible == 5);
  auto started = registry.move_tasks().start(dlq->key(), dest->key(), 2);
  REQUIRE(started.status.is_ok());
  CHECK(started.task.status == MoveTaskStatus::kRunning);
  CHECK(started.task.to_move == 5);
  CHECK(started.task.moved == 1);
  CHECK(dest->counts().visible == 1);

  clock.advance(499ms);
  CHECK(only_task().moved == 1);
  CHECK(registry.move_tasks().next_due() == started.task.started + 500ms);
  clock.advance(1ms);
  CHECK(only_task().moved == 2);
  clock.advance(1s);
  CHECK(only_task().moved == 4);
  CHECK(dlq->counts().visible == 1);
  clock.advance(500ms);
  auto done = only_task();
  CHECK(done.moved == 5);
  CHECK(done.status == MoveTaskStatus::kCompleted);
  CHECK(dest->counts().visible == 5);
  CHECK(dlq->counts().visible == 0);
  CHECK_FALSE(registry.move_tasks().next_due().has_value());
}

TEST_CASE_FIXTURE(Fixture, "moved messages keep id and body, lose their DLQ source and start counting again") {
  source->send(message("x"));
  const auto first = registry.receive(*source, 1, 0s);
  REQUIRE(first.size() == 1);
  registry.receive(*source, 1, 0s);
  REQUIRE(registry.move_tasks().start(dlq->key(), dest->key(), std::nullopt).status.is_ok());
  auto got = dest->receive(1, 0s);
  REQUIRE(got.size() == 1);
  CHECK(got[0].message->message_id() == first[0].message->message_id());
  CHECK(got[0].message->body() == "x");
  CHECK(got[0].message->dead_letter_source() == nullptr);
  CHECK(got[0].receive_count == 1);
}

TEST_CASE_FIXTURE(Fixture, "without a rate a second's worth moves at once, then 1000 per second") {
  fill_dlq(20);
  auto small = registry.move_tasks().start(dlq->key(), dest->key(), std::nullopt);
  CHECK(small.task.status == MoveTaskStatus::kCompleted);
  CHECK(small.task.moved == 20);

  for (int i = 0; i < 1500; ++i) source->send(message("b" + std::to_string(i)));
  for (int i = 0; i < 150; ++i) registry.receive(*source, 10, 30s);
  clock.advance(30s);
  registry.receive(*source, 10, 0s);  // meets all 1500 exhausted: they move
  REQUIRE(dlq->counts().visible == 1500);
  auto big = registry.move_tasks().start(dlq->key(), dest->key(), std::nullopt);
  CHECK(big.task.moved == 1000);
  CHECK(registry.move_tasks().next_due() == big.task.started + 1ms);
  clock.advance(250ms);
  CHECK(only_task_count() == 2);
  CHECK(registry.move_tasks().list(dlq->key(), 1)[0].moved == 1250);
  clock.advance(250ms);
  CHECK(registry.move_tasks().list(dlq->key(), 1)[0].status == MoveTaskStatus::kCompleted);
  CHECK(dest->counts().visible == 1520);
}

TEST_CASE_FIXTURE(Fixture, "receives and catch_up drive progress: no thread, no observation needed per task") {
  fill_dlq(3);
  REQUIRE(registry.move_tasks().start(dlq->key(), dest->key(), 1).status.is_ok());
  clock.advance(2s);
  // A receive on the destination sees what is due by now.
  auto got = registry.receive(*dest, 10, 30s);
  CHECK(got.size() == 3);
}

TEST_CASE_FIXTURE(Fixture, "one running task per source; a new one may start once it finished") {
  fill_dlq(3);
  REQUIRE(registry.move_tasks().start(dlq->key(), dest->key(), 1).status.is_ok());
  auto second = registry.move_tasks().start(dlq->key(), dest->key(), 1);
  CHECK(second.status.code() == Status::Code::kResourceInUse);
  clock.advance(10s);
  registry.move_tasks().catch_up();
  fill_dlq(1);
  CHECK(registry.move_tasks().start(dlq->key(), dest->key(), 1).status.is_ok());
  auto tasks = registry.move_tasks().list(dlq->key(), 10);
  REQUIRE(tasks.size() == 2);
  CHECK(tasks[0].status == MoveTaskStatus::kCompleted);  // newest first; it moved its one message at once
  CHECK(tasks[0].to_move == 1);
  CHECK(tasks[1].moved == 3);
  CHECK(registry.move_tasks().list(dlq->key(), 1).size() == 1);
}

TEST_CASE_FIXTURE(Fixture, "cancel stops the task and keeps what moved; unknown ids and finished tasks are refused") {
  fill_dlq(10);
  auto started = registry.move_tasks().start(dlq->key(), dest->key(), 1);
  clock.advance(1s);
  auto cancelled = registry.move_tasks().cancel(dlq->key(), started.task.id);
  REQUIRE(cancelled.status.is_ok());
  CHECK(cancelled.task.moved == 2);
  CHECK(cancelled.task.status == MoveTaskStatus::kCancelled);
  clock.advance(10s);
  CHECK(only_task().moved == 2);
  CHECK(dest->counts().visible == 2);
  CHECK(dlq->counts().visible == 8);
  CHECK(registry.move_tasks().cancel(dlq->key(), started.task.id).status.code() == Status::Code::kInvalidArgument);
  CHECK(registry.move_tasks().cancel(dlq->key(), "nope").status.code() == Status::Code::kNotFound);
}

TEST_CASE_FIXTURE(Fixture, "without a destination each message goes back to its own source queue") {
  QueueAttributes s;
  s.dead_letter = DeadLetterTarget{dlq->key(), 1};
  auto other = registry.create(key_of("other"), s, {}).queue;
  fill_dlq(2);
  fill_dlq(3, other);
  REQUIRE(dlq->counts().visible == 5);
  REQUIRE(registry.move_tasks().start(dlq->key(), std::nullopt, std::nullopt).status.is_ok());
  clock.advance(1s);
  auto task = only_task();
  CHECK(task.status == MoveTaskStatus::kCompleted);
  CHECK(task.moved == 5);
  CHECK(source->counts().visible == 2);
  CHECK(other->counts().visible == 3);
}

TEST_CASE_FIXTURE(Fixture, "a deleted destination fails the task with NonExistentQueue; the rest stays in the DLQ") {
  fill_dlq(10);
  REQUIRE(registry.move_tasks().start(dlq->key(), dest->key(), 1).status.is_ok());
  clock.advance(2s);
  registry.move_tasks().catch_up();
  REQUIRE(registry.remove(dest->key()).is_ok());
  clock.advance(5s);
  auto task = only_task();
  CHECK(task.status == MoveTaskStatus::kFailed);
  CHECK(task.failure_reason == "AWS.SimpleQueueService.NonExistentQueue");
  CHECK(task.moved == 3);
  CHECK(dlq->counts().visible == 7);
}

TEST_CASE_FIXTURE(Fixture, "a task on an empty DLQ completes at once") {
  auto started = registry.move_tasks().start(dlq->key(), dest->key(), 1);
  REQUIRE(started.status.is_ok());
  CHECK(started.task.status == MoveTaskStatus::kCompleted);
  CHECK(started.task.to_move == 0);
}

TEST_CASE_FIXTURE(Fixture, "clear (a reset) forgets tasks: recreated queues of the same names inherit none") {
  fill_dlq(10);
  REQUIRE(registry.move_tasks().start(dlq->key(), dest->key(), 1).status.is_ok());
  const QueueKey other_dlq{"111111111111", "us-east-1", "dlq"};
  registry.create(other_dlq, {}, {});
  REQUIRE(registry.move_tasks().start(other_dlq, std::nullopt, std::nullopt).status.is_ok());

  registry.clear(std::string("000000000000"));
  CHECK_FALSE(registry.move_tasks().next_due().has_value());  // the running task is gone
  CHECK(registry.move_tasks().list(other_dlq, 10).size() == 1);  // other accounts keep theirs

  // Same names again, and messages in the new DLQ: nothing moves by itself.
  dlq = registry.create(key_of("dlq"), {}, {}).queue;
  dest = registry.create(key_of("dest"), {}, {}).queue;
  QueueAttributes s;
  s.dead_letter = DeadLetterTarget{dlq->key(), 1};
  source = registry.create(key_of("source"), s, {}).queue;
  fill_dlq(3);
  clock.advance(60s);
  registry.move_tasks().catch_up();
  CHECK(dest->counts().visible == 0);
  CHECK(dlq->counts().visible == 3);
  CHECK(only_task_count() == 0);
  // And a new task may start at once (none is running).
  CHECK(registry.move_tasks().start(dlq->key(), dest->key(), 1).status.is_ok());

  registry.clear();
  CHECK(registry.move_tasks().list(other_dlq, 10).empty());
}

}  // namespace shoal::storage
