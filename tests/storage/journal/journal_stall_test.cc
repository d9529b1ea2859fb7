// A log that cannot be written (a full disk, a failed sync) stalls instead of
// stopping: nothing is acknowledged meanwhile, every record the engines
// applied is kept and written once the disk has room, in order and whole, and
// a crash at any point of it leaves a log that opens cleanly with every
// acknowledged record. A start on a full disk comes up stalled.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "storage/journal/journal_format.h"
#include "tests/storage/journal/journal_test_util.h"

namespace shoal::storage::journal {
using namespace testing;

namespace {

Options quick_retry(MemoryFileSystem& fs) {
  Options options = memory_options(fs);
  options.retry_interval_ms = 1;
  return options;
}

std::uint64_t used(const MemoryFileSystem& fs) {
  std::uint64_t n = 0;
  for (const auto& name : fs.names("/data")) n += fs.contents("/data/" + name).size();
  return n;
}

// Waits (up to 10 s) for what another thread does after waking the waiters.
template <typename Done>
bool eventually(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

// The writer retries every millisecond: this waits for one that works.
bool wait_writable(Journal& j) {
  return eventually([&] { return j.writable(); });
}

}  // namespace

TEST_CASE(
    "a full disk stalls the log; once there is room the kept records are written whole, in order") {
  MemoryFileSystem fs;
  Options options = quick_retry(fs);
  // Heard on the writer thread, after the waiters wake: the test waits for them.
  std::atomic<int> stalls = 0;
  std::atomic<int> resumes = 0;
  options.on_stall = [&](const std::string&) { ++stalls; };
  options.on_resume = [&] { ++resumes; };
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  CHECK(o.journal->wait_durable(o.journal->append("acked-0")));
  fs.set_capacity(used(fs) + 20);  // room for half a record more

  const Lsn failed = o.journal->append(std::string(30, 'x'));  // written halfway, then ENOSPC
  CHECK_FALSE(o.journal->wait_durable(failed));
  CHECK_FALSE(o.journal->writable());
  CHECK(o.journal->failure().find("No space left on device") != std::string::npos);
  REQUIRE(eventually([&] { return stalls == 1; }));
  std::optional<bool> told;
  const Lsn kept = o.journal->append("kept while stalled");
  o.journal->on_durable(kept, [&](bool durable) { told = durable; });
  CHECK(told == false);
  std::string error;
  CHECK_FALSE(o.journal->compact([](const Journal::Emit&) {}, &error));

  fs.set_capacity(std::nullopt);  // room again
  REQUIRE(wait_writable(*o.journal));
  CHECK(o.journal->wait_durable(kept));
  CHECK(o.journal->wait_durable(o.journal->append("acked-1")));
  CHECK(eventually([&] { return resumes == 1; }));
  CHECK(stalls == 1);
  fs.power_off();
  o.journal.reset();
  fs.crash();

  Opened again = open_journal(options);
  REQUIRE_MESSAGE(again.journal, again.error);
  CHECK(again.replayed ==
        std::vector<std::string>{"acked-0", std::string(30, 'x'), "kept while stalled", "acked-1"});
  CHECK(again.recovery.notes.empty());  // the half-written bytes were cut before the retry
}

TEST_CASE(
    "a crash while stalled keeps every acknowledged record; the half-written one is a torn tail") {
  MemoryFileSystem fs;
  const Options options = quick_retry(fs);
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  for (const auto& r : {"a", "b", "c"}) CHECK(o.journal->wait_durable(o.journal->append(r)));
  fs.set_capacity(used(fs) + 10);
  CHECK_FALSE(o.journal->wait_durable(o.journal->append(std::string(40, 'y'))));
  fs.power_off();  // kill -9 with the disk still full
  o.journal.reset();
  fs.crash(MemoryFileSystem::CrashKeeps::kDirectoryChanges);
  fs.set_capacity(std::nullopt);

  Opened again = open_journal(options);
  REQUIRE_MESSAGE(again.journal, again.error);
  CHECK(again.replayed == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("a failed fsync stalls the log; the batch is written again whole, not twice") {
  MemoryFileSystem fs;
  const Options options = quick_retry(fs);
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  CHECK(o.journal->wait_durable(o.journal->append("before")));
  fs.fail_after(1);  // the write goes through, its fsync does not
  const Lsn lsn = o.journal->append("synced late");
  CHECK_FALSE(o.journal->wait_durable(lsn));
  fs.fail_after(-1);
  REQUIRE(wait_writable(*o.journal));
  CHECK(o.journal->wait_durable(lsn));
  o.journal.reset();
  fs.crash();
  CHECK(open_journal(options).replayed == std::vector<std::string>{"before", "synced late"});
}

TEST_CASE(
    "a segment roll on a full disk: nothing goes to either segment until it works; a crash is "
    "clean") {
  MemoryFileSystem fs;
  Options options = quick_retry(fs);
  options.segment_bytes = 64;
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  std::vector<std::string> acked;
  // Fill segment 1 to just past its size; the roll after that write needs
  // room for segment 2's header, which the disk no longer has.
  fs.set_capacity(used(fs) + 60);
  const std::string big(60 - kFrameHeaderBytes, 'r');
  CHECK(o.journal->wait_durable(o.journal->append(big)));  // durable; the roll after it failed
  CHECK_FALSE(o.journal->writable());
  const Lsn later = o.journal->append("after the roll");
  CHECK_FALSE(o.journal->wait_durable(later));
  fs.power_off();
  o.journal.reset();
  fs.crash(MemoryFileSystem::CrashKeeps::kDirectoryChanges);  // segment 2 may exist, empty
  fs.set_capacity(std::nullopt);

  Opened again = open_journal(options);
  REQUIRE_MESSAGE(again.journal, again.error);
  CHECK(again.replayed == std::vector<std::string>{big});
  CHECK(again.recovery.dropped.empty());
}

TEST_CASE(
    "a start on a full disk comes up stalled with the log replayed, and writes once there is "
    "room") {
  MemoryFileSystem fs;
  const Options options = quick_retry(fs);
  {
    Opened o = open_journal(options);
    REQUIRE(o.journal);
    for (const auto& r : {"a", "b"}) CHECK(o.journal->wait_durable(o.journal->append(r)));
  }
  fs.set_capacity(used(fs));  // not a byte more
  Opened o = open_journal(options);
  REQUIRE_MESSAGE(o.journal, o.error);
  CHECK(o.replayed == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(o.journal->writable());
  CHECK(o.journal->failure().find("No space left on device") != std::string::npos);
  const Lsn lsn = o.journal->append("c");
  CHECK_FALSE(o.journal->wait_durable(lsn));

  fs.set_capacity(std::nullopt);
  REQUIRE(wait_writable(*o.journal));
  CHECK(o.journal->wait_durable(lsn));
  o.journal.reset();
  fs.crash();
  CHECK(open_journal(options).replayed == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE(
    "a stalled log tries once more when it is destroyed: a clean stop with room loses nothing") {
  MemoryFileSystem fs;
  Options options = memory_options(fs);
  options.retry_interval_ms = 3'600'000;  // only the stop retries
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  fs.set_capacity(used(fs));
  CHECK_FALSE(o.journal->wait_durable(o.journal->append("kept")));
  fs.set_capacity(std::nullopt);
  o.journal.reset();
  fs.crash();
  CHECK(open_journal(options).replayed == std::vector<std::string>{"kept"});
}

}  // namespace shoal::storage::journal
