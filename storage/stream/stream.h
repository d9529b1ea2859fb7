// Stream: one Kinesis data stream: its shards and their records, consumers,
// tags and settings, driven by an injected Clock. Status transitions and
// pending reshards are applied lazily (at their due time, by the next call).
// Thread-safe: one mutex per stream. Errors (Status codes, message has facts):
//   kNotFound        shard / consumer absent; data-plane call while CREATING
//                    or DELETING (AWS answers ResourceNotFound then)
//   kResourceInUse   control-plane change while not ACTIVE (message: the
//                    status, e.g. "UPDATING"); consumers present on delete;
//                    a consumer name already registered
//   kInvalidArgument a value the engine refuses (message says which)
//   kLimitExceeded   shard / consumer / scaling limits (message has counts)
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/clock.h"
#include "storage/status.h"
#include "storage/stream/result.h"
#include "storage/stream/shard_iterator.h"
#include "storage/stream/stream_changes.h"
#include "storage/stream/stream_types.h"

namespace shoal::storage {

// How a stream reports its changes (stream_changes.h) and, when restored from
// a log, the identity it had: its creation time and StreamId.
struct StreamHooks {
  StreamObserver* observer = nullptr;
  std::uint64_t id = 0;  // the registry's durable id
  std::optional<TimePoint> created;
  std::optional<std::string> stream_id;
};

// One shard's retained records, for the control endpoints and metrics.
struct ShardPosition {
  ShardInfo shard;
  std::uint64_t records = 0;  // retained (not yet trimmed)
  std::uint64_t bytes = 0;    // their data plus partition keys
  std::uint64_t records_put = 0;  // ever put, trimmed ones included
  std::optional<std::string> first_sequence_number;  // oldest retained record
  std::optional<std::string> last_sequence_number;   // newest record
};

// One record as the control endpoints' tail shows it: where it is, and the
// start of its data.
struct RecordPreview {
  std::string shard_id;
  std::string sequence_number;
  TimePoint arrival;
  std::string partition_key;
  std::string data;            // the first max_data_bytes bytes
  std::size_t data_size = 0;   // the whole data's size
};

class Stream {
 public:
  // shard_count / mode come from config; the caller checked account limits.
  Stream(StreamKey key, const StreamConfig& config, const StreamDelays& delays,
         const StreamLimits& limits, const ShardIteratorCodec& iterators, const Clock& clock,
         StreamHooks hooks = {});
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  const StreamKey& key() const { return key_; }
  TimePoint created() const { return created_; }
  const std::string& stream_id() const { return stream_id_; }
  StreamStatus status() const;
  StreamMode mode() const;
  StreamDescription describe() const;
  std::vector<ShardInfo> shards() const;  // = describe().shards
  // Every shard with its retained records' count, size and sequence range;
  // changes nothing but due transitions. O(shards).
  std::vector<ShardPosition> shard_positions() const;
  // The newest records of the stream, newest first (by arrival, across
  // shards), at most max, each with at most max_data_bytes of its data
  // (stream_tail.cc). Changes nothing but due transitions. O(shards x max).
  std::vector<RecordPreview> newest_records(std::size_t max, std::size_t max_data_bytes) const;
  int open_shard_count() const;  // after any pending reshard is applied

