#include "storage/stream/stream.h"

#include <algorithm>
#include <climits>
#include <mutex>
#include <set>

#include "storage/random.h"
#include "storage/stream/sequence_number.h"
#include "storage/stream/shard.h"
#include "storage/stream/stream_state.h"
#include "storage/stream/uniform_scaling.h"

namespace shoal::storage {

Stream::Stream(StreamKey key, const StreamConfig& config, const StreamDelays& delays,
               const StreamLimits& limits, const ShardIteratorCodec& iterators, const Clock& clock,
               StreamHooks hooks)
    : key_(std::move(key)),
      created_(hooks.created.value_or(clock.now())),
      stream_id_(hooks.stream_id ? std::move(*hooks.stream_id) : random_uuid()),
      durable_id_(hooks.id),
      delays_(delays),
      limits_(limits),
      iterators_(iterators),
      clock_(clock),
      state_(std::make_unique<State>(key_, created_, delays_, limits_)) {
  auto& s = *state_;
  s.observer = hooks.observer;
  s.id = durable_id_;
  s.mode = config.mode;
  s.tags = config.tags;
  s.max_record_size_kib = config.max_record_size_kib;
  s.warm.target_mibps = config.warm_throughput_mibps;
  s.warm.current_mibps = config.warm_throughput_mibps;
  const int count = config.mode == StreamMode::kOnDemand ? limits_.on_demand_shard_count
                                                         : std::max(1, config.shard_count);
  for (int i = 0; i < count; ++i) s.add_shard(even_hash_key_range(i, count), created_, seconds_of(created_), {});
  s.rebuild_open();
}

Stream::~Stream() = default;

StreamStatus Stream::status() const {
  std::lock_guard lock(state_->mutex);
  return state_->status(clock_.now());
}

StreamMode Stream::mode() const {
  std::lock_guard lock(state_->mutex);
  return state_->mode;
}

StreamDescription Stream::describe() const {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  StreamDescription d;
  d.key = key_;
  d.stream_id = stream_id_;
  d.status = s.status(now);
  d.mode = s.mode;
  d.created = created_;
  d.retention_hours = s.retention_hours;
  d.encryption = s.encryption;
  d.key_id = s.key_id;
  d.shard_level_metrics.assign(s.metrics.begin(), s.metrics.end());
  d.shards.reserve(s.shards.size());
  for (const auto& [index, shard] : s.shards) d.shards.push_back(shard.info());
  d.open_shard_count = s.open_count();
  d.consumer_count = s.live_consumers();
  d.max_record_size_kib = s.max_record_size_kib;
  d.warm_throughput = s.warm;
  return d;
}

std::vector<ShardInfo> Stream::shards() const { return describe().shards; }

std::vector<ShardPosition> Stream::shard_positions() const {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  std::vector<ShardPosition> out;
  out.reserve(s.shards.size());
  for (const auto& [index, shard] : s.shards) {
    ShardPosition p;
    p.shard = shard.info();
    const auto& records = shard.records();
    p.records = records.size();
    p.bytes = shard.retained_bytes();
    p.records_put = shard.records_put();
    if (!records.empty()) {
      p.first_sequence_number = shard.sequence_number(records.front());
      p.last_sequence_number = shard.sequence_number(records.back());
    }
    out.push_back(std::move(p));
  }
  return out;
}

int Stream::open_shard_count() const {
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(clock_.now());
  int open = s.open_count();
  if (s.pending) open += static_cast<int>(s.pending->children.size()) - static_cast<int>(s.pending->close.size());
  return open;
}

namespace {

// Declared before a method's lock guard: runs the watchers a change took
// once the lock is released (they post to other threads' executors).
struct DeferredWakes {
  std::vector<std::function<void()>> list;
  DeferredWakes() = default;
  DeferredWakes(const DeferredWakes&) = delete;
  DeferredWakes& operator=(const DeferredWakes&) = delete;
  ~DeferredWakes() {
    for (auto& w : list) {
      if (w) w();
    }
  }
};

}  // namespace

Result<PutRecordOutcome> Stream::put_record(const PutRecordInput& record) {
  const auto now = clock_.now();
  DeferredWakes wake;
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.readable(now); !st) return st;
  if (auto st = s.check_record(record, now); !st) return st;
  std::vector<PutRecordOutcome> out = s.write(std::span(&record, 1), now, wake.list);
  return std::move(out.front());
}

