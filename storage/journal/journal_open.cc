// Journal::recover and start: recovery. recover() finds the log in force (the
// newest snapshot and the segments after it, or, with drop_damaged, the log a
// damaged snapshot replaced when it is still whole), replays it and writes
// down what the directory needs, touching nothing: a refused start leaves
// every file as it found it. start() then cuts a torn tail, sets dropped
// damage aside, removes what the snapshot in force made obsolete and starts
// the segment new records go to (stalled, if the disk is full).
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

using Path = FileSystem::Path;

struct LiveFile {
  FileKind kind;
  std::uint64_t number;
  std::uint64_t size = 0;  // after recovery
};

// What start() does to the directory, in this order.
struct Plan {
  struct Cut {  // drop_damaged: the file is cut at offset; the rest is kept beside it
    Path file;
    std::uint64_t offset = 0;
    std::string cut_bytes;
  };
  std::optional<Cut> cut;
  std::vector<Path> set_aside;                       // renamed to <name>.dropped
  std::vector<std::pair<Path, std::uint64_t>> torn;  // truncated to their intact size
  std::vector<Path> obsolete;                        // removed
  std::vector<LiveFile> live;                        // the log in force, oldest first
};

std::string dropped_name(const Path& p) { return p.string() + ".dropped"; }

class Recoverer {
 public:
  Recoverer(const Options& options, FileSystem& files, const Journal::Replay& replay,
            Recovery& recovery)
      : options_(options), files_(files), replay_(replay), recovery_(recovery) {}

  std::optional<Plan> run(std::string* error);

 private:
  Path path(const LiveFile& f) const { return options_.dir / file_name(f.kind, f.number); }
  Path path(FileKind kind, std::uint64_t number) const {
    return options_.dir / file_name(kind, number);
  }
  bool fail(std::string* error, const std::string& message) {
    *error = "journal: " + message;
    return false;
  }
  bool list_files(std::string* error);
  bool choose_log(std::string* error);
  // Segments from `first` on, without a gap; refuses a gap (or, with
  // drop_damaged, sets everything after it aside).
  bool segments_from(std::uint64_t first, std::string* error);
  // The base of an older log that replaces the newest snapshot when it is
  // damaged: an older intact snapshot (or none: 0) whose segments reach the
  // newest snapshot's without a gap. nullopt: there is none.
  std::optional<std::uint64_t> older_whole_log(std::uint64_t newest, std::string* error);
  bool replay_files(std::string* error);
  void drop_from(std::size_t index, std::uint64_t offset, const std::string& image);

  const Options& options_;
  FileSystem& files_;
  const Journal::Replay& replay_;
  Recovery& recovery_;
  std::map<std::uint64_t, std::string> segments_;
  std::set<std::uint64_t> snapshots_;
  std::vector<std::string> temps_;  // an unfinished compaction's snapshot
  std::uint64_t base_ = 0;          // the snapshot in force; 0: none
  Plan plan_;
};

std::optional<Plan> Recoverer::run(std::string* error) {
  if (IoStatus s = files_.create_dir(options_.dir); !s) {
    fail(error, s.message());
    return std::nullopt;
  }
  if (!list_files(error) || !choose_log(error) || !replay_files(error)) return std::nullopt;
  // Older than the log in force: safe to remove once start() has made the
  // snapshot in force durable in the directory.
  for (const std::uint64_t n : snapshots_) {
    if (n < base_) plan_.obsolete.push_back(path(FileKind::kSnapshot, n));
  }
  const std::uint64_t first_segment =
      plan_.live.empty() || plan_.live.front().kind != FileKind::kSegment
          ? base_
          : plan_.live.front().number;
  for (const auto& [n, name] : segments_) {
    if (n < first_segment) plan_.obsolete.push_back(options_.dir / name);
  }
  for (const std::string& name : temps_) plan_.obsolete.push_back(options_.dir / name);
  return std::move(plan_);
}