  // ---- records ----
  // Routes by explicit hash key or MD5(partition key) to the open shard that
  // covers it. kInvalidArgument: data + partition key over max_record_size_kib
  // (message: "size N exceeds limit M"), or a sequence_number_for_ordering that
  // is not a sequence number or lies in the future. The new number is greater
  // than every earlier one of the shard. With limits.throughput enabled, a
  // record over its shard's write limit is not written and its outcome says
  // throttled (the call still succeeds).
  Result<PutRecordOutcome> put_record(const PutRecordInput& record);
  // Under one lock: any oversized or invalid record fails the whole call
  // (message starts with "record I: "); otherwise every record is written
  // but those its shard's write limit refuses (throttled outcomes). Outcomes
  // in input order.
  Result<std::vector<PutRecordOutcome>> put_records(const std::vector<PutRecordInput>& records);
  // kNotFound: unknown shard (message names it); kInvalidArgument: a sequence
  // number that does not decode or belongs to another shard. reader_account:
  // the account the iterator is for (ShardIteratorState::reader_account);
  // empty or the stream's own account: its owner.
  Result<std::string> get_shard_iterator(std::string_view shard_id, const IteratorRequest& request,
                                         std::string_view reader_account = {});
  // state comes from ShardIteratorCodec::decode (StreamRegistry::get_records
  // does both). Up to limit (1..10000) records and kMaxGetRecordsBytes of
  // data + partition keys (at least one record when any is readable).
  // kNotFound: the shard expired; kInvalidArgument: iterator of another stream;
  // kThrottled: the shard's read limit (limits.throughput) refuses the call.
  Result<GetRecordsOutcome> get_records(const ShardIteratorState& state, int limit);

  // ---- subscriptions (SubscribeToShard) ----
  // The counter a reader of the shard starts at for `request` (the position
  // get_shard_iterator encodes). Errors as get_shard_iterator.
  Result<std::uint64_t> start_position(std::string_view shard_id, const IteratorRequest& request);
  // Like get_records from a position the caller keeps, without the shard's
  // GetRecords limits (a subscription has its own throughput): up to
  // kMaxGetRecordsLimit records and max_bytes of data + partition keys (at
  // least one record when any is readable). kNotFound: stream CREATING or
  // DELETING, or the shard expired.
  Result<ShardRead> read_shard(std::uint32_t shard_index, std::uint64_t next_counter, std::int64_t max_bytes);
  // Calls wake once, after the stream's lock is released, when a reader at
  // next_counter may have news: a record put at or after it, a reshard, the
  // stream deleted, a consumer deregistered. When it has news already (such
  // records exist, the shard is closed or gone, or the stream is DELETING),
  // calls wake before returning and returns 0; else returns an id for
  // unwatch_shard. wake must be quick and must not call back into the stream.
  std::uint64_t watch_shard(std::uint32_t shard_index, std::uint64_t next_counter, std::function<void()> wake);
  // Unknown or already-called ids are ignored.
  void unwatch_shard(std::uint32_t shard_index, std::uint64_t id);

  // ---- resharding (stream must be ACTIVE; becomes UPDATING for the update
  // delay; the new shards appear when it ends) ----
  // max_open_shards: what the account limit leaves this stream.
  // kInvalidArgument unless start + 1 < new_starting_hash_key < end (AWS's
  // rule). kResourceInUse: shard already closed. kLimitExceeded: one more open
  // shard would exceed max_open_shards. Children: [start, key-1], [key, end].
  // Children date their sequence numbers one second after the parent closed,
  // so their numbers sort above the parent's.
  Status split_shard(std::string_view shard_id, HashKey new_starting_hash_key, int max_open_shards);
  // kInvalidArgument: shards not adjacent (ranges not contiguous, either
  // order) or the same shard. kResourceInUse: either closed. The child's
  // ParentShardId is shard_id, AdjacentParentShardId adjacent_shard_id.
  Status merge_shards(std::string_view shard_id, std::string_view adjacent_shard_id);
  // UNIFORM_SCALING by AWS's splits and merges (uniform_scaling.h): up, every
  // open shard splits and pieces merge back down to `target`; down, pairs of
  // open shards merge. The same count again changes nothing.
  // kInvalidArgument: the stream is ON_DEMAND. kLimitExceeded: target >
  // 2 x open, < open / 2 (rounded up), or over max_open_shards (messages give
  // current and target counts).
  Result<UpdateShardCountOutcome> update_shard_count(int target, int max_open_shards);

