// Dead-letter moves on a ManualClock: a message received maxReceiveCount
// times moves to the DLQ on its next receive attempt, keeping id, body,
// attributes, send time and receive count and gaining its source; FIFO DLQs
// keep group order; a missing DLQ leaves messages where they are; retention
// in a standard DLQ counts from the original send.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/queue/queue_registry.h"

namespace shoal::storage {
namespace {

using namespace std::chrono_literals;

QueueKey key_of(std::string name) { return QueueKey{"000000000000", "us-east-1", std::move(name)}; }

std::vector<std::string> bodies(const std::vector<ReceivedMessage>& received) {
  std::vector<std::string> out;
  for (const auto& r : received) out.push_back(std::string(r.message->body()));
  return out;
}

NewMessage message(std::string body, std::string group = {}) {
  NewMessage m;
  m.body = std::move(body);
  m.group_id = std::move(group);
  m.deduplication_id = m.group_id.empty() ? std::string() : m.body;
  return m;
}

struct Fixture {
  ManualClock clock;
  QueueRegistry registry{clock};
  std::shared_ptr<Queue> dlq;
  std::shared_ptr<Queue> source;

  explicit Fixture(bool fifo = false, int max_receive_count = 2) {
    QueueAttributes d;
    d.fifo = fifo;
    dlq = registry.create(key_of(fifo ? "dlq.fifo" : "dlq"), d, {}).queue;
    QueueAttributes s = d;
    s.dead_letter = DeadLetterTarget{dlq->key(), max_receive_count};
    source = registry.create(key_of(fifo ? "source.fifo" : "source"), s, {}).queue;
  }

  std::vector<ReceivedMessage> receive(Queue& q, int max = 10) { return registry.receive(q, max, 0s); }
};

}  // namespace

TEST_CASE("a message moves to the DLQ on the receive after its maxReceiveCount-th") {
  Fixture f(false, 2);
  NewMessage m = message("poison");
  m.attributes["k"] = MessageAttribute{"String", "v", {}};
  m.trace_header = "Root=1";
  const TimePoint sent_at = f.clock.now();
  const auto id = f.source->send(std::move(m)).message_id;

  f.clock.advance(1s);
  CHECK(bodies(f.receive(*f.source)) == std::vector<std::string>{"poison"});
  CHECK(bodies(f.receive(*f.source)) == std::vector<std::string>{"poison"});
  CHECK(f.dlq->counts().visible == 0);
  // The third attempt finds it exhausted: nothing delivered, moved instead.
  CHECK(f.receive(*f.source).empty());
  CHECK(f.source->counts().visible == 0);
  CHECK(f.dlq->counts().visible == 1);

  f.clock.advance(1s);
  auto got = f.receive(*f.dlq);
  REQUIRE(got.size() == 1);
  const auto& moved = *got[0].message;
  CHECK(moved.message_id() == id);
  CHECK(moved.body() == "poison");
  CHECK(moved.attributes().at("k").string_value == "v");
  CHECK(moved.trace_header() == "Root=1");
  CHECK(moved.sent() == sent_at);
  REQUIRE(moved.dead_letter_source() != nullptr);
  CHECK(*moved.dead_letter_source() == f.source->key());
  CHECK(got[0].receive_count == 3);  // the count carries over, as AWS shows
  CHECK(got[0].first_receive == sent_at + 1s);
}

TEST_CASE("exhausted messages do not take a slot: the receive serves the next ones") {
  Fixture f(false, 1);
  f.source->send(message("a"));
  CHECK(bodies(f.receive(*f.source)) == std::vector<std::string>{"a"});
  f.source->send(message("b"));
  f.source->send(message("c"));
  CHECK(bodies(f.receive(*f.source, 2)) == std::vector<std::string>{"b", "c"});
  CHECK(f.dlq->counts().visible == 1);
}

TEST_CASE("with the DLQ deleted, messages stay in the source and are delivered") {
  Fixture f(false, 1);
  f.source->send(message("m"));
  CHECK(f.receive(*f.source).size() == 1);
  REQUIRE(f.registry.remove(f.dlq->key()).is_ok());
  auto again = f.receive(*f.source);
  REQUIRE(again.size() == 1);
  CHECK(again[0].receive_count == 2);
  CHECK(f.source->counts().visible == 1);
}

TEST_CASE("a plain Queue::receive never moves anything") {
  Fixture f(false, 1);
  f.source->send(message("m"));
  CHECK(f.source->receive(1, 0s).size() == 1);
  CHECK(f.source->receive(1, 0s).size() == 1);
  CHECK(f.dlq->counts().visible == 0);
}

TEST_CASE("a FIFO DLQ keeps group order and the group's next message is served") {
  Fixture f(true, 1);
  f.source->send(message("g1-a", "g1"));
  f.source->send(message("g1-b", "g1"));
  f.source->send(message("g2-a", "g2"));
  CHECK(bodies(f.receive(*f.source, 1)) == std::vector<std::string>{"g1-a"});
  // g1-a is exhausted: it moves and g1-b is served in the same receive.
  CHECK(bodies(f.receive(*f.source, 1)) == std::vector<std::string>{"g1-b"});
  // g1-b moves too; then g2-a (its first receive) is delivered.
  CHECK(bodies(f.receive(*f.source, 1)) == std::vector<std::string>{"g2-a"});
  CHECK(bodies(f.receive(*f.source, 10)).empty());  // g2-a moves
  auto got = f.receive(*f.dlq, 10);
  CHECK(bodies(got) == std::vector<std::string>{"g1-a", "g1-b", "g2-a"});
  REQUIRE(got.size() == 3);
  CHECK(got[0].message->group_id() == "g1");
  CHECK(got[0].message->sequence_number() < got[1].message->sequence_number());
  CHECK(got[1].message->sequence_number() < got[2].message->sequence_number());
}

TEST_CASE("retention in a standard DLQ counts from the original send") {
  Fixture f(false, 1);
  QueueAttributes d = f.dlq->attributes();
  d.message_retention = 120s;
  f.dlq->set_attributes(d);
  f.source->send(message("old"));
  f.clock.advance(100s);
  f.receive(*f.source);
  f.receive(*f.source);
  CHECK(f.dlq->counts().visible == 1);
  f.clock.advance(19s);
  CHECK(f.dlq->counts().visible == 1);
  f.clock.advance(1s);
  CHECK(f.dlq->counts().visible == 0);
}

TEST_CASE("dead_letter_sources lists the queues naming a DLQ, by name") {
  Fixture f(false, 1);
  QueueAttributes s;
  s.dead_letter = DeadLetterTarget{f.dlq->key(), 3};
  f.registry.create(key_of("another"), s, {});
  f.registry.create(key_of("unrelated"), {}, {});
  std::vector<std::string> names;
  for (const auto& q : f.registry.dead_letter_sources(f.dlq->key())) names.push_back(q->key().name);
  CHECK(names == std::vector<std::string>{"another", "source"});
  CHECK(f.registry.dead_letter_sources(f.source->key()).empty());
}

}  // namespace shoal::storage
