// compact(): the log shrinks to the live state, appends keep flowing while it
// runs, and a crash at any step of the switch-over loses nothing.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "storage/journal/journal_format.h"
#include "tests/storage/journal/journal_test_util.h"

namespace shoal::storage::journal {
using namespace testing;

namespace {

// Ten keys overwritten many times: almost every record is dead.
void churn(KvModel& model, Journal& j, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    j.wait_durable(model.change(j, "set k" + std::to_string(i % 10) + " v" + std::to_string(i)));
  }
  j.wait_durable(model.change(j, "del k3"));
}

std::map<std::string, std::string> reopen_state(const Options& options) {
  Opened o = open_journal(options);
  REQUIRE_MESSAGE(o.journal, o.error);
  return replay_state(o.replayed);
}

}  // namespace

TEST_CASE("compaction replaces dead records with the live state and deletes the old segments") {
  MemoryFileSystem fs;
  Options options = memory_options(fs);
  options.segment_bytes = 512;
  KvModel model;
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  churn(model, *o.journal, 1000);
  const std::uint64_t before = o.journal->total_bytes();
  CHECK(o.journal->bytes_since_compaction() > 15000);
  CHECK(fs.names("/data").size() > 20);

  std::string error;
  REQUIRE(o.journal->compact([&](const Journal::Emit& emit) { model.snapshot(emit); }, &error));
  CHECK(o.journal->total_bytes() < before / 20);
  CHECK(o.journal->bytes_since_compaction() == 0);
  const auto names = fs.names("/data");
  REQUIRE(names.size() == 2);
  CHECK(names[0].rfind("segment-", 0) == 0);
  CHECK(names[1].rfind("snapshot-", 0) == 0);
  CHECK(parse_file_name(names[0])->number == parse_file_name(names[1])->number);
  std::uint64_t on_disk = 0;
  for (const auto& name : names) on_disk += fs.contents("/data/" + name).size();
  CHECK(o.journal->total_bytes() == on_disk);

  model.change(*o.journal, "set after compaction");
  o.journal.reset();
  fs.crash();
  Opened again = open_journal(options);
  REQUIRE(again.journal);
  CHECK(again.replayed.size() == 10);  // 9 live keys from the snapshot + 1 later record
  CHECK(replay_state(again.replayed) == model.state());
  CHECK(again.journal->bytes_since_compaction() > 0);
  CHECK(again.journal->bytes_since_compaction() < 100);
}

TEST_CASE("appends keep flowing during compaction and land on top of the snapshot") {
  MemoryFileSystem fs;
  Options options = memory_options(fs);
  options.segment_bytes = 4096;
  KvModel model;
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  churn(model, *o.journal, 200);

  std::atomic<bool> stop{false};
  std::atomic<int> during{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; !stop.load() || i < 200; ++i) {
        const Lsn lsn =
            model.change(*o.journal, "set t" + std::to_string(t) + "-" + std::to_string(i % 50) +
                                         " " + std::to_string(i));
        if (i % 16 == 0) o.journal->wait_durable(lsn);
        ++during;
      }
    });
  }
  for (int round = 0; round < 5; ++round) {
    std::string error;
    REQUIRE(o.journal->compact(
        [&](const Journal::Emit& emit) {
          model.snapshot(emit);
          // Writers are still appending while the snapshot is written.
        },
        &error));
  }
  stop = true;
  for (auto& w : writers) w.join();
  CHECK(during.load() >= 600);
  const auto expected = model.state();
  o.journal.reset();
  fs.crash();
  CHECK(reopen_state(options) == expected);
}

TEST_CASE("a crash at every step of the compaction switch-over leaves the same state") {
  using Keeps = MemoryFileSystem::CrashKeeps;
  // First count the file system changes one undisturbed compaction makes.
  std::uint64_t steps = 0;
  {
    MemoryFileSystem fs;
    KvModel model;
    Opened o = open_journal(memory_options(fs));
    churn(model, *o.journal, 300);
    const std::uint64_t before = fs.change_count();
    std::string error;
    REQUIRE(o.journal->compact([&](const Journal::Emit& emit) { model.snapshot(emit); }, &error));
    steps = fs.change_count() - before;
  }
  REQUIRE(steps >=
          8);  // roll (open, magic, sync, dir sync), tmp, write, sync, rename, dir sync, ...
  for (Keeps keeps : {Keeps::kSyncedOnly, Keeps::kDirectoryChanges}) {
    for (std::uint64_t step = 0; step <= steps; ++step) {
      CAPTURE(step);
      CAPTURE(keeps == Keeps::kSyncedOnly);
      MemoryFileSystem fs;
      const Options options = memory_options(fs);
      KvModel model;
      Opened o = open_journal(options);
      REQUIRE(o.journal);
      churn(model, *o.journal, 300);
      const auto expected = model.state();
      fs.fail_after(static_cast<std::int64_t>(step));
      std::string error;
      const bool compacted =
          o.journal->compact([&](const Journal::Emit& emit) { model.snapshot(emit); }, &error);
      if (step < 10) CHECK_FALSE(compacted);  // the commit (rename + dir sync) never happened
      if (step == steps) CHECK(compacted);
      o.journal.reset();
      fs.crash(keeps);
      Opened after = open_journal(options);
      REQUIRE_MESSAGE(after.journal, after.error);
      CHECK(after.recovery.notes.empty());
      CHECK(replay_state(after.replayed) == expected);
      // And the recovered log keeps working: one more change, one more restart.
      KvModel again;
      for (const auto& r : after.replayed) again.apply(r);
      again.change(*after.journal, "set k0 final");
      after.journal.reset();
      auto final_expected = again.state();
      CHECK(reopen_state(options) == final_expected);
      CHECK(fs.names("/data").size() <= 3);  // leftovers of the old log are gone
    }
  }
}

TEST_CASE("a snapshot that fails to write leaves the old log in force and the journal usable") {
  MemoryFileSystem fs;
  const Options options = memory_options(fs);
  KvModel model;
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  churn(model, *o.journal, 100);
  // Let the roll through, fail the snapshot file's creation.
  fs.fail_after(4);
  std::string error;
  CHECK_FALSE(o.journal->compact([&](const Journal::Emit& emit) { model.snapshot(emit); }, &error));
  CHECK(error.find("compaction failed") != std::string::npos);
  fs.fail_after(-1);
  CHECK(o.journal->failure().empty());
  model.change(*o.journal, "set later yes");
  REQUIRE(o.journal->compact([&](const Journal::Emit& emit) { model.snapshot(emit); }, &error));
  o.journal.reset();
  fs.crash();
  CHECK(reopen_state(options) == model.state());
}

TEST_CASE("damage inside a snapshot stops open; it never tears") {
  MemoryFileSystem fs;
  const Options options = memory_options(fs);
  KvModel model;
  {
    Opened o = open_journal(options);
    churn(model, *o.journal, 50);
    std::string error;
    REQUIRE(o.journal->compact([&](const Journal::Emit& emit) { model.snapshot(emit); }, &error));
  }
  const auto names = fs.names("/data");
  const std::string snapshot = "/data/" + names.back();
  REQUIRE(snapshot.find("snapshot-") != std::string::npos);
  std::string image = fs.contents(snapshot);
  image.back() ^= 0x01;  // the last byte of the last snapshot record
  fs.set_contents(snapshot, image);
  Opened o = open_journal(options);
  CHECK_FALSE(o.journal);
  CHECK(o.error.find(snapshot + " at offset ") != std::string::npos);
}

}  // namespace shoal::storage::journal
