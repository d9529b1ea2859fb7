// Queue engine behaviour on a ManualClock: visibility, delays, retention,
// receipt handles, purge, counts, order and long-poll waiters.
#include "storage/queue/queue.h"

#include <doctest/doctest.h>

#include <atomic>
#include <cctype>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace shoal::storage {
namespace {

using namespace std::chrono_literals;

QueueKey key_of(std::string name) { return QueueKey{"000000000000", "us-east-1", std::move(name)}; }

NewMessage message(std::string body, std::optional<std::chrono::seconds> delay = std::nullopt) {
  NewMessage m;
  m.body = std::move(body);
  m.delay = delay;
  return m;
}

std::vector<std::string> bodies(const std::vector<ReceivedMessage>& received) {
  std::vector<std::string> out;
  for (const auto& r : received) out.push_back(std::string(r.message->body()));
  return out;
}

struct Fixture {
  ManualClock clock;
  Queue queue{key_of("q"), QueueAttributes{}, {}, clock};
};

bool is_lower_uuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    if (std::isupper(static_cast<unsigned char>(s[i]))) return false;
  }
  return s[14] == '4';
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "a sent message is received once with its id, body and send time") {
  const TimePoint sent_at = clock.now();
  const SendOutcome sent = queue.send(message("hello"));
  CHECK(is_lower_uuid(sent.message_id));
  CHECK(sent.sequence_number.empty());

  clock.advance(1500ms);
  auto got = queue.receive(10, std::nullopt);
  REQUIRE(got.size() == 1);
  CHECK(got[0].message->message_id() == sent.message_id);
  CHECK(got[0].message->body() == "hello");
  CHECK(got[0].message->sent() == sent_at);
  CHECK(got[0].receive_count == 1);
  CHECK(got[0].first_receive == clock.now());
  CHECK_FALSE(got[0].receipt_handle.empty());

  CHECK(queue.receive(10, std::nullopt).empty());  // in flight now
}

TEST_CASE_FIXTURE(Fixture, "message ids are distinct") {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(queue.send(message("m")).message_id);
  CHECK(ids.size() == 1000);
}

