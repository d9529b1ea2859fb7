// The byte layouts shared by several change records (change_codec_internal.h).
#include "storage/durability/change_codec_internal.h"

namespace shoal::storage::durability::fields {

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

}  // namespace shoal::storage::durability::fields