Result<std::vector<PutRecordOutcome>> Stream::put_records(const std::vector<PutRecordInput>& records) {
  const auto now = clock_.now();
  DeferredWakes wake;
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.readable(now); !st) return st;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (auto st = s.check_record(records[i], now); !st) {
      return Status::invalid_argument("record " + std::to_string(i) + ": " + st.message());
    }
  }
  return s.write(records, now, wake.list);
}

namespace {

// Where a reader of `shard` starts for `request`.
Result<std::uint64_t> position_in(const Shard& shard, std::string_view shard_id, const IteratorRequest& request) {
  switch (request.type) {
    case ShardIteratorType::kTrimHorizon:
      return std::uint64_t{0};
    case ShardIteratorType::kLatest:
      return shard.next_counter();
    case ShardIteratorType::kAtSequenceNumber:
    case ShardIteratorType::kAfterSequenceNumber: {
      const auto parts = decode_sequence_number(request.sequence_number);
      if (!parts || parts->shard_index != shard.index() ||
          parts->shard_created_seconds != shard.seq_created_seconds()) {
        return Status::invalid_argument("sequence number " + request.sequence_number +
                                        " does not belong to shard " + std::string(shard_id));
      }
      return parts->counter + (request.type == ShardIteratorType::kAfterSequenceNumber ? 1 : 0);
    }
    case ShardIteratorType::kAtTimestamp: {
      const auto pos = shard.seek_arrival(request.timestamp);
      return pos < shard.records().size() ? shard.records()[pos].counter : shard.next_counter();
    }
  }
  return Status::invalid_argument("unknown iterator type");
}

}  // namespace

Result<std::string> Stream::get_shard_iterator(std::string_view shard_id, const IteratorRequest& request,
                                               std::string_view reader_account) {
  auto next = start_position(shard_id, request);
  if (!next) return next.status();
  return iterators_.encode({key_.account, key_.region, key_.name, to_epoch_ms(created_), *parse_shard_id(shard_id),
                            *next, to_epoch_ms(clock_.now()),
                            reader_account == key_.account ? std::string() : std::string(reader_account)});
}

Result<std::uint64_t> Stream::start_position(std::string_view shard_id, const IteratorRequest& request) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.readable(now); !st) return st;
  const Shard* shard = s.find_shard(shard_id);
  if (!shard) return Status::not_found("shard " + std::string(shard_id) + " not found");
  return position_in(*shard, shard_id, request);
}

Result<ShardRead> Stream::read_shard(std::uint32_t shard_index, std::uint64_t next_counter, std::int64_t max_bytes) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.readable(now); !st) return st;
  const auto it = s.shards.find(shard_index);
  if (it == s.shards.end()) return Status::not_found("shard " + shard_id_for_index(shard_index) + " no longer exists");
  const Shard& shard = it->second;
  auto batch = s.read(shard, next_counter, kMaxGetRecordsLimit, max_bytes, now);
  ShardRead out;
  out.next_counter = batch.next;
  out.bytes = batch.bytes;
  out.millis_behind_latest = batch.millis_behind_latest;
  if (!batch.records.empty()) {
    out.continuation = batch.records.back().sequence_number;
  } else if (batch.next > 1) {
    // The record before the position: its arrival if still retained.
    const auto& records = shard.records();
    const auto before = batch.position > 0 ? records[batch.position - 1].arrival_ms : shard.last_arrival_ms();
    out.continuation = shard.sequence_number(batch.next - 1, before);
  } else {
    out.continuation = shard.info().starting_sequence_number;
  }
  out.records = std::move(batch.records);
  if (batch.end_of_shard) {
    out.end_of_shard = true;
    out.child_shards = s.children_of(shard);
  }
  return out;
}

std::uint64_t Stream::watch_shard(std::uint32_t shard_index, std::uint64_t next_counter, std::function<void()> wake) {
  const auto now = clock_.now();
  {
    std::lock_guard lock(state_->mutex);
    auto& s = *state_;
    s.refresh(now);
    const auto it = s.shards.find(shard_index);
    const bool news = !s.readable(now) || it == s.shards.end() || !it->second.open() ||
                      it->second.next_counter() > std::max<std::uint64_t>(next_counter, 1);
    if (!news) {
      const auto id = s.next_watcher++;
      s.watchers[shard_index][id] = std::move(wake);
      return id;
    }
  }
  wake();
  return 0;
}

