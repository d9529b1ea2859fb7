// Journal::open: recovery. Finds the newest snapshot, replays it and every
// segment after it, truncates a torn tail of the newest segment, refuses (or
// with drop_damaged, cuts away) damage anywhere else, removes files a finished
// or abandoned compaction left behind, and starts the segment new records go to.
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "storage/journal/journal.h"
#include "storage/journal/journal_files.h"
#include "storage/journal/journal_format.h"
#include "storage/journal/journal_impl.h"
#include "storage/journal/journal_reader.h"

namespace shoal::storage::journal {
namespace {

struct LiveFile {
  FileKind kind;
  std::uint64_t number;
  std::uint64_t size = 0;  // after recovery
};

class Recoverer {
 public:
  Recoverer(const Options& options, FileSystem& files, const Journal::Replay& replay,
            Recovery& recovery)
      : options_(options), files_(files), replay_(replay), recovery_(recovery) {}

  std::optional<JournalImpl::Start> run(std::string* error);

 private:
  FileSystem::Path path(const LiveFile& f) const {
    return options_.dir / file_name(f.kind, f.number);
  }
  bool fail(std::string* error, const std::string& message) {
    *error = "journal: " + message;
    return false;
  }
  bool find_files(std::string* error);
  bool replay_files(std::string* error);
  bool drop_from(std::size_t index, std::uint64_t offset, const std::string& image,
                 std::string* error);
  std::optional<JournalImpl::Start> start_segment(std::string* error);

