// Queue::peek and QueueRegistry::clear / all, which the control endpoints
// use: peeking shows every message's state and changes nothing; clearing
// closes queues (ending their long polls), per account when asked.
#include <doctest/doctest.h>

#include <atomic>

#include "storage/queue/queue.h"
#include "storage/queue/queue_registry.h"

namespace shoal::storage {
namespace {

using namespace std::chrono_literals;

NewMessage message(std::string body, std::optional<std::chrono::seconds> delay = std::nullopt) {
  NewMessage m;
  m.body = std::move(body);
  m.delay = delay;
  return m;
}

}  // namespace

TEST_CASE("peek lists messages in send order with their state, and changes nothing") {
  ManualClock clock;
  Queue q({"000000000000", "us-east-1", "q"}, {}, {}, clock);
  q.send(message("a"));
  q.send(message("b"));
  q.send(message("c", 10s));
  REQUIRE(q.receive(1, 30s).size() == 1);

  auto peeked = q.peek();
  REQUIRE(peeked.size() == 3);
  CHECK(peeked[0].message->body() == "a");
  CHECK(peeked[0].state == PeekedMessage::State::kInFlight);
  CHECK(peeked[0].receive_count == 1);
  CHECK(peeked[0].first_receive == clock.now());
  CHECK(peeked[0].visible_at == clock.now() + 30s);
  CHECK(peeked[1].state == PeekedMessage::State::kVisible);
  CHECK_FALSE(peeked[1].first_receive);
  CHECK_FALSE(peeked[1].visible_at);
  CHECK(peeked[2].state == PeekedMessage::State::kDelayed);
  CHECK(peeked[2].visible_at == clock.now() + 10s);

  // Unchanged: the next receive still gets "b" first, received once.
  auto next = q.receive(1, 30s);
  REQUIRE(next.size() == 1);
  CHECK(next[0].message->body() == "b");
  CHECK(next[0].receive_count == 1);
}

TEST_CASE("peek applies due transitions") {
  ManualClock clock;
  Queue q({"000000000000", "us-east-1", "q"}, {}, {}, clock);
  q.send(message("a", 5s));
  clock.advance(5s);
  auto peeked = q.peek();
  REQUIRE(peeked.size() == 1);
  CHECK(peeked[0].state == PeekedMessage::State::kVisible);
}

TEST_CASE("clear removes and closes every queue, or one account's") {
  ManualClock clock;
  QueueRegistry registry(clock);
  auto mine = registry.create({"111111111111", "us-east-1", "a"}, {}, {}).queue;
  registry.create({"111111111111", "eu-west-1", "b"}, {}, {});
  auto theirs = registry.create({"222222222222", "us-east-1", "c"}, {}, {}).queue;
  CHECK(registry.all().size() == 3);

  std::atomic<int> woken{0};
  mine->add_waiter([&] { ++woken; });
  CHECK(registry.clear(std::string("111111111111")) == 2);
  CHECK(woken.load() == 1);
  CHECK(mine->closed());
  CHECK_FALSE(theirs->closed());
  CHECK(registry.all().size() == 1);
  CHECK(registry.find({"222222222222", "us-east-1", "c"}) == theirs);

  CHECK(registry.clear() == 1);
  CHECK(theirs->closed());
  CHECK(registry.all().empty());
}


TEST_CASE("peek with a limit shows only the first messages in send order") {
  ManualClock clock;
  Queue q({"000000000000", "us-east-1", "q"}, {}, {}, clock);
  for (int i = 0; i < 20; ++i) q.send(message(std::to_string(i)));
  REQUIRE(q.receive(1, 30s).size() == 1);  // "0" in flight, still first
  auto first = q.peek(3);
  REQUIRE(first.size() == 3);
  CHECK(first[0].message->body() == "0");
  CHECK(first[0].state == PeekedMessage::State::kInFlight);
  CHECK(first[1].message->body() == "1");
  CHECK(first[2].message->body() == "2");
  CHECK(q.peek(0).empty());
  CHECK(q.peek(100).size() == 20);
}

}  // namespace shoal::storage
