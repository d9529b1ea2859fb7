// Stream::State: the private state behind one Stream (shards, settings,
// consumers, change versions) and the helpers it uses. Private to the stream
// engine: included only by stream.cc (operations) and stream_replay.cc
// (replay of logged changes, snapshots). Every member is guarded by
// State::mutex.
#pragma once

#include <algorithm>
#include <climits>
#include <functional>
#include <mutex>
#include <set>
#include <span>

#include "storage/stream/sequence_number.h"
#include "storage/stream/shard.h"
#include "storage/stream/shard_throughput.h"
#include "storage/stream/stream.h"

namespace shoal::storage {

inline std::int64_t seconds_of(TimePoint t) { return to_epoch_ms(t) / 1000; }

inline std::string status_text(StreamStatus s) { return std::string(to_string(s)); }

struct Stream::State {
  State(const StreamKey& k, TimePoint c, const StreamDelays& d, const StreamLimits& l)
      : key(k), created(c), delays(d), limits(l) {}

  const StreamKey& key;
  const TimePoint created;
  const StreamDelays& delays;
  const StreamLimits& limits;

  std::mutex mutex;
  std::map<std::uint32_t, Shard> shards;    // by index
  std::vector<std::uint32_t> open_by_start;  // open shards ordered by range start
  std::uint32_t next_shard_index = 0;
  StreamMode mode = StreamMode::kProvisioned;
  int retention_hours = kDefaultRetentionHours;
  EncryptionType encryption = EncryptionType::kNone;
  std::string key_id;
  std::set<std::string> metrics;
  std::map<std::string, std::string> tags;
  std::map<std::string, StreamConsumer> consumers;
  std::optional<TimePoint> deleting_since;
  TimePoint updating_until{};
  std::optional<PendingReshard> pending;
  int max_record_size_kib = kDefaultMaxRecordSizeKib;
  WarmThroughput warm;
  // Per-shard throughput accounting by shard index, made on first use; only
  // when limits.throughput is enabled. Not durable: a restart refills it.
  std::map<std::uint32_t, ShardThroughput> throughput;

  // nullptr when throughput limits are off.
  ShardThroughput* meter(std::uint32_t index) {
    if (!limits.throughput.enabled) return nullptr;
    return &throughput.try_emplace(index, limits.throughput).first->second;
  }

  // Shard watchers (subscriptions): one-shot wakers by shard index, then id.
  // Called after the stream's lock is released (see Stream::watch_shard).
  using Wakers = std::vector<std::function<void()>>;
  std::map<std::uint32_t, std::map<std::uint64_t, std::function<void()>>> watchers;
  std::uint64_t next_watcher = 1;

  void take_watchers(std::uint32_t shard, Wakers& out) {
    const auto it = watchers.find(shard);
    if (it == watchers.end()) return;
    for (auto& [watch_id, wake] : it->second) out.push_back(std::move(wake));
    watchers.erase(it);
  }
  // Resharding, deletion and consumer changes wake every watcher: rare, and
  // a watcher that finds nothing new simply watches again.
  void take_all_watchers(Wakers& out) {
    for (auto& [shard, by_id] : watchers) {
      for (auto& [watch_id, wake] : by_id) out.push_back(std::move(wake));
    }
    watchers.clear();
  }

  // Records of `shard` from counter `next`: up to `limit` records and
  // `max_bytes` of partition keys + data (at least one record when any is
  // readable). Shared by GetRecords and subscriptions.
  struct Batch {
    std::vector<StreamRecord> records;
    std::uint64_t next = 0;     // counter after the last record read
    std::size_t position = 0;   // index of the first record not read
    std::int64_t bytes = 0;
    std::int64_t millis_behind_latest = 0;
    bool end_of_shard = false;  // closed and read to its end
  };
  Batch read(const Shard& shard, std::uint64_t next, int limit, std::int64_t max_bytes, TimePoint now) const {
    Batch out;
    const auto& records = shard.records();
    std::size_t pos = shard.seek_counter(next);
    out.next = next;
    while (pos < records.size() && static_cast<int>(out.records.size()) < limit) {
      const StoredRecord& r = records[pos];
      const auto size = static_cast<std::int64_t>(r.bytes.size());
      if (!out.records.empty() && out.bytes + size > max_bytes) break;
      out.bytes += size;
      out.records.push_back({shard.sequence_number(r), TimePoint(std::chrono::milliseconds(r.arrival_ms)),
                             std::string(r.partition_key()), std::string(r.data()), r.encryption});
      out.next = r.counter + 1;
      ++pos;
    }
    out.position = pos;
    // Records past the position that retention trimmed are skipped, so a
    // reader there does not keep finding "news" it cannot read.
    if (out.records.empty() && pos == records.size()) out.next = std::max(next, shard.next_counter());
    if (pos < records.size()) {
      out.millis_behind_latest = std::max<std::int64_t>(0, to_epoch_ms(now) - records[pos].arrival_ms);
    }
    out.end_of_shard = !shard.open() && pos == records.size();
    return out;
  }