void Stream::unwatch_shard(std::uint32_t shard_index, std::uint64_t id) {
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  const auto it = s.watchers.find(shard_index);
  if (it == s.watchers.end()) return;
  it->second.erase(id);
  if (it->second.empty()) s.watchers.erase(it);
}

Result<GetRecordsOutcome> Stream::get_records(const ShardIteratorState& state, int limit) {
  if (state.stream_created_ms != to_epoch_ms(created_) || state.account != key_.account ||
      state.region != key_.region || state.stream_name != key_.name) {
    return Status::invalid_argument("shard iterator belongs to another stream");
  }
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.readable(now); !st) return st;
  const auto it = s.shards.find(state.shard_index);
  if (it == s.shards.end()) {
    return Status::not_found("shard " + shard_id_for_index(state.shard_index) + " no longer exists");
  }
  const Shard& shard = it->second;
  ShardThroughput* meter = s.meter(shard.index());
  if (meter && !meter->admit_read(now)) {
    return Status::throttled("reads of shard " + shard_id_for_index(shard.index()) + " over the limit");
  }
  limit = std::clamp(limit, 1, kMaxGetRecordsLimit);
  auto batch = s.read(shard, state.next_counter, limit, kMaxGetRecordsBytes, now);
  if (meter) meter->charge_read(batch.bytes);

  GetRecordsOutcome out;
  out.records = std::move(batch.records);
  out.millis_behind_latest = batch.millis_behind_latest;
  if (batch.end_of_shard) {
    out.child_shards = s.children_of(shard);
    return out;
  }
  ShardIteratorState following = state;
  following.next_counter = batch.next;
  following.issued_ms = to_epoch_ms(now);
  out.next_shard_iterator = iterators_.encode(following);
  return out;
}

Status Stream::split_shard(std::string_view shard_id, HashKey new_starting_hash_key, int max_open_shards) {
  const auto now = clock_.now();
  DeferredWakes wake;
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.changeable(now); !st) return st;
  const Shard* shard = s.find_shard(shard_id);
  if (!shard) return Status::not_found("shard " + std::string(shard_id) + " not found");
  if (!shard->open()) {
    return Status::resource_in_use("shard " + std::string(shard_id) + " has already been split or merged");
  }
  const auto range = shard->range();
  if (new_starting_hash_key <= range.start + 1 || new_starting_hash_key >= range.end) {
    return Status::invalid_argument("new starting hash key " + hash_key_to_string(new_starting_hash_key) +
                                    " is not both greater than one plus the shard's starting hash key " +
                                    hash_key_to_string(range.start) + " and less than its ending hash key " +
                                    hash_key_to_string(range.end));
  }
  if (s.open_count() + 1 > max_open_shards) {
    return Status::limit_exceeded("open shards would be " + std::to_string(s.open_count() + 1) +
                                  ", limit " + std::to_string(max_open_shards));
  }
  PendingReshard p{now + delays_.update, {shard->index()}, {}};
  p.children.push_back({{range.start, new_starting_hash_key - 1}, {shard->index()}});
  p.children.push_back({{new_starting_hash_key, range.end}, {shard->index()}});
  s.pending = std::move(p);
  s.start_update(now);
  s.refresh(now);
  s.take_all_watchers(wake.list);
  s.note(StreamOpKind::kSplitShard, now, [&](StreamOp& op) {
    op.text = shard_id;
    op.hash_key = new_starting_hash_key;
  });
  return Status::ok();
}

