#include "storage/stream/shard_throughput.h"

#include <algorithm>

namespace shoal::storage {

void TokenBucket::refill(TimePoint now) {
  if (!last_) {
    level_ = capacity();
    last_ = now;
    return;
  }
  // A clock set back (tests' ManualClock::set) refills nothing.
  const std::int64_t elapsed_ms = std::max<std::int64_t>((now - *last_).count(), 0);
  if (elapsed_ms > 0) {
    // Saturate long idle spells before multiplying: a full bucket stays full.
    const std::int64_t gap = capacity() - level_;
    level_ = elapsed_ms >= (gap + per_second_ - 1) / per_second_ ? capacity() : level_ + elapsed_ms * per_second_;
    last_ = now;
  }
}

bool TokenBucket::can_take(TimePoint now, std::int64_t units) {
  refill(now);
  const std::int64_t needed = std::min(units * 1000, capacity());
  return level_ >= needed;
}

bool TokenBucket::has_credit(TimePoint now) {
  refill(now);
  return level_ > 0;
}

std::chrono::milliseconds TokenBucket::time_to_credit(TimePoint now) {
  refill(now);
  if (level_ > 0) return std::chrono::milliseconds(0);
  // Each millisecond refills per_second_ unit-milliseconds; one more makes it positive.
  return std::chrono::milliseconds(-level_ / per_second_ + 1);
}

void TokenBucket::take(std::int64_t units) { level_ -= units * 1000; }

ShardThroughput::ShardThroughput(const ThroughputLimits& limits)
    : write_bytes_(limits.write_bytes_per_second),
      write_records_(limits.write_records_per_second),
      read_calls_(limits.read_calls_per_second),
      read_bytes_(limits.read_bytes_per_second) {}

bool ShardThroughput::admit_write(TimePoint now, std::int64_t bytes) {
  // Both checked before either is taken: a refused record costs nothing.
  const bool records_ok = write_records_.can_take(now, 1);
  const bool bytes_ok = write_bytes_.can_take(now, bytes);
  if (!records_ok || !bytes_ok) return false;
  write_records_.take(1);
  write_bytes_.take(bytes);
  return true;
}

bool ShardThroughput::admit_read(TimePoint now) {
  const bool call_ok = read_calls_.can_take(now, 1);
  const bool bytes_ok = read_bytes_.has_credit(now);
  if (!call_ok || !bytes_ok) return false;
  read_calls_.take(1);
  return true;
}

void ShardThroughput::charge_read(std::int64_t bytes) { read_bytes_.take(bytes); }

}  // namespace shoal::storage
