// QueueRegistry: creation is idempotent, keys isolate accounts and regions,
// listing is by prefix and sorted, removal closes the queue.
#include "storage/queue/queue_registry.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace shoal::storage {
namespace {

std::vector<std::string> names(const std::vector<std::shared_ptr<Queue>>& queues) {
  std::vector<std::string> out;
  for (const auto& q : queues) out.push_back(q->key().name);
  return out;
}

}  // namespace

TEST_CASE("create makes a queue once and then returns it untouched") {
  ManualClock clock;
  QueueRegistry registry(clock);
  const QueueKey key{"111111111111", "us-east-1", "orders"};
  QueueAttributes first;
  first.visibility_timeout = std::chrono::seconds(5);
  auto a = registry.create(key, first, {{"team", "a"}});
  CHECK(a.created);
  REQUIRE(a.queue);
  CHECK(a.queue->key() == key);

  QueueAttributes second;
  second.visibility_timeout = std::chrono::seconds(50);
  auto b = registry.create(key, second, {});
  CHECK_FALSE(b.created);
  CHECK(b.queue == a.queue);
  CHECK(b.queue->attributes().visibility_timeout == std::chrono::seconds(5));
  CHECK(b.queue->tags().at("team") == "a");
  CHECK(registry.find(key) == a.queue);
}

TEST_CASE("queues are isolated by account and region") {
  ManualClock clock;
  QueueRegistry registry(clock);
  auto q1 = registry.create({"111111111111", "us-east-1", "q"}, {}, {}).queue;
  auto q2 = registry.create({"222222222222", "us-east-1", "q"}, {}, {}).queue;
  auto q3 = registry.create({"111111111111", "eu-west-1", "q"}, {}, {}).queue;
  CHECK(q1 != q2);
  CHECK(q1 != q3);
  q1->send(NewMessage{});
  CHECK(q1->counts().visible == 1);
  CHECK(q2->counts().visible == 0);
  CHECK(q3->counts().visible == 0);
  CHECK(registry.find({"333333333333", "us-east-1", "q"}) == nullptr);
  CHECK(names(registry.list("222222222222", "us-east-1", "")) == std::vector<std::string>{"q"});
}

TEST_CASE("list returns one account's and region's queues by prefix, sorted by name") {
  ManualClock clock;
  QueueRegistry registry(clock);
  for (const char* n : {"zeta", "alpha", "app-2", "app-1", "app", "b"}) {
    registry.create({"111111111111", "us-east-1", n}, {}, {});
  }
  registry.create({"111111111111", "us-west-2", "app-9"}, {}, {});
  registry.create({"111111111112", "us-east-1", "app-8"}, {}, {});
  registry.create({"111111111110", "us-east-1", "app-7"}, {}, {});

  CHECK(names(registry.list("111111111111", "us-east-1", "app")) ==
        std::vector<std::string>{"app", "app-1", "app-2"});
  CHECK(names(registry.list("111111111111", "us-east-1", "")) ==
        std::vector<std::string>{"alpha", "app", "app-1", "app-2", "b", "zeta"});
  CHECK(registry.list("111111111111", "us-east-1", "nothing").empty());
  CHECK(registry.list("999999999999", "us-east-1", "").empty());
}

TEST_CASE("remove closes the queue, wakes its long polls and forgets it") {
  ManualClock clock;
  QueueRegistry registry(clock);
  const QueueKey key{"111111111111", "us-east-1", "q"};
  auto q = registry.create(key, {}, {}).queue;
  int woken = 0;
  q->add_waiter([&] { ++woken; });
  CHECK(registry.remove(key).is_ok());
  CHECK(woken == 1);
  CHECK(q->closed());
  CHECK(registry.find(key) == nullptr);
  CHECK(registry.list("111111111111", "us-east-1", "").empty());
  CHECK(registry.remove(key).code() == Status::Code::kNotFound);
}

TEST_CASE("a queue created again under the same name rejects the old queue's handles") {
  ManualClock clock;
  QueueRegistry registry(clock);
  const QueueKey key{"111111111111", "us-east-1", "q"};
  auto old_queue = registry.create(key, {}, {}).queue;
  old_queue->send(NewMessage{});
  auto got = old_queue->receive(1, std::nullopt);
  REQUIRE(got.size() == 1);
  CHECK(registry.remove(key).is_ok());

  auto fresh = registry.create(key, {}, {});
  CHECK(fresh.created);
  CHECK(fresh.queue != old_queue);
  fresh.queue->send(NewMessage{});
  REQUIRE(fresh.queue->receive(1, std::nullopt).size() == 1);
  CHECK(fresh.queue->delete_message(got[0].receipt_handle).code() == Status::Code::kInvalidHandle);
  CHECK(fresh.queue->counts().in_flight == 1);
}

TEST_CASE("with a recreate delay a deleted name counts as recently deleted until it passes") {
  using namespace std::chrono_literals;
  ManualClock clock;
  QueueRegistry registry(clock);
  const QueueKey key{"111111111111", "us-east-1", "orders"};
  const QueueKey other{"222222222222", "us-east-1", "orders"};
  registry.create(key, {}, {});
  REQUIRE(registry.remove(key).is_ok());
  CHECK_FALSE(registry.deleted_recently(key));  // off by default

  registry.set_recreate_delay(60s);
  registry.create(key, {}, {});
  registry.create(other, {}, {});
  REQUIRE(registry.remove(key).is_ok());
  REQUIRE(registry.remove(other).is_ok());
  CHECK(registry.deleted_recently(key));
  clock.advance(59s);
  CHECK(registry.deleted_recently(key));
  clock.advance(1s);
  CHECK_FALSE(registry.deleted_recently(key));

  // clear() forgets the deletions of the account it clears, and only those.
  clock.advance(1s);
  registry.create(key, {}, {});
  REQUIRE(registry.remove(key).is_ok());
  registry.create(other, {}, {});
  REQUIRE(registry.remove(other).is_ok());
  registry.clear(std::string("111111111111"));
  CHECK_FALSE(registry.deleted_recently(key));
  CHECK(registry.deleted_recently(other));
  registry.set_recreate_delay(0s);
  CHECK_FALSE(registry.deleted_recently(other));
}

}  // namespace shoal::storage
