// SubscriptionRegistry: the active SubscribeToShard subscriptions, one per
// (stream, consumer, shard). A new subscription within kTakeoverAfter of the
// active one's start is refused; a later one takes over: the old lease learns
// it was taken over (its waker fires) and ends. A lease also carries the
// subscription's read budget (ThroughputLimits::read_bytes_per_second) when
// limits are on. Thread-safe: one mutex; leases may outlive the registry.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/clock.h"
#include "storage/stream/result.h"
#include "storage/stream/shard_throughput.h"
#include "storage/stream/stream_types.h"

namespace shoal::storage {

// A consumer is named with its creation time: a consumer registered again
// under the same name is another consumer (another ARN).
struct SubscriptionKey {
  StreamKey stream;
  std::string consumer;
  TimePoint consumer_created;
  std::uint32_t shard = 0;
  auto operator<=>(const SubscriptionKey&) const = default;
};

// AWS: "If you call SubscribeToShard again with the same ConsumerARN and
// ShardId within 5 seconds of a successful call, you'll get a
// ResourceInUseException. If you call SubscribeToShard 5 seconds or more
// after a successful call, the second call takes over the subscription."
inline constexpr std::chrono::seconds kTakeoverAfter{5};

class SubscriptionRegistry {
 public:
  class Lease;

  explicit SubscriptionRegistry(const ThroughputLimits& limits = {});
  ~SubscriptionRegistry();
  SubscriptionRegistry(const SubscriptionRegistry&) = delete;
  SubscriptionRegistry& operator=(const SubscriptionRegistry&) = delete;

  // kResourceInUse: the key's active subscription started less than
  // kTakeoverAfter before now (message: when, in epoch ms). Otherwise a new
  // lease; the previous one (if any) is taken over.
  Result<std::shared_ptr<Lease>> acquire(const SubscriptionKey& key, TimePoint now);
  // Leases held now.
  std::size_t active() const;
  // Each held lease's key and start, in key order: what the console lists
  // under a stream's consumers.
  struct Active {
    SubscriptionKey key;
    TimePoint started;
  };
  std::vector<Active> list() const;

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

// One subscription's slot. Calls on a lease are serialized by its owner;
// taken_over() and the waker may race with another thread's takeover.
class SubscriptionRegistry::Lease {
 public:
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  bool taken_over() const;
  // One-shot: called (from the taking thread) if this lease is taken over.
  void set_waker(std::function<void()> wake);
  // Frees the slot (if still this lease's); later calls do nothing.
  void release();

  // The subscription's own read budget; nullptr when limits are off.
  TokenBucket* budget() { return budget_ ? &*budget_ : nullptr; }
  TimePoint started() const { return started_; }

 private:
  friend class SubscriptionRegistry;
  Lease(std::shared_ptr<Shared> shared, SubscriptionKey key, TimePoint started, std::optional<TokenBucket> budget);

  std::shared_ptr<Shared> shared_;
  const SubscriptionKey key_;
  const TimePoint started_;
  std::optional<TokenBucket> budget_;
  bool released_ = false;
  // Guarded by Shared::mutex.
  bool taken_over_ = false;
  std::function<void()> wake_;
};

}  // namespace shoal::storage