  // The shards whose parents include `shard` (its children once closed).
  std::vector<ChildShard> children_of(const Shard& shard) const {
    std::vector<ChildShard> out;
    for (const auto& [index, child] : shards) {
      const auto& parents = child.parents();
      if (std::find(parents.begin(), parents.end(), shard.index()) == parents.end()) continue;
      ChildShard c;
      c.shard_id = shard_id_for_index(index);
      for (auto p : parents) c.parent_shards.push_back(shard_id_for_index(p));
      c.hash_key_range = child.range();
      out.push_back(std::move(c));
    }
    return out;
  }

  // Durability: every change counts one version and is reported to the
  // observer (if any) while the mutex is held.
  StreamObserver* observer = nullptr;
  std::uint64_t id = 0;
  std::uint64_t version = 0;

  void note(StreamOpKind kind, TimePoint at, const std::function<void(StreamOp&)>& fill = {}) {
    ++version;
    if (observer == nullptr) return;
    StreamOp op;
    op.stream = id;
    op.version = version;
    op.at = at;
    op.kind = kind;
    if (fill) fill(op);
    observer->on_change(op);
  }

  StreamStatus status(TimePoint now) const {
    if (deleting_since) return StreamStatus::kDeleting;
    // Zero delays never hold a status, even if the clock steps back.
    if (delays.create.count() > 0 && now < created + delays.create) return StreamStatus::kCreating;
    if (delays.update.count() > 0 && now < updating_until) return StreamStatus::kUpdating;
    return StreamStatus::kActive;
  }

  // Data-plane calls: AWS answers ResourceNotFound for CREATING / DELETING.
  Status readable(TimePoint now) const {
    const auto s = status(now);
    if (s == StreamStatus::kCreating || s == StreamStatus::kDeleting) {
      return Status::not_found("stream is " + status_text(s));
    }
    return Status::ok();
  }

  Status changeable(TimePoint now) const {
    const auto s = status(now);
    if (s != StreamStatus::kActive) return Status::resource_in_use("stream is " + status_text(s) + ", not ACTIVE");
    return Status::ok();
  }

  void start_update(TimePoint now) { updating_until = now + delays.update; }

  ConsumerStatus consumer_status(const StreamConsumer& c, TimePoint now) const {
    if (c.deleting_since) return ConsumerStatus::kDeleting;
    if (delays.consumer_create.count() > 0 && now < c.created + delays.consumer_create) {
      return ConsumerStatus::kCreating;
    }
    return ConsumerStatus::kActive;
  }

  ConsumerInfo consumer_info(const StreamConsumer& c, TimePoint now) const {
    return {c.name, consumer_status(c, now), c.created, c.tags};
  }

  void add_shard(HashKeyRange range, TimePoint at, std::int64_t seq_seconds,
                 std::vector<std::uint32_t> parents) {
    const auto index = next_shard_index++;
    shards.emplace(std::piecewise_construct, std::forward_as_tuple(index),
                   std::forward_as_tuple(index, range, at, seq_seconds, std::move(parents)));
  }

  void rebuild_open() {
    open_by_start.clear();
    for (const auto& [index, shard] : shards) {
      if (shard.open()) open_by_start.push_back(index);
    }
    std::sort(open_by_start.begin(), open_by_start.end(), [this](std::uint32_t a, std::uint32_t b) {
      return shards.at(a).range().start < shards.at(b).range().start;
    });
  }

  // The open shards always partition 0 .. 2^128-1, so one covers every key.
  Shard& route(HashKey hash) {
    auto it = std::upper_bound(open_by_start.begin(), open_by_start.end(), hash,
                               [this](HashKey h, std::uint32_t i) { return h < shards.at(i).range().start; });
    return shards.at(*std::prev(it));
  }

  int open_count() const { return static_cast<int>(open_by_start.size()); }

  Shard* find_shard(std::string_view shard_id) {
    const auto index = parse_shard_id(shard_id);
    if (!index) return nullptr;
    const auto it = shards.find(*index);
    return it == shards.end() ? nullptr : &it->second;
  }

  // Children are added in order, so a child may name as parent a shard an
  // earlier child of the same reshard created (UpdateShardCount's short-lived
  // shards); `close` then lists that one too. A child dates its sequence
  // numbers a second after the due time and after each parent's, so every
  // child number sorts above every parent number, however close two
  // reshards come.
  void apply_pending() {
    const PendingReshard p = std::move(*pending);
    pending.reset();
    for (const auto& child : p.children) {
      std::int64_t seq_seconds = seconds_of(p.due) + 1;
      for (auto parent : child.parents) {
        if (auto it = shards.find(parent); it != shards.end()) {
          seq_seconds = std::max(seq_seconds, it->second.seq_created_seconds() + 1);
        }
      }
      add_shard(child.range, p.due, seq_seconds, child.parents);
    }
    for (auto index : p.close) {
      if (auto it = shards.find(index); it != shards.end()) it->second.close(p.due);
    }
    rebuild_open();
  }

