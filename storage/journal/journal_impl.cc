#include "storage/journal/journal_impl.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "storage/journal/crc32c.h"
#include "storage/journal/journal_format.h"

namespace shoal::storage::journal {
namespace {

constexpr std::size_t kSnapshotWriteBytes = 1 << 20;  // snapshot writes in 1 MiB pieces
constexpr std::size_t kKeepBatchCapacity = 4 << 20;   // larger batch buffers are freed

}  // namespace

JournalImpl::JournalImpl(const Options& options, FileSystem& files, Start start)
    : options_(options),
      files_(files),
      segment_(std::move(start.segment)),
      segment_number_(start.segment_number),
      last_sync_(std::chrono::steady_clock::now()),
      total_bytes_(start.total_bytes),
      since_compaction_(start.bytes_since_compaction) {
  if (segment_) {
    written_size_ = segment_->size();
  } else {
    // Recovery could not create the segment (a full disk): the writer makes
    // it as its first roll, and until then the log is stalled.
    segment_number_ = start.segment_number - 1;
    roll_pending_ = true;
    failure_ = start.failure.empty() ? "journal: no segment to write to" : start.failure;
    stalled_.store(true, std::memory_order_release);
  }
  writer_ = std::thread([this] { run(); });
}

JournalImpl::~JournalImpl() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  writer_cv_.notify_one();
  writer_.join();
}

Lsn JournalImpl::append(std::string_view record) {
  // Frame outside the lock: the checksum is the only real work.
  char header[kFrameHeaderBytes];
  put_u32(header, static_cast<std::uint32_t>(record.size()));
  put_u32(header + 4, crc32c_extend(crc32c_extend(0, header, 4), record.data(), record.size()));
  bool wake = false;
  Lsn lsn;
  {
    std::lock_guard lock(mu_);
    lsn = ++appended_;
    // Kept even while stalled: the engines already hold the change, so the
    // log must too, in order, once it can be written.
    pending_.append(header, kFrameHeaderBytes);
    pending_.append(record);
    // A stalled writer waits for its retry time, not for more records.
    wake = failure_.empty() && std::exchange(writer_idle_, false);
  }
  if (wake) writer_cv_.notify_one();
  return lsn;
}

void JournalImpl::on_durable(Lsn lsn, std::function<void(bool durable)> done) {
  std::unique_lock lock(mu_);
  if (lsn <= durable_ && callbacks_.empty() && !firing_) {
    lock.unlock();
    done(true);
    return;
  }
  if (!failure_.empty() && lsn > durable_) {  // not before the stall ends, if ever
    lock.unlock();
    done(false);
    return;
  }
  // Usually lsn is the newest position, so this lands at the end.
  const auto at = std::upper_bound(callbacks_.begin(), callbacks_.end(), lsn,
                                   [](Lsn l, const Callback& c) { return l < c.lsn; });
  callbacks_.insert(at, Callback{lsn, std::move(done)});
  if (lsn <= durable_ && std::exchange(writer_idle_, false)) writer_cv_.notify_one();
}

bool JournalImpl::wait_durable(Lsn lsn) {
  std::unique_lock lock(mu_);
  durable_cv_.wait(lock, [&] { return durable_ >= lsn || !failure_.empty(); });
  return durable_ >= lsn;
}

std::string JournalImpl::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

void JournalImpl::stall(std::unique_lock<std::mutex>& lock, const IoStatus& status) {
  const bool began = failure_.empty();
  failure_ = "journal: " + status.message();
  stalled_.store(true, std::memory_order_release);
  // Nobody may wait for these now: their answers must not say "done".
  std::vector<Callback> failed;
  while (!callbacks_.empty() && callbacks_.back().lsn > durable_) {
    failed.push_back(std::move(callbacks_.back()));
    callbacks_.pop_back();
  }
  durable_cv_.notify_all();
  if (failed.empty() && !(began && options_.on_stall)) return;
  const std::string reported = failure_;
  firing_ = true;
  lock.unlock();
  for (auto it = failed.rbegin(); it != failed.rend(); ++it) it->done(false);
  if (began && options_.on_stall) options_.on_stall(reported);
  lock.lock();
  firing_ = false;
}

void JournalImpl::resume(std::unique_lock<std::mutex>& lock) {
  failure_.clear();
  stalled_.store(false, std::memory_order_release);
  if (!options_.on_resume) return;
  lock.unlock();
  options_.on_resume();
  lock.lock();
}