bool Recoverer::list_files(std::string* error) {
  auto listed = files_.list(options_.dir);
  if (!listed) return fail(error, listed.status().message());
  for (const std::string& name : listed.value()) {
    const auto parsed = parse_file_name(name);
    if (!parsed) continue;
    switch (parsed->kind) {
      case FileKind::kSegment:
        segments_.emplace(parsed->number, name);
        break;
      case FileKind::kSnapshot:
        snapshots_.insert(parsed->number);
        break;
      case FileKind::kSnapshotTemp:
        temps_.push_back(name);
        break;
    }
  }
  return true;
}

bool Recoverer::choose_log(std::string* error) {
  if (snapshots_.empty()) return segments_from(1, error);
  const std::uint64_t newest = *snapshots_.rbegin();
  // A damaged newest snapshot can only be told from a sound one by reading
  // it; that costs a second pass only when an older log could replace it.
  auto older = older_whole_log(newest, error);
  if (!error->empty()) return false;
  if (older) {
    const Path snapshot = path(FileKind::kSnapshot, newest);
    auto read = files_.read(snapshot);
    if (!read) return fail(error, read.status().message());
    const ScanResult scan = scan_file(read.value(), false, [](std::string_view) {});
    if (scan.end != ScanResult::End::kClean) {
      const std::string what = "damaged record in " + snapshot.string() + " at offset " +
                               std::to_string(scan.intact_bytes) + " (" + scan.reason + ")";
      const std::string older_log =
          *older == 0 ? std::string("the segments from 1 on")
                      : path(FileKind::kSnapshot, *older).string() + " and the segments after it";
      if (!options_.drop_damaged) {
        return fail(error, what + "; the log cannot be replayed. The log this snapshot replaced (" +
                               older_log +
                               ") is still whole: --drop-damaged-log sets the snapshot aside "
                               "and replays that instead, losing nothing");
      }
      recovery_.dropped.push_back(what + ": set aside as " + dropped_name(snapshot) +
                                  "; replayed the log it replaced instead (" + older_log +
                                  "), nothing lost");
      plan_.set_aside.push_back(snapshot);
      // Snapshots between the two are set aside too: older_whole_log found
      // them damaged.
      for (const std::uint64_t n : snapshots_) {
        if (n > *older && n < newest) plan_.set_aside.push_back(path(FileKind::kSnapshot, n));
      }
      base_ = *older;
      if (base_ != 0) plan_.live.push_back({FileKind::kSnapshot, base_});
      return segments_from(base_ != 0 ? base_ : 1, error);
    }
  }
  base_ = newest;
  plan_.live.push_back({FileKind::kSnapshot, base_});
  return segments_from(base_, error);
}

std::optional<std::uint64_t> Recoverer::older_whole_log(std::uint64_t newest, std::string* error) {
  std::vector<std::uint64_t> bases;  // newest first, then "no snapshot"
  for (auto it = snapshots_.rbegin(); it != snapshots_.rend(); ++it) {
    if (*it < newest) bases.push_back(*it);
  }
  bases.push_back(0);
  for (const std::uint64_t base : bases) {
    bool whole = true;
    for (std::uint64_t n = base != 0 ? base : 1; n < newest && whole; ++n)
      whole = segments_.count(n) != 0;
    if (!whole) continue;
    if (base == 0) return base;
    auto read = files_.read(path(FileKind::kSnapshot, base));
    if (!read) {
      fail(error, read.status().message());
      return std::nullopt;
    }
    if (scan_file(read.value(), false, [](std::string_view) {}).end == ScanResult::End::kClean)
      return base;
  }
  return std::nullopt;
}

