// ShardSubscription: one SubscribeToShard subscription, the protocol-neutral
// half of its event stream. It pushes SubscribeToShardEvents (Records,
// ContinuationSequenceNumber, MillisBehindLatest) as soon as the shard's
// watcher says records were put, an empty one when nothing happened for
// kKeepAlive, and at the end of a closed shard a last event with ChildShards
// and no ContinuationSequenceNumber (how SDKs and the KCL recognise a shard's
// end). It ends after kLifetime on the engine clock, or with an exception
// event when a newer subscription takes it over or its stream, consumer or
// shard goes away. Calls are serialized by the server (StreamingAction's
// contract); the wakers it registers may fire on any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/action_result.h"
#include "storage/clock.h"
#include "storage/stream/stream_registry.h"
#include "storage/stream/subscription_registry.h"

namespace shoal::api::kinesis {

// AWS: a subscription lasts up to 5 minutes; when idle it still gets an event
// about every 5 seconds (LocalStack, validated against AWS: "at least 1 event
// every 5 seconds").
inline constexpr std::chrono::minutes kLifetime{5};
inline constexpr std::chrono::seconds kKeepAlive{5};

struct SubscriptionStart {
  std::shared_ptr<storage::Stream> stream;
  storage::StreamKey key;
  std::string consumer_arn;
  std::string consumer_name;
  storage::TimePoint consumer_created;
  std::uint32_t shard_index = 0;
  std::uint64_t position = 0;  // the first counter to push
  std::shared_ptr<storage::SubscriptionRegistry::Lease> lease;
};

class ShardSubscription final : public StreamingAction {
 public:
  ShardSubscription(SubscriptionStart start, storage::StreamRegistry& streams, const storage::Clock& clock);
  ~ShardSubscription() override;
  ShardSubscription(const ShardSubscription&) = delete;
  ShardSubscription& operator=(const ShardSubscription&) = delete;

  bool poll(bool final, std::vector<StreamEvent>& out, std::size_t max_bytes) override;
  std::chrono::milliseconds time_to_next_check() const override;
  void set_waker(std::function<void()> wake) override;
  void cancel() override;

 private:
  // Appends the exception event and ends.
  bool fail(std::vector<StreamEvent>& out, const AwsError& error);
  void end();
  bool keep_alive_due(storage::TimePoint now) const;

  SubscriptionStart s_;
  storage::StreamRegistry& streams_;
  const storage::Clock& clock_;
  const storage::TimePoint deadline_;  // engine time
  const std::string shard_id_;
  // The last event sent, on both clocks: a keep-alive is due when either
  // says kKeepAlive passed (the engine clock may be frozen or advanced).
  std::optional<storage::TimePoint> last_event_;
  std::chrono::steady_clock::time_point last_event_wall_{};
  std::uint64_t watch_id_ = 0;
  bool throttled_ = false;  // the read budget ran out at the last poll
  bool ended_ = false;
};

}  // namespace shoal::api::kinesis
