// When records become durable: group commit, on_durable callbacks, the three
// fsync policies, and I/O failure. The in-memory disk's sync hook holds a
// sync "in flight" so concurrency is arranged, not hoped for.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "tests/storage/journal/journal_test_util.h"

namespace shoal::storage::journal {
using namespace testing;

namespace {

// Blocks every sync after arm() until release(); tells when one is blocked.
class SyncGate {
 public:
  explicit SyncGate(MemoryFileSystem& fs) {
    fs.set_sync_hook([this] {
      std::unique_lock lock(mu_);
      if (!armed_) return;
      ++blocked_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return !armed_; });
    });
  }
  void arm() {
    std::lock_guard lock(mu_);
    armed_ = true;
  }
  void wait_blocked() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return blocked_ > 0; });
  }
  void release() {
    std::lock_guard lock(mu_);
    armed_ = false;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool armed_ = false;
  int blocked_ = 0;
};

}  // namespace

TEST_CASE("group commit: records appended during one fsync all share the next one") {
  MemoryFileSystem fs;
  SyncGate gate(fs);
  Opened o = open_journal(memory_options(fs));
  REQUIRE(o.journal);
  const std::uint64_t syncs_before = fs.sync_count();
  gate.arm();
  const Lsn first = o.journal->append("first");
  gate.wait_blocked();  // the writer is inside the fsync for "first"

  constexpr int kThreads = 8, kEach = 25;
  std::atomic<int> appended{0};
  std::atomic<int> durable{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Lsn last = 0;
      for (int i = 0; i < kEach; ++i) last = o.journal->append("t" + std::to_string(t));
      ++appended;
      o.journal->wait_durable(last);
      ++durable;
    });
  }
  while (appended.load() < kThreads) std::this_thread::yield();
  CHECK(durable.load() == 0);  // nobody is acknowledged before an fsync covers them
  gate.release();
  for (auto& t : threads) t.join();
  o.journal->wait_durable(first);
  CHECK(fs.sync_count() - syncs_before == 2);  // 201 records, 2 fsyncs
  o.journal.reset();
  fs.crash();
  CHECK(open_journal(memory_options(fs)).replayed.size() == 1 + kThreads * kEach);
}

TEST_CASE(
    "group commit under free-running concurrent appenders syncs far less than once per record") {
  MemoryFileSystem fs;
  // A slow disk: every sync takes a while, as a real fsync does. 2 ms, not
  // less: under ThreadSanitizer on a busy 2-core machine an append takes long
  // enough that with 300 us too few others arrived during a sync (203 syncs
  // for 400 records, 1 run in 40).
  fs.set_sync_hook([] { std::this_thread::sleep_for(std::chrono::milliseconds(2)); });
  Opened o = open_journal(memory_options(fs));
  REQUIRE(o.journal);
  const std::uint64_t syncs_before = fs.sync_count();
  constexpr int kThreads = 8, kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) o.journal->wait_durable(o.journal->append("r"));
    });
  }
  for (auto& t : threads) t.join();
  CHECK(fs.sync_count() - syncs_before <= kThreads * kEach / 2);
}

TEST_CASE(
    "on_durable callbacks fire once each, in position order, whatever order they were asked in") {
  MemoryFileSystem fs;
  SyncGate gate(fs);
  Opened o = open_journal(memory_options(fs));
  REQUIRE(o.journal);
  std::mutex mu;
  std::vector<Lsn> fired;
  auto record = [&](Lsn lsn) {
    return [&, lsn](bool durable) {
      CHECK(durable);
      std::lock_guard lock(mu);
      fired.push_back(lsn);
    };
  };
  gate.arm();
  std::vector<Lsn> lsns;
  for (int i = 0; i < 10; ++i) lsns.push_back(o.journal->append("r"));
  gate.wait_blocked();
  for (auto it = lsns.rbegin(); it != lsns.rend(); ++it) o.journal->on_durable(*it, record(*it));
  o.journal->on_durable(0, record(0));  // before every record: durable already, but after the queue
  {
    std::lock_guard lock(mu);
    CHECK(fired.empty());  // not durable yet
  }
  gate.release();
  for (int i = 0; i < 500; ++i) {
    const Lsn lsn = o.journal->append("more");
    o.journal->on_durable(lsn, record(lsn));
  }
  o.journal.reset();  // a clean stop runs every callback that is due
  std::vector<Lsn> expected{0};
  for (Lsn l = 1; l <= 510; ++l) expected.push_back(l);
  CHECK(fired == expected);
}

