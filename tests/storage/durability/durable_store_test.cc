// DurableStore over the real journal on an in-memory disk: with fsync always,
// every change whose position the request waited for survives a crash that
// drops unsynced bytes, compaction included, and a restart reports what it
// recovered.
#include "storage/durability/durable_store.h"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/durability/change_codec.h"
#include "storage/journal/journal_files.h"
#include "tests/storage/durability/durable_node.h"
#include "storage/journal/journal_format.h"

namespace shoal::storage::durability {
namespace {

using namespace std::chrono_literals;

const QueueKey kQueue{"123456789012", "us-east-1", "jobs"};
const StreamKey kStream{"123456789012", "us-east-1", "clicks"};

using Node = testing::DurableNode;
constexpr auto msg = testing::message_with_body;

}  // namespace

TEST_CASE("acknowledged changes survive a crash that drops unsynced bytes, before and after compaction") {
  ManualClock clock;
  journal::MemoryFileSystem disk;
  std::vector<std::string> before;
  {
    Node node(clock, disk);
    CHECK(node.report.recovery.records == 0);
    std::shared_ptr<Queue> q;
    node.acked([&] { q = node.queues.create(kQueue, {}, {}).queue; });
    for (int i = 0; i < 20; ++i) node.acked([&] { (void)q->send(msg("m" + std::to_string(i))); });
    std::vector<ReceivedMessage> got;
    node.acked([&] { got = q->receive(5, 30s); });
    node.acked([&] { REQUIRE(q->delete_message(got[0].receipt_handle)); });
    node.acked([&] { REQUIRE(node.streams.create(kStream, {})); });
    auto s = node.streams.find(kStream);
    for (int i = 0; i < 10; ++i) {
      node.acked([&] { REQUIRE(s->put_record({"k" + std::to_string(i), std::nullopt, "d", std::nullopt})); });
    }
    std::string error;
    REQUIRE_MESSAGE(node.store->compact(&error), error);
    CHECK(node.store->compactions() == 1);
    node.acked([&] { (void)q->send(msg("after compaction")); });
    node.acked([&] { REQUIRE(s->put_record({"late", std::nullopt, "d", std::nullopt})); });
    before = node.state();
    disk.crash();  // kill -9 and power loss: only what was synced is left
  }
  clock.advance(5s);
  Node restarted(clock, disk);
  CHECK(restarted.state() == before);
  CHECK(restarted.report.queues == 1);
  CHECK(restarted.report.streams == 1);
  CHECK(restarted.report.summary().find("1 queues, 1 streams") != std::string::npos);
  auto q = restarted.queues.find(kQueue);
  REQUIRE(q);
  CHECK(q->counts().visible == 16);  // 21 sent, 5 received (in flight), 1 of those deleted
  CHECK(q->counts().in_flight == 4);
}

TEST_CASE("a change made while the disk filled is kept: after the stall and a crash, engines equal the log") {
  ManualClock clock;
  journal::MemoryFileSystem disk;
  std::vector<std::string> before;
  {
    Node node(clock, disk);
    std::shared_ptr<Queue> q;
    node.acked([&] { q = node.queues.create(kQueue, {}, {}).queue; });
    node.acked([&] { (void)q->send(msg("acked")); });
    std::uint64_t used = 0;
    for (const auto& name : disk.names("/data")) used += disk.contents("/data/" + name).size();
    disk.set_capacity(used);
    // Applied in memory before its record could be written: not acknowledged...
    (void)q->send(msg("raced the full disk"));
    CHECK_FALSE(node.store->wait_durable(DurableStore::take_thread_lsn()));
    CHECK_FALSE(node.store->writable());
    CHECK(node.store->failure().find("No space left on device") != std::string::npos);
    CHECK(q->counts().visible == 2);  // ...but the engine has it, so the log must get it too
    disk.set_capacity(std::nullopt);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!node.store->writable() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    REQUIRE(node.store->writable());
    node.acked([&] { (void)q->send(msg("after")); });
    before = node.state();
    disk.crash();
  }
  Node restarted(clock, disk);
  CHECK(restarted.state() == before);
  CHECK(restarted.queues.find(kQueue)->counts().visible == 3);
}

TEST_CASE("records the engines do not understand refuse the start and leave the directory as it was") {
  ManualClock clock;
  journal::MemoryFileSystem disk;
  {
    Node node(clock, disk);
    node.acked([&] { (void)node.queues.create(kQueue, {}, {}); });
  }
  // A record from a newer shoal, then a torn tail a crash left behind.
  std::string segment = disk.contents("/data/segment-00000000000000000001.log");
  journal::append_frame(&segment, std::string("\xFF\xFF unknown change", 17));
  segment += "torn";
  disk.set_contents("/data/segment-00000000000000000001.log", segment);
  const auto names = disk.names("/data");
  ReplayClock replay_clock(clock);
  QueueRegistry queues(replay_clock);
  StreamRegistry streams(replay_clock, Node::options());
  DurableOptions o;
  o.journal.dir = "/data";
  o.journal.files = &disk;
  std::string error;
  OpenReport report;
  CHECK_FALSE(DurableStore::open(o, queues, streams, &replay_clock, &report, &error));
  CHECK(error.find("could not be decoded") != std::string::npos);
  CHECK(disk.names("/data") == names);
  CHECK(disk.contents("/data/segment-00000000000000000001.log") == segment);  // the torn tail is still there
}

}  // namespace shoal::storage::durability
