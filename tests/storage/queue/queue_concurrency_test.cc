// Queues under threads (scripts/tsan.sh runs these under ThreadSanitizer):
// senders, receivers and deleters on one queue with dead-letter moves to
// another, FIFO groups served to racing receivers, and long polls parked on a
// queue that is deleted under them. Each case checks that nothing is lost or
// delivered twice; ThreadSanitizer checks how they got there.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/queue/queue_registry.h"

namespace shoal::storage {
namespace {

using namespace std::chrono_literals;

QueueKey key_of(std::string name) { return QueueKey{"000000000000", "us-east-1", std::move(name)}; }

NewMessage message(std::string body, std::string group = {}) {
  NewMessage m;
  m.body = std::move(body);
  m.group_id = std::move(group);
  if (!m.group_id.empty()) m.deduplication_id = m.body;
  return m;
}

// Gives up after a few seconds instead of hanging the test run.
bool before_deadline(std::chrono::steady_clock::time_point deadline) {
  return std::chrono::steady_clock::now() < deadline;
}

void join_all(std::vector<std::thread>& threads) {
  for (auto& t : threads) t.join();
}

}  // namespace

TEST_CASE("racing senders, receivers and deleters with dead-letter moves lose and duplicate nothing") {
  ManualClock clock;
  QueueRegistry registry(clock);
  auto dlq = registry.create(key_of("dead"), {}, {}).queue;
  QueueAttributes attributes;
  attributes.dead_letter = DeadLetterTarget{key_of("dead"), 2};
  auto queue = registry.create(key_of("busy"), attributes, {}).queue;

  constexpr int kSenders = 3;
  constexpr int kPerSender = 400;
  constexpr int kTotal = kSenders * kPerSender;
  std::mutex mutex;
  std::multiset<std::string> deleted;  // from either queue
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  auto done = [&] {
    std::lock_guard lock(mutex);
    return static_cast<int>(deleted.size()) >= kTotal || !before_deadline(deadline);
  };
  auto note_deleted = [&](const ReceivedMessage& m) {
    std::lock_guard lock(mutex);
    deleted.insert(std::string(m.message->body()));
  };

  std::vector<std::thread> threads;
  for (int s = 0; s < kSenders; ++s) {
    threads.emplace_back([&, s] {
      for (int i = 0; i < kPerSender; ++i) (void)queue->send(message(std::to_string(s) + ":" + std::to_string(i)));
    });
  }
  // Receivers hand every other batch back at once (visibility 0), so
  // messages reach their second receive and move to the dead-letter queue
  // while other receivers and the senders are at work.
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&, r] {
      for (int round = r; !done(); ++round) {
        for (const auto& m : registry.receive(*queue, 10, 30s)) {
          if (round % 2 == 0) {
            CHECK(queue->change_visibility(m.receipt_handle, 0s).is_ok());
          } else if (queue->delete_message(m.receipt_handle).is_ok()) {
            note_deleted(m);
          }
        }
      }
    });
  }
  threads.emplace_back([&] {
    while (!done()) {
      for (const auto& m : registry.receive(*dlq, 10, 30s)) {
        const QueueKey* source = m.message->dead_letter_source();
        CHECK((source != nullptr && *source == key_of("busy")));
        CHECK(dlq->delete_message(m.receipt_handle).is_ok());
        note_deleted(m);
      }
    }
  });
  threads.emplace_back([&] {  // readers of counts and attributes, as GetQueueAttributes would
    while (!done()) {
      (void)queue->counts();
      (void)dlq->counts();
      (void)registry.dead_letter_sources(key_of("dead"));
    }
  });
  join_all(threads);

  REQUIRE(deleted.size() == kTotal);
  CHECK(std::set<std::string>(deleted.begin(), deleted.end()).size() == kTotal);
  CHECK(queue->counts().visible + queue->counts().in_flight == 0);
  CHECK(dlq->counts().visible + dlq->counts().in_flight == 0);
}

TEST_CASE("racing receivers on a FIFO queue get each group's messages one at a time, in order") {
  ManualClock clock;
  QueueRegistry registry(clock);
  QueueAttributes attributes;
  attributes.fifo = true;
  auto queue = registry.create(key_of("orders.fifo"), attributes, {}).queue;

  constexpr int kGroups = 4;
  constexpr int kPerGroup = 150;
  std::mutex mutex;
  std::map<std::string, std::vector<int>> seen;  // group -> indexes in the order received
  std::atomic<int> deleted{0};
  const auto deadline = std::chrono::steady_clock::now() + 60s;

  std::vector<std::thread> threads;
  for (int g = 0; g < kGroups; ++g) {
    threads.emplace_back([&, g] {
      for (int i = 0; i < kPerGroup; ++i) {
        (void)queue->send(message("g" + std::to_string(g) + ":" + std::to_string(i), "g" + std::to_string(g)));
      }
    });
  }
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&] {
      while (deleted.load() < kGroups * kPerGroup && before_deadline(deadline)) {
        for (const auto& m : queue->receive(3, 30s)) {
          const std::string body(m.message->body());
          const auto colon = body.find(':');
          {
            // Recorded before the delete: the delete is what lets another
            // receiver have the group's next message.
            std::lock_guard lock(mutex);
            seen[body.substr(0, colon)].push_back(std::stoi(body.substr(colon + 1)));
          }
          CHECK(queue->delete_message(m.receipt_handle).is_ok());
          ++deleted;
        }
      }
    });
  }
  join_all(threads);

  REQUIRE(deleted.load() == kGroups * kPerGroup);
  REQUIRE(seen.size() == kGroups);
  for (const auto& [group, indexes] : seen) {
    std::vector<int> expected(kPerGroup);
    for (int i = 0; i < kPerGroup; ++i) expected[static_cast<std::size_t>(i)] = i;
    CHECK_MESSAGE(indexes == expected, group);
  }
}

