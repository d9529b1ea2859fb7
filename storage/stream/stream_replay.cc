// Stream durability: replay of logged changes and snapshot images (see
// stream_changes.h), kept apart from the live operations in stream.cc.
#include "storage/stream/stream.h"
#include "storage/stream/stream_state.h"

namespace shoal::storage {

void Stream::set_observer(StreamObserver* observer) {
  std::lock_guard lock(state_->mutex);
  state_->observer = observer;
}

void Stream::apply(const RecordsPut& change) {
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  if (change.version <= s.version) return;
  s.version = change.version;
  s.refresh(change.at);
  for (const auto& r : change.records) {
    const auto it = s.shards.find(r.shard);
    if (it == s.shards.end()) continue;  // cannot happen in a log this engine wrote
    it->second.append(change.at, r.partition_key, r.data, s.encryption);
  }
}

void Stream::apply(const StreamOp& op) {
  {
    std::lock_guard lock(state_->mutex);
    if (op.version <= state_->version) return;
  }
  // Limits were checked when the change was made; they do not apply again.
  switch (op.kind) {
    case StreamOpKind::kSplitShard: {
      (void)split_shard(op.text, op.hash_key, INT_MAX);
      break;
    }
    case StreamOpKind::kMergeShards: (void)merge_shards(op.text, op.text2); break;
    case StreamOpKind::kUpdateShardCount: (void)update_shard_count(static_cast<int>(op.number), INT_MAX); break;
    case StreamOpKind::kIncreaseRetention: (void)increase_retention(static_cast<int>(op.number)); break;
    case StreamOpKind::kDecreaseRetention: (void)decrease_retention(static_cast<int>(op.number)); break;
    case StreamOpKind::kUpdateMaxRecordSize: (void)update_max_record_size(static_cast<int>(op.number)); break;
    case StreamOpKind::kUpdateStreamMode: (void)update_stream_mode(static_cast<StreamMode>(op.number)); break;
    case StreamOpKind::kStartEncryption: (void)start_encryption(op.text); break;
    case StreamOpKind::kStopEncryption: (void)stop_encryption(); break;
    case StreamOpKind::kEnableMonitoring: (void)enable_monitoring(op.names); break;
    case StreamOpKind::kDisableMonitoring: (void)disable_monitoring(op.names); break;
    case StreamOpKind::kUpdateWarmThroughput: (void)update_warm_throughput(static_cast<int>(op.number)); break;
    case StreamOpKind::kAddTags: (void)add_tags(op.tags); break;
    case StreamOpKind::kRemoveTags: remove_tags(op.names); break;
    case StreamOpKind::kRegisterConsumer: (void)register_consumer(op.text, op.tags); break;
    case StreamOpKind::kDeregisterConsumer: (void)deregister_consumer(op.text); break;
    case StreamOpKind::kBeginDelete: (void)begin_delete(op.number != 0); break;
    case StreamOpKind::kAddConsumerTags: (void)add_consumer_tags(op.text, op.tags); break;
    case StreamOpKind::kRemoveConsumerTags: (void)remove_consumer_tags(op.text, op.names); break;
  }
  std::lock_guard lock(state_->mutex);
  state_->version = op.version;
}

void Stream::restore(const StreamImage& image) {
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.version = image.version;
  s.shards.clear();
  s.mode = image.mode;
  s.retention_hours = image.retention_hours;
  s.encryption = image.encryption;
  s.key_id = image.key_id;
  s.metrics = {image.metrics.begin(), image.metrics.end()};
  s.tags = image.tags;
  s.consumers.clear();
  for (const auto& c : image.consumers) s.consumers[c.name] = c;
  s.deleting_since = image.deleting_since;
  s.updating_until = image.updating_until;
  s.pending = image.pending;
  s.next_shard_index = image.next_shard_index;
  s.max_record_size_kib = image.max_record_size_kib;
  s.warm = image.warm;
  s.rebuild_open();
}

void Stream::restore(const ShardImage& image) {
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  auto [it, inserted] = s.shards.try_emplace(image.index, image.index, image.range, image.created,
                                             image.seq_created_seconds, image.parents);
  it->second.restore_position(image.next_counter, image.last_arrival_ms, image.closed);
  s.rebuild_open();
}

void Stream::restore(const ShardRecordsImage& image) {
  std::lock_guard lock(state_->mutex);
  const auto it = state_->shards.find(image.shard);
  if (it == state_->shards.end()) return;
  for (const auto& r : image.records) {
    StoredRecord stored;
    stored.counter = r.counter;
    stored.arrival_ms = r.arrival_ms;
    stored.key_size = static_cast<std::uint32_t>(r.partition_key.size());
    stored.encryption = r.encryption;
    stored.bytes.reserve(r.partition_key.size() + r.data.size());
    stored.bytes.append(r.partition_key).append(r.data);
    it->second.restore_record(std::move(stored));
  }
}

void Stream::snapshot(const StreamChangeSink& emit, std::size_t chunk_bytes) const {
  std::lock_guard lock(state_->mutex);
  const auto& s = *state_;
  StreamImage image;
  image.stream = durable_id_;
  image.version = s.version;
  image.key = key_;
  image.created = created_;
  image.stream_id = stream_id_;
  image.mode = s.mode;
  image.retention_hours = s.retention_hours;
  image.encryption = s.encryption;
  image.key_id = s.key_id;
  image.metrics.assign(s.metrics.begin(), s.metrics.end());
  image.tags = s.tags;
  for (const auto& [name, c] : s.consumers) image.consumers.push_back(c);
  image.deleting_since = s.deleting_since;
  image.updating_until = s.updating_until;
  image.pending = s.pending;
  image.next_shard_index = s.next_shard_index;
  image.max_record_size_kib = s.max_record_size_kib;
  image.warm = s.warm;
  emit(image);
  for (const auto& [index, shard] : s.shards) {
    ShardImage si;
    si.stream = durable_id_;
    si.index = index;
    si.range = shard.range();
    si.created = shard.created();
    si.seq_created_seconds = shard.seq_created_seconds();
    si.parents = shard.parents();
    si.closed = shard.closed();
    si.next_counter = shard.next_counter();
    si.last_arrival_ms = shard.last_arrival_ms();
    emit(si);
    ShardRecordsImage run{durable_id_, index, {}};
    std::size_t bytes = 0;
    for (const auto& r : shard.records()) {
      run.records.push_back({r.counter, r.arrival_ms, r.encryption, r.partition_key(), r.data()});
      bytes += r.bytes.size() + 24;
      if (bytes >= chunk_bytes) {
        emit(run);
        run.records.clear();
        bytes = 0;
      }
    }
    if (!run.records.empty()) emit(run);
  }
}

}  // namespace shoal::storage