void JournalImpl::run() {
  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::milliseconds(options_.fsync_interval_ms);
  const auto retry_interval = std::chrono::milliseconds(options_.retry_interval_ms);
  std::string work;  // handed to the file layer; a batch that failed stays here
  Lsn work_last = 0;
  std::vector<Callback> due;
  auto next_retry = Clock::now();
  bool tried_to_stop = false;  // stopping while stalled: one last try, then give up
  std::unique_lock lock(mu_);
  if (!failure_.empty() && options_.on_stall) {  // started stalled: say so once
    const std::string reported = failure_;
    lock.unlock();
    options_.on_stall(reported);
    lock.lock();
  }
  for (;;) {
    if (!callbacks_.empty() && callbacks_.front().lsn <= durable_) {
      while (!callbacks_.empty() && callbacks_.front().lsn <= durable_) {
        due.push_back(std::move(callbacks_.front()));
        callbacks_.pop_front();
      }
      firing_ = true;
      lock.unlock();
      for (Callback& c : due) c.done(true);
      due.clear();
      lock.lock();
      firing_ = false;
      continue;
    }
    const bool stalled = !failure_.empty();
    if (stalled && tried_to_stop) break;  // those records were never acknowledged
    const bool roll_wanted = rolls_requested_ > rolls_done_;
    if (stalled && roll_wanted) {
      rolls_done_ = rolls_requested_;  // compact() fails at once
      last_roll_ = Roll{};
      durable_cv_.notify_all();
      continue;
    }
    if (stalled && !stop_ && Clock::now() < next_retry) {
      writer_idle_ = true;
      writer_cv_.wait_until(lock, next_retry);
      writer_idle_ = false;
      continue;
    }
    if (stalled || !pending_.empty() || roll_wanted) {
      if (work.empty()) {
        work.swap(pending_);
      } else {
        work.append(pending_);
        pending_.clear();
      }
      work_last = appended_;
      const std::uint64_t roll_ticket = rolls_requested_;
      lock.unlock();
      const Flush flushed = flush(work, roll_wanted, stalled);
      if (flushed.written) {
        work.clear();
        if (work.capacity() > kKeepBatchCapacity) std::string().swap(work);
      }
      lock.lock();
      if (flushed.written) durable_ = work_last;
      if (roll_wanted) {
        rolls_done_ = roll_ticket;
        last_roll_ = flushed.roll;
      }
      if (!flushed.status) {
        stall(lock, flushed.status);
        next_retry = Clock::now() + retry_interval;
        tried_to_stop = stop_;
      } else if (stalled) {
        resume(lock);
      }
      durable_cv_.notify_all();
      continue;
    }
    if (stop_) break;
    if (unsynced_ && options_.fsync == FsyncPolicy::kInterval) {
      const auto deadline = last_sync_ + interval;
      if (Clock::now() >= deadline) {
        lock.unlock();
        const IoStatus status = sync_segment();
        lock.lock();
        if (!status) {
          stall(lock, status);
          next_retry = Clock::now() + retry_interval;
        }
        continue;
      }
      writer_idle_ = true;
      writer_cv_.wait_until(lock, deadline);
      writer_idle_ = false;
      continue;
    }
    writer_idle_ = true;
    writer_cv_.wait(lock);
    writer_idle_ = false;
  }
  const bool healthy = failure_.empty();
  lock.unlock();
  if (healthy && unsynced_) (void)sync_segment();  // a clean stop leaves nothing unsynced
}

JournalImpl::Flush JournalImpl::flush(const std::string& work, bool roll_wanted, bool after_stall) {
  Flush out;
  if (roll_pending_) {  // nothing more goes to the old segment until the new one exists
    if (IoStatus s = roll_segment(); !s) {
      out.status = s;
      return out;
    }
    roll_pending_ = false;
  }
  if (!work.empty() || (after_stall && unsynced_)) {
    // A write that failed may have left part of itself behind: cut it off,
    // so the batch is written again whole, right after the last one.
    if (segment_->size() != written_size_) {
      if (IoStatus s = segment_->truncate(written_size_); !s) {
        out.status = s;
        return out;
      }
    }
    if (!work.empty()) {
      if (IoStatus s = segment_->append(work); !s) {
        out.status = s;
        return out;
      }
      unsynced_ = true;
    }
    const bool sync_now = after_stall || options_.fsync == FsyncPolicy::kAlways ||
                          (options_.fsync == FsyncPolicy::kInterval &&
                           std::chrono::steady_clock::now() - last_sync_ >=
                               std::chrono::milliseconds(options_.fsync_interval_ms));
    if (sync_now && unsynced_) {
      if (IoStatus s = sync_segment(); !s) {
        out.status = s;
        return out;
      }
    }
    written_size_ = segment_->size();
    total_bytes_ += work.size();
    since_compaction_ += work.size();
    out.written = true;
  }
  if (roll_wanted || segment_->size() >= options_.segment_bytes) {
    Roll roll;
    roll.total_bytes_before = total_bytes_.load();
    roll.since_compaction_before = since_compaction_.load();
    roll_pending_ = true;
    if (IoStatus s = roll_segment(); !s) {
      out.status = s;
      return out;
    }
    roll_pending_ = false;
    roll.segment_number = segment_number_;
    out.roll = roll;
  }
  return out;
}

