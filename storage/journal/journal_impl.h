// JournalImpl: the running log after recovery (journal_open.cc builds it).
// One writer thread owns the current segment: append() only copies a framed
// record into the pending batch; the writer swaps the batch out, writes it
// with one write, syncs per policy (one sync covers the whole batch: group
// commit), advances the durable position and runs on_durable callbacks in
// position order. A write or sync that fails stalls the log: the batch stays
// with the writer (the segment is cut back to where it was before it) and is
// written again, with whatever came after it, every retry interval until it
// goes through. compact() asks the writer to start a new segment, writes the
// snapshot beside it on the caller's thread and installs it by renaming it
// into place. Thread-safe as the Journal contract says.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/journal/journal.h"
#include "storage/journal/journal_files.h"

namespace shoal::storage::journal {

class JournalImpl final : public Journal {
 public:
  // Where recovery left the log: the segment new records go to (already
  // holding its file header, synced and linked in the directory), or none
  // yet when creating it failed (`failure` says why): the log then starts
  // stalled and the writer creates segment `segment_number` when it can.
  struct Start {
    std::uint64_t segment_number = 1;
    std::unique_ptr<WritableFile> segment;
    std::string failure;
    std::uint64_t total_bytes = 0;
    std::uint64_t bytes_since_compaction = 0;
  };

  JournalImpl(const Options& options, FileSystem& files, Start start);
  ~JournalImpl() override;
  JournalImpl(const JournalImpl&) = delete;
  JournalImpl& operator=(const JournalImpl&) = delete;

  Lsn append(std::string_view record) override;
  void on_durable(Lsn lsn, std::function<void(bool durable)> done) override;
  bool wait_durable(Lsn lsn) override;
  bool compact(const std::function<void(const Emit& emit)>& snapshot, std::string* error) override;
  std::uint64_t total_bytes() const override { return total_bytes_.load(); }
  std::uint64_t bytes_since_compaction() const override { return since_compaction_.load(); }
  bool writable() const override { return !stalled_.load(std::memory_order_acquire); }
  std::string failure() const override;

 private:
  struct Callback {
    Lsn lsn;
    std::function<void(bool durable)> done;
  };
  // What a roll left behind, for compact(): the new segment's number (0: the
  // roll failed) and the byte counts that belonged to the segments before it.
  struct Roll {
    std::uint64_t segment_number = 0;
    std::uint64_t total_bytes_before = 0;
    std::uint64_t since_compaction_before = 0;
  };
  // What one pass of the writer achieved.
  struct Flush {
    IoStatus status;
    bool written = false;  // the work reached the file (and the disk, per policy)
    Roll roll;             // segment_number != 0: rolled
  };

  void run();  // the writer thread
  // Writer thread only: finish a roll left pending, write `work` at the end
  // of what is known written, sync per policy (always after a stall), then
  // roll when asked or full.
  Flush flush(const std::string& work, bool roll_wanted, bool after_stall);
  IoStatus roll_segment();
  IoStatus sync_segment();
  // Under mu_ (unlocked around the user callbacks): enter or leave a stall.
  void stall(std::unique_lock<std::mutex>& lock, const IoStatus& status);
  void resume(std::unique_lock<std::mutex>& lock);
  bool write_snapshot(std::uint64_t number, const std::function<void(const Emit& emit)>& snapshot,
                      std::uint64_t* bytes, std::string* error);
  void drop_obsolete_files(std::uint64_t start);

  const Options options_;
  FileSystem& files_;

  mutable std::mutex mu_;
  std::condition_variable writer_cv_;   // the writer waits for work
  std::condition_variable durable_cv_;  // waiters for positions and rolls
  std::string pending_;                 // framed records not yet handed to the writer
  Lsn appended_ = 0;                    // last position handed out
  Lsn durable_ = 0;                     // every record up to here is durable
  std::deque<Callback> callbacks_;      // ordered by lsn
  bool firing_ = false;                 // the writer is running callbacks
  bool writer_idle_ = false;            // the writer sleeps; append() must wake it
  bool stop_ = false;
  std::uint64_t rolls_requested_ = 0;
  std::uint64_t rolls_done_ = 0;
  Roll last_roll_;
  std::string failure_;               // why the log is stalled; empty: it is not
  std::atomic<bool> stalled_{false};  // !failure_.empty(), readable without mu_
  bool stall_reported_ = false;       // on_stall heard the current stall

  // Owned by the writer thread.
  std::unique_ptr<WritableFile> segment_;  // null until the first segment exists
  std::uint64_t segment_number_;
  std::uint64_t written_size_ = 0;  // segment_ bytes known written whole
  bool roll_pending_ = false;       // a roll failed (or the first segment is missing)
  bool unsynced_ = false;
  std::chrono::steady_clock::time_point last_sync_;

  std::atomic<std::uint64_t> total_bytes_;
  std::atomic<std::uint64_t> since_compaction_;
  std::mutex compact_mu_;  // one compaction at a time
  std::thread writer_;
};

}  // namespace shoal::storage::journal
