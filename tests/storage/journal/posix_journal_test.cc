// The journal on the real disk (a fresh directory under the system temp dir):
// the same contract through PosixFileSystem, and a throughput figure run by
// hand (skipped by default: build/tests/unit_tests -tc='*appends per second*' --no-skip).
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "tests/storage/journal/journal_test_util.h"

namespace shoal::storage::journal {
using namespace testing;

namespace {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "shoal-journal-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The real disk, counting file syncs (to show how many records share one).
class CountingFileSystem final : public FileSystem {
 public:
  std::atomic<std::uint64_t> syncs{0};

  IoStatus create_dir(const Path& d) override { return disk().create_dir(d); }
  IoResult<std::vector<std::string>> list(const Path& d) override { return disk().list(d); }
  IoResult<std::string> read(const Path& f) override { return disk().read(f); }
  IoResult<std::unique_ptr<WritableFile>> open_writable(const Path& f, bool truncate) override {
    auto opened = disk().open_writable(f, truncate);
    if (!opened) return opened.status();
    return std::unique_ptr<WritableFile>(std::make_unique<File>(std::move(opened).value(), syncs));
  }
  IoStatus truncate(const Path& f, std::uint64_t size) override { return disk().truncate(f, size); }
  IoStatus rename(const Path& a, const Path& b) override { return disk().rename(a, b); }
  IoStatus remove(const Path& f) override { return disk().remove(f); }
  IoStatus sync_dir(const Path& d) override { return disk().sync_dir(d); }

 private:
  class File final : public WritableFile {
   public:
    File(std::unique_ptr<WritableFile> inner, std::atomic<std::uint64_t>& syncs)
        : inner_(std::move(inner)), syncs_(syncs) {}
    IoStatus append(std::string_view data) override { return inner_->append(data); }
    IoStatus sync() override {
      ++syncs_;
      return inner_->sync();
    }
    IoStatus truncate(std::uint64_t size) override { return inner_->truncate(size); }
    std::uint64_t size() const override { return inner_->size(); }

   private:
    std::unique_ptr<WritableFile> inner_;
    std::atomic<std::uint64_t>& syncs_;
  };
  static FileSystem& disk() { return PosixFileSystem::instance(); }
};

Options disk_options(const TempDir& dir, FsyncPolicy fsync = FsyncPolicy::kAlways) {
  Options options;
  options.dir = dir.path() / "data";  // open() creates it
  options.fsync = fsync;
  return options;
}

}  // namespace

TEST_CASE("on disk: records survive a restart, a torn tail is truncated, damage names the file") {
  TempDir dir;
  const Options options = disk_options(dir);
  {
    Opened o = open_journal(options);
    REQUIRE_MESSAGE(o.journal, o.error);
    for (int i = 0; i < 3; ++i)
      o.journal->wait_durable(o.journal->append("on disk " + std::to_string(i)));
  }
  const auto segment = options.dir / "segment-00000000000000000001.log";
  const auto full = std::filesystem::file_size(segment);
  std::filesystem::resize_file(segment, full - 3);  // a crash mid-write of the last record
  {
    Opened o = open_journal(options);
    REQUIRE_MESSAGE(o.journal, o.error);
    CHECK(o.replayed == std::vector<std::string>{"on disk 0", "on disk 1"});
    CHECK(contains(o.recovery.notes, "torn final record in " + segment.string()));
    CHECK(std::filesystem::file_size(segment) == full - (8 + 9));
  }
  {
    std::FILE* f = std::fopen(segment.c_str(), "r+b");
    REQUIRE(f != nullptr);
    std::fseek(f, 8 + 8, SEEK_SET);
    std::fputc('X', f);  // inside the first record, with an intact one after it
    std::fclose(f);
  }
  Opened refused = open_journal(options);
  CHECK_FALSE(refused.journal);
  CHECK(refused.error.find(segment.string() + " at offset 8 (checksum mismatch)") !=
        std::string::npos);
}

TEST_CASE("on disk: compaction leaves one snapshot and the segment after it") {
  TempDir dir;
  Options options = disk_options(dir, FsyncPolicy::kNever);
  options.segment_bytes = 1024;
  KvModel model;
  {
    Opened o = open_journal(options);
    REQUIRE_MESSAGE(o.journal, o.error);
    for (int i = 0; i < 500; ++i) {
      o.journal->wait_durable(
          model.change(*o.journal, "set k" + std::to_string(i % 7) + " " + std::to_string(i)));
    }
    std::string error;
    REQUIRE_MESSAGE(o.journal->compact([&](const Journal::Emit& e) { model.snapshot(e); }, &error),
                    error);
    model.change(*o.journal, "set last one");
  }
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(options.dir))
    ++files;
  CHECK(files == 2);
  Opened o = open_journal(options);
  REQUIRE_MESSAGE(o.journal, o.error);
  CHECK(replay_state(o.replayed) == model.state());
}

TEST_CASE("journal appends per second on this disk with kAlways (by hand)" * doctest::skip()) {
  TempDir dir;
  CountingFileSystem counting;
  Options options = disk_options(dir);
  options.files = &counting;
  for (int threads : {1, 8, 64}) {
    Opened o = open_journal(options);
    const std::uint64_t syncs_before = counting.syncs.load();
    REQUIRE(o.journal);
    const std::string record(200, 'r');
    constexpr auto kRun = std::chrono::seconds(2);
    std::atomic<std::uint64_t> done{0};
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        while (std::chrono::steady_clock::now() - start < kRun) {
          o.journal->wait_durable(o.journal->append(record));
          ++done;
        }
      });
    }
    for (auto& w : workers) w.join();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    MESSAGE(threads << " waiting appenders: " << static_cast<std::uint64_t>(done / seconds)
                    << " durable appends/s (200-byte records), "
                    << done.load() / std::max<std::uint64_t>(1, counting.syncs - syncs_before)
                    << " records per fsync");
    CHECK(done.load() > 0);
  }
  Opened o = open_journal(options);
  CHECK(o.recovery.notes.empty());
}

}  // namespace shoal::storage::journal
