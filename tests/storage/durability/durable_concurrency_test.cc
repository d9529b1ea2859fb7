// DurableStore under threads (scripts/tsan.sh runs these under
// ThreadSanitizer): request threads change queues and a stream and wait for
// group commits of the real journal (its writer thread, an in-memory disk)
// while compactions snapshot the engines; after a crash the restart must
// equal the engines as they were, whatever interleaving happened.
#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/durability/change_codec.h"
#include "storage/durability/durable_store.h"
#include "storage/journal/journal_files.h"
#include "tests/storage/durability/durable_node.h"

namespace shoal::storage::durability {
namespace {

using namespace std::chrono_literals;

const std::string kAccount = "123456789012";
const std::string kRegion = "us-east-1";

QueueKey queue_key(const std::string& name) { return {kAccount, kRegion, name}; }

using Node = testing::DurableNode;
constexpr auto msg = testing::message_with_body;

}  // namespace

TEST_CASE("group commits from many threads with compactions racing: a restart equals the engines") {
  ManualClock clock;
  journal::MemoryFileSystem disk;
  std::vector<std::string> before;
  {
    Node node(clock, disk);
    QueueAttributes redriven;
    redriven.dead_letter = DeadLetterTarget{queue_key("dead"), 1};
    (void)node.queues.create(queue_key("dead"), {}, {});
    auto queue = node.queues.create(queue_key("jobs"), redriven, {}).queue;
    StreamConfig config;
    config.shard_count = 2;
    auto stream = node.streams.create({kAccount, kRegion, "clicks"}, config);
    REQUIRE(stream.ok());
    REQUIRE(node.store->wait_durable(DurableStore::take_thread_lsn()));

    // Each request thread waits for its own change to be durable, as the
    // server does before answering, so the writer batches concurrent ones.
    auto acked = [&node] { CHECK(node.store->wait_durable(DurableStore::take_thread_lsn())); };
    std::atomic<int> running{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) {
      ++running;
      threads.emplace_back([&, t] {
        for (int i = 0; i < 150; ++i) {
          (void)queue->send(msg(std::to_string(t) + ":" + std::to_string(i)));
          acked();
        }
        --running;
      });
    }
    threads.emplace_back([&] {  // receives (moving second receives to "dead") and deletes
      int round = 0;
      while (running.load() > 0) {
        for (const auto& m : node.queues.receive(*queue, 5, 30s)) {
          if (++round % 3 != 0) (void)queue->delete_message(m.receipt_handle);
        }
        acked();
      }
    });
    ++running;
    threads.emplace_back([&] {  // puts, with a split and a merge among them
      for (int i = 0; i < 200; ++i) {
        (void)(*stream)->put_record({"k" + std::to_string(i), std::nullopt, "d" + std::to_string(i), std::nullopt});
        if (i == 50) (void)node.streams.split_shard({kAccount, kRegion, "clicks"}, "shardId-000000000000", HashKey{1} << 64);
        if (i == 120) {
          (void)node.streams.merge_shards({kAccount, kRegion, "clicks"}, "shardId-000000000002", "shardId-000000000003");
        }
        acked();
      }
      --running;
    });
    threads.emplace_back([&] {
      int compactions = 0;
      while (running.load() > 0 || compactions == 0) {
        std::string error;
        CHECK_MESSAGE(node.store->compact(&error), error);
        ++compactions;
        std::this_thread::sleep_for(5ms);
      }
    });
    for (auto& t : threads) t.join();
    CHECK(node.store->compactions() > 0);
    before = node.state();
    disk.crash();  // kill -9 and power loss: only what was synced is left
  }
  Node restarted(clock, disk);
  CHECK(restarted.state() == before);
  CHECK(restarted.report.queues == 2);
  CHECK(restarted.report.streams == 1);
}

}  // namespace shoal::storage::durability
