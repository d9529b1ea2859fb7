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
    if (!failure_.empty()) return lsn;  // never durable; failure() says why
    pending_.append(header, kFrameHeaderBytes);
    pending_.append(record);
    wake = std::exchange(writer_idle_, false);
  }
  if (wake) writer_cv_.notify_one();
  return lsn;
}

void JournalImpl::on_durable(Lsn lsn, std::function<void()> done) {
  std::unique_lock lock(mu_);
  if (lsn <= durable_ && callbacks_.empty() && !firing_) {
    lock.unlock();
    done();
    return;
  }
  if (!failure_.empty() && lsn > durable_) return;  // it will never be durable
  // Usually lsn is the newest position, so this lands at the end.
  const auto at = std::upper_bound(callbacks_.begin(), callbacks_.end(), lsn,
                                   [](Lsn l, const Callback& c) { return l < c.lsn; });
  callbacks_.insert(at, Callback{lsn, std::move(done)});
  if (lsn <= durable_ && std::exchange(writer_idle_, false)) writer_cv_.notify_one();
}

void JournalImpl::wait_durable(Lsn lsn) {
  std::unique_lock lock(mu_);
  durable_cv_.wait(lock, [&] { return durable_ >= lsn || !failure_.empty(); });
}

std::string JournalImpl::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

void JournalImpl::fail_locked(const IoStatus& status) {
  if (!failure_.empty()) return;
  failure_ = "journal: " + status.message();
  pending_.clear();
  // Callbacks past the durable position can never run; drop them.
  callbacks_.erase(std::remove_if(callbacks_.begin(), callbacks_.end(),
                                  [&](const Callback& c) { return c.lsn > durable_; }),
                   callbacks_.end());
  durable_cv_.notify_all();
}

void JournalImpl::run() {
  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::milliseconds(options_.fsync_interval_ms);
  std::string batch;
  std::vector<Callback> due;
  std::unique_lock lock(mu_);
  for (;;) {
    if (!callbacks_.empty() && callbacks_.front().lsn <= durable_) {
      while (!callbacks_.empty() && callbacks_.front().lsn <= durable_) {
        due.push_back(std::move(callbacks_.front()));
        callbacks_.pop_front();
      }
      firing_ = true;
      lock.unlock();
      for (Callback& c : due) c.done();
      due.clear();
      lock.lock();
      firing_ = false;
      continue;
    }
    const bool roll_wanted = rolls_requested_ > rolls_done_;
    if (!failure_.empty() && roll_wanted) {
      rolls_done_ = rolls_requested_;  // compact() sees the failure
      durable_cv_.notify_all();
      continue;
    }
    if (!pending_.empty() || roll_wanted) {
      batch.swap(pending_);
      const Lsn last = appended_;
      const std::uint64_t roll_ticket = rolls_requested_;
      lock.unlock();
      Roll roll;
      const IoStatus status = write_batch(batch, roll_wanted, &roll);
      batch.clear();
      if (batch.capacity() > kKeepBatchCapacity) std::string().swap(batch);
      lock.lock();
      if (!status) {
        fail_locked(status);
        lock.unlock();
        if (options_.on_failure) options_.on_failure("journal: " + status.message());
        lock.lock();
      } else {
        durable_ = last;
        if (roll_wanted) {
          rolls_done_ = roll_ticket;
          last_roll_ = roll;
        }
      }
      durable_cv_.notify_all();
      continue;
    }
    if (stop_) break;
    if (unsynced_ && options_.fsync == FsyncPolicy::kInterval && failure_.empty()) {
      const auto deadline = last_sync_ + interval;
      if (Clock::now() >= deadline) {
        lock.unlock();
        const IoStatus status = sync_segment();
        lock.lock();
        if (!status) fail_locked(status);
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

IoStatus JournalImpl::write_batch(const std::string& batch, bool roll_wanted, Roll* roll) {
  if (!batch.empty()) {
    if (IoStatus s = segment_->append(batch); !s) return s;
    total_bytes_ += batch.size();
    since_compaction_ += batch.size();
    if (options_.fsync == FsyncPolicy::kAlways) {
      if (IoStatus s = sync_segment(); !s) return s;
    } else {
      unsynced_ = true;
      if (options_.fsync == FsyncPolicy::kInterval &&
          std::chrono::steady_clock::now() - last_sync_ >=
              std::chrono::milliseconds(options_.fsync_interval_ms)) {
        if (IoStatus s = sync_segment(); !s) return s;
      }
    }
  }
  if (roll_wanted || segment_->size() >= options_.segment_bytes) {
    roll->total_bytes_before = total_bytes_.load();
    roll->since_compaction_before = since_compaction_.load();
    if (IoStatus s = roll_segment(); !s) return s;
    roll->segment_number = segment_number_;
  }
  return IoStatus::ok();
}

IoStatus JournalImpl::sync_segment() {
  if (IoStatus s = segment_->sync(); !s) return s;
  unsynced_ = false;
  last_sync_ = std::chrono::steady_clock::now();
  return IoStatus::ok();
}

// Only the newest segment may end in a torn record: the old one is synced
// before the new one exists, and the new one is linked in the directory
// before any record goes to it.
IoStatus JournalImpl::roll_segment() {
  if (unsynced_) {
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
    durable_cv_.wait(lock, [&] { return rolls_done_ >= ticket || !failure_.empty(); });
    if (!failure_.empty()) {
      *error = failure_;
      return false;
    }
    roll = last_roll_;
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
