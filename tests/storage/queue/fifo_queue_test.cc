// FIFO queue behaviour on a ManualClock: sequence numbers, the deduplication
// window (queue and message-group scope), group ordering and locking, batches
// filled from one group, visibility expiry and changes, expired handles.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/queue/queue.h"

namespace shoal::storage {
namespace {

using namespace std::chrono_literals;

QueueKey fifo_key() { return QueueKey{"000000000000", "us-east-1", "q.fifo"}; }

QueueAttributes fifo_attributes(std::string scope = "queue") {
  QueueAttributes a;
  a.fifo = true;
  a.deduplication_scope = std::move(scope);
  a.fifo_throughput_limit = "perQueue";
  return a;
}

// The dedup id defaults to the body (as content-based deduplication would).
NewMessage fifo_message(std::string body, std::string group, std::string dedup = {}) {
  NewMessage m;
  m.deduplication_id = dedup.empty() ? body : std::move(dedup);
  m.body = std::move(body);
  m.group_id = std::move(group);
  return m;
}

std::vector<std::string> bodies(const std::vector<ReceivedMessage>& received) {
  std::vector<std::string> out;
  for (const auto& r : received) out.push_back(std::string(r.message->body()));
  return out;
}

using Bodies = std::vector<std::string>;

struct FifoFixture {
  ManualClock clock;
  Queue queue{fifo_key(), fifo_attributes(), {}, clock};
};

}  // namespace

TEST_CASE_FIXTURE(FifoFixture, "sequence numbers are 20 digits and increase per send") {
  std::string previous;
  for (int i = 0; i < 50; ++i) {
    const SendOutcome sent = queue.send(fifo_message("m" + std::to_string(i), "g"));
    REQUIRE(sent.sequence_number.size() == 20);
    CHECK(sent.sequence_number.find_first_not_of("0123456789") == std::string::npos);
    if (!previous.empty()) CHECK(sent.sequence_number > previous);  // same width: text order is numeric
    previous = sent.sequence_number;
    if (i % 7 == 0) clock.advance(1ms);
  }
}

TEST_CASE_FIXTURE(FifoFixture, "received messages carry group, dedup id and sequence number") {
  const SendOutcome sent = queue.send(fifo_message("body", "g1", "d1"));
  auto got = queue.receive(1, std::nullopt);
  REQUIRE(got.size() == 1);
  CHECK(got[0].message->message_id() == sent.message_id);
  CHECK(got[0].message->group_id() == "g1");
  CHECK(got[0].message->deduplication_id() == "d1");
  CHECK(got[0].message->sequence_number() == sent.sequence_number);
}

TEST_CASE_FIXTURE(FifoFixture, "a duplicate within five minutes answers the original and is not delivered") {
  const SendOutcome first = queue.send(fifo_message("a", "g", "d"));
  clock.advance(4min + 59s);
  const SendOutcome again = queue.send(fifo_message("other body", "g2", "d"));
  CHECK(again.message_id == first.message_id);
  CHECK(again.sequence_number == first.sequence_number);
  CHECK(bodies(queue.receive(10, std::nullopt)) == Bodies{"a"});
  CHECK(queue.counts().in_flight == 1);
  CHECK(queue.counts().visible == 0);
}

TEST_CASE_FIXTURE(FifoFixture, "the window counts from the first send, not from duplicates") {
  const SendOutcome first = queue.send(fifo_message("a", "g", "d"));
  clock.advance(3min);
  CHECK(queue.send(fifo_message("a", "g", "d")).message_id == first.message_id);
  clock.advance(2min);  // five minutes after the first send
  const SendOutcome later = queue.send(fifo_message("a", "g", "d"));
  CHECK(later.message_id != first.message_id);
  CHECK(later.sequence_number > first.sequence_number);
  CHECK(queue.counts().visible == 2);
}

TEST_CASE_FIXTURE(FifoFixture, "a duplicate after the original was deleted is still deduplicated") {
  const SendOutcome first = queue.send(fifo_message("a", "g", "d"));
  auto got = queue.receive(1, std::nullopt);
  REQUIRE(got.size() == 1);
  CHECK(queue.delete_message(got[0].receipt_handle).is_ok());
  clock.advance(1min);
  CHECK(queue.send(fifo_message("a", "g", "d")).message_id == first.message_id);
  CHECK(queue.receive(10, std::nullopt).empty());
  CHECK(queue.counts().visible == 0);
}

TEST_CASE("message-group scope deduplicates per group") {
  ManualClock clock;
  Queue queue{fifo_key(), fifo_attributes("messageGroup"), {}, clock};
  const SendOutcome a = queue.send(fifo_message("a", "g1", "d"));
  const SendOutcome b = queue.send(fifo_message("b", "g2", "d"));
  CHECK(a.message_id != b.message_id);
  CHECK(queue.send(fifo_message("c", "g1", "d")).message_id == a.message_id);
  CHECK(bodies(queue.receive(10, 0s)) == Bodies{"a", "b"});
}

TEST_CASE_FIXTURE(FifoFixture, "records kept across a change of deduplication scope") {
  // Made under queue scope: blocks the id in every group afterwards.
  const SendOutcome a = queue.send(fifo_message("a", "g1", "d"));
  auto attributes = queue.attributes();
  attributes.deduplication_scope = "messageGroup";
  queue.set_attributes(attributes);
  CHECK(queue.send(fifo_message("b", "g2", "d")).message_id == a.message_id);
  // Made under message-group scope: blocks only that group under queue scope.
  queue.send(fifo_message("c", "g3", "e"));
  attributes.deduplication_scope = "queue";
  queue.set_attributes(attributes);
  CHECK(queue.send(fifo_message("f", "g4", "e")).message_id != a.message_id);
  CHECK(queue.counts().visible == 3);
}

TEST_CASE_FIXTURE(FifoFixture, "messages without a deduplication id are never deduplicated") {
  NewMessage m = fifo_message("a", "g");
  m.deduplication_id.clear();
  const auto first = queue.send(m).message_id;
  CHECK(queue.send(m).message_id != first);
}

TEST_CASE_FIXTURE(FifoFixture, "a group is delivered in order and locked while a message is in flight") {
  for (const char* body : {"1", "2", "3"}) queue.send(fifo_message(body, "g"));
  auto first = queue.receive(1, std::nullopt);
  CHECK(bodies(first) == Bodies{"1"});
  CHECK(queue.receive(10, std::nullopt).empty());  // 2 and 3 wait behind 1
  CHECK_FALSE(queue.has_receivable());
  CHECK(queue.counts().visible == 2);
  REQUIRE(queue.delete_message(first[0].receipt_handle).is_ok());
  CHECK(queue.has_receivable());
  CHECK(bodies(queue.receive(1, std::nullopt)) == Bodies{"2"});
}

TEST_CASE_FIXTURE(FifoFixture, "a batch is filled from one group first, then from the next") {
  queue.send(fifo_message("a1", "a"));
  queue.send(fifo_message("b1", "b"));
  queue.send(fifo_message("a2", "a"));
  queue.send(fifo_message("c1", "c"));
  queue.send(fifo_message("b2", "b"));
  queue.send(fifo_message("a3", "a"));
  CHECK(bodies(queue.receive(4, std::nullopt)) == Bodies{"a1", "a2", "a3", "b1"});
  // b is locked by b1 in flight; c proceeds independently.
  CHECK(bodies(queue.receive(10, std::nullopt)) == Bodies{"c1"});
  CHECK(queue.receive(10, std::nullopt).empty());
}

TEST_CASE_FIXTURE(FifoFixture, "a visibility expiry returns the message to the head of its group") {
  queue.send(fifo_message("1", "g"));
  queue.send(fifo_message("2", "g"));
  queue.send(fifo_message("other", "h"));
  CHECK(bodies(queue.receive(1, 10s)) == Bodies{"1"});
  CHECK(bodies(queue.receive(10, 10s)) == Bodies{"other"});
  clock.advance(10s);
  auto again = queue.receive(10, 10s);
  CHECK(bodies(again) == Bodies{"1", "2", "other"});
  CHECK(again[0].receive_count == 2);
  CHECK(again[1].receive_count == 1);
}

TEST_CASE_FIXTURE(FifoFixture, "the group waiting longest is served first") {
  queue.send(fifo_message("a1", "a"));
  queue.send(fifo_message("b1", "b"));
  auto a = queue.receive(1, std::nullopt);
  REQUIRE(bodies(a) == Bodies{"a1"});
  CHECK(queue.change_visibility(a[0].receipt_handle, 0s).is_ok());
  CHECK(bodies(queue.receive(1, std::nullopt)) == Bodies{"a1"});
}

TEST_CASE_FIXTURE(FifoFixture, "changing visibility to 0 releases the group") {
  for (const char* body : {"foo", "bar", "baz"}) queue.send(fifo_message(body, "g"));
  auto all = queue.receive(10, 60s);
  REQUIRE(bodies(all) == Bodies{"foo", "bar", "baz"});
  CHECK(queue.receive(10, std::nullopt).empty());

  SUBCASE("a later message alone stays behind the earlier ones") {
    CHECK(queue.change_visibility(all[2].receipt_handle, 0s).is_ok());
    CHECK(queue.receive(10, std::nullopt).empty());
  }
  SUBCASE("the visible front of the group is delivered, up to the first in flight") {
    CHECK(queue.change_visibility(all[0].receipt_handle, 0s).is_ok());
    CHECK(queue.change_visibility(all[1].receipt_handle, 0s).is_ok());
    CHECK(bodies(queue.receive(10, std::nullopt)) == Bodies{"foo", "bar"});
  }
  SUBCASE("extending the head's visibility keeps the group locked") {
    clock.advance(50s);
    CHECK(queue.change_visibility(all[0].receipt_handle, 60s).is_ok());
    CHECK(queue.delete_message(all[1].receipt_handle).is_ok());
    CHECK(queue.delete_message(all[2].receipt_handle).is_ok());
    clock.advance(20s);
    CHECK(queue.receive(10, std::nullopt).empty());
    CHECK(queue.delete_message(all[0].receipt_handle).is_ok());  // extended: still live
  }
}

TEST_CASE_FIXTURE(FifoFixture, "deleting with a handle whose visibility ran out fails as expired") {
  queue.send(fifo_message("m", "g"));
  auto got = queue.receive(1, 5s);
  REQUIRE(got.size() == 1);
  clock.advance(5s);
  CHECK(queue.delete_message(got[0].receipt_handle).code() == Status::Code::kHandleExpired);
  CHECK(queue.counts().visible == 1);  // not deleted

  SUBCASE("an older handle of a message received again is expired too") {
    auto again = queue.receive(1, 5s);
    REQUIRE(again.size() == 1);
    CHECK(queue.delete_message(got[0].receipt_handle).code() == Status::Code::kHandleExpired);
    CHECK(queue.delete_message(again[0].receipt_handle).is_ok());
    CHECK(queue.counts().in_flight == 0);
  }
  SUBCASE("a handle whose visibility was set to 0 is expired") {
    auto again = queue.receive(1, 5s);
    REQUIRE(again.size() == 1);
    CHECK(queue.change_visibility(again[0].receipt_handle, 0s).is_ok());
    CHECK(queue.delete_message(again[0].receipt_handle).code() == Status::Code::kHandleExpired);
  }
  SUBCASE("garbage is still an invalid handle") {
    CHECK(queue.delete_message("garbage").code() == Status::Code::kInvalidHandle);
  }
}

TEST_CASE_FIXTURE(FifoFixture, "a queue delay holds the group and retention drops messages from groups") {
  auto attributes = queue.attributes();
  attributes.delay = 5s;
  attributes.message_retention = 60s;
  queue.set_attributes(attributes);
  queue.send(fifo_message("1", "g"));
  CHECK(queue.receive(10, std::nullopt).empty());
  CHECK_FALSE(queue.has_receivable());
  clock.advance(5s);
  CHECK(queue.has_receivable());
  queue.send(fifo_message("2", "g"));  // visible at 10 s
  clock.advance(57s);  // 62 s: "1" is past its retention, "2" heads the group
  CHECK(bodies(queue.receive(10, std::nullopt)) == Bodies{"2"});
}

TEST_CASE_FIXTURE(FifoFixture, "receiving with visibility 0 keeps the order and returns each once") {
  queue.send(fifo_message("1", "g"));
  queue.send(fifo_message("2", "g"));
  CHECK(bodies(queue.receive(10, 0s)) == Bodies{"1", "2"});
  CHECK(bodies(queue.receive(10, 0s)) == Bodies{"1", "2"});
}

TEST_CASE_FIXTURE(FifoFixture, "purge empties the groups") {
  queue.send(fifo_message("1", "g"));
  CHECK(queue.purge().is_ok());
  CHECK_FALSE(queue.has_receivable());
  queue.send(fifo_message("2", "g"));
  CHECK(bodies(queue.receive(10, std::nullopt)) == Bodies{"2"});
}

TEST_CASE_FIXTURE(FifoFixture, "a retried receive attempt answers the same messages and handles") {
  queue.send(fifo_message("1", "g"));
  queue.send(fifo_message("2", "g"));
  queue.send(fifo_message("other", "h"));
  auto first = queue.receive(2, 10s, "attempt-1");
  REQUIRE(bodies(first) == Bodies{"1", "2"});
  clock.advance(8s);
  auto again = queue.receive(2, 10s, "attempt-1");
  REQUIRE(bodies(again) == Bodies{"1", "2"});
  CHECK(again[0].receipt_handle == first[0].receipt_handle);
  CHECK(again[0].receive_count == 1);
  clock.advance(8s);  // 16 s after the first receive: the retry restarted the timeout
  CHECK(bodies(queue.receive(10, 10s)) == Bodies{"other"});
  CHECK(queue.delete_message(first[0].receipt_handle).is_ok());

  SUBCASE("a message that changed since makes the retry receive afresh") {
    CHECK(queue.change_visibility(first[1].receipt_handle, 0s).is_ok());
    auto fresh = queue.receive(2, 10s, "attempt-1");
    REQUIRE(bodies(fresh) == Bodies{"2"});
    CHECK(fresh[0].receipt_handle != first[1].receipt_handle);
    CHECK(fresh[0].receive_count == 2);
  }
  SUBCASE("after five minutes the id is forgotten") {
    clock.advance(5min);  // "2" became visible again meanwhile
    auto fresh = queue.receive(1, 10s, "attempt-1");
    REQUIRE(bodies(fresh) == Bodies{"2"});
    CHECK(fresh[0].receive_count == 2);
  }
}

TEST_CASE_FIXTURE(FifoFixture, "a receive attempt that got nothing receives afresh when retried") {
  CHECK(queue.receive(10, std::nullopt, "a").empty());
  queue.send(fifo_message("1", "g"));
  CHECK(bodies(queue.receive(10, std::nullopt, "a")) == Bodies{"1"});
  CHECK(bodies(queue.receive(10, std::nullopt, "a")) == Bodies{"1"});
  CHECK(queue.receive(10, std::nullopt, "b").empty());
}

TEST_CASE("standard queues keep the group id of fair queues and have no sequence numbers") {
  ManualClock clock;
  Queue queue{QueueKey{"000000000000", "us-east-1", "q"}, QueueAttributes{}, {}, clock};
  NewMessage m;
  m.body = "x";
  m.group_id = "tenant-1";
  CHECK(queue.send(m).sequence_number.empty());
  CHECK(queue.send(m).sequence_number.empty());
  auto got = queue.receive(10, std::nullopt);
  REQUIRE(got.size() == 2);  // no group locking on standard queues
  CHECK(got[0].message->group_id() == "tenant-1");
  CHECK(got[0].message->sequence_number().empty());
}

TEST_CASE_FIXTURE(FifoFixture, "an earlier handle does not change the visibility of a FIFO message in flight again") {
  queue.send(fifo_message("m", "g"));
  auto first = queue.receive(1, 1s);
  REQUIRE(first.size() == 1);
  clock.advance(1s);
  auto second = queue.receive(1, 30s);
  REQUIRE(second.size() == 1);
  CHECK(queue.change_visibility(first[0].receipt_handle, 0s).code() == Status::Code::kNotInflight);
  CHECK(queue.counts().in_flight == 1);  // untouched
}

}  // namespace shoal::storage
