// Plain values exchanged with the stream engine: keys, settings, statuses,
// snapshots (ShardInfo, StreamDescription) and the inputs and outcomes of the
// data-plane calls. No behaviour beyond to_string helpers; thread-safe.
// Wire spellings (AWS enum names) come from to_string / parse_* below.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/clock.h"
#include "storage/stream/hash_key.h"

namespace shoal::storage {

struct StreamKey {
  std::string account;
  std::string region;
  std::string name;
  auto operator<=>(const StreamKey&) const = default;
};

enum class StreamStatus { kCreating, kDeleting, kActive, kUpdating };
enum class StreamMode { kProvisioned, kOnDemand };
enum class EncryptionType { kNone, kKms };
enum class ConsumerStatus { kCreating, kDeleting, kActive };
enum class ShardIteratorType {
  kTrimHorizon, kLatest, kAtSequenceNumber, kAfterSequenceNumber, kAtTimestamp
};

// "CREATING", "PROVISIONED", "NONE"/"KMS", ... exactly as AWS spells them.
std::string_view to_string(StreamStatus s);
std::string_view to_string(StreamMode m);
std::string_view to_string(EncryptionType e);
std::string_view to_string(ConsumerStatus s);
std::optional<StreamMode> parse_stream_mode(std::string_view s);
std::optional<ShardIteratorType> parse_shard_iterator_type(std::string_view s);

// "shardId-" + 12-digit zero-padded index; parse accepts exactly that form.
std::string shard_id_for_index(std::uint32_t index);
std::optional<std::uint32_t> parse_shard_id(std::string_view shard_id);

inline constexpr int kDefaultRetentionHours = 24;
inline constexpr int kMaxRetentionHours = 8760;
inline constexpr int kDefaultMaxRecordSizeKib = 1024;
inline constexpr int kMinMaxRecordSizeKib = 1024;
inline constexpr int kMaxMaxRecordSizeKib = 10240;
inline constexpr int kMaxGetRecordsLimit = 10000;
inline constexpr std::int64_t kMaxGetRecordsBytes = 10 * 1024 * 1024;
// Every shard-level metric; "ALL" in Enable/DisableEnhancedMonitoring means these.
inline const std::vector<std::string> kAllShardLevelMetrics = {
    "IncomingBytes",  "IncomingRecords", "OutgoingBytes", "OutgoingRecords",
    "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded",
    "IteratorAgeMilliseconds"};

// How long each transition takes. Zero: immediate.
struct StreamDelays {
  std::chrono::milliseconds create{0};           // CREATING -> ACTIVE
  std::chrono::milliseconds update{0};           // UPDATING -> ACTIVE
  std::chrono::milliseconds remove{0};           // DELETING -> gone
  std::chrono::milliseconds consumer_create{0};  // consumer CREATING -> ACTIVE
  std::chrono::milliseconds consumer_remove{0};  // consumer DELETING -> gone
};

// AWS's per-shard throughput limits (shard_throughput.h). Off by default:
// most tests want every call accepted at once.
struct ThroughputLimits {
  bool enabled = false;
  std::int64_t write_bytes_per_second = 1 << 20;  // partition keys + data
  std::int64_t write_records_per_second = 1000;
  std::int64_t read_calls_per_second = 5;
  std::int64_t read_bytes_per_second = 2 << 20;
};

// No stream holds more open shards: the account shard limit tops out here
// (--kinesis-shard-limit), so a logged count past it is damage, not a stream.
inline constexpr int kMaxShardsPerStream = 100'000;

struct StreamLimits {
  int shard_limit = 500;            // open shards per account and region
  int on_demand_stream_limit = 50;  // ON_DEMAND streams per account and region
  int on_demand_shard_count = 4;    // shards of a new ON_DEMAND stream
  int max_consumers = 20;           // per stream
  int max_tags = 50;                // per stream
  ThroughputLimits throughput;      // per shard
};

// What CreateStream asks for (the api has validated ranges from the model).
struct StreamConfig {
  StreamMode mode = StreamMode::kProvisioned;
  int shard_count = 1;  // ignored for ON_DEMAND (limits.on_demand_shard_count)
  std::map<std::string, std::string> tags;
  int max_record_size_kib = kDefaultMaxRecordSizeKib;
  std::optional<int> warm_throughput_mibps;
};

struct ShardInfo {
  std::string shard_id;
  std::uint32_t index = 0;
  std::optional<std::string> parent_shard_id;
  std::optional<std::string> adjacent_parent_shard_id;
  HashKeyRange hash_key_range;
  std::string starting_sequence_number;
  std::optional<std::string> ending_sequence_number;  // set once closed
  TimePoint created;
  std::optional<TimePoint> closed;
  bool open() const { return !closed.has_value(); }
};

struct ConsumerInfo {
  std::string name;
  ConsumerStatus status = ConsumerStatus::kCreating;
  TimePoint created;  // the ARN ends with ":" + epoch seconds of this
  std::map<std::string, std::string> tags;
};

struct WarmThroughput {
  std::optional<int> current_mibps;
  std::optional<int> target_mibps;
};

// A consistent snapshot of one stream (everything Describe* reports).
struct StreamDescription {
  StreamKey key;
  std::string stream_id;
  StreamStatus status = StreamStatus::kCreating;
  StreamMode mode = StreamMode::kProvisioned;
  TimePoint created;
  int retention_hours = kDefaultRetentionHours;
  EncryptionType encryption = EncryptionType::kNone;
  std::string key_id;  // empty when not encrypted
  std::vector<std::string> shard_level_metrics;  // sorted
  std::vector<ShardInfo> shards;  // by index; closed shards past retention dropped
  int open_shard_count = 0;
  int consumer_count = 0;  // consumers not DELETING
  int max_record_size_kib = kDefaultMaxRecordSizeKib;
  WarmThroughput warm_throughput;
};

struct PutRecordInput {
  std::string partition_key;
  std::optional<HashKey> explicit_hash_key;  // api parses with parse_hash_key
  std::string data;
  std::optional<std::string> sequence_number_for_ordering;
};

struct PutRecordOutcome {
  std::string shard_id;         // where it went (or would have gone)
  std::string sequence_number;  // empty when throttled
  EncryptionType encryption = EncryptionType::kNone;
  // The shard's write limit refused the record (ThroughputLimits); nothing
  // was written.
  bool throttled = false;
};

struct IteratorRequest {
  ShardIteratorType type = ShardIteratorType::kTrimHorizon;
  std::string sequence_number;  // AT_/AFTER_SEQUENCE_NUMBER
  TimePoint timestamp;          // AT_TIMESTAMP
};

struct StreamRecord {
  std::string sequence_number;
  TimePoint arrival;
  std::string partition_key;
  std::string data;
  EncryptionType encryption = EncryptionType::kNone;
};

struct ChildShard {
  std::string shard_id;
  std::vector<std::string> parent_shards;
  HashKeyRange hash_key_range;
};

struct GetRecordsOutcome {
  std::vector<StreamRecord> records;
  // nullopt exactly when the shard is closed and every record was read.
  std::optional<std::string> next_shard_iterator;
  std::int64_t millis_behind_latest = 0;
  std::vector<ChildShard> child_shards;  // only with no next_shard_iterator
};

// One read of a shard for a subscription (Stream::read_shard): SubscribeToShard
// pushes what GetRecords would return, from a position it keeps itself.
struct ShardRead {
  std::vector<StreamRecord> records;
  std::uint64_t next_counter = 0;  // where the following read starts
  // Stands for "everything before next_counter was read": the last record
  // read, else the record before the position, else the shard's starting
  // number. AFTER_SEQUENCE_NUMBER of it resumes exactly at next_counter.
  std::string continuation;
  std::int64_t millis_behind_latest = 0;
  std::int64_t bytes = 0;  // partition keys + data of the records
  // The shard is closed and every record was read: child_shards names its
  // children and nothing more will come.
  bool end_of_shard = false;
  std::vector<ChildShard> child_shards;
};

struct UpdateShardCountOutcome {
  int current_shard_count = 0;  // open shards before
  int target_shard_count = 0;
};

struct MonitoringChange {
  std::vector<std::string> current;  // sorted
  std::vector<std::string> desired;  // sorted
};

}  // namespace shoal::storage
