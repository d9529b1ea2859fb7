// Queue::totals, which the console turns into per-second rates: what a queue
// stored, delivered and deleted since it was made, counted per message.
#include <doctest/doctest.h>

#include "storage/queue/queue.h"
#include "storage/queue/queue_changes.h"

namespace shoal::storage {
namespace {

using namespace std::chrono_literals;

NewMessage text(std::string body, std::string dedup = {}) {
  NewMessage m;
  m.body = std::move(body);
  m.group_id = dedup.empty() ? "" : "g";
  m.deduplication_id = std::move(dedup);
  return m;
}

// Counts the changes a queue reports, as the durable store would log them.
struct CountingObserver final : QueueObserver {
  void on_change(const QueueChange&) override { ++changes; }
  int changes = 0;
};

}  // namespace

TEST_CASE("totals count deliveries of a queue whose changes are logged too") {
  ManualClock clock;
  CountingObserver observer;
  QueueHooks hooks;
  hooks.observer = &observer;
  Queue q({"000000000000", "us-east-1", "q"}, {}, {}, clock, hooks);
  q.send(text("a"));
  q.send(text("b"));
  CHECK(q.receive(10, 30s).size() == 2);
  CHECK(q.totals().received == 2);
  CHECK(observer.changes == 3);
}

TEST_CASE("totals count messages sent, deliveries and deletes") {
  ManualClock clock;
  Queue q({"000000000000", "us-east-1", "q"}, {}, {}, clock);
  CHECK(q.totals().sent == 0);
  for (int i = 0; i < 3; ++i) q.send(text("m" + std::to_string(i)));
  auto first = q.receive(2, 1s);
  REQUIRE(first.size() == 2);
  CHECK(q.delete_message(first[0].receipt_handle).is_ok());
  CHECK(q.delete_message(first[0].receipt_handle).is_ok());  // already gone: not counted again
  clock.advance(2s);
  CHECK(q.receive(10, 30s).size() == 2);  // the one not deleted comes back, with the third
  const auto totals = q.totals();
  CHECK(totals.sent == 3);
  CHECK(totals.received == 4);
  CHECK(totals.deleted == 1);
  CHECK(q.purge().is_ok());
  CHECK(q.totals().deleted == 1);  // a purge is not a delete
}

TEST_CASE("a deduplicated FIFO send stores nothing and counts nothing") {
  ManualClock clock;
  QueueAttributes fifo;
  fifo.fifo = true;
  fifo.deduplication_scope = "queue";
  Queue q({"000000000000", "us-east-1", "q.fifo"}, fifo, {}, clock);
  q.send(text("a", "d1"));
  q.send(text("a", "d1"));
  q.send(text("b", "d2"));
  CHECK(q.totals().sent == 2);
}

}  // namespace shoal::storage