Status Stream::merge_shards(std::string_view shard_id, std::string_view adjacent_shard_id) {
  const auto now = clock_.now();
  DeferredWakes wake;
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.changeable(now); !st) return st;
  const Shard* a = s.find_shard(shard_id);
  if (!a) return Status::not_found("shard " + std::string(shard_id) + " not found");
  const Shard* b = s.find_shard(adjacent_shard_id);
  if (!b) return Status::not_found("shard " + std::string(adjacent_shard_id) + " not found");
  for (const Shard* sh : {a, b}) {
    if (!sh->open()) {
      return Status::resource_in_use("shard " + shard_id_for_index(sh->index()) +
                                     " has already been split or merged");
    }
  }
  const auto ra = a->range();
  const auto rb = b->range();
  const bool adjacent = a != b && ((ra.end != kMaxHashKey && ra.end + 1 == rb.start) ||
                                   (rb.end != kMaxHashKey && rb.end + 1 == ra.start));
  if (!adjacent) {
    return Status::invalid_argument("shards " + std::string(shard_id) + " and " + std::string(adjacent_shard_id) +
                                    " are not an adjacent pair of shards");
  }
  PendingReshard p{now + delays_.update, {a->index(), b->index()}, {}};
  p.children.push_back({{std::min(ra.start, rb.start), std::max(ra.end, rb.end)}, {a->index(), b->index()}});
  s.pending = std::move(p);
  s.start_update(now);
  s.refresh(now);
  s.take_all_watchers(wake.list);
  s.note(StreamOpKind::kMergeShards, now, [&](StreamOp& op) {
    op.text = shard_id;
    op.text2 = adjacent_shard_id;
  });
  return Status::ok();
}

Result<UpdateShardCountOutcome> Stream::update_shard_count(int target, int max_open_shards) {
  const auto now = clock_.now();
  DeferredWakes wake;
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.changeable(now); !st) return st;
  if (s.mode == StreamMode::kOnDemand) return Status::invalid_argument("stream is ON_DEMAND");
  const int open = s.open_count();
  const std::string counts =
      "current open shard count " + std::to_string(open) + ", target shard count " + std::to_string(target);
  if (target < 1) return Status::invalid_argument("target shard count must be at least 1");
  if (target > 2 * open) return Status::limit_exceeded("cannot scale up over double the open shard count: " + counts);
  if (2 * target < open) return Status::limit_exceeded("cannot scale down below half the open shard count: " + counts);
  if (target > max_open_shards) {
    return Status::limit_exceeded("target shard count would exceed the shard limit " +
                                  std::to_string(max_open_shards) + ": " + counts);
  }
  // The same count again changes nothing (no UPDATING, nothing logged).
  if (target == open) return UpdateShardCountOutcome{open, target};
  std::vector<ScalingShard> shards;
  shards.reserve(s.open_by_start.size());
  for (auto index : s.open_by_start) shards.push_back({index, s.shards.at(index).range()});
  auto plan = plan_uniform_scaling(shards, s.next_shard_index, target);
  if (!plan) return plan.status();
  plan->due = now + delays_.update;
  s.pending = std::move(*plan);
  s.start_update(now);
  s.refresh(now);
  s.take_all_watchers(wake.list);
  s.note(StreamOpKind::kUpdateShardCount, now, [&](StreamOp& op) { op.number = target; });
  return UpdateShardCountOutcome{open, target};
}

Status Stream::increase_retention(int hours) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.changeable(now); !st) return st;
  if (hours < s.retention_hours) {
    return Status::invalid_argument("requested retention " + std::to_string(hours) +
                                    " hours is shorter than existing retention " +
                                    std::to_string(s.retention_hours) + " hours");
  }
  if (hours > kMaxRetentionHours) {
    return Status::invalid_argument("requested retention " + std::to_string(hours) + " hours exceeds maximum " +
                                    std::to_string(kMaxRetentionHours) + " hours");
  }
  s.retention_hours = hours;
  s.start_update(now);
  s.note(StreamOpKind::kIncreaseRetention, now, [&](StreamOp& op) { op.number = hours; });
  return Status::ok();
}

Status Stream::decrease_retention(int hours) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.changeable(now); !st) return st;
  if (hours > s.retention_hours) {
    return Status::invalid_argument("requested retention " + std::to_string(hours) +
                                    " hours is longer than existing retention " +
                                    std::to_string(s.retention_hours) + " hours");
  }
  if (hours < kDefaultRetentionHours) {
    return Status::invalid_argument("requested retention " + std::to_string(hours) +
                                    " hours is below minimum " + std::to_string(kDefaultRetentionHours) + " hours");
  }
  s.retention_hours = hours;
  s.start_update(now);
  s.refresh(now);
  s.note(StreamOpKind::kDecreaseRetention, now, [&](StreamOp& op) { op.number = hours; });
  return Status::ok();
}