IoStatus JournalImpl::sync_segment() {
  if (IoStatus s = segment_->sync(); !s) return s;
  unsynced_ = false;
  last_sync_ = std::chrono::steady_clock::now();
  return IoStatus::ok();
}

// Only the newest segment may end in a torn record: the old one is synced
// before the new one exists, the new one is linked in the directory before
// any record goes to it, and after a failed roll nothing goes to either
// until a roll succeeds.
IoStatus JournalImpl::roll_segment() {
  if (segment_ && unsynced_) {
    if (IoStatus s = sync_segment(); !s) return s;
  }
  const std::uint64_t number = segment_number_ + 1;
  auto opened = files_.open_writable(options_.dir / file_name(FileKind::kSegment, number), true);
  if (!opened) return opened.status();
  std::unique_ptr<WritableFile> next = std::move(opened).value();
  if (IoStatus s = next->append(kFileMagic); !s) return s;
  if (IoStatus s = next->sync(); !s) return s;
  if (IoStatus s = files_.sync_dir(options_.dir); !s) return s;
  segment_ = std::move(next);
  segment_number_ = number;
  written_size_ = segment_->size();
  unsynced_ = false;
  total_bytes_ += kFileMagic.size();
  return IoStatus::ok();
}

bool JournalImpl::compact(const std::function<void(const Emit& emit)>& snapshot,
                          std::string* error) {
  std::string ignored;
  if (error == nullptr) error = &ignored;
  std::lock_guard compacting(compact_mu_);
  Roll roll;
  {
    std::unique_lock lock(mu_);
    const std::uint64_t ticket = ++rolls_requested_;
    if (std::exchange(writer_idle_, false)) writer_cv_.notify_one();
    durable_cv_.wait(lock, [&] { return rolls_done_ >= ticket; });
    roll = last_roll_;
    if (roll.segment_number == 0) {  // stalled, or the roll itself failed
      *error = failure_.empty() ? "journal: the log cannot be written" : failure_;
      return false;
    }
  }
  // Every record before segment roll.segment_number is now covered by what
  // snapshot() will read; later records replay on top of the snapshot.
  std::uint64_t snapshot_bytes = 0;
  if (!write_snapshot(roll.segment_number, snapshot, &snapshot_bytes, error)) return false;
  total_bytes_ -= roll.total_bytes_before;
  total_bytes_ += snapshot_bytes;
  since_compaction_ -= roll.since_compaction_before;
  drop_obsolete_files(roll.segment_number);
  return true;
}

// The switch-over: write snapshot-N.log.tmp, sync it, rename it to
// snapshot-N.log, sync the directory. Until that directory sync the old files
// are in force (recovery deletes a leftover .tmp); after it the snapshot is.
bool JournalImpl::write_snapshot(std::uint64_t number,
                                 const std::function<void(const Emit& emit)>& snapshot,
                                 std::uint64_t* bytes, std::string* error) {
  const auto temp = options_.dir / file_name(FileKind::kSnapshotTemp, number);
  const auto final_path = options_.dir / file_name(FileKind::kSnapshot, number);
  auto opened = files_.open_writable(temp, true);
  if (!opened) {
    *error = "journal: compaction failed, the old log stays in force: " + opened.status().message();
    return false;
  }
  std::unique_ptr<WritableFile> file = std::move(opened).value();
  IoStatus status = file->append(kFileMagic);
  std::string buffer;
  auto flush = [&] {
    if (status && !buffer.empty()) status = file->append(buffer);
    buffer.clear();
  };
  snapshot([&](std::string record) {
    append_frame(&buffer, record);
    if (buffer.size() >= kSnapshotWriteBytes) flush();
  });
  flush();
  if (status) status = file->sync();
  if (status) {
    *bytes = file->size();
    file.reset();
    status = files_.rename(temp, final_path);
  }
  if (status) status = files_.sync_dir(options_.dir);
  if (!status) {
    file.reset();
    (void)files_.remove(temp);  // best effort; recovery removes leftovers too
    *error = "journal: compaction failed, the old log stays in force: " + status.message();
    return false;
  }
  return true;
}

// After the switch-over: older segments and snapshots are dead. A failure here
// only leaves garbage that the next open() removes.
void JournalImpl::drop_obsolete_files(std::uint64_t start) {
  auto names = files_.list(options_.dir);
  if (!names) return;
  bool removed = false;
  for (const std::string& name : names.value()) {
    const auto parsed = parse_file_name(name);
    if (!parsed || parsed->number >= start) continue;
    removed |= files_.remove(options_.dir / name).is_ok();
  }
  if (removed) (void)files_.sync_dir(options_.dir);
}

}  // namespace shoal::storage::journal
