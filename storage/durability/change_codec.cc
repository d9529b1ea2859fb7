#include "storage/durability/change_codec.h"

#include <memory>
#include <type_traits>

#include "storage/durability/byte_codec.h"

namespace shoal::storage::durability {
namespace {

constexpr std::uint8_t kQueueBase = 1;    // + QueueChange index
constexpr std::uint8_t kStreamBase = 64;  // + StreamChange index

// ---- shared pieces -------------------------------------------------------------

void put(ByteWriter& w, const std::map<std::string, std::string>& m) {
  w.varint(m.size());
  for (const auto& [k, v] : m) {
    w.bytes(k);
    w.bytes(v);
  }
}
void get(ByteReader& r, std::map<std::string, std::string>& m) {
  const auto n = r.varint();
  for (std::uint64_t i = 0; i < n && !r.failed(); ++i) {
    std::string k = r.str();
    m[std::move(k)] = r.str();
  }
}

void put(ByteWriter& w, const std::vector<std::string>& v) {
  w.varint(v.size());
  for (const auto& s : v) w.bytes(s);
}
void get(ByteReader& r, std::vector<std::string>& v) {
  const auto n = r.varint();
  for (std::uint64_t i = 0; i < n && !r.failed(); ++i) v.push_back(r.str());
}

void put(ByteWriter& w, const std::vector<std::uint32_t>& v) {
  w.varint(v.size());
  for (auto x : v) w.varint(x);
}
void get(ByteReader& r, std::vector<std::uint32_t>& v) {
  const auto n = r.varint();
  for (std::uint64_t i = 0; i < n && !r.failed(); ++i) v.push_back(static_cast<std::uint32_t>(r.varint()));
}

void put(ByteWriter& w, const QueueKey& k) {
  w.bytes(k.account);
  w.bytes(k.region);
  w.bytes(k.name);
}
void get(ByteReader& r, QueueKey& k) {
  k.account = r.str();
  k.region = r.str();
  k.name = r.str();
}

void put(ByteWriter& w, const StreamKey& k) {
  w.bytes(k.account);
  w.bytes(k.region);
  w.bytes(k.name);
}
void get(ByteReader& r, StreamKey& k) {
  k.account = r.str();
  k.region = r.str();
  k.name = r.str();
}

void put(ByteWriter& w, const QueueAttributes& a) {
  w.svarint(a.visibility_timeout.count());
  w.svarint(a.maximum_message_size);
  w.svarint(a.message_retention.count());
  w.svarint(a.delay.count());
  w.svarint(a.receive_message_wait.count());
  w.bytes(a.policy);
  w.bytes(a.redrive_policy);
  w.bytes(a.redrive_allow_policy);
  w.bytes(a.kms_master_key_id);
  w.svarint(a.kms_data_key_reuse_period.count());
  w.boolean(a.sqs_managed_sse_enabled);
  w.boolean(a.fifo);
  w.boolean(a.content_based_deduplication);
  w.bytes(a.deduplication_scope);
  w.bytes(a.fifo_throughput_limit);
  w.boolean(a.dead_letter.has_value());
  if (a.dead_letter) {
    put(w, a.dead_letter->queue);
    w.svarint(a.dead_letter->max_receive_count);
  }
}
void get(ByteReader& r, QueueAttributes& a) {
  a.visibility_timeout = std::chrono::seconds(r.svarint());
  a.maximum_message_size = r.svarint();
  a.message_retention = std::chrono::seconds(r.svarint());
  a.delay = std::chrono::seconds(r.svarint());
  a.receive_message_wait = std::chrono::seconds(r.svarint());
  a.policy = r.str();
  a.redrive_policy = r.str();
  a.redrive_allow_policy = r.str();
  a.kms_master_key_id = r.str();
  a.kms_data_key_reuse_period = std::chrono::seconds(r.svarint());
  a.sqs_managed_sse_enabled = r.boolean();
  a.fifo = r.boolean();
  a.content_based_deduplication = r.boolean();
  a.deduplication_scope = r.str();
  a.fifo_throughput_limit = r.str();
  if (r.boolean()) {
    DeadLetterTarget target;
    get(r, target.queue);
    target.max_receive_count = static_cast<int>(r.svarint());
    a.dead_letter = std::move(target);
  }
}

void put(ByteWriter& w, const StoredMessage& m) {
  w.bytes(m.message_id());
  w.bytes(m.body());
  const MessageAttributes attributes = m.attributes();
  w.varint(attributes.size());
  for (const auto& [name, a] : attributes) {
    w.bytes(name);
    w.bytes(a.data_type);
    w.bytes(a.string_value);
    w.bytes(a.binary_value);
  }
  w.bytes(m.md5_of_body());
  w.bytes(m.md5_of_attributes());
  w.bytes(m.md5_of_system_attributes());
  w.bytes(m.trace_header());
  w.bytes(m.sender_id());
  w.bytes(m.group_id());
  w.bytes(m.deduplication_id());
  w.bytes(m.sequence_number());
  w.time(m.sent());
}
std::shared_ptr<const StoredMessage> get_message(ByteReader& r) {
  // Views into the record, which outlives the decode: pack() copies them once.
  MessageParts p;
  p.message_id = r.bytes();
  p.body = r.bytes();
  MessageAttributes attributes;
  const auto n = r.varint();
  for (std::uint64_t i = 0; i < n && !r.failed(); ++i) {
    std::string name = r.str();
    MessageAttribute a;
    a.data_type = r.str();
    a.string_value = r.str();
    a.binary_value = r.str();
    attributes.emplace(std::move(name), std::move(a));
  }
  p.attributes = &attributes;
  p.md5_of_body = r.bytes();
  p.md5_of_attributes = r.bytes();
  p.md5_of_system_attributes = r.bytes();
  p.trace_header = r.bytes();
  p.sender_id = r.bytes();
  p.group_id = r.bytes();
  p.deduplication_id = r.bytes();
  p.sequence_number = r.bytes();
  p.sent = r.time();
  return StoredMessage::pack(p);
}

void put_opt_int(ByteWriter& w, const std::optional<int>& v) {
  w.boolean(v.has_value());
  if (v) w.svarint(*v);
}
std::optional<int> get_opt_int(ByteReader& r) {
  if (!r.boolean()) return std::nullopt;
  return static_cast<int>(r.svarint());
}

void put(ByteWriter& w, const HashKeyRange& range) {
  w.u128(range.start);
  w.u128(range.end);
}
void get(ByteReader& r, HashKeyRange& range) {
  range.start = r.u128();
  range.end = r.u128();
}

// ---- queue changes -------------------------------------------------------------

void put(ByteWriter& w, const QueueCreated& c) {
  w.varint(c.queue);
  put(w, c.key);
  w.time(c.created);
  put(w, c.attributes);
  put(w, c.tags);
  w.varint(c.instance_id);
  w.varint(c.secret);
}
void get(ByteReader& r, QueueCreated& c) {
  c.queue = r.varint();
  get(r, c.key);
  c.created = r.time();
  get(r, c.attributes);
  get(r, c.tags);
  c.instance_id = r.varint();
  c.secret = r.varint();
}

void put(ByteWriter& w, const QueueDeleted& c) { w.varint(c.queue); }
void get(ByteReader& r, QueueDeleted& c) { c.queue = r.varint(); }

void put(ByteWriter& w, const QueueAttributesSet& c) {
  w.varint(c.queue);
  w.varint(c.version);
  w.time(c.at);
  put(w, c.attributes);
}
void get(ByteReader& r, QueueAttributesSet& c) {
  c.queue = r.varint();
  c.version = r.varint();
  c.at = r.time();
  get(r, c.attributes);
}

void put(ByteWriter& w, const QueueTagsSet& c) {
  w.varint(c.queue);
  w.varint(c.version);
  put(w, c.tags);
}
void get(ByteReader& r, QueueTagsSet& c) {
  c.queue = r.varint();
  c.version = r.varint();
  get(r, c.tags);
}

void put(ByteWriter& w, const MessageSent& c) {
  w.varint(c.queue);
  w.varint(c.version);
  w.varint(c.seq);
  put(w, *c.message);
  w.time(c.visible_at);
  w.boolean(c.dedup_per_group);
}
void get(ByteReader& r, MessageSent& c) {
  c.queue = r.varint();
  c.version = r.varint();
  c.seq = r.varint();
  c.message = get_message(r);
  c.visible_at = r.time();
  c.dedup_per_group = r.boolean();
}

void put(ByteWriter& w, const MessagesReceived& c) {
  w.varint(c.queue);
  w.varint(c.version);
  w.time(c.at);
  w.time(c.visible_at);
  w.varint(c.deliveries.size());
  for (const auto& d : c.deliveries) {
    w.varint(d.seq);
    w.varint(d.nonce);
  }
}
void get(ByteReader& r, MessagesReceived& c) {
  c.queue = r.varint();
  c.version = r.varint();
  c.at = r.time();
  c.visible_at = r.time();
  const auto n = r.varint();
  for (std::uint64_t i = 0; i < n && !r.failed(); ++i) {
    MessagesReceived::Delivery d;
    d.seq = r.varint();
    d.nonce = r.varint();
    c.deliveries.push_back(d);
  }
}

void put(ByteWriter& w, const VisibilityChanged& c) {
  w.varint(c.queue);
  w.varint(c.version);
  w.time(c.at);
  w.varint(c.seq);
  w.time(c.visible_at);
}
void get(ByteReader& r, VisibilityChanged& c) {
  c.queue = r.varint();
  c.version = r.varint();
  c.at = r.time();
  c.seq = r.varint();
  c.visible_at = r.time();
}

void put(ByteWriter& w, const MessageDeleted& c) {
  w.varint(c.queue);
  w.varint(c.version);
  w.time(c.at);
  w.varint(c.seq);
}
void get(ByteReader& r, MessageDeleted& c) {
  c.queue = r.varint();
  c.version = r.varint();
  c.at = r.time();
  c.seq = r.varint();
}

void put(ByteWriter& w, const QueuePurged& c) {
  w.varint(c.queue);
  w.varint(c.version);
  w.time(c.at);
}
void get(ByteReader& r, QueuePurged& c) {
  c.queue = r.varint();
  c.version = r.varint();
  c.at = r.time();
}

void put(ByteWriter& w, const QueueRegistryImage& c) { w.varint(c.next_queue); }
void get(ByteReader& r, QueueRegistryImage& c) { c.next_queue = r.varint(); }

void put(ByteWriter& w, const QueueImage& c) {
  w.varint(c.queue);
  w.varint(c.version);
  put(w, c.key);
  w.time(c.created);
  w.time(c.last_modified);
  w.opt_time(c.last_purge);
  put(w, c.attributes);
  put(w, c.tags);
  w.varint(c.instance_id);
  w.varint(c.secret);
  w.varint(c.next_seq);
  w.varint(c.receives);
  w.varint(c.last_sequence);
}
void get(ByteReader& r, QueueImage& c) {
  c.queue = r.varint();
  c.version = r.varint();
  get(r, c.key);
  c.created = r.time();
  c.last_modified = r.time();
  c.last_purge = r.opt_time();
  get(r, c.attributes);
  get(r, c.tags);
  c.instance_id = r.varint();
  c.secret = r.varint();
  c.next_seq = r.varint();
  c.receives = r.varint();
  c.last_sequence = r.varint();
}

void put(ByteWriter& w, const MessageImage& c) {
  w.varint(c.queue);
  w.varint(c.seq);
  put(w, *c.message);
  w.time(c.born);
  w.time(c.first_receive);
  w.time(c.visible_at);
  w.varint(c.nonce);
  w.svarint(c.receive_count);
  w.u8(c.where);
  w.boolean(c.handle_live);
}
void get(ByteReader& r, MessageImage& c) {
  c.queue = r.varint();
  c.seq = r.varint();
  c.message = get_message(r);
  c.born = r.time();
  c.first_receive = r.time();
  c.visible_at = r.time();
  c.nonce = r.varint();
  c.receive_count = static_cast<int>(r.svarint());
  c.where = r.u8();
  c.handle_live = r.boolean();
}

void put(ByteWriter& w, const DedupImage& c) {
  w.varint(c.queue);
  w.bytes(c.key);
  w.bytes(c.message_id);
  w.bytes(c.sequence_number);
  w.time(c.expires);
}
void get(ByteReader& r, DedupImage& c) {
  c.queue = r.varint();
  c.key = r.str();
  c.message_id = r.str();
  c.sequence_number = r.str();
  c.expires = r.time();
}

// Queue keys where one may be absent (dead-letter sources, move destinations).
void put(ByteWriter& w, const std::optional<QueueKey>& k) {
  w.boolean(k.has_value());
  if (k) put(w, *k);
}
void get(ByteReader& r, std::optional<QueueKey>& k) {
  if (!r.boolean()) return;
  QueueKey key;
  get(r, key);
  k = std::move(key);
}

// A message that came in by a move: StoredMessage's layout plus its
// dead-letter source, which MessageSent and MessageImage never carry.
void put_moved_message(ByteWriter& w, const StoredMessage& m) {
  put(w, m);
  const QueueKey* source = m.dead_letter_source();
  w.boolean(source != nullptr);
  if (source != nullptr) put(w, *source);
}
std::shared_ptr<const StoredMessage> get_moved_message(ByteReader& r) {
  auto m = get_message(r);
  std::optional<QueueKey> source;
  get(r, source);
  if (!source || m == nullptr) return m;
  return m->repack(m->sequence_number(), std::make_shared<const QueueKey>(std::move(*source)));
}

void put(ByteWriter& w, const MessagesMoved& c) {
  w.varint(c.queue);
  w.varint(c.version);
  w.varint(c.from);
  w.time(c.at);
  w.varint(c.items.size());
  for (const auto& item : c.items) {
    w.varint(item.from_seq);
    w.varint(item.seq);
    put_moved_message(w, *item.message);
    w.svarint(item.receive_count);
    w.time(item.first_receive);
  }
  w.bytes(c.task_id);
  w.svarint(c.task_moved);
}
void get(ByteReader& r, MessagesMoved& c) {
  c.queue = r.varint();
  c.version = r.varint();
  c.from = r.varint();
  c.at = r.time();
  const auto n = r.varint();
  for (std::uint64_t i = 0; i < n && !r.failed(); ++i) {
    MessagesMoved::Item item;
    item.from_seq = r.varint();
    item.seq = r.varint();
    item.message = get_moved_message(r);
    item.receive_count = static_cast<int>(r.svarint());
    item.first_receive = r.time();
    c.items.push_back(std::move(item));
  }
  c.task_id = r.str();
  c.task_moved = r.svarint();
}

void put(ByteWriter& w, const MoveTaskSet& c) {
  const MoveTask& t = c.task;
  w.bytes(t.id);
  put(w, t.source);
  put(w, t.destination);
  put_opt_int(w, t.max_per_second);
  w.time(t.started);
  w.u8(static_cast<std::uint8_t>(t.status));
  w.svarint(t.moved);
  w.svarint(t.to_move);
  w.bytes(t.failure_reason);
}
void get(ByteReader& r, MoveTaskSet& c) {
  MoveTask& t = c.task;
  t.id = r.str();
  get(r, t.source);
  get(r, t.destination);
  t.max_per_second = get_opt_int(r);
  t.started = r.time();
  const std::uint8_t status = r.u8();
  if (status > static_cast<std::uint8_t>(MoveTaskStatus::kFailed)) r.reject();
  t.status = static_cast<MoveTaskStatus>(status);
  t.moved = r.svarint();
  t.to_move = r.svarint();
  t.failure_reason = r.str();
}

void put(ByteWriter& w, const MoveTasksCleared& c) {
  w.boolean(c.account.has_value());
  if (c.account) w.bytes(*c.account);
}
void get(ByteReader& r, MoveTasksCleared& c) {
  if (r.boolean()) c.account = r.str();
}

void put(ByteWriter& w, const MovedMessageImage& c) {
  const MessageImage& m = c.image;
  w.varint(m.queue);
  w.varint(m.seq);
  put_moved_message(w, *m.message);
  w.time(m.born);
  w.time(m.first_receive);
  w.time(m.visible_at);
  w.varint(m.nonce);
  w.svarint(m.receive_count);
  w.u8(m.where);
  w.boolean(m.handle_live);
}
void get(ByteReader& r, MovedMessageImage& c) {
  MessageImage& m = c.image;
  m.queue = r.varint();
  m.seq = r.varint();
  m.message = get_moved_message(r);
  m.born = r.time();
  m.first_receive = r.time();
  m.visible_at = r.time();
  m.nonce = r.varint();
  m.receive_count = static_cast<int>(r.svarint());
  m.where = r.u8();
  m.handle_live = r.boolean();
}

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
  c.config.mode = static_cast<StreamMode>(r.u8());
  c.config.shard_count = static_cast<int>(r.svarint());
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

// Decodes alternative I of V (tag base + I) into out.
template <typename V, std::size_t I = 0>
bool decode_alternative(std::size_t index, ByteReader& r, V& out) {
  if constexpr (I < std::variant_size_v<V>) {
    if (index == I) {
      std::variant_alternative_t<I, V> value;
      get(r, value);
      out = std::move(value);
      return true;
    }
    return decode_alternative<V, I + 1>(index, r, out);
  } else {
    return false;
  }
}

}  // namespace

std::string encode_change(const QueueChange& change) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(kQueueBase + change.index()));
  std::visit([&w](const auto& c) { put(w, c); }, change);
  return w.take();
}

std::string encode_change(const StreamChange& change) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(kStreamBase + change.index()));
  std::visit([&w](const auto& c) { put(w, c); }, change);
  return w.take();
}

std::optional<Change> decode_change(std::string_view record) {
  ByteReader r(record);
  const std::uint8_t tag = r.u8();
  if (r.failed()) return std::nullopt;
  std::optional<Change> out;
  if (tag >= kQueueBase && tag < kQueueBase + std::variant_size_v<QueueChange>) {
    QueueChange c;
    if (!decode_alternative(tag - kQueueBase, r, c)) return std::nullopt;
    out = std::move(c);
  } else if (tag >= kStreamBase && tag < kStreamBase + std::variant_size_v<StreamChange>) {
    StreamChange c;
    if (!decode_alternative(tag - kStreamBase, r, c)) return std::nullopt;
    out = std::move(c);
  } else {
    return std::nullopt;
  }
  if (r.failed() || !r.done()) return std::nullopt;
  return out;
}

}  // namespace shoal::storage::durability
