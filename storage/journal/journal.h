// Journal: the durable append log under --data-dir. It stores opaque records
// (the engines' encoded state changes) in numbered segment files, each record
// framed with its length and a CRC32C (byte layout: storage/journal/FORMAT.md).
//
// Contract:
// - open() replays every intact record, oldest first, through `replay` before
//   it returns. A torn final record (a crash mid-write) is truncated and
//   reported in Recovery::notes. Damage before the tail fails open() with a
//   message naming file and offset, unless Options::drop_damaged is set, in
//   which case the damaged segment is cut at the damage and the rest of the
//   log is dropped (also reported).
// - append() is thread-safe, cheap (it copies the record into the pending
//   batch) and returns the record's position. Records are replayed in append
//   order.
// - on_durable(lsn, done) calls done once the record at lsn is as durable as
//   the fsync policy says: kAlways after an fsync that covers it (one fsync is
//   shared by every record appended before it: group commit); kInterval and
//   kNever once written to the file. done runs on the journal's writer thread
//   (or at once on the caller's if already durable); it must be quick.
// - wait_durable(lsn) blocks until the same condition.
// - compact(snapshot) replaces every record before the current position with
//   the records that `snapshot` emits (the live state). Appends keep going
//   while it runs; records appended after compact() began are kept after the
//   snapshot, so replay applies them on top of it and must treat them as
//   idempotent. A crash at any moment leaves either the old segments or the
//   complete snapshot in force, never neither.
//   For that, a change must be applied to the state the snapshot reads before
//   (or under the same lock as) the append of its record.
// - Lsn: 1 is the first record appended after open(), then one more per
//   record; 0 precedes every record (always durable). Positions restart with
//   every open(); they are not stored.
// - An I/O error while writing is final: failure() says what failed,
//   Options::on_failure hears it once, wait_durable() returns, and no later
//   record becomes durable (their on_durable callbacks never run).
// - Destruction writes and fsyncs every record appended before it (all
//   policies), then stops the writer thread. No call may race with it.
// - The file layer is injectable (journal_files.h) so tests can drop unsynced
//   bytes and flip bytes on "disk".
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace shoal::storage::journal {

class FileSystem;  // journal_files.h

enum class FsyncPolicy { kAlways, kInterval, kNever };

using Lsn = std::uint64_t;

struct Options {
  std::filesystem::path dir;
  FsyncPolicy fsync = FsyncPolicy::kAlways;
  std::uint32_t fsync_interval_ms = 100;                // kInterval
  std::uint64_t segment_bytes = 64ull * 1024 * 1024;    // roll to a new segment past this
  bool drop_damaged = false;                            // start anyway, dropping damage
  FileSystem* files = nullptr;                          // nullptr: the real file system
  // Called once, on the writer thread, when writing or syncing fails.
  std::function<void(const std::string& failure)> on_failure;
};

struct Recovery {
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  std::vector<std::string> notes;  // torn tail truncated, damage dropped, ...
};

class Journal {
 public:
  using Replay = std::function<void(std::string_view record)>;
  using Emit = std::function<void(std::string record)>;

  // nullptr and *error set when the log cannot be opened or is damaged.
  static std::unique_ptr<Journal> open(const Options& options, const Replay& replay,
                                       Recovery* recovery, std::string* error);
  virtual ~Journal() = default;

  virtual Lsn append(std::string_view record) = 0;
  virtual void on_durable(Lsn lsn, std::function<void()> done) = 0;
  virtual void wait_durable(Lsn lsn) = 0;
  // Runs snapshot(emit) on the calling thread and installs its output as the
  // new start of the log. Returns false and sets *error on I/O failure (the
  // old segments then stay in force).
  virtual bool compact(const std::function<void(const Emit& emit)>& snapshot,
                       std::string* error) = 0;
  // Bytes in live segments, and bytes appended since the last compaction:
  // the numbers a compaction trigger looks at.
  virtual std::uint64_t total_bytes() const = 0;
  virtual std::uint64_t bytes_since_compaction() const = 0;
  // Empty while healthy; else the I/O error that stopped the log.
  virtual std::string failure() const { return {}; }
};

}  // namespace shoal::storage::journal