bool Recoverer::segments_from(std::uint64_t first, std::string* error) {
  std::uint64_t expected = first;
  for (auto it = segments_.lower_bound(first); it != segments_.end(); ++it) {
    if (it->first != expected) {
      const Path missing = path(FileKind::kSegment, expected);
      const std::string message =
          missing.string() + " is missing (the log goes on at " + it->second + ")";
      if (!options_.drop_damaged) return fail(error, message + "; the log cannot be replayed");
      recovery_.dropped.push_back(message + "; replaying only the log before it");
      // Moved aside: later replays must not mistake them for the log.
      for (; it != segments_.end(); ++it) {
        const Path from = options_.dir / it->second;
        plan_.set_aside.push_back(from);
        recovery_.dropped.push_back("dropped " + from.string() +
                                    " (renamed *.dropped), with every record in it");
      }
      break;
    }
    plan_.live.push_back({FileKind::kSegment, it->first});
    ++expected;
  }
  // A compaction creates segment N before snapshot-N exists, so a snapshot
  // in force without it means the records written there are gone.
  if (base_ != 0 && first == base_ && expected == first) {
    const std::string message = path(FileKind::kSegment, first).string() + " is missing (" +
                                path(FileKind::kSnapshot, base_).string() +
                                " says the log goes on there)";
    if (!options_.drop_damaged) return fail(error, message + "; the log cannot be replayed");
    recovery_.dropped.push_back(message + "; replaying only the snapshot");
  }
  return true;
}

bool Recoverer::replay_files(std::string* error) {
  for (std::size_t i = 0; i < plan_.live.size(); ++i) {
    LiveFile& f = plan_.live[i];
    auto read = files_.read(path(f));
    if (!read) return fail(error, read.status().message());
    const std::string image = std::move(read).value();
    const bool newest_segment = i + 1 == plan_.live.size() && f.kind == FileKind::kSegment;
    const ScanResult scan = scan_file(image, newest_segment, replay_);
    recovery_.records += scan.records;
    recovery_.bytes += scan.intact_bytes;
    f.size = scan.intact_bytes;
    const std::string where = path(f).string() + " at offset " + std::to_string(scan.intact_bytes);
    switch (scan.end) {
      case ScanResult::End::kClean:
        break;
      case ScanResult::End::kTorn:
        plan_.torn.emplace_back(path(f), scan.intact_bytes);
        recovery_.notes.push_back(
            "torn final record in " + where + " (" + scan.reason + "): truncated " +
            std::to_string(image.size() - scan.intact_bytes) + " bytes a crash left half-written");
        break;
      case ScanResult::End::kDamaged:
        if (!options_.drop_damaged) {
          return fail(error, "damaged record in " + where + " (" + scan.reason +
                                 "); the log after it cannot be replayed");
        }
        drop_from(i, scan.intact_bytes, image);
        return true;
    }
  }
  return true;
}

// drop_damaged: keep the damaged bytes beside the log (*.dropped) for a human,
// cut the file at the damage and move every later file aside.
void Recoverer::drop_from(std::size_t index, std::uint64_t offset, const std::string& image) {
  const Path damaged = path(plan_.live[index]);
  plan_.cut = Plan::Cut{damaged, offset, image.substr(offset)};
  recovery_.dropped.push_back("dropped damaged log in " + damaged.string() + " from offset " +
                              std::to_string(offset) + ": " +
                              std::to_string(image.size() - offset) + " bytes (kept in " +
                              dropped_name(damaged) + ")");
  for (std::size_t i = index + 1; i < plan_.live.size(); ++i) {
    const Path from = path(plan_.live[i]);
    plan_.set_aside.push_back(from);
    recovery_.dropped.push_back("dropped " + from.string() +
                                " (renamed *.dropped), with every record in it");
  }
  plan_.live.resize(index + 1);
}

class Recovered final : public RecoveredLog {
 public:
  Recovered(const Options& options, FileSystem& files, Plan plan)
      : options_(options), files_(files), plan_(std::move(plan)) {}

  std::unique_ptr<Journal> start(std::string* error) override;

 private:
  bool fail(std::string* error, const IoStatus& s) {
    *error = "journal: cannot start the log: " + s.message();
    return false;
  }
  bool apply(std::string* error);
  JournalImpl::Start start_segment();

  const Options options_;
  FileSystem& files_;
  Plan plan_;
};

