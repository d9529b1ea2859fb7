// StreamRegistry: every Kinesis stream of every account and region by key,
// plus what lives beside streams: resource policies by ARN, account settings,
// account shard limits, the shard iterator key. Streams are shared_ptr so a
// request that found one can finish after it is deleted.
// Thread-safe: a shared mutex guards the maps (lock order: registry, then
// stream); limit-checked changes are serialised so two cannot both pass.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "storage/clock.h"
#include "storage/status.h"
#include "storage/stream/result.h"
#include "storage/stream/shard_iterator.h"
#include "storage/stream/stream.h"
#include "storage/stream/stream_changes.h"
#include "storage/stream/stream_types.h"
#include "storage/stream/subscription_registry.h"

namespace shoal::storage {

struct StreamRegistryOptions {
  StreamDelays delays;
  StreamLimits limits;
  std::string iterator_key;  // empty: random per process
};

struct AccountLimits {
  int shard_limit = 0;
  int open_shard_count = 0;
  int on_demand_stream_count = 0;
  int on_demand_stream_count_limit = 0;
};

// DescribeAccountSettings / UpdateAccountSettings, stored as given.
struct AccountSettings {
  std::string billing_commitment_status = "DISABLED";
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> ended_at;
  std::optional<TimePoint> earliest_allowed_end_at;
};

class StreamRegistry {
 public:
  explicit StreamRegistry(const Clock& clock, StreamRegistryOptions options = {});
  ~StreamRegistry();

  // kResourceInUse: a stream with this key exists (in any status, DELETING
  // included, until it is gone). kLimitExceeded: the account's open shards
  // would exceed limits.shard_limit (message: limit, current, requested) or
  // ON_DEMAND streams limits.on_demand_stream_limit. kInvalidArgument:
  // shard_count < 1 for PROVISIONED.
  Result<std::shared_ptr<Stream>> create(const StreamKey& key, const StreamConfig& config);
  // nullptr when absent or gone (CREATING and DELETING streams are returned).
  std::shared_ptr<Stream> find(const StreamKey& key) const;
  std::shared_ptr<Stream> find_by_id(const std::string& account, const std::string& region,
                                     std::string_view stream_id) const;
  // DELETING now, gone after delays.remove (already DELETING: ok, nothing
  // changes). kNotFound: absent; kResourceInUse: consumers and
  // !enforce_consumer_deletion.
  Status remove(const StreamKey& key, bool enforce_consumer_deletion);
  // Streams of one account and region (all statuses but gone), by name.
  std::vector<std::shared_ptr<Stream>> list(const std::string& account,
                                            const std::string& region) const;

  // Resharding with the account shard limit (see Stream); kNotFound: no stream.
  Status split_shard(const StreamKey& key, std::string_view shard_id, HashKey new_starting_hash_key);
  Status merge_shards(const StreamKey& key, std::string_view shard_id,
                      std::string_view adjacent_shard_id);
  Result<UpdateShardCountOutcome> update_shard_count(const StreamKey& key, int target);

  // Decodes the iterator (kInvalidArgument / kHandleExpired, see
  // ShardIteratorCodec), finds its stream (kNotFound, or kInvalidArgument when
  // the stream was recreated since) and reads (Stream::get_records).
  Result<GetRecordsOutcome> get_records(std::string_view iterator, int limit);

  AccountLimits limits(const std::string& account, const std::string& region) const;

  // Resource policies (PutResourcePolicy etc.), keyed by stream or consumer ARN.
  void put_resource_policy(const std::string& arn, std::string policy);
  std::optional<std::string> resource_policy(const std::string& arn) const;
  Status delete_resource_policy(const std::string& arn);  // kNotFound when none
  // Drops the policy stored under `arn` and every one under "<arn>/..." (a
  // stream's consumers): policies go with their stream. Returns how many.
  std::size_t delete_resource_policies_under(const std::string& arn);

  AccountSettings account_settings(const std::string& account) const;
  void set_account_settings(const std::string& account, AccountSettings settings);

  // ---- durability (stream_changes.h) ----
  // Reports every change from now on, to this registry's streams too. Call
  // before the registry is shared between threads (after replay).
  void set_observer(StreamObserver* observer);
  // Replays one logged change or snapshot image. Stale ones (a stream created
  // before the snapshot's next id, a version already reached) are skipped.
  // StreamOps run on clock(): the replayer sets it to the op's time.
  void apply(const StreamChange& change);
  // Emits images recreating every stream and registry value: a registry
  // image first, then each stream under its own lock.
  // `between` (optional) runs after each stream's images, outside every lock:
  // the place to write out what emit gathered.
  void snapshot(const StreamChangeSink& emit, const std::function<void()>& between = {}) const;
  // Every stream of every account and region (all statuses but gone).
  std::vector<std::shared_ptr<Stream>> all() const;
  // Forgets every stream, resource policy and account setting (of one
  // account when given) at once, without a DELETING phase; iterators into
  // them stop working. Returns how many streams were dropped.
  std::size_t clear(const std::optional<std::string>& account = std::nullopt);

  // Active SubscribeToShard subscriptions (subscription_registry.h).
  SubscriptionRegistry& subscriptions() { return subscriptions_; }
  const ShardIteratorCodec& iterator_codec() const { return iterators_; }
  const StreamRegistryOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }

 private:
  // Open shards of the account and region's streams other than `except`.
  int open_shards_locked(const std::string& account, const std::string& region,
                         const Stream* except) const;
  void drop_gone_locked();

  const Clock& clock_;
  const StreamRegistryOptions options_;
  const ShardIteratorCodec iterators_;
  SubscriptionRegistry subscriptions_;
  mutable std::shared_mutex mutex_;
  std::mutex limit_mutex_;  // serialises create / split / update_shard_count
  std::map<StreamKey, std::shared_ptr<Stream>> streams_;
  std::map<std::string, std::string> policies_;
  std::map<std::string, AccountSettings> settings_;
  StreamObserver* observer_ = nullptr;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::shared_ptr<Stream>> by_id_;  // same streams as streams_
};

}  // namespace shoal::storage
