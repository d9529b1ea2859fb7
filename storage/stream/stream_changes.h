// Stream changes: the typed events the stream engine reports for every state
// change it makes (so an append log can record exactly those and replay them),
// and the images a snapshot emits to recreate the live state. Events carry
// outcomes and absolute times, never inputs that would re-run randomness.
// Per-stream events carry the stream's change version (1, 2, ... per stream);
// StreamRegistry::apply skips any whose version the stream already reached,
// which makes replaying a log suffix on top of a snapshot idempotent.
// Plain values; views in RecordsPut point into memory the emitter (or the
// decoder's input) owns for the duration of the call.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storage/clock.h"
#include "storage/stream/hash_key.h"
#include "storage/stream/stream_types.h"

namespace shoal::storage {

struct AccountSettings;  // stream_registry.h

// A reshard decided at some time and carried out when the update delay ends.
struct PendingReshard {
  TimePoint due;
  std::vector<std::uint32_t> close;
  struct Child {
    HashKeyRange range;
    std::vector<std::uint32_t> parents;
    bool operator==(const Child&) const = default;
  };
  std::vector<Child> children;
  bool operator==(const PendingReshard&) const = default;
};

struct StreamConsumer {
  std::string name;
  TimePoint created;
  std::optional<TimePoint> deleting_since;
  std::map<std::string, std::string> tags;
  bool operator==(const StreamConsumer&) const = default;
};

// ---- events ----

struct StreamCreated {
  std::uint64_t stream = 0;  // the registry's durable id of this incarnation
  StreamKey key;
  TimePoint created;
  std::string stream_id;
  StreamConfig config;
};

struct RecordsPut {
  struct Item {
    std::uint32_t shard = 0;
    std::string_view partition_key;
    std::string_view data;
  };
  std::uint64_t stream = 0;
  std::uint64_t version = 0;
  TimePoint at;
  std::vector<Item> records;
};

// A control-plane change, replayed by running the same operation again at
// `at` (every outcome is a function of the state and the time).
enum class StreamOpKind : std::uint8_t {
  kSplitShard = 1,       // text: shard id, hash_key: new starting key
  kMergeShards,          // text, text2: the two shard ids
  kUpdateShardCount,     // number: target
  kIncreaseRetention,    // number: hours
  kDecreaseRetention,    // number: hours
  kUpdateMaxRecordSize,  // number: KiB
  kUpdateStreamMode,     // number: StreamMode
  kStartEncryption,      // text: key id
  kStopEncryption,
  kEnableMonitoring,     // names: metrics
  kDisableMonitoring,    // names: metrics
  kUpdateWarmThroughput, // number: MiB/s
  kAddTags,              // tags
  kRemoveTags,           // names: keys
  kRegisterConsumer,     // text: name, tags: its tags
  kDeregisterConsumer,   // text: name
  kBeginDelete,          // number: enforce consumer deletion (0/1)
  kAddConsumerTags,      // text: consumer name, tags
  kRemoveConsumerTags,   // text: consumer name, names: keys
};

struct StreamOp {
  std::uint64_t stream = 0;
  std::uint64_t version = 0;
  TimePoint at;
  StreamOpKind kind = StreamOpKind::kBeginDelete;
  std::int64_t number = 0;
  std::string text;
  std::string text2;
  HashKey hash_key = 0;
  std::vector<std::string> names;
  std::map<std::string, std::string> tags;
};

// Registry-wide values; each event carries the whole new value (nullopt
// policy: deleted), so replaying one twice is harmless.
struct ResourcePolicySet {
  std::string arn;
  std::optional<std::string> policy;
};

struct AccountSettingsSet {
  std::string account;
  std::string billing_commitment_status;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> ended_at;
  std::optional<TimePoint> earliest_allowed_end_at;
};

// A control reset dropped an account's settings (back to the defaults).
struct AccountSettingsCleared {
  std::string account;
};

// A control reset dropped the stream at once (no DELETING phase): replay
// forgets it, whatever its delete delay.
struct StreamDropped {
  std::uint64_t stream = 0;
};

// ---- snapshot images ----

// First record of a stream snapshot: streams with ids below next_stream are
// in the snapshot or were deleted before it; a StreamCreated for one of them
// found after the snapshot is stale.
struct StreamRegistryImage {
  std::uint64_t next_stream = 1;
};

struct StreamImage {
  std::uint64_t stream = 0;
  std::uint64_t version = 0;
  StreamKey key;
  TimePoint created;
  std::string stream_id;
  StreamMode mode = StreamMode::kProvisioned;
  int retention_hours = kDefaultRetentionHours;
  EncryptionType encryption = EncryptionType::kNone;
  std::string key_id;
  std::vector<std::string> metrics;
  std::map<std::string, std::string> tags;
  std::vector<StreamConsumer> consumers;
  std::optional<TimePoint> deleting_since;
  TimePoint updating_until{};
  std::optional<PendingReshard> pending;
  std::uint32_t next_shard_index = 0;
  int max_record_size_kib = kDefaultMaxRecordSizeKib;
  WarmThroughput warm;
};

struct ShardImage {
  std::uint64_t stream = 0;
  std::uint32_t index = 0;
  HashKeyRange range;
  TimePoint created;
  std::int64_t seq_created_seconds = 0;
  std::vector<std::uint32_t> parents;
  std::optional<TimePoint> closed;
  std::uint64_t next_counter = 1;
  std::int64_t last_arrival_ms = 0;
};

// A run of one shard's records, oldest first (a shard's records may span
// several of these).
struct ShardRecordsImage {
  struct Item {
    std::uint64_t counter = 0;
    std::int64_t arrival_ms = 0;
    EncryptionType encryption = EncryptionType::kNone;
    std::string_view partition_key;
    std::string_view data;
  };
  std::uint64_t stream = 0;
  std::uint32_t shard = 0;
  std::vector<Item> records;
};

// New alternatives go at the end: a record's tag is its index here
// (change_codec.h), and old logs must keep their meaning.
using StreamChange = std::variant<StreamCreated, RecordsPut, StreamOp, ResourcePolicySet, AccountSettingsSet,
                                  StreamRegistryImage, StreamImage, ShardImage, ShardRecordsImage,
                                  AccountSettingsCleared, StreamDropped>;

// Receives every change, called under the lock that serialises it (so the
// order of calls is the order of changes). Must be quick and must not call
// back into the engine.
class StreamObserver {
 public:
  virtual ~StreamObserver() = default;
  virtual void on_change(const StreamChange& change) = 0;
};

using StreamChangeSink = std::function<void(const StreamChange& change)>;

}  // namespace shoal::storage