int Stream::retention_hours() const {
  std::lock_guard lock(state_->mutex);
  return state_->retention_hours;
}

Status Stream::update_max_record_size(int kib) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (kib < kMinMaxRecordSizeKib || kib > kMaxMaxRecordSizeKib) {
    return Status::invalid_argument("max record size " + std::to_string(kib) + " KiB is outside " +
                                    std::to_string(kMinMaxRecordSizeKib) + ".." +
                                    std::to_string(kMaxMaxRecordSizeKib) + " KiB");
  }
  if (auto st = s.changeable(now); !st) return st;
  s.max_record_size_kib = kib;
  s.start_update(now);
  s.note(StreamOpKind::kUpdateMaxRecordSize, now, [&](StreamOp& op) { op.number = kib; });
  return Status::ok();
}

Status Stream::update_stream_mode(StreamMode mode) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.changeable(now); !st) return st;
  if (s.mode == mode) return Status::ok();
  s.mode = mode;
  s.start_update(now);
  s.note(StreamOpKind::kUpdateStreamMode, now, [&](StreamOp& op) { op.number = static_cast<int>(mode); });
  return Status::ok();
}

Status Stream::start_encryption(std::string key_id) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.changeable(now); !st) return st;
  s.encryption = EncryptionType::kKms;
  s.key_id = std::move(key_id);
  s.start_update(now);
  s.note(StreamOpKind::kStartEncryption, now, [&](StreamOp& op) { op.text = s.key_id; });
  return Status::ok();
}

Status Stream::stop_encryption() {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.changeable(now); !st) return st;
  s.encryption = EncryptionType::kNone;
  s.key_id.clear();
  s.start_update(now);
  s.note(StreamOpKind::kStopEncryption, now);
  return Status::ok();
}

Result<MonitoringChange> Stream::enable_monitoring(const std::vector<std::string>& metrics) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  state_->refresh(now);
  auto out = state_->change_metrics(metrics, true, now);
  if (out) state_->note(StreamOpKind::kEnableMonitoring, now, [&](StreamOp& op) { op.names = metrics; });
  return out;
}

Result<MonitoringChange> Stream::disable_monitoring(const std::vector<std::string>& metrics) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  state_->refresh(now);
  auto out = state_->change_metrics(metrics, false, now);
  if (out) state_->note(StreamOpKind::kDisableMonitoring, now, [&](StreamOp& op) { op.names = metrics; });
  return out;
}

Result<WarmThroughput> Stream::update_warm_throughput(int mibps) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (auto st = s.changeable(now); !st) return st;
  if (mibps < 0) return Status::invalid_argument("warm throughput must not be negative");
  s.warm.target_mibps = mibps;
  s.start_update(now);
  s.refresh(now);
  s.note(StreamOpKind::kUpdateWarmThroughput, now, [&](StreamOp& op) { op.number = mibps; });
  return s.warm;
}

std::map<std::string, std::string> Stream::tags() const {
  std::lock_guard lock(state_->mutex);
  return state_->tags;
}

Status Stream::add_tags(const std::map<std::string, std::string>& tags) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  std::size_t count = s.tags.size();
  for (const auto& [k, v] : tags) count += s.tags.count(k) ? 0 : 1;
  if (count > static_cast<std::size_t>(limits_.max_tags)) {
    return Status::invalid_argument("stream would have " + std::to_string(count) + " tags, limit " +
                                    std::to_string(limits_.max_tags));
  }
  for (const auto& [k, v] : tags) s.tags[k] = v;
  s.note(StreamOpKind::kAddTags, now, [&](StreamOp& op) { op.tags = tags; });
  return Status::ok();
}

void Stream::remove_tags(const std::vector<std::string>& keys) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  for (const auto& k : keys) state_->tags.erase(k);
  state_->note(StreamOpKind::kRemoveTags, now, [&](StreamOp& op) { op.names = keys; });
}