  // Applies everything due by now: pending reshard, warm throughput,
  // consumer deletions, retention.
  void refresh(TimePoint now) {
    const bool updated = delays.update.count() == 0 || now >= updating_until;
    if (pending && updated) apply_pending();
    if (updated && warm.target_mibps) warm.current_mibps = warm.target_mibps;
    for (auto it = consumers.begin(); it != consumers.end();) {
      if (it->second.deleting_since && now >= *it->second.deleting_since + delays.consumer_remove) {
        it = consumers.erase(it);
      } else {
        ++it;
      }
    }
    const TimePoint horizon = now - std::chrono::hours(retention_hours);
    for (auto it = shards.begin(); it != shards.end();) {
      it->second.trim(horizon);
      if (!it->second.open() && *it->second.closed() <= horizon && it->second.records().empty()) {
        throughput.erase(it->first);
        it = shards.erase(it);
      } else {
        ++it;
      }
    }
  }

  int live_consumers() const {
    return static_cast<int>(std::count_if(consumers.begin(), consumers.end(),
                                          [](const auto& c) { return !c.second.deleting_since; }));
  }

  Status check_record(const PutRecordInput& r, TimePoint now) const {
    const std::size_t size = r.partition_key.size() + r.data.size();
    const std::size_t limit = static_cast<std::size_t>(max_record_size_kib) * 1024;
    if (size > limit) {
      return Status::invalid_argument("record size " + std::to_string(size) + " bytes exceeds limit " +
                                      std::to_string(limit) + " bytes");
    }
    if (r.sequence_number_for_ordering) {
      const auto parts = decode_sequence_number(*r.sequence_number_for_ordering);
      if (!parts) {
        return Status::invalid_argument("sequence number for ordering " + *r.sequence_number_for_ordering +
                                        " is not a sequence number");
      }
      if (parts->arrival_seconds > seconds_of(now)) {
        return Status::invalid_argument("sequence number for ordering " + *r.sequence_number_for_ordering +
                                        " lies in the future");
      }
    }
    return Status::ok();
  }

  // Writes the record unless its shard's write limit refuses it (then the
  // outcome says throttled and nothing changes).
  PutRecordOutcome append(const PutRecordInput& r, TimePoint now, RecordsPut* log) {
    const HashKey hash = r.explicit_hash_key ? *r.explicit_hash_key : partition_key_hash(r.partition_key);
    Shard& shard = route(hash);
    if (ShardThroughput* m = meter(shard.index())) {
      const auto bytes = static_cast<std::int64_t>(r.partition_key.size() + r.data.size());
      if (!m->admit_write(now, bytes)) return {shard_id_for_index(shard.index()), {}, encryption, true};
    }
    const StoredRecord& stored = shard.append(now, r.partition_key, r.data, encryption);
    if (log != nullptr) log->records.push_back({shard.index(), r.partition_key, r.data});
    return {shard_id_for_index(shard.index()), shard.sequence_number(stored), encryption};
  }

  // Appends checked records as one change (one version, one RecordsPut);
  // records their shard's write limit refuses come back throttled, and a
  // call whose every record was refused changes nothing.
  // Watchers of the shards written to are moved to `wake`.
  std::vector<PutRecordOutcome> write(std::span<const PutRecordInput> records, TimePoint now, Wakers& wake) {
    std::vector<PutRecordOutcome> out;
    out.reserve(records.size());
    ++version;
    RecordsPut log{id, version, now, {}};
    RecordsPut* logged = observer != nullptr ? &log : nullptr;
    if (logged) log.records.reserve(records.size());
    bool wrote = false;
    for (const auto& r : records) {
      out.push_back(append(r, now, logged));
      const bool written = !out.back().throttled;
      wrote = wrote || written;
      if (written && !watchers.empty()) take_watchers(*parse_shard_id(out.back().shard_id), wake);
    }
    if (!wrote) {
      --version;
    } else if (logged) {
      observer->on_change(log);
    }
    return out;
  }

  Result<MonitoringChange> change_metrics(const std::vector<std::string>& names, bool enable,
                                          TimePoint now) {
    if (auto s = changeable(now); !s) return s;
    std::set<std::string> wanted;
    for (const auto& name : names) {
      if (name == "ALL") {
        wanted.insert(kAllShardLevelMetrics.begin(), kAllShardLevelMetrics.end());
      } else if (std::find(kAllShardLevelMetrics.begin(), kAllShardLevelMetrics.end(), name) !=
                 kAllShardLevelMetrics.end()) {
        wanted.insert(name);
      } else {
        return Status::invalid_argument("unknown shard-level metric " + name);
      }
    }
    MonitoringChange change;
    change.current.assign(metrics.begin(), metrics.end());
    for (const auto& name : wanted) {
      if (enable) {
        metrics.insert(name);
      } else {
        metrics.erase(name);
      }
    }
    change.desired.assign(metrics.begin(), metrics.end());
    return change;
  }
};

}  // namespace shoal::storage
