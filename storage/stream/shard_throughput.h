// ShardThroughput: one shard's AWS throughput limits (writes: 1 MiB/s of
// partition keys + data and 1,000 records/s; reads: 5 GetRecords calls/s and
// 2 MiB/s) as token buckets that refill continuously on the engine clock, so
// advancing the emulator's clock refills them and a frozen clock does not.
// Each bucket holds one second's worth; a record or a read bigger than what
// is left may overdraw a full bucket, and the debt is paid off at the rate
// before the next call passes (AWS: a 10 MiB read blocks reads for seconds).
// Not thread-safe: the owning Stream's lock guards it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "storage/clock.h"
#include "storage/stream/stream_types.h"

namespace shoal::storage {

// Units per second, full at first use; levels are kept in unit-milliseconds
// so refills are exact integers on a millisecond clock.
class TokenBucket {
 public:
  explicit TokenBucket(std::int64_t per_second) : per_second_(per_second) {}
  // Whether `units` can be taken at `now`: what is left covers them, or the
  // bucket is full and they are more than it holds (an overdraft).
  bool can_take(TimePoint now, std::int64_t units);
  void take(std::int64_t units);  // after can_take / has_credit; may overdraw
  // Anything left at all (no debt outstanding).
  bool has_credit(TimePoint now);
  // How long until has_credit (zero when it has some now).
  std::chrono::milliseconds time_to_credit(TimePoint now);

 private:
  void refill(TimePoint now);
  std::int64_t capacity() const { return per_second_ * 1000; }
  std::int64_t per_second_;
  std::int64_t level_ = 0;  // unit-milliseconds
  std::optional<TimePoint> last_;
};

class ShardThroughput {
 public:
  explicit ShardThroughput(const ThroughputLimits& limits);
  // One record of `bytes` (partition key + data): true and counted, or false
  // and nothing counted (throttled).
  bool admit_write(TimePoint now, std::int64_t bytes);
  // One GetRecords call: true and counted, or false (throttled: 5 calls
  // already this second, or earlier reads still being paid off).
  bool admit_read(TimePoint now);
  // The bytes (partition keys + data) an admitted read returned.
  void charge_read(std::int64_t bytes);

 private:
  TokenBucket write_bytes_;
  TokenBucket write_records_;
  TokenBucket read_calls_;
  TokenBucket read_bytes_;
};

}  // namespace shoal::storage