  const Options& options_;
  FileSystem& files_;
  const Journal::Replay& replay_;
  Recovery& recovery_;
  std::vector<LiveFile> live_;  // the snapshot (if any), then segments in order
};

std::optional<JournalImpl::Start> Recoverer::run(std::string* error) {
  if (IoStatus s = files_.create_dir(options_.dir); !s) {
    fail(error, s.message());
    return std::nullopt;
  }
  if (!find_files(error) || !replay_files(error)) return std::nullopt;
  return start_segment(error);
}

bool Recoverer::find_files(std::string* error) {
  auto listed = files_.list(options_.dir);
  if (!listed) return fail(error, listed.status().message());
  std::map<std::uint64_t, std::string> segments;
  std::set<std::uint64_t> snapshots;
  std::vector<std::string> garbage;  // an unfinished compaction's snapshot
  for (const std::string& name : listed.value()) {
    const auto parsed = parse_file_name(name);
    if (!parsed) continue;
    switch (parsed->kind) {
      case FileKind::kSegment:
        segments.emplace(parsed->number, name);
        break;
      case FileKind::kSnapshot:
        snapshots.insert(parsed->number);
        break;
      case FileKind::kSnapshotTemp:
        garbage.push_back(name);
        break;
    }
  }
  const std::uint64_t base = snapshots.empty() ? 0 : *snapshots.rbegin();
  for (const std::uint64_t n : snapshots) {
    if (n < base) garbage.push_back(file_name(FileKind::kSnapshot, n));
  }
  for (const auto& [n, name] : segments) {
    if (n < base) garbage.push_back(name);
  }
  for (const std::string& name : garbage) {
    if (IoStatus s = files_.remove(options_.dir / name); !s) return fail(error, s.message());
  }
  if (base != 0) live_.push_back({FileKind::kSnapshot, base});
  std::uint64_t expected = base != 0 ? base : 1;
  for (auto it = segments.lower_bound(base); it != segments.end(); ++it) {
    if (it->first != expected) {
      const std::string missing = file_name(FileKind::kSegment, expected);
      const std::string message =
          (options_.dir / missing).string() + " is missing (the log goes on at " + it->second + ")";
      if (!options_.drop_damaged) return fail(error, message + "; the log cannot be replayed");
      recovery_.notes.push_back(message + "; replaying only the log before it");
      // Move the rest aside: later replays must not mistake them for the log.
      for (; it != segments.end(); ++it) {
        const auto from = options_.dir / it->second;
        if (IoStatus s = files_.rename(from, from.string() + ".dropped"); !s) {
          return fail(error, s.message());
        }
        recovery_.notes.push_back("dropped " + from.string() + " (renamed *.dropped)");
      }
      break;
    }
    live_.push_back({FileKind::kSegment, it->first});
    ++expected;
  }
  return true;
}

bool Recoverer::replay_files(std::string* error) {
  for (std::size_t i = 0; i < live_.size(); ++i) {
    LiveFile& f = live_[i];
    auto read = files_.read(path(f));
    if (!read) return fail(error, read.status().message());
    const std::string image = std::move(read).value();
    const bool newest_segment = i + 1 == live_.size() && f.kind == FileKind::kSegment;
    const ScanResult scan = scan_file(image, newest_segment, replay_);
    recovery_.records += scan.records;
    recovery_.bytes += scan.intact_bytes;
    f.size = scan.intact_bytes;
    const std::string where = path(f).string() + " at offset " + std::to_string(scan.intact_bytes);
    switch (scan.end) {
      case ScanResult::End::kClean:
        break;
      case ScanResult::End::kTorn:
        if (IoStatus s = files_.truncate(path(f), scan.intact_bytes); !s) {
          return fail(error, s.message());
        }
        recovery_.notes.push_back(
            "torn final record in " + where + " (" + scan.reason + "): truncated " +
            std::to_string(image.size() - scan.intact_bytes) + " bytes a crash left half-written");
        break;
      case ScanResult::End::kDamaged:
        if (!options_.drop_damaged) {
          return fail(error, "damaged record in " + where + " (" + scan.reason +
                                 "); the log after it cannot be replayed");
        }
        return drop_from(i, scan.intact_bytes, image, error);
    }
  }
  return true;
}

// drop_damaged: keep the damaged bytes beside the log (*.dropped) for a human,
// cut the file at the damage and move every later file aside.
bool Recoverer::drop_from(std::size_t index, std::uint64_t offset, const std::string& image,
                          std::string* error) {
  const auto damaged = path(live_[index]);
  const auto kept = damaged.string() + ".dropped";
  auto opened = files_.open_writable(kept, true);
  if (!opened) return fail(error, opened.status().message());
  if (IoStatus s = opened.value()->append(std::string_view(image).substr(offset)); !s) {
    return fail(error, s.message());
  }
  if (IoStatus s = opened.value()->sync(); !s) return fail(error, s.message());
  if (IoStatus s = files_.truncate(damaged, offset); !s) return fail(error, s.message());
  recovery_.notes.push_back("dropped damaged log in " + damaged.string() + " from offset " +
                            std::to_string(offset) + ": " + std::to_string(image.size() - offset) +
                            " bytes (kept in " + kept + ")");
  for (std::size_t i = index + 1; i < live_.size(); ++i) {
    const auto from = path(live_[i]);
    if (IoStatus s = files_.rename(from, from.string() + ".dropped"); !s) {
      return fail(error, s.message());
    }
    recovery_.notes.push_back("dropped " + from.string() + " (renamed *.dropped)");
  }
  live_.resize(index + 1);
  return true;
}

// New records go to a fresh segment after the last one, or to the last one
// again when it holds no record (so restarts do not pile up empty files).
std::optional<JournalImpl::Start> Recoverer::start_segment(std::string* error) {
  JournalImpl::Start start;
  std::uint64_t number = 1;
  for (const LiveFile& f : live_) {
    start.total_bytes += f.size;
    if (f.kind == FileKind::kSegment && f.size > kFileMagic.size()) {
      start.bytes_since_compaction += f.size - kFileMagic.size();
    }
    number = f.number;
  }
  if (!live_.empty() && live_.back().kind == FileKind::kSegment) {
    if (live_.back().size > kFileMagic.size()) {
      ++number;
    } else {
      start.total_bytes -= live_.back().size;
    }
  }
  auto opened = files_.open_writable(options_.dir / file_name(FileKind::kSegment, number), true);
  if (!opened) {
    fail(error, opened.status().message());
    return std::nullopt;
  }
  start.segment = std::move(opened).value();
  IoStatus s = start.segment->append(kFileMagic);
  if (s) s = start.segment->sync();
  if (s) s = files_.sync_dir(options_.dir);  // also makes recovery's removals durable
  if (!s) {
    fail(error, s.message());
    return std::nullopt;
  }
  start.segment_number = number;
  start.total_bytes += kFileMagic.size();
  return start;
}

}  // namespace

std::unique_ptr<Journal> Journal::open(const Options& options, const Replay& replay,
                                       Recovery* recovery, std::string* error) {
  Recovery ignored_recovery;
  std::string ignored_error;
  Recovery& rec = recovery != nullptr ? *recovery : ignored_recovery;
  rec = Recovery{};
  FileSystem& files = options.files != nullptr ? *options.files : PosixFileSystem::instance();
  const Journal::Replay replay_or_skip = replay ? replay : [](std::string_view) {};
  Recoverer recoverer(options, files, replay_or_skip, rec);
  auto start = recoverer.run(error != nullptr ? error : &ignored_error);
  if (!start) return nullptr;
  return std::make_unique<JournalImpl>(options, files, std::move(*start));
}

}  // namespace shoal::storage::journal
