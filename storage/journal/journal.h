// Journal: the durable append log under --data-dir. It stores opaque records
// (the engines' encoded state changes) in numbered segment files, each record
// framed with its length and a CRC32C (byte layout: storage/journal/FORMAT.md).
//
// Contract:
// - recover() replays every intact record, oldest first, through `replay` and
//   decides what the directory needs, but changes nothing on disk: a refused
//   or abandoned start leaves every file as it was. start() then applies it
//   (cuts a torn final record, sets dropped damage aside, removes files the
//   snapshot in force made obsolete, opens the segment new records go to).
//   open() is both. A torn final record is reported in Recovery::notes.
//   Damage anywhere else (a bad frame, a wrong header, an empty or missing
//   file) fails recover() with a message naming file and offset, unless
//   Options::drop_damaged is set: then the damage is cut away (kept beside
//   the log as *.dropped), the rest of the log is dropped, and notes say so.
// - append() is thread-safe, cheap (it copies the record into the pending
//   batch) and returns the record's position. Records are replayed in append
//   order.
// - on_durable(lsn, done) calls done(true) once the record at lsn is as
//   durable as the fsync policy says: kAlways after an fsync that covers it
//   (one fsync is shared by every record appended before it: group commit);
//   kInterval and kNever once written to the file. done runs on the journal's
//   writer thread (or at once on the caller's); it must be quick.
//   wait_durable(lsn) blocks for the same and returns true.
// - A failed write or sync (a full disk) stalls the log instead of ending it:
//   writable() turns false, failure() says why, Options::on_stall hears it,
//   and every record not yet durable gets done(false) (wait_durable returns
//   false), as does every on_durable asked while it stays stalled. Those
//   records are kept in memory, in order, and the writer tries to write them
//   again every retry_interval_ms; once it can, they become durable (without
//   a second callback), writable() is true again and on_resume runs. So the
//   log never loses or reorders a record the engines applied: after a stall
//   and a restart, the engines come back exactly as they were. A caller that
//   got done(false) must not acknowledge; its change may still reach the log.
// - compact(snapshot) replaces every record before the current position with
//   the records that `snapshot` emits (the live state). Appends keep going
//   while it runs; records appended after compact() began are kept after the
//   snapshot, so replay applies them on top of it and must treat them as
//   idempotent. A crash at any moment leaves either the old segments or the
//   complete snapshot in force, never neither. It fails while stalled.
//   For that, a change must be applied to the state the snapshot reads before
//   (or under the same lock as) the append of its record.
// - Lsn: 1 is the first record appended after open(), then one more per
//   record; 0 precedes every record (always durable). Positions restart with
//   every open(); they are not stored.
// - Destruction writes and fsyncs every record appended before it (all
//   policies; a stalled log tries once more), then stops the writer thread.
//   No call may race with it.
// - The file layer is injectable (journal_files.h) so tests can drop unsynced
//   bytes, flip bytes and fill the "disk".
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
  std::uint32_t retry_interval_ms = 500;                // a stalled writer tries again this often
  // On the writer thread: writing or syncing failed (once per stall), and
  // writing works again. Quick and non-blocking, like on_durable callbacks.
  std::function<void(const std::string& failure)> on_stall;
  std::function<void()> on_resume;
};

struct Recovery {
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  std::vector<std::string> notes;    // a torn tail truncated
  std::vector<std::string> dropped;  // what drop_damaged set aside or cut: records lost
};

class Journal;

// A log replayed but not yet started: nothing on disk has changed so far.
class RecoveredLog {
 public:
  virtual ~RecoveredLog() = default;
  // Applies what recovery decided and returns the running log. nullptr and
  // *error when a change the log cannot go on without fails (a torn tail
  // that cannot be cut). A segment that cannot be created (a full disk) is
  // not such a change: the log starts stalled and keeps trying.
  virtual std::unique_ptr<Journal> start(std::string* error) = 0;
};

class Journal {
 public:
  using Replay = std::function<void(std::string_view record)>;
  using Emit = std::function<void(std::string record)>;

  // nullptr and *error set when the log cannot be read or is damaged.
  static std::unique_ptr<RecoveredLog> recover(const Options& options, const Replay& replay,
                                               Recovery* recovery, std::string* error);
  // recover(), then start().
  static std::unique_ptr<Journal> open(const Options& options, const Replay& replay,
                                       Recovery* recovery, std::string* error);
  virtual ~Journal() = default;

  virtual Lsn append(std::string_view record) = 0;
  virtual void on_durable(Lsn lsn, std::function<void(bool durable)> done) = 0;
  virtual bool wait_durable(Lsn lsn) = 0;
  // Runs snapshot(emit) on the calling thread and installs its output as the
  // new start of the log. Returns false and sets *error on I/O failure (the
  // old segments then stay in force).
  virtual bool compact(const std::function<void(const Emit& emit)>& snapshot,
                       std::string* error) = 0;
  // Bytes in live segments, and bytes appended since the last compaction:
  // the numbers a compaction trigger looks at.
  virtual std::uint64_t total_bytes() const = 0;
  virtual std::uint64_t bytes_since_compaction() const = 0;
  // True unless stalled; then failure() names the I/O error.
  virtual bool writable() const { return true; }
  virtual std::string failure() const { return {}; }
};

}  // namespace shoal::storage::journal