// The changes the log cannot go on without, in an order that a crash at any
// step leaves recoverable: each is redone by the next start.
bool Recovered::apply(std::string* error) {
  if (plan_.cut) {
    const Path kept = dropped_name(plan_.cut->file);
    auto opened = files_.open_writable(kept, true);
    if (!opened) return fail(error, opened.status());
    IoStatus s = opened.value()->append(plan_.cut->cut_bytes);
    if (s) s = opened.value()->sync();
    if (s) s = files_.truncate(plan_.cut->file, plan_.cut->offset);
    if (!s) return fail(error, s);
  }
  for (const Path& from : plan_.set_aside) {
    if (IoStatus s = files_.rename(from, dropped_name(from)); !s) return fail(error, s);
  }
  for (const auto& [file, size] : plan_.torn) {
    if (IoStatus s = files_.truncate(file, size); !s) return fail(error, s);
  }
  // Also makes the snapshot in force durable in the directory before the
  // files it replaced go.
  if (IoStatus s = files_.sync_dir(options_.dir); !s) return fail(error, s);
  bool removed = false;
  for (const Path& file : plan_.obsolete) removed |= files_.remove(file).is_ok();  // best effort
  if (removed) (void)files_.sync_dir(options_.dir);
  return true;
}

// New records go to a fresh segment after the last one, or to the last one
// again when it holds no record (so restarts do not pile up empty files).
JournalImpl::Start Recovered::start_segment() {
  JournalImpl::Start start;
  std::uint64_t number = 1;
  for (const LiveFile& f : plan_.live) {
    start.total_bytes += f.size;
    if (f.kind == FileKind::kSegment && f.size > kFileMagic.size()) {
      start.bytes_since_compaction += f.size - kFileMagic.size();
    }
    number = f.number;
  }
  if (!plan_.live.empty() && plan_.live.back().kind == FileKind::kSegment) {
    if (plan_.live.back().size > kFileMagic.size()) {
      ++number;
    } else {
      start.total_bytes -= plan_.live.back().size;
    }
  }
  start.segment_number = number;
  auto opened = files_.open_writable(options_.dir / file_name(FileKind::kSegment, number), true);
  IoStatus s = opened ? IoStatus::ok() : opened.status();
  if (s) s = opened.value()->append(kFileMagic);
  if (s) s = opened.value()->sync();
  if (s) s = files_.sync_dir(options_.dir);
  if (!s) {
    // A full disk: start stalled (reads work; the writer keeps trying).
    start.failure = "journal: " + s.message();
    return start;
  }
  start.segment = std::move(opened).value();
  start.total_bytes += kFileMagic.size();
  return start;
}

std::unique_ptr<Journal> Recovered::start(std::string* error) {
  std::string ignored;
  if (error == nullptr) error = &ignored;
  if (!apply(error)) return nullptr;
  return std::make_unique<JournalImpl>(options_, files_, start_segment());
}

}  // namespace

std::unique_ptr<RecoveredLog> Journal::recover(const Options& options, const Replay& replay,
                                               Recovery* recovery, std::string* error) {
  Recovery ignored_recovery;
  std::string ignored_error;
  Recovery& rec = recovery != nullptr ? *recovery : ignored_recovery;
  std::string& err = error != nullptr ? *error : ignored_error;
  rec = Recovery{};
  err.clear();
  FileSystem& files = options.files != nullptr ? *options.files : PosixFileSystem::instance();
  const Journal::Replay replay_or_skip = replay ? replay : [](std::string_view) {};
  Recoverer recoverer(options, files, replay_or_skip, rec);
  auto plan = recoverer.run(&err);
  if (!plan) return nullptr;
  return std::make_unique<Recovered>(options, files, std::move(*plan));
}

std::unique_ptr<Journal> Journal::open(const Options& options, const Replay& replay,
                                       Recovery* recovery, std::string* error) {
  auto recovered = recover(options, replay, recovery, error);
  if (!recovered) return nullptr;
  return recovered->start(error);
}

}  // namespace shoal::storage::journal
