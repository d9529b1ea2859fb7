// The byte layouts of the stream engine's change records (change_codec.h).
#include <memory>

#include "storage/durability/change_codec_internal.h"

namespace shoal::storage::durability {
namespace {

using fields::get;
using fields::get_message;
using fields::get_opt_int;
using fields::put;
using fields::put_opt_int;

// ---- stream changes ------------------------------------------------------------

void put(ByteWriter& w, const StreamCreated& c) {
  w.varint(c.stream);
  put(w, c.key);
  w.time(c.created);
  w.bytes(c.stream_id);
  w.u8(static_cast<std::uint8_t>(c.config.mode));
  w.svarint(c.config.shard_count);
  put(w, c.config.tags);
  w.svarint(c.config.max_record_size_kib);
  put_opt_int(w, c.config.warm_throughput_mibps);
}
void get(ByteReader& r, StreamCreated& c) {
  c.stream = r.varint();
  get(r, c.key);
  c.created = r.time();
  c.stream_id = r.str();
  const auto mode = r.u8();
  if (mode > static_cast<std::uint8_t>(StreamMode::kOnDemand)) r.reject();
  c.config.mode = static_cast<StreamMode>(mode);
  // A count past any stream's would have replay allocate that many shards.
  const auto shards = r.svarint();
  if (shards < 0 || shards > kMaxShardsPerStream) r.reject();
  c.config.shard_count = static_cast<int>(shards);
  get(r, c.config.tags);
  c.config.max_record_size_kib = static_cast<int>(r.svarint());
  c.config.warm_throughput_mibps = get_opt_int(r);
}

void put(ByteWriter& w, const RecordsPut& c) {
  w.varint(c.stream);
  w.varint(c.version);
  w.time(c.at);
  w.varint(c.records.size());
  for (const auto& rec : c.records) {
    w.varint(rec.shard);
    w.bytes(rec.partition_key);
    w.bytes(rec.data);
  }
}
void get(ByteReader& r, RecordsPut& c) {
  c.stream = r.varint();
  c.version = r.varint();
  c.at = r.time();
  const auto n = r.varint();
  for (std::uint64_t i = 0; i < n && !r.failed(); ++i) {
    RecordsPut::Item item;
    item.shard = static_cast<std::uint32_t>(r.varint());
    item.partition_key = r.bytes();
    item.data = r.bytes();
    c.records.push_back(item);
  }
}

void put(ByteWriter& w, const StreamOp& c) {
  w.varint(c.stream);
  w.varint(c.version);
  w.time(c.at);
  w.u8(static_cast<std::uint8_t>(c.kind));
  w.svarint(c.number);
  w.bytes(c.text);
  w.bytes(c.text2);
  w.u128(c.hash_key);
  put(w, c.names);
  put(w, c.tags);
}
void get(ByteReader& r, StreamOp& c) {
  c.stream = r.varint();
  c.version = r.varint();
  c.at = r.time();
  c.kind = static_cast<StreamOpKind>(r.u8());
  c.number = r.svarint();
  if (c.kind == StreamOpKind::kUpdateShardCount && (c.number < 1 || c.number > kMaxShardsPerStream)) r.reject();
  c.text = r.str();
  c.text2 = r.str();
  c.hash_key = r.u128();
  get(r, c.names);
  get(r, c.tags);
}

void put(ByteWriter& w, const ResourcePolicySet& c) {
  w.bytes(c.arn);
  w.boolean(c.policy.has_value());
  if (c.policy) w.bytes(*c.policy);
}
void get(ByteReader& r, ResourcePolicySet& c) {
  c.arn = r.str();
  if (r.boolean()) c.policy = r.str();
}

void put(ByteWriter& w, const AccountSettingsSet& c) {
  w.bytes(c.account);
  w.bytes(c.billing_commitment_status);
  w.opt_time(c.started_at);
  w.opt_time(c.ended_at);
  w.opt_time(c.earliest_allowed_end_at);
}
void get(ByteReader& r, AccountSettingsSet& c) {
  c.account = r.str();
  c.billing_commitment_status = r.str();
  c.started_at = r.opt_time();
  c.ended_at = r.opt_time();
  c.earliest_allowed_end_at = r.opt_time();
}

void put(ByteWriter& w, const StreamRegistryImage& c) { w.varint(c.next_stream); }
void get(ByteReader& r, StreamRegistryImage& c) { c.next_stream = r.varint(); }

void put(ByteWriter& w, const StreamImage& c) {
  w.varint(c.stream);
  w.varint(c.version);
  put(w, c.key);
  w.time(c.created);
  w.bytes(c.stream_id);
  w.u8(static_cast<std::uint8_t>(c.mode));
  w.svarint(c.retention_hours);
  w.u8(static_cast<std::uint8_t>(c.encryption));
  w.bytes(c.key_id);
  put(w, c.metrics);
  put(w, c.tags);
  w.varint(c.consumers.size());
  for (const auto& consumer : c.consumers) {
    w.bytes(consumer.name);
    w.time(consumer.created);
    w.opt_time(consumer.deleting_since);
  }
  w.opt_time(c.deleting_since);
  w.time(c.updating_until);
  w.boolean(c.pending.has_value());
  if (c.pending) {
    w.time(c.pending->due);
    put(w, c.pending->close);
    w.varint(c.pending->children.size());
    for (const auto& child : c.pending->children) {
      put(w, child.range);
      put(w, child.parents);
    }
  }
  w.varint(c.next_shard_index);
  w.svarint(c.max_record_size_kib);
  put_opt_int(w, c.warm.current_mibps);
  put_opt_int(w, c.warm.target_mibps);
  // Added later, at the end, so images written before still read: each
  // consumer's tags, in the order of the consumers above.
  for (const auto& consumer : c.consumers) put(w, consumer.tags);
}
void get(ByteReader& r, StreamImage& c) {
  c.stream = r.varint();
  c.version = r.varint();
  get(r, c.key);
  c.created = r.time();
  c.stream_id = r.str();
  c.mode = static_cast<StreamMode>(r.u8());
  c.retention_hours = static_cast<int>(r.svarint());
  c.encryption = static_cast<EncryptionType>(r.u8());
  c.key_id = r.str();
  get(r, c.metrics);
  get(r, c.tags);
  const auto consumers = r.varint();
  for (std::uint64_t i = 0; i < consumers && !r.failed(); ++i) {
    StreamConsumer consumer;
    consumer.name = r.str();
    consumer.created = r.time();
    consumer.deleting_since = r.opt_time();
    c.consumers.push_back(std::move(consumer));
  }
  c.deleting_since = r.opt_time();
  c.updating_until = r.time();
  if (r.boolean()) {
    PendingReshard p;
    p.due = r.time();
    get(r, p.close);
    const auto children = r.varint();
    for (std::uint64_t i = 0; i < children && !r.failed(); ++i) {
      PendingReshard::Child child;
      get(r, child.range);
      get(r, child.parents);
      p.children.push_back(std::move(child));
    }
    c.pending = std::move(p);
  }
  c.next_shard_index = static_cast<std::uint32_t>(r.varint());
  c.max_record_size_kib = static_cast<int>(r.svarint());
  c.warm.current_mibps = get_opt_int(r);
  c.warm.target_mibps = get_opt_int(r);
  if (r.done()) return;  // an image from before consumers had tags
  for (auto& consumer : c.consumers) get(r, consumer.tags);
}

void put(ByteWriter& w, const ShardImage& c) {
  w.varint(c.stream);
  w.varint(c.index);
  put(w, c.range);
  w.time(c.created);
  w.svarint(c.seq_created_seconds);
  put(w, c.parents);
  w.opt_time(c.closed);
  w.varint(c.next_counter);
  w.svarint(c.last_arrival_ms);
}
void get(ByteReader& r, ShardImage& c) {
  c.stream = r.varint();
  c.index = static_cast<std::uint32_t>(r.varint());
  get(r, c.range);
  c.created = r.time();
  c.seq_created_seconds = r.svarint();
  get(r, c.parents);
  c.closed = r.opt_time();
  c.next_counter = r.varint();
  c.last_arrival_ms = r.svarint();
}

void put(ByteWriter& w, const ShardRecordsImage& c) {
  w.varint(c.stream);
  w.varint(c.shard);
  w.varint(c.records.size());
  for (const auto& rec : c.records) {
    w.varint(rec.counter);
    w.svarint(rec.arrival_ms);
    w.u8(static_cast<std::uint8_t>(rec.encryption));
    w.bytes(rec.partition_key);
    w.bytes(rec.data);
  }
}
void get(ByteReader& r, ShardRecordsImage& c) {
  c.stream = r.varint();
  c.shard = static_cast<std::uint32_t>(r.varint());
  const auto n = r.varint();
  for (std::uint64_t i = 0; i < n && !r.failed(); ++i) {
    ShardRecordsImage::Item item;
    item.counter = r.varint();
    item.arrival_ms = r.svarint();
    item.encryption = static_cast<EncryptionType>(r.u8());
    item.partition_key = r.bytes();
    item.data = r.bytes();
    c.records.push_back(item);
  }
}

void put(ByteWriter& w, const AccountSettingsCleared& c) { w.bytes(c.account); }
void get(ByteReader& r, AccountSettingsCleared& c) { c.account = r.str(); }

void put(ByteWriter& w, const StreamDropped& c) { w.varint(c.stream); }
void get(ByteReader& r, StreamDropped& c) { c.stream = r.varint(); }

}  // namespace

void put_fields(ByteWriter& w, const StreamChange& change) {
  std::visit([&w](const auto& c) { put(w, c); }, change);
}

bool get_fields(std::size_t index, ByteReader& r, StreamChange& out) {
  return decode_alternative(index, out, [&r](auto& value) { get(r, value); });
}

}  // namespace shoal::storage::durability
