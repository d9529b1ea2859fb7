// Replayer: applies journal records (change_codec.h) to the engines, oldest
// first, as Journal::open hands them over. Stream operations re-run on the
// ReplayClock pinned to their logged time; everything else carries its own
// times. Records the engines already hold (a log suffix kept behind a
// snapshot that includes it) are skipped by the engines' version checks.
// Not thread-safe: one replaying thread, before the engines are shared.
#pragma once

#include <cstdint>
#include <string_view>

#include "storage/durability/replay_clock.h"
#include "storage/queue/queue_registry.h"
#include "storage/stream/stream_registry.h"

namespace shoal::storage::durability {

class Replayer {
 public:
  Replayer(QueueRegistry& queues, StreamRegistry& streams, ReplayClock* clock)
      : queues_(queues), streams_(streams), clock_(clock) {}
  ~Replayer() {
    if (clock_ != nullptr) clock_->release();
  }

  // false when the record does not decode (counted in unreadable()).
  bool apply(std::string_view record);

  std::uint64_t applied() const { return applied_; }
  std::uint64_t unreadable() const { return unreadable_; }

 private:
  QueueRegistry& queues_;
  StreamRegistry& streams_;
  ReplayClock* clock_;
  std::uint64_t applied_ = 0;
  std::uint64_t unreadable_ = 0;
};

}  // namespace shoal::storage::durability
