// Journal::open on an in-memory disk: replay, torn tails, damage, segments.
#include <doctest/doctest.h>

#include <cstdio>
#include <map>

#include "storage/journal/journal_format.h"
#include "tests/storage/journal/journal_test_util.h"

namespace shoal::storage::journal {
using namespace testing;

namespace {
std::vector<std::string> numbered(int n, const std::string& prefix = "record-") {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

void write_all(MemoryFileSystem& fs, const std::vector<std::string>& records, Options options) {
  options.files = &fs;
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  for (const auto& r : records) o.journal->wait_durable(o.journal->append(r));  // one per batch
}
}  // namespace

TEST_CASE("records appended before a close are replayed in order by the next open") {
  MemoryFileSystem fs;
  Opened first = open_journal(memory_options(fs));
  REQUIRE(first.journal);
  CHECK(first.replayed.empty());
  CHECK(first.journal->append("a") == 1);
  CHECK(first.journal->append("b") == 2);
  CHECK(first.journal->append(std::string(100000, 'z')) == 3);
  first.journal.reset();

  Opened second = open_journal(memory_options(fs));
  REQUIRE(second.journal);
  CHECK(second.replayed == std::vector<std::string>{"a", "b", std::string(100000, 'z')});
  CHECK(second.recovery.records == 3);
  CHECK(second.recovery.notes.empty());
  CHECK(second.journal->append("c") == 1);  // positions restart with every open
  second.journal.reset();

  Opened third = open_journal(memory_options(fs));
  CHECK(third.replayed.size() == 4);
  CHECK(third.replayed.back() == "c");
}

TEST_CASE("records acknowledged under kAlways survive a crash; the reopened log accepts more") {
  MemoryFileSystem fs;
  Opened before = open_journal(memory_options(fs));
  REQUIRE(before.journal);
  Lsn last = 0;
  for (const auto& r : numbered(50)) last = before.journal->append(r);
  before.journal->wait_durable(last);
  fs.power_off();  // no clean close: the journal never gets to flush anything more
  before.journal.reset();
  fs.crash();
  Opened o = open_journal(memory_options(fs));
  REQUIRE(o.journal);
  CHECK(o.replayed == numbered(50));
}

TEST_CASE("a crash mid-write: a cut at every offset of the last record is truncated and reported") {
  MemoryFileSystem fs;
  write_all(fs, numbered(3), memory_options(fs));
  const std::string image = fs.contents(segment_path(1));
  std::size_t last_start = kFileMagic.size();
  for (int i = 0; i < 2; ++i) last_start += kFrameHeaderBytes + numbered(3)[i].size();
  REQUIRE(image.size() == last_start + kFrameHeaderBytes + numbered(3)[2].size());
  for (std::size_t cut = last_start + 1; cut < image.size(); ++cut) {
    CAPTURE(cut);
    MemoryFileSystem disk;
    disk.set_contents(segment_path(1), image.substr(0, cut));
    Opened o = open_journal(memory_options(disk));
    REQUIRE(o.journal);
    CHECK(o.replayed == numbered(2));
    REQUIRE(o.recovery.notes.size() == 1);
    CHECK(contains(o.recovery.notes,
                   "torn final record in /data/segment-00000000000000000001.log at offset " +
                       std::to_string(last_start)));
    CHECK(disk.contents(segment_path(1)).size() == last_start);
    o.journal->wait_durable(o.journal->append("after"));
    o.journal.reset();
    disk.crash();
    Opened again = open_journal(memory_options(disk));
    CHECK(again.replayed == std::vector<std::string>{"record-0", "record-1", "after"});
    CHECK(again.recovery.notes.empty());
  }
}

TEST_CASE("a flipped byte before the tail stops open with the file and offset") {
  MemoryFileSystem fs;
  write_all(fs, numbered(3), memory_options(fs));
  std::string image = fs.contents(segment_path(1));
  const std::size_t second = kFileMagic.size() + kFrameHeaderBytes + numbered(3)[0].size();
  image[second + kFrameHeaderBytes + 2] ^= 0x04;  // inside record-1's payload
  fs.set_contents(segment_path(1), image);
  Opened o = open_journal(memory_options(fs));
  CHECK_FALSE(o.journal);
  CHECK(o.error == "journal: damaged record in /data/segment-00000000000000000001.log at offset " +
                       std::to_string(second) +
                       " (checksum mismatch); the log after it cannot be replayed");
  CHECK(fs.contents(segment_path(1)) == image);  // a refused start changes nothing
}

TEST_CASE("damage in an older segment is never taken for a torn tail") {
  MemoryFileSystem fs;
  Options options = memory_options(fs);
  options.segment_bytes = 1;  // every batch rolls to a new segment
  {
    Opened o = open_journal(options);
    REQUIRE(o.journal);
    for (const auto& r : numbered(3)) o.journal->wait_durable(o.journal->append(r));
  }
  std::string image = fs.contents(segment_path(1));
  image.pop_back();  // the end of segment 1 is cut, yet segment 2 follows
  fs.set_contents(segment_path(1), image);
  Opened o = open_journal(options);
  CHECK_FALSE(o.journal);
  CHECK(o.error.find("segment-00000000000000000001.log at offset 8 (record runs past the end") !=
        std::string::npos);
}

TEST_CASE(
    "drop_damaged starts anyway: cuts at the damage, keeps the cut bytes, drops later files") {
  MemoryFileSystem fs;
  Options options = memory_options(fs);
  options.segment_bytes = 40;
  write_all(fs, numbered(6), options);
  const auto files_before = fs.names("/data");
  REQUIRE(files_before.size() >= 3);
  std::string image = fs.contents(segment_path(1));
  image[kFileMagic.size() + 5] ^= 0x10;  // the first record's checksum
  fs.set_contents(segment_path(1), image);

  options.drop_damaged = true;
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  CHECK(o.replayed.empty());
  CHECK(contains(o.recovery.dropped,
                 "dropped damaged log in /data/segment-00000000000000000001.log from offset 8"));
  CHECK(contains(o.recovery.dropped, "dropped /data/segment-00000000000000000002.log"));
  CHECK(fs.contents(segment_path(1) + ".dropped") == image.substr(kFileMagic.size()));
  CHECK(fs.exists(segment_path(2) + ".dropped"));
  o.journal->wait_durable(o.journal->append("fresh"));
  o.journal.reset();

  options.drop_damaged = false;  // the log is whole again
  Opened again = open_journal(options);
  REQUIRE(again.journal);
  CHECK(again.replayed == std::vector<std::string>{"fresh"});
}

TEST_CASE("a missing segment in the middle is damage, named by file") {
  MemoryFileSystem fs;
  Options options = memory_options(fs);
  options.segment_bytes = 1;
  write_all(fs, numbered(4), options);
  REQUIRE(fs.remove(segment_path(2)));
  Opened o = open_journal(options);
  CHECK_FALSE(o.journal);
  CHECK(o.error.find("/data/segment-00000000000000000002.log is missing") != std::string::npos);

  options.drop_damaged = true;
  Opened dropped = open_journal(options);
  REQUIRE(dropped.journal);
  CHECK(dropped.replayed == numbered(1));
}

TEST_CASE("segments roll past segment_bytes and replay across files in order") {
  MemoryFileSystem fs;
  Options options = memory_options(fs);
  options.segment_bytes = 100;
  {
    Opened o = open_journal(options);
    REQUIRE(o.journal);
    for (const auto& r : numbered(40)) o.journal->wait_durable(o.journal->append(r));
    std::uint64_t on_disk = 0;
    for (const auto& name : fs.names("/data")) on_disk += fs.contents("/data/" + name).size();
    CHECK(o.journal->total_bytes() == on_disk);
  }
  const auto names = fs.names("/data");
  CHECK(names.size() > 5);
  for (const auto& name : names) {
    CHECK(fs.contents("/data/" + name).size() < 100 + kFrameHeaderBytes + 10);
  }
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  CHECK(o.replayed == numbered(40));
}

TEST_CASE("restarts without records do not pile up empty segments") {
  MemoryFileSystem fs;
  for (int i = 0; i < 5; ++i) {
    Opened o = open_journal(memory_options(fs));
    REQUIRE(o.journal);
  }
  CHECK(fs.names("/data") == std::vector<std::string>{"segment-00000000000000000001.log"});
}

TEST_CASE("a file that is not a journal segment is damage at offset 0") {
  MemoryFileSystem fs;
  fs.set_contents(segment_path(1), "hello, I am a text file\n");
  Opened o = open_journal(memory_options(fs));
  CHECK_FALSE(o.journal);
  CHECK(o.error.find("segment-00000000000000000001.log at offset 0 (not a journal file") !=
        std::string::npos);
}

namespace {

// Every file and its bytes: what a refused start must leave exactly as it was.
std::map<std::string, std::string> disk_image(const MemoryFileSystem& fs) {
  std::map<std::string, std::string> out;
  for (const auto& name : fs.names("/data")) out[name] = fs.contents("/data/" + name);
  return out;
}

std::string snapshot_path(std::uint64_t n) {
  char name[64];
  std::snprintf(name, sizeof name, "/data/snapshot-%020llu.log",
                static_cast<unsigned long long>(n));
  return name;
}

// Issue 13's steps: three records, kill -9, restart (a new segment), three
// more, stop. Leaves segment 1 (older) and segment 2 (newest).
void two_runs(MemoryFileSystem& fs, const Options& options) {
  {
    Opened o = open_journal(options);
    REQUIRE(o.journal);
    for (const auto& r : numbered(3, "first-")) o.journal->wait_durable(o.journal->append(r));
    fs.power_off();  // kill -9: no clean stop
  }
  fs.crash();
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  for (const auto& r : numbered(3, "second-")) o.journal->wait_durable(o.journal->append(r));
}

}  // namespace

TEST_CASE(
    "an older segment emptied to 0 bytes is damage: refused, naming the file, nothing touched") {
  MemoryFileSystem fs;
  const Options options = memory_options(fs);
  two_runs(fs, options);
  REQUIRE(fs.exists(segment_path(2)));
  fs.set_contents(segment_path(1), "");
  const auto before = disk_image(fs);

  Opened o = open_journal(options);
  CHECK_FALSE(o.journal);
  CHECK(o.replayed.size() <= 3);
  CHECK(o.error.find(segment_path(1) + " at offset 0 (empty file") != std::string::npos);
  CHECK(disk_image(fs) == before);
}

TEST_CASE("drop_damaged past an emptied older segment starts, and says what it dropped") {
  MemoryFileSystem fs;
  Options options = memory_options(fs);
  two_runs(fs, options);
  fs.set_contents(segment_path(1), "");
  options.drop_damaged = true;
  Opened o = open_journal(options);
  REQUIRE(o.journal);
  CHECK(o.replayed.empty());  // segment 2's records need segment 1's: they go too
  CHECK(
      contains(o.recovery.dropped, "dropped damaged log in " + segment_path(1) + " from offset 0"));
  CHECK(contains(o.recovery.dropped, "dropped " + segment_path(2) + " (renamed *.dropped)"));
  CHECK(fs.exists(segment_path(2) + ".dropped"));
}

TEST_CASE("a newest segment of 0 bytes (a crash while creating it) is no damage") {
  MemoryFileSystem fs;
  const Options options = memory_options(fs);
  two_runs(fs, options);
  fs.set_contents(segment_path(3), "");
  Opened o = open_journal(options);
  REQUIRE_MESSAGE(o.journal, o.error);
  CHECK(o.replayed.size() == 6);
  CHECK(o.recovery.dropped.empty());
}

TEST_CASE("recover() changes nothing on disk; start() cuts the torn tail and starts a segment") {
  MemoryFileSystem fs;
  const Options options = memory_options(fs);
  write_all(fs, numbered(3), options);
  std::string image = fs.contents(segment_path(1));
  image.pop_back();  // a torn last record
  fs.set_contents(segment_path(1), image);
  const auto before = disk_image(fs);
  std::vector<std::string> replayed;
  Recovery recovery;
  std::string error;
  auto recovered = Journal::recover(
      options, [&](std::string_view r) { replayed.emplace_back(r); }, &recovery, &error);
  REQUIRE_MESSAGE(recovered, error);
  CHECK(replayed == numbered(2));
  CHECK(contains(recovery.notes, "torn final record"));
  CHECK(disk_image(fs) == before);
  recovered.reset();  // an abandoned start (say, records the engines did not understand)
  CHECK(disk_image(fs) == before);

  recovered = Journal::recover(options, nullptr, &recovery, &error);
  REQUIRE(recovered);
  auto journal = recovered->start(&error);
  REQUIRE_MESSAGE(journal, error);
  CHECK(fs.contents(segment_path(1)).size() ==
        image.size() - (kFrameHeaderBytes + numbered(3)[2].size() - 1));
  CHECK(fs.exists(segment_path(2)));
}

TEST_CASE(
    "a damaged snapshot beside the log it replaced: refused untouched; drop_damaged loses "
    "nothing") {
  // Issue 13: a queue, kill -9, restart, stop; then a damaged snapshot-<next>.
  MemoryFileSystem fs;
  Options options = memory_options(fs);
  two_runs(fs, options);
  const auto names = fs.names("/data");
  REQUIRE(names == std::vector<std::string>{"segment-00000000000000000001.log",
                                            "segment-00000000000000000002.log"});
  std::string bad(kFileMagic);
  append_frame(&bad, "a snapshot record");
  bad[bad.size() - 2] ^= 0x20;
  fs.set_contents(snapshot_path(3), bad);
  const auto before = disk_image(fs);

  Opened refused = open_journal(options);
  CHECK_FALSE(refused.journal);
  CHECK(refused.error.find("damaged record in " + snapshot_path(3) +
                           " at offset 8 (checksum mismatch)") != std::string::npos);
  CHECK(refused.error.find("--drop-damaged-log") != std::string::npos);
  CHECK(disk_image(fs) == before);  // the segments are all still there

  options.drop_damaged = true;
  Opened o = open_journal(options);
  REQUIRE_MESSAGE(o.journal, o.error);
  std::vector<std::string> all = numbered(3, "first-");
  for (const auto& r : numbered(3, "second-")) all.push_back(r);
  CHECK(o.replayed == all);
  CHECK(contains(o.recovery.dropped, snapshot_path(3) + ".dropped"));
  CHECK(contains(o.recovery.dropped, "nothing lost"));
  CHECK(fs.exists(snapshot_path(3) + ".dropped"));
  CHECK_FALSE(fs.exists(snapshot_path(3)));
  CHECK(fs.exists(segment_path(1)));
  o.journal->wait_durable(o.journal->append("after"));
  o.journal.reset();

  options.drop_damaged = false;  // whole again
  Opened again = open_journal(options);
  REQUIRE_MESSAGE(again.journal, again.error);
  all.push_back("after");
  CHECK(again.replayed == all);
}

TEST_CASE("files a snapshot made obsolete are removed by start(), never by a refused start") {
  MemoryFileSystem fs;
  Options options = memory_options(fs);
  KvModel model;
  {
    Opened o = open_journal(options);
    REQUIRE(o.journal);
    for (int i = 0; i < 10; ++i)
      o.journal->wait_durable(model.change(*o.journal, "set k" + std::to_string(i) + " v"));
  }
  const std::string old_segment = fs.contents(segment_path(1));
  {
    Opened o = open_journal(options);
    REQUIRE(o.journal);
    std::string error;
    REQUIRE(o.journal->compact([&](const Journal::Emit& e) { model.snapshot(e); }, &error));
  }
  REQUIRE_FALSE(fs.exists(segment_path(1)));
  // A crash between the snapshot's commit and the removals left segment 1.
  fs.set_contents(segment_path(1), old_segment);
  fs.set_contents(segment_path(4), "not a journal file");  // and later damage refuses the start
  const auto before = disk_image(fs);
  Opened refused = open_journal(options);
  CHECK_FALSE(refused.journal);
  CHECK(disk_image(fs) == before);

  REQUIRE(fs.remove(segment_path(4)));
  Opened o = open_journal(options);
  REQUIRE_MESSAGE(o.journal, o.error);
  CHECK(replay_state(o.replayed) == model.state());
  CHECK_FALSE(fs.exists(segment_path(1)));
}

TEST_CASE(
    "a snapshot in force without the segment it starts is damage: the records there are gone") {
  MemoryFileSystem fs;
  Options options = memory_options(fs);
  KvModel model;
  {
    Opened o = open_journal(options);
    REQUIRE(o.journal);
    model.change(*o.journal, "set a 1");
    std::string error;
    REQUIRE(o.journal->compact([&](const Journal::Emit& e) { model.snapshot(e); }, &error));
    o.journal->wait_durable(model.change(*o.journal, "set b 2"));  // in segment 2
  }
  REQUIRE(fs.exists(snapshot_path(2)));
  REQUIRE(fs.remove(segment_path(2)));
  Opened o = open_journal(options);
  CHECK_FALSE(o.journal);
  CHECK(o.error.find(segment_path(2) + " is missing") != std::string::npos);

  options.drop_damaged = true;
  Opened dropped = open_journal(options);
  REQUIRE(dropped.journal);
  CHECK(replay_state(dropped.replayed) == std::map<std::string, std::string>{{"a", "1"}});
  CHECK(contains(dropped.recovery.dropped, "is missing"));
}

}  // namespace shoal::storage::journal
