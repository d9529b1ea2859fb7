// The byte layouts of the queue engine's change records (change_codec.h).
#include <memory>

#include "storage/durability/change_codec_internal.h"

namespace shoal::storage::durability {
namespace {

using fields::get;
using fields::get_message;
using fields::get_opt_int;
using fields::put;
using fields::put_opt_int;

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

}  // namespace

void put_fields(ByteWriter& w, const QueueChange& change) {
  std::visit([&w](const auto& c) { put(w, c); }, change);
}

bool get_fields(std::size_t index, ByteReader& r, QueueChange& out) {
  return decode_alternative(index, out, [&r](auto& value) { get(r, value); });
}

}  // namespace shoal::storage::durability