  // ---- settings (kResourceInUse unless ACTIVE; each makes it UPDATING) ----
  // kInvalidArgument: hours < current ("shorter than existing N") or > 8760.
  Status increase_retention(int hours);
  // kInvalidArgument: hours > current ("longer than existing N") or < 24.
  Status decrease_retention(int hours);
  int retention_hours() const;
  // kInvalidArgument outside 1024..10240.
  Status update_max_record_size(int kib);
  // Already in that mode: ok, nothing changes (no UPDATING).
  Status update_stream_mode(StreamMode mode);
  Status start_encryption(std::string key_id);
  Status stop_encryption();
  // "ALL" expands to kAllShardLevelMetrics. Unknown names: kInvalidArgument.
  // Immediate (no UPDATING) but the stream must be ACTIVE.
  Result<MonitoringChange> enable_monitoring(const std::vector<std::string>& metrics);
  Result<MonitoringChange> disable_monitoring(const std::vector<std::string>& metrics);
  // Target set at once; current follows when the update delay ends.
  // kInvalidArgument: negative.
  Result<WarmThroughput> update_warm_throughput(int mibps);

  // ---- tags ----
  std::map<std::string, std::string> tags() const;
  // kInvalidArgument when the result would exceed limits.max_tags (message
  // has the count); nothing changes then.
  Status add_tags(const std::map<std::string, std::string>& tags);
  void remove_tags(const std::vector<std::string>& keys);

  // ---- consumers ----
  // kResourceInUse: name taken (a DELETING one too); kLimitExceeded: at
  // limits.max_consumers. Stream must be ACTIVE or UPDATING (kResourceInUse).
  // kInvalidArgument: more than limits.max_tags tags.
  Result<ConsumerInfo> register_consumer(const std::string& name, const std::map<std::string, std::string>& tags = {});
  // Starts DELETING; gone after the consumer_remove delay. kNotFound: absent.
  Status deregister_consumer(const std::string& name);
  std::optional<ConsumerInfo> find_consumer(const std::string& name) const;
  // A consumer's tags (TagResource on its ARN). kNotFound: no such consumer;
  // kInvalidArgument: the result would exceed limits.max_tags (nothing
  // changes then).
  Status add_consumer_tags(const std::string& name, const std::map<std::string, std::string>& tags);
  Status remove_consumer_tags(const std::string& name, const std::vector<std::string>& keys);
  std::vector<ConsumerInfo> consumers() const;  // by creation time, then name

  // ---- deletion (StreamRegistry::remove calls this) ----
  // kResourceInUse: consumers registered and !enforce_consumer_deletion.
  // Already DELETING: ok, nothing changes (DescribeStream still shows the
  // stream, so a second DeleteStream is not told it is unknown).
  Status begin_delete(bool enforce_consumer_deletion);
  // DELETING and the remove delay has passed.
  bool gone() const;

  // ---- durability (StreamRegistry drives these; see stream_changes.h) ----
  std::uint64_t durable_id() const { return durable_id_; }
  // Set before the stream is shared between threads.
  void set_observer(StreamObserver* observer);
  // Replays a logged change; ignored when the stream already reached its
  // version. StreamOps run their operation again on the registry's clock,
  // which the replayer sets to op.at.
  void apply(const RecordsPut& change);
  void apply(const StreamOp& change);
  // Snapshot restore: the stream's settings, then each shard, then its records.
  void restore(const StreamImage& image);
  void restore(const ShardImage& image);
  void restore(const ShardRecordsImage& image);
  // Emits the images that recreate this stream (under its lock, so they are
  // one consistent cut), records in runs of about chunk_bytes.
  void snapshot(const StreamChangeSink& emit, std::size_t chunk_bytes = 1 << 20) const;

 private:
  struct State;
  StreamKey key_;
  TimePoint created_;
  std::string stream_id_;
  std::uint64_t durable_id_;
  const StreamDelays& delays_;
  const StreamLimits& limits_;
  const ShardIteratorCodec& iterators_;
  const Clock& clock_;
  std::unique_ptr<State> state_;
};

}  // namespace shoal::storage