TEST_CASE("on_durable for a position already durable runs at once on the caller") {
  MemoryFileSystem fs;
  Opened o = open_journal(memory_options(fs));
  REQUIRE(o.journal);
  const Lsn lsn = o.journal->append("r");
  o.journal->wait_durable(lsn);
  std::thread::id ran_on;
  o.journal->on_durable(lsn, [&](bool) { ran_on = std::this_thread::get_id(); });
  CHECK(ran_on == std::this_thread::get_id());
}

TEST_CASE("kInterval: acknowledged once written; a crash before the interval's fsync loses it") {
  MemoryFileSystem fs;
  Options options = memory_options(fs, FsyncPolicy::kInterval);
  options.fsync_interval_ms = 3'600'000;
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  const std::uint64_t syncs_before = fs.sync_count();
  const Lsn lsn = o.journal->append("unsynced");
  o.journal->wait_durable(lsn);
  bool called = false;
  o.journal->on_durable(lsn, [&](bool) { called = true; });
  CHECK(called);
  CHECK(fs.sync_count() == syncs_before);
  CHECK(fs.contents(segment_path(1)).find("unsynced") != std::string::npos);  // in the file
  fs.power_off();
  o.journal.reset();
  fs.crash();
  CHECK(open_journal(options).replayed.empty());
}

TEST_CASE("kInterval: once the interval has passed, the next write is fsynced") {
  MemoryFileSystem fs;
  Options options = memory_options(fs, FsyncPolicy::kInterval);
  options.fsync_interval_ms = 0;  // the interval is always over
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  const std::uint64_t syncs_before = fs.sync_count();
  o.journal->wait_durable(o.journal->append("synced"));
  CHECK(fs.sync_count() > syncs_before);
  fs.power_off();
  o.journal.reset();
  fs.crash();
  CHECK(open_journal(options).replayed == std::vector<std::string>{"synced"});
}

TEST_CASE("kNever: no fsync while running, but a clean stop syncs everything") {
  MemoryFileSystem fs;
  Options options = memory_options(fs, FsyncPolicy::kNever);
  {
    Opened o = open_journal(options);
    REQUIRE(o.journal);
    const std::uint64_t syncs_before = fs.sync_count();
    for (int i = 0; i < 100; ++i) o.journal->wait_durable(o.journal->append("r"));
    CHECK(fs.sync_count() == syncs_before);
  }
  fs.crash();
  CHECK(open_journal(options).replayed.size() == 100);

  MemoryFileSystem crashed;
  Options crash_options = memory_options(crashed, FsyncPolicy::kNever);
  Opened o = open_journal(crash_options);
  REQUIRE(o.journal);
  o.journal->wait_durable(o.journal->append("lost"));
  crashed.power_off();
  o.journal.reset();
  crashed.crash();
  CHECK(open_journal(crash_options).replayed.empty());
}

TEST_CASE("a write failure stalls the log: reported once, waiters told no, nothing acknowledged") {
  MemoryFileSystem fs;
  Options options = memory_options(fs);
  std::atomic<int> stalls{0};
  std::string reported;
  options.on_stall = [&](const std::string& what) {
    ++stalls;
    reported = what;
  };
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  CHECK(o.journal->wait_durable(o.journal->append("kept")));
  CHECK(o.journal->writable());
  CHECK(o.journal->failure().empty());
  fs.power_off();
  const Lsn lost = o.journal->append("lost");
  CHECK_FALSE(o.journal->wait_durable(lost));  // returns although the record is not durable
  CHECK_FALSE(o.journal->writable());
  CHECK(o.journal->failure().find("power is off") != std::string::npos);
  std::optional<bool> told;
  o.journal->on_durable(lost, [&](bool durable) { told = durable; });
  CHECK(told == false);  // at once, on the caller
  o.journal->append("after");
  std::string error;
  CHECK_FALSE(o.journal->compact([](const Journal::Emit&) {}, &error));
  CHECK(error == o.journal->failure());
  o.journal.reset();  // tries once more, in vain
  CHECK(stalls.load() == 1);
  CHECK(reported == error);
  fs.crash();
  CHECK(open_journal(options).replayed == std::vector<std::string>{"kept"});
}

}  // namespace shoal::storage::journal
