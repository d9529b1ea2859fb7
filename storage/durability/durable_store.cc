#include "storage/durability/durable_store.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "storage/durability/change_codec.h"
#include "storage/durability/replayer.h"

namespace shoal::storage::durability {
namespace {

thread_local journal::Lsn t_last_lsn = 0;

}  // namespace

std::string OpenReport::summary() const {
  std::string out = "recovered " + std::to_string(recovery.records) + " log records (" +
                    std::to_string(recovery.bytes) + " bytes): " + std::to_string(queues) + " queues, " +
                    std::to_string(streams) + " streams";
  if (unreadable > 0) out += "; " + std::to_string(unreadable) + " records not understood were skipped";
  for (const auto& note : recovery.notes) out += "; " + note;
  for (const auto& note : recovery.dropped) out += "; DROPPED: " + note;
  return out;
}

std::unique_ptr<DurableStore> DurableStore::open(const DurableOptions& options, QueueRegistry& queues,
                                                 StreamRegistry& streams, ReplayClock* clock, OpenReport* report,
                                                 std::string* error) {
  OpenReport local;
  if (report == nullptr) report = &local;
  std::unique_ptr<journal::RecoveredLog> recovered;
  {
    Replayer replayer(queues, streams, clock);
    recovered = journal::Journal::recover(
        options.journal, [&replayer](std::string_view record) { replayer.apply(record); }, &report->recovery,
        error);
    report->applied = replayer.applied();
    report->unreadable = replayer.unreadable();
  }
  if (!recovered) return nullptr;
  if (report->unreadable > 0 && !options.journal.drop_damaged) {
    *error = std::to_string(report->unreadable) + " log records in " + options.journal.dir.string() +
             " could not be decoded (written by a newer shoal?); start with --drop-damaged-log to skip them";
    return nullptr;  // nothing on disk was touched
  }
  auto journal = recovered->start(error);
  if (!journal) return nullptr;
  // Records were lost on purpose: say so on lines of their own, not only in
  // the start-up summary.
  for (const auto& note : report->recovery.dropped) {
    std::fprintf(stderr, "shoal: WARNING: --drop-damaged-log: %s\n", note.c_str());
  }
  std::size_t queue_count = 0;
  queues.snapshot([&queue_count](const QueueChange& c) { queue_count += std::holds_alternative<QueueImage>(c); });
  report->queues = queue_count;
  std::size_t stream_count = 0;
  streams.snapshot([&stream_count](const StreamChange& c) { stream_count += std::holds_alternative<StreamImage>(c); });
  report->streams = stream_count;
  return std::make_unique<DurableStore>(std::move(journal), options, queues, streams, true);
}

DurableStore::DurableStore(std::unique_ptr<journal::Journal> journal, const DurableOptions& options,
                           QueueRegistry& queues, StreamRegistry& streams, bool background_compaction)
    : journal_(std::move(journal)), options_(options), queues_(queues), streams_(streams) {
  queues_.set_observer(this);
  streams_.set_observer(this);
  if (background_compaction) compactor_ = std::thread([this] { compaction_loop(); });
}

DurableStore::~DurableStore() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (compactor_.joinable()) compactor_.join();
  queues_.set_observer(nullptr);
  streams_.set_observer(nullptr);
}

journal::Lsn DurableStore::take_thread_lsn() {
  const auto lsn = t_last_lsn;
  t_last_lsn = 0;
  return lsn;
}

void DurableStore::on_change(const QueueChange& change) { note_lsn(journal_->append(encode_change(change))); }

void DurableStore::on_change(const StreamChange& change) { note_lsn(journal_->append(encode_change(change))); }

void DurableStore::note_lsn(journal::Lsn lsn) {
  t_last_lsn = lsn;
  // Appends of different engines race: keep the maximum.
  auto seen = last_lsn_.load(std::memory_order_relaxed);
  while (seen < lsn && !last_lsn_.compare_exchange_weak(seen, lsn, std::memory_order_release)) {
  }
}

bool DurableStore::compact(std::string* error) {
  std::lock_guard compacting(compact_mutex_);
  std::uint64_t bytes = 0;
  const bool ok = journal_->compact(
      [this, &bytes](const journal::Journal::Emit& emit) {
        // Gathered under each engine object's lock, written out between
        // objects: emit never runs under an engine lock, which appends take.
        std::vector<std::string> batch;
        auto flush = [&] {
          for (auto& record : batch) emit(std::move(record));
          batch.clear();
        };
        auto add = [&](std::string record) {
          bytes += record.size();
          batch.push_back(std::move(record));
        };
        queues_.snapshot([&](const QueueChange& c) { add(encode_change(c)); }, flush);
        streams_.snapshot([&](const StreamChange& c) { add(encode_change(c)); }, flush);
      },
      error);
  if (ok) {
    std::lock_guard lock(mutex_);
    last_snapshot_bytes_ = bytes;
    ++compactions_;
  }
  return ok;
}

std::uint64_t DurableStore::compactions() const {
  std::lock_guard lock(mutex_);
  return compactions_;
}

void DurableStore::compaction_loop() {
  std::unique_lock lock(mutex_);
  // After a failure (a full disk, most likely) wait longer each time, up to
  // about a minute, rather than fill stderr.
  constexpr unsigned kMaxBackoff = 64;
  unsigned backoff = 1;
  unsigned skip = 0;
  while (!stopping_) {
    wake_.wait_for(lock, options_.compact_check_interval, [this] { return stopping_; });
    if (stopping_) break;
    if (skip > 0) {
      --skip;
      continue;
    }
    const auto total = journal_->total_bytes();
    if (total < options_.compact_min_bytes || total < 2 * last_snapshot_bytes_) continue;
    if (!journal_->writable()) continue;  // it would fail; the log says why already
    lock.unlock();
    std::string error;
    const bool ok = compact(&error);
    if (!ok) std::fprintf(stderr, "shoal: log compaction failed: %s\n", error.c_str());
    lock.lock();
    skip = ok ? 0 : backoff;
    backoff = ok ? 1 : std::min(backoff * 2, kMaxBackoff);
  }
}

}  // namespace shoal::storage::durability