Result<ConsumerInfo> Stream::register_consumer(const std::string& name,
                                               const std::map<std::string, std::string>& tags) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  const auto st = s.status(now);
  if (st != StreamStatus::kActive && st != StreamStatus::kUpdating) {
    return Status::resource_in_use("stream is " + status_text(st));
  }
  if (s.consumers.count(name)) return Status::resource_in_use("consumer " + name + " already exists");
  if (static_cast<int>(s.consumers.size()) >= limits_.max_consumers) {
    return Status::limit_exceeded("stream has " + std::to_string(s.consumers.size()) + " consumers, limit " +
                                  std::to_string(limits_.max_consumers));
  }
  if (tags.size() > static_cast<std::size_t>(limits_.max_tags)) {
    return Status::invalid_argument("consumer would have " + std::to_string(tags.size()) + " tags, limit " +
                                    std::to_string(limits_.max_tags));
  }
  const auto& c = s.consumers[name] = StreamConsumer{name, now, std::nullopt, tags};
  s.note(StreamOpKind::kRegisterConsumer, now, [&](StreamOp& op) {
    op.text = name;
    op.tags = tags;
  });
  return s.consumer_info(c, now);
}

Status Stream::deregister_consumer(const std::string& name) {
  const auto now = clock_.now();
  DeferredWakes wake;
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  const auto it = s.consumers.find(name);
  if (it == s.consumers.end()) return Status::not_found("consumer " + name + " not found");
  if (!it->second.deleting_since) it->second.deleting_since = now;
  s.refresh(now);
  s.take_all_watchers(wake.list);
  s.note(StreamOpKind::kDeregisterConsumer, now, [&](StreamOp& op) { op.text = name; });
  return Status::ok();
}

std::optional<ConsumerInfo> Stream::find_consumer(const std::string& name) const {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  const auto it = s.consumers.find(name);
  if (it == s.consumers.end()) return std::nullopt;
  return s.consumer_info(it->second, now);
}

Status Stream::add_consumer_tags(const std::string& name, const std::map<std::string, std::string>& tags) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  const auto it = s.consumers.find(name);
  if (it == s.consumers.end()) return Status::not_found("consumer " + name + " not found");
  auto& current = it->second.tags;
  std::size_t count = current.size();
  for (const auto& [k, v] : tags) count += current.count(k) ? 0 : 1;
  if (count > static_cast<std::size_t>(limits_.max_tags)) {
    return Status::invalid_argument("consumer would have " + std::to_string(count) + " tags, limit " +
                                    std::to_string(limits_.max_tags));
  }
  for (const auto& [k, v] : tags) current[k] = v;
  s.note(StreamOpKind::kAddConsumerTags, now, [&](StreamOp& op) {
    op.text = name;
    op.tags = tags;
  });
  return Status::ok();
}

Status Stream::remove_consumer_tags(const std::string& name, const std::vector<std::string>& keys) {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  const auto it = s.consumers.find(name);
  if (it == s.consumers.end()) return Status::not_found("consumer " + name + " not found");
  for (const auto& k : keys) it->second.tags.erase(k);
  s.note(StreamOpKind::kRemoveConsumerTags, now, [&](StreamOp& op) {
    op.text = name;
    op.names = keys;
  });
  return Status::ok();
}

std::vector<ConsumerInfo> Stream::consumers() const {
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  std::vector<ConsumerInfo> out;
  for (const auto& [name, c] : s.consumers) out.push_back(s.consumer_info(c, now));
  std::stable_sort(out.begin(), out.end(), [](const ConsumerInfo& a, const ConsumerInfo& b) { return a.created < b.created; });
  return out;
}

Status Stream::begin_delete(bool enforce_consumer_deletion) {
  const auto now = clock_.now();
  DeferredWakes wake;
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  if (s.deleting_since) return Status::ok();
  if (!enforce_consumer_deletion && s.live_consumers() > 0) {
    return Status::resource_in_use("stream has " + std::to_string(s.live_consumers()) + " registered consumers");
  }
  s.consumers.clear();
  s.pending.reset();
  s.deleting_since = now;
  s.take_all_watchers(wake.list);
  s.note(StreamOpKind::kBeginDelete, now, [&](StreamOp& op) { op.number = enforce_consumer_deletion ? 1 : 0; });
  return Status::ok();
}

bool Stream::gone() const {
  std::lock_guard lock(state_->mutex);
  const auto& s = *state_;
  return s.deleting_since && clock_.now() >= *s.deleting_since + delays_.remove;
}

}  // namespace shoal::storage
