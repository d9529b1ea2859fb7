// Journal::open on an in-memory disk: replay, torn tails, damage, segments.
#include <doctest/doctest.h>

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
  CHECK(contains(o.recovery.notes,
                 "dropped damaged log in /data/segment-00000000000000000001.log from offset 8"));
  CHECK(contains(o.recovery.notes, "dropped /data/segment-00000000000000000002.log"));
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

}  // namespace shoal::storage::journal