TEST_CASE_FIXTURE(Fixture, "an expired visibility timeout makes the message visible again") {
  queue.send(message("m"));
  const TimePoint first = clock.now();
  auto a = queue.receive(1, std::nullopt);  // queue default: 30 s
  REQUIRE(a.size() == 1);

  clock.advance(29'999ms);
  CHECK(queue.receive(1, std::nullopt).empty());
  CHECK(queue.next_change() == first + 30s);

  clock.advance(1ms);
  auto b = queue.receive(1, std::nullopt);
  REQUIRE(b.size() == 1);
  CHECK(b[0].message->message_id() == a[0].message->message_id());
  CHECK(b[0].receive_count == 2);
  CHECK(b[0].first_receive == first);
  CHECK(b[0].receipt_handle != a[0].receipt_handle);
}

TEST_CASE_FIXTURE(Fixture, "receive honours its own visibility timeout, and 0 leaves it visible") {
  queue.send(message("m"));
  REQUIRE(queue.receive(1, 5s).size() == 1);
  clock.advance(5s);
  auto again = queue.receive(1, 0s);
  REQUIRE(again.size() == 1);
  CHECK(again[0].receive_count == 2);
  CHECK(queue.counts().visible == 1);
  auto third = queue.receive(10, 0s);
  REQUIRE(third.size() == 1);  // never twice in one receive
  CHECK(third[0].receive_count == 3);
}

TEST_CASE_FIXTURE(Fixture, "a queue's default visibility timeout comes from its attributes") {
  QueueAttributes a;
  a.visibility_timeout = 2s;
  queue.set_attributes(a);
  queue.send(message("m"));
  REQUIRE(queue.receive(1, std::nullopt).size() == 1);
  clock.advance(2s);
  CHECK(queue.receive(1, std::nullopt).size() == 1);
}

TEST_CASE_FIXTURE(Fixture, "a per-message delay hides the message until it ends") {
  const TimePoint start = clock.now();
  queue.send(message("late", 10s));
  CHECK(queue.counts().delayed == 1);
  CHECK(queue.counts().visible == 0);
  CHECK(queue.next_change() == start + 10s);
  clock.advance(9s);
  CHECK(queue.receive(1, std::nullopt).empty());
  clock.advance(1s);
  CHECK(queue.counts().delayed == 0);
  CHECK(queue.counts().visible == 1);
  CHECK(bodies(queue.receive(1, std::nullopt)) == std::vector<std::string>{"late"});
}

TEST_CASE_FIXTURE(Fixture, "the queue's DelaySeconds applies unless the message sets its own") {
  QueueAttributes a;
  a.delay = 5s;
  queue.set_attributes(a);
  queue.send(message("default"));
  queue.send(message("now", 0s));
  CHECK(bodies(queue.receive(10, std::nullopt)) == std::vector<std::string>{"now"});
  clock.advance(5s);
  CHECK(bodies(queue.receive(10, std::nullopt)) == std::vector<std::string>{"default"});
}

TEST_CASE_FIXTURE(Fixture, "messages past retention disappear, visible or in flight") {
  QueueAttributes a;
  a.message_retention = 60s;
  queue.set_attributes(a);
  queue.send(message("old"));
  clock.advance(30s);
  queue.send(message("young"));
  REQUIRE(queue.receive(1, 600s).size() == 1);  // "old" goes in flight

  clock.advance(29s);
  CHECK(queue.counts().in_flight == 1);
  CHECK(queue.counts().visible == 1);
  clock.advance(1s);  // "old" is 60 s old
  CHECK(queue.counts().in_flight == 0);
  CHECK(queue.counts().visible == 1);
  clock.advance(30s);
  CHECK(queue.counts().visible == 0);
  CHECK(queue.receive(10, std::nullopt).empty());
}

TEST_CASE_FIXTURE(Fixture, "a shorter retention applies to messages already queued") {
  queue.send(message("m"));
  clock.advance(120s);
  CHECK(queue.counts().visible == 1);
  const TimePoint before = queue.last_modified();
  QueueAttributes a;
  a.message_retention = 60s;
  queue.set_attributes(a);
  CHECK(queue.last_modified() == clock.now());
  CHECK(queue.last_modified() > before);
  CHECK(queue.counts().visible == 0);
  CHECK(queue.receive(1, std::nullopt).empty());
}

TEST_CASE_FIXTURE(Fixture, "receipt handles are printable and new on every receive") {
  queue.send(message("m"));
  std::set<std::string> handles;
  for (int i = 0; i < 5; ++i) {
    auto got = queue.receive(1, 0s);
    REQUIRE(got.size() == 1);
    for (char c : got[0].receipt_handle) {
      CHECK((std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'));
    }
    handles.insert(got[0].receipt_handle);
  }
  CHECK(handles.size() == 5);
}

TEST_CASE_FIXTURE(Fixture, "a garbage receipt handle is invalid") {
  queue.send(message("m"));
  auto got = queue.receive(1, std::nullopt);
  REQUIRE(got.size() == 1);
  std::string flipped = got[0].receipt_handle;
  flipped[20] = flipped[20] == 'A' ? 'B' : 'A';

  for (const std::string& bad : {std::string(), std::string("garbage"), std::string(44, '!'),
                                 std::string(44, 'A'), flipped, got[0].receipt_handle + "A"}) {
    CHECK(queue.delete_message(bad).code() == Status::Code::kInvalidHandle);
    CHECK(queue.change_visibility(bad, 0s).code() == Status::Code::kInvalidHandle);
  }
  CHECK(queue.counts().in_flight == 1);  // nothing was touched
}

TEST_CASE("a receipt handle from another queue is invalid") {
  ManualClock clock;
  Queue a(key_of("a"), {}, {}, clock);
  Queue b(key_of("b"), {}, {}, clock);
  a.send(message("m"));
  b.send(message("m"));
  auto from_a = a.receive(1, std::nullopt);
  REQUIRE(from_a.size() == 1);
  REQUIRE(b.receive(1, std::nullopt).size() == 1);
  CHECK(b.delete_message(from_a[0].receipt_handle).code() == Status::Code::kInvalidHandle);
  CHECK(b.change_visibility(from_a[0].receipt_handle, 0s).code() == Status::Code::kInvalidHandle);
  CHECK(b.counts().in_flight == 1);
  CHECK(a.delete_message(from_a[0].receipt_handle).is_ok());
}

TEST_CASE_FIXTURE(Fixture, "deleting removes the message; deleting again succeeds") {
  queue.send(message("m"));
  auto got = queue.receive(1, 1s);
  REQUIRE(got.size() == 1);
  CHECK(queue.delete_message(got[0].receipt_handle).is_ok());
  CHECK(queue.counts().in_flight == 0);
  CHECK(queue.delete_message(got[0].receipt_handle).is_ok());
  clock.advance(10s);
  CHECK(queue.receive(10, std::nullopt).empty());
  CHECK(queue.change_visibility(got[0].receipt_handle, 5s).code() == Status::Code::kNotFound);
}

TEST_CASE_FIXTURE(Fixture, "an older handle still deletes the message") {
  queue.send(message("m"));
  auto first = queue.receive(1, 1s);
  REQUIRE(first.size() == 1);
  clock.advance(1s);
  auto second = queue.receive(1, 30s);
  REQUIRE(second.size() == 1);
  CHECK(queue.delete_message(first[0].receipt_handle).is_ok());
  CHECK(queue.counts().in_flight == 0);
  clock.advance(30s);
  CHECK(queue.receive(1, std::nullopt).empty());
}

TEST_CASE_FIXTURE(Fixture, "an earlier handle changes the visibility of a message in flight again") {
  queue.send(message("m"));
  auto first = queue.receive(1, 1s);
  REQUIRE(first.size() == 1);
  clock.advance(1s);
  auto second = queue.receive(1, 30s);
  REQUIRE(second.size() == 1);
  CHECK(queue.change_visibility(first[0].receipt_handle, 0s).is_ok());  // AWS accepts it
  CHECK(queue.counts().visible == 1);
  // Visible now: the earlier handle no longer names an in-flight message.
  CHECK(queue.change_visibility(first[0].receipt_handle, 10s).code() == Status::Code::kNotInflight);
  CHECK(queue.counts().visible == 1);  // untouched
  CHECK(queue.change_visibility(second[0].receipt_handle, 10s).is_ok());  // the latest still can
  CHECK(queue.counts().in_flight == 1);
}

TEST_CASE_FIXTURE(Fixture, "change_visibility to 0 makes the message visible and wakes a waiter") {
  queue.send(message("m"));
  auto got = queue.receive(1, 30s);
  REQUIRE(got.size() == 1);
  int woken = 0;
  queue.add_waiter([&] { ++woken; });
  CHECK(queue.change_visibility(got[0].receipt_handle, 0s).is_ok());
  CHECK(woken == 1);
  auto again = queue.receive(1, std::nullopt);
  REQUIRE(again.size() == 1);
  CHECK(again[0].receive_count == 2);
}

TEST_CASE_FIXTURE(Fixture, "change_visibility counts the new timeout from now") {
  queue.send(message("m"));
  auto got = queue.receive(1, 10s);
  REQUIRE(got.size() == 1);
  clock.advance(8s);
  CHECK(queue.change_visibility(got[0].receipt_handle, 10s).is_ok());
  CHECK(queue.next_change() == clock.now() + 10s);
  clock.advance(9s);  // past the original 10 s
  CHECK(queue.receive(1, std::nullopt).empty());
  clock.advance(1s);
  CHECK(queue.receive(1, std::nullopt).size() == 1);
}

TEST_CASE_FIXTURE(Fixture, "change_visibility with the latest handle hides a message whose timeout ran out") {
  queue.send(message("m"));
  auto got = queue.receive(1, 5s);
  REQUIRE(got.size() == 1);
  clock.advance(5s);  // visible again, not yet received: AWS still honours the handle
  CHECK(queue.change_visibility(got[0].receipt_handle, 30s).is_ok());
  CHECK(queue.counts().visible == 0);
  CHECK(queue.counts().in_flight == 1);
  CHECK(queue.receive(1, std::nullopt).empty());
  clock.advance(30s);
  CHECK(queue.receive(1, std::nullopt).size() == 1);
}

TEST_CASE_FIXTURE(Fixture, "purge deletes everything and has a 60 second cool-down") {
  queue.send(message("a"));
  queue.send(message("b", 30s));
  auto got = queue.receive(1, std::nullopt);
  REQUIRE(got.size() == 1);
  queue.send(message("c"));
  CHECK(queue.purge().is_ok());
  const QueueCounts c = queue.counts();
  CHECK(c.visible == 0);
  CHECK(c.in_flight == 0);
  CHECK(c.delayed == 0);
  CHECK_FALSE(queue.next_change().has_value());
  CHECK(queue.delete_message(got[0].receipt_handle).is_ok());

  queue.send(message("d"));
  clock.advance(59s);
  CHECK(queue.purge().code() == Status::Code::kPurgeInProgress);
  CHECK(queue.counts().visible == 1);  // the refused purge deleted nothing
  clock.advance(1s);
  CHECK(queue.purge().is_ok());
  CHECK(queue.counts().visible == 0);
}

TEST_CASE_FIXTURE(Fixture, "counts split visible, in flight and delayed") {
  for (int i = 0; i < 5; ++i) queue.send(message("v"));
  queue.send(message("d", 10s));
  REQUIRE(queue.receive(2, std::nullopt).size() == 2);
  QueueCounts c = queue.counts();
  CHECK(c.visible == 3);
  CHECK(c.in_flight == 2);
  CHECK(c.delayed == 1);
  clock.advance(30s);
  c = queue.counts();
  CHECK(c.visible == 6);
  CHECK(c.in_flight == 0);
  CHECK(c.delayed == 0);
}

TEST_CASE_FIXTURE(Fixture, "messages come oldest first, and a returning message keeps its place") {
  for (const char* b : {"a", "b", "c"}) queue.send(message(b));
  CHECK(bodies(queue.receive(1, 10s)) == std::vector<std::string>{"a"});
  CHECK(bodies(queue.receive(1, 60s)) == std::vector<std::string>{"b"});
  clock.advance(10s);  // "a" is back
  queue.send(message("d"));
  CHECK(bodies(queue.receive(10, std::nullopt)) == std::vector<std::string>{"a", "c", "d"});
}

TEST_CASE_FIXTURE(Fixture, "receive returns at most max_messages") {
  for (int i = 0; i < 25; ++i) queue.send(message(std::to_string(i)));
  CHECK(queue.receive(10, std::nullopt).size() == 10);
  CHECK(queue.receive(10, std::nullopt).size() == 10);
  CHECK(queue.receive(10, std::nullopt).size() == 5);
  CHECK(queue.receive(0, std::nullopt).empty());
}

TEST_CASE_FIXTURE(Fixture, "a send wakes waiters once; a delayed send does not") {
  int woken = 0;
  queue.add_waiter([&] { ++woken; });
  queue.send(message("later", 20s));
  CHECK(woken == 0);
  CHECK(queue.next_change() == clock.now() + 20s);
  queue.send(message("now"));
  CHECK(woken == 1);
  queue.send(message("again"));
  CHECK(woken == 1);  // one-shot
}

TEST_CASE_FIXTURE(Fixture, "a removed waiter is not called") {
  int woken = 0;
  const auto id = queue.add_waiter([&] { ++woken; });
  CHECK(id != 0);
  queue.remove_waiter(id);
  queue.remove_waiter(id);  // harmless
  queue.send(message("m"));
  CHECK(woken == 0);
}

TEST_CASE_FIXTURE(Fixture, "a waiter may use the queue: it runs without the lock") {
  std::vector<ReceivedMessage> got;
  queue.add_waiter([&] { got = queue.receive(10, std::nullopt); });
  queue.send(message("m"));
  CHECK(bodies(got) == std::vector<std::string>{"m"});
}

TEST_CASE_FIXTURE(Fixture, "next_change is empty when nothing is pending") {
  CHECK_FALSE(queue.next_change().has_value());
  queue.send(message("m"));
  CHECK_FALSE(queue.next_change().has_value());
  auto got = queue.receive(1, 7s);
  CHECK(queue.next_change() == clock.now() + 7s);
  REQUIRE(got.size() == 1);
  CHECK(queue.delete_message(got[0].receipt_handle).is_ok());
  CHECK_FALSE(queue.next_change().has_value());
}

TEST_CASE_FIXTURE(Fixture, "close wakes every waiter and later waiters at once") {
  int woken = 0;
  queue.add_waiter([&] { ++woken; });
  queue.add_waiter([&] { ++woken; });
  CHECK_FALSE(queue.closed());
  queue.close();
  CHECK(queue.closed());
  CHECK(woken == 2);
  queue.add_waiter([&] { ++woken; });
  CHECK(woken == 3);
}

TEST_CASE_FIXTURE(Fixture, "receive_or_wait returns messages or registers the waker") {
  int woken = 0;
  queue.send(message("m"));
  ReceiveOrWait r = queue.receive_or_wait(10, std::nullopt, [&] { ++woken; });
  CHECK(bodies(r.messages) == std::vector<std::string>{"m"});
  CHECK(r.waiter_id == 0);

  queue.send(message("delayed", 3s));
  r = queue.receive_or_wait(10, std::nullopt, [&] { ++woken; });
  CHECK(r.messages.empty());
  CHECK(r.waiter_id != 0);
  CHECK(r.next_change == clock.now() + 3s);
  queue.send(message("n"));
  CHECK(woken == 1);

  queue.close();
  queue.purge();
  r = queue.receive_or_wait(10, std::nullopt, [&] { ++woken; });
  CHECK(r.messages.empty());
  CHECK(r.waiter_id == 0);  // closed: nothing to wait for
  CHECK(woken == 1);
}

TEST_CASE_FIXTURE(Fixture, "tags are merged and removed") {
  queue.tag({{"a", "1"}, {"b", "2"}});
  queue.tag({{"b", "3"}});
  queue.untag({"a", "missing"});
  CHECK(queue.tags() == std::map<std::string, std::string>{{"b", "3"}});
  CHECK(queue.attributes() == QueueAttributes{});
  CHECK(queue.created() == clock.now());
}

TEST_CASE_FIXTURE(Fixture, "many stale entries do not disturb order or counts") {
  // Receives with visibility 0 and deletes of visible messages leave stale
  // entries behind; the queue must stay exact.
  for (int i = 0; i < 500; ++i) queue.send(message(std::to_string(i)));
  std::vector<std::string> handles;
  for (int round = 0; round < 3; ++round) {
    auto got = queue.receive(500, 0s);
    CHECK(got.size() == 500);
    if (round == 2) {
      for (const auto& g : got) handles.push_back(g.receipt_handle);
    }
  }
  for (std::size_t i = 0; i < handles.size(); i += 2) CHECK(queue.delete_message(handles[i]).is_ok());
  CHECK(queue.counts().visible == 250);
  auto rest = queue.receive(1000, 10s);
  REQUIRE(rest.size() == 250);
  for (std::size_t i = 0; i < rest.size(); ++i) CHECK(rest[i].message->body() == std::to_string(2 * i + 1));
  clock.advance(10s);
  CHECK(queue.counts().visible == 250);
  CHECK(queue.receive(1, std::nullopt)[0].message->body() == "1");
}

TEST_CASE("concurrent senders, receivers and deleters leave consistent counts") {
  ManualClock clock;
  Queue queue(key_of("busy"), {}, {}, clock);
  constexpr int kSenders = 3;
  constexpr int kPerSender = 2000;
  std::atomic<int> deleted{0};
  std::atomic<int> wakes{0};
  std::vector<std::thread> threads;
  for (int s = 0; s < kSenders; ++s) {
    threads.emplace_back([&, s] {
      for (int i = 0; i < kPerSender; ++i) {
        queue.send(message(std::to_string(s) + ":" + std::to_string(i)));
        if (i % 100 == 0) queue.add_waiter([&] { ++wakes; });
      }
    });
  }
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&, r] {
      int round = 0;
      while (deleted.load() < kSenders * kPerSender) {
        auto got = queue.receive(10, 30s);
        for (const auto& m : got) {
          // Every third round hands some messages back first.
          if ((++round + r) % 3 == 0) {
            CHECK(queue.change_visibility(m.receipt_handle, 0s).is_ok());
          } else {
            CHECK(queue.delete_message(m.receipt_handle).is_ok());
            ++deleted;
          }
        }
        (void)queue.counts();
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(deleted.load() == kSenders * kPerSender);
  const QueueCounts c = queue.counts();
  CHECK(c.visible == 0);
  CHECK(c.in_flight == 0);
  CHECK(c.delayed == 0);
  CHECK(wakes.load() > 0);
}

}  // namespace shoal::storage