TEST_CASE("long polls parked on a queue deleted under them are each woken once and then end") {
  ManualClock clock;
  QueueRegistry registry(clock);
  auto queue = registry.create(key_of("polled"), {}, {}).queue;

  constexpr int kPollers = 4;
  std::atomic<int> wakes{0};
  std::atomic<int> received{0};
  std::atomic<int> ended{0};
  std::atomic<int> sent{0};
  const auto deadline = std::chrono::steady_clock::now() + 60s;

  std::vector<std::thread> threads;
  for (int p = 0; p < kPollers; ++p) {
    threads.emplace_back([&] {
      while (before_deadline(deadline)) {
        // The server's long poll: a flag the waker sets, checked again after
        // each wake, as a parked session would on its strand.
        auto woken = std::make_shared<std::atomic<int>>(0);
        auto got = queue->receive_or_wait(10, 30s, [&wakes, woken] {
          ++*woken;
          ++wakes;
        });
        for (const auto& m : got.messages) {
          (void)queue->delete_message(m.receipt_handle);
          ++received;
        }
        if (!got.messages.empty()) continue;
        if (got.waiter_id == 0) {  // closed, and nothing left to receive
          ++ended;
          return;
        }
        while (woken->load() == 0 && before_deadline(deadline)) std::this_thread::yield();
        CHECK(woken->load() == 1);
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 300; ++i) {
      (void)queue->send(message("m" + std::to_string(i)));
      ++sent;
    }
  });
  threads.emplace_back([&] {
    // Delete once some polls have had messages, while sends may still run.
    while (received.load() < 20 && before_deadline(deadline)) std::this_thread::yield();
    CHECK(registry.remove(key_of("polled")).is_ok());
  });
  join_all(threads);

  CHECK(ended.load() == kPollers);
  CHECK(queue->closed());
  // Every message was received and deleted, or (sent after the last poll
  // ended) is still there: none was lost to the close.
  const QueueCounts left = queue->counts();
  CHECK(left.in_flight == 0);
  CHECK(received.load() + static_cast<int>(left.visible) == sent.load());
  CHECK(wakes.load() >= kPollers);
  CHECK_FALSE(registry.find(key_of("polled")));
}

TEST_CASE("a move task catching up from racing receivers, listers and a moving clock moves each message once") {
  ManualClock clock;
  QueueRegistry registry(clock);
  auto dead = registry.create(key_of("dead"), {}, {}).queue;
  auto dest = registry.create(key_of("dest"), {}, {}).queue;
  constexpr int kMessages = 300;
  for (int i = 0; i < kMessages; ++i) (void)dead->send(message("m" + std::to_string(i)));
  REQUIRE(registry.move_tasks().start(key_of("dead"), key_of("dest"), 40).status.is_ok());

  std::mutex mutex;
  std::multiset<std::string> received;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  auto done = [&] {
    std::lock_guard lock(mutex);
    return static_cast<int>(received.size()) >= kMessages || !before_deadline(deadline);
  };
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    // Time passes: the task may move 40 more each second. At most 20 s in
    // all, so no receiver's 30 s visibility runs out between its receive and
    // its delete (a message delivered again is no fault of the task's).
    for (int s = 0; s < 20 && dead->counts().visible > 0 && !done(); ++s) {
      clock.advance(1s);
      std::this_thread::sleep_for(1ms);
    }
  });
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {  // receives catch the task up, as every SQS request does
      while (!done()) {
        for (const auto& m : registry.receive(*dest, 10, 30s)) {
          CHECK(dest->delete_message(m.receipt_handle).is_ok());
          std::lock_guard lock(mutex);
          received.insert(std::string(m.message->body()));
        }
      }
    });
  }
  threads.emplace_back([&] {  // ListMessageMoveTasks and a parked poll's next check
    while (!done()) {
      (void)registry.move_tasks().list(key_of("dead"), 10);
      (void)registry.move_tasks().next_due();
    }
  });
  join_all(threads);

  CHECK(received.size() == kMessages);
  CHECK(std::set<std::string>(received.begin(), received.end()).size() == received.size());
  CHECK(dead->counts().visible == 0);
  const auto tasks = registry.move_tasks().list(key_of("dead"), 10);
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].moved == kMessages);
}

}  // namespace shoal::storage
