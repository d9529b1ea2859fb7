// DurableStore: makes the engines durable under a data directory. It replays
// the journal into empty registries at start, then observes them: every change
// is encoded (change_codec.h) and appended to the journal under the engine
// lock that made it, so the log order is the engines' order. A background
// thread compacts the log (a snapshot of the live state replaces it) once the
// log is past compact_min_bytes and twice the size of the last snapshot, i.e.
// once at least half of it may be dead.
// Answering after the log: each thread's last appended position is kept in a
// thread-local; the api takes it after a request (take_thread_lsn) and answers
// once on_durable says so. While the log cannot be written (a full disk:
// writable() is false) on_durable says false: the api answers with an error
// and refuses new changes; the log catches up by itself (journal.h).
// A start leaves the data directory untouched until the log has replayed and
// every record was understood. Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/durability/replay_clock.h"
#include "storage/journal/journal.h"
#include "storage/queue/queue_registry.h"
#include "storage/stream/stream_registry.h"

namespace shoal::storage::durability {

struct DurableOptions {
  journal::Options journal;
  std::uint64_t compact_min_bytes = 64ull << 20;
  std::chrono::milliseconds compact_check_interval{1000};
};

// What start-up found, for the start-up line.
struct OpenReport {
  journal::Recovery recovery;
  std::uint64_t applied = 0;
  std::uint64_t unreadable = 0;  // records that did not decode (skipped with drop_damaged)
  std::size_t queues = 0;
  std::size_t streams = 0;
  std::string summary() const;
};

class DurableStore final : public QueueObserver, public StreamObserver {
 public:
  // Opens options.journal.dir, replays it into queues and streams (empty, on
  // `clock`), then observes them. nullptr with *error set on failure.
  static std::unique_ptr<DurableStore> open(const DurableOptions& options, QueueRegistry& queues,
                                            StreamRegistry& streams, ReplayClock* clock, OpenReport* report,
                                            std::string* error);
  // Observes the registries through an already open (and replayed) journal.
  DurableStore(std::unique_ptr<journal::Journal> journal, const DurableOptions& options, QueueRegistry& queues,
               StreamRegistry& streams, bool background_compaction);
  ~DurableStore() override;
  DurableStore(const DurableStore&) = delete;
  DurableStore& operator=(const DurableStore&) = delete;

  // The position of the last change this thread logged since the previous
  // call (0: none), and forgets it.
  static journal::Lsn take_thread_lsn();

  // The position of the newest change any thread logged (0: none since
  // open). A reader that saw a change under its engine's lock and reads this
  // afterwards gets a position at or past that change's.
  journal::Lsn last_lsn() const { return last_lsn_.load(std::memory_order_acquire); }

  void on_durable(journal::Lsn lsn, std::function<void(bool durable)> done) {
    journal_->on_durable(lsn, std::move(done));
  }
  bool wait_durable(journal::Lsn lsn) { return journal_->wait_durable(lsn); }
  // False while the log is stalled; failure() then says why.
  bool writable() const { return journal_->writable(); }
  std::string failure() const { return journal_->failure(); }
  // Snapshots the live state into the log now. false and *error on I/O failure.
  bool compact(std::string* error);
  std::uint64_t compactions() const;

  void on_change(const QueueChange& change) override;
  void on_change(const StreamChange& change) override;

 private:
  void compaction_loop();
  void note_lsn(journal::Lsn lsn);

  std::unique_ptr<journal::Journal> journal_;
  const DurableOptions options_;
  QueueRegistry& queues_;
  StreamRegistry& streams_;

  mutable std::mutex mutex_;  // guards the fields below
  std::mutex compact_mutex_;  // one compaction at a time
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t last_snapshot_bytes_ = 0;
  std::uint64_t compactions_ = 0;
  std::thread compactor_;
  std::atomic<journal::Lsn> last_lsn_{0};
};

}  // namespace shoal::storage::durability
