// Queue durability: replay of logged changes and snapshot images (see
// queue_changes.h), kept apart from the live operations in queue.cc.
#include <algorithm>
#include <variant>
#include <vector>

#include "storage/queue/queue.h"

#include "storage/overloaded.h"
#include "storage/queue/queue_state.h"

namespace shoal::storage {
namespace {

std::uint64_t parse_sequence_value(std::string_view sequence_number) {
  std::uint64_t value = 0;
  for (std::size_t i = 1; i < sequence_number.size(); ++i) value = value * 10 + (sequence_number[i] - '0');
  return value;
}


}  // namespace

std::pair<std::uint64_t, std::uint64_t> Queue::instance_and_secret() const {
  return {state_->instance_id, state_->secret};
}

void Queue::set_observer(QueueObserver* observer) {
  std::lock_guard lock(state_->mu);
  state_->observer = observer;
}

void Queue::apply(const QueueChange& change) {
  std::lock_guard lock(state_->mu);
  State& s = *state_;
  // Versioned events already reflected (a snapshot taken after them) are skipped.
  auto fresh = [&s](std::uint64_t version) {
    if (version <= s.version) return false;
    s.version = version;
    return true;
  };
  // The delivery state a snapshot image carries, on an entry just inserted.
  auto restore_delivery = [&s](const MessageImage& c, Entry& e) {
    e.first_receive = c.first_receive;
    e.nonce = c.nonce;
    e.receive_count = c.receive_count;
    e.handle_live = c.handle_live;
    e.visible_at = c.visible_at;  // for a visible message: when it last became visible
    if (c.where == 1) s.schedule(c.seq, e, c.visible_at, Where::kDelayed);
    if (c.where == 2) s.schedule(c.seq, e, c.visible_at, Where::kInFlight);
  };
  std::visit(
      Overloaded{
          [&](const QueueAttributesSet& c) {
            if (!fresh(c.version)) return;
            s.attributes = c.attributes;
            s.attributes.fifo = s.fifo;
            s.last_modified = c.at;
          },
          [&](const QueueTagsSet& c) {
            if (fresh(c.version)) s.tags = c.tags;
          },
          [&](const MessageSent& c) {
            if (!fresh(c.version)) return;
            const StoredMessage& m = *c.message;
            const TimePoint now = m.sent();
            s.advance(now);
            if (s.fifo && !m.sequence_number().empty()) {
              s.last_sequence = std::max(s.last_sequence, parse_sequence_value(m.sequence_number()));
              if (!m.deduplication_id().empty()) {
                s.dedup.remember(m.group_id(), m.deduplication_id(), c.dedup_per_group,
                                 {std::string(m.message_id()), std::string(m.sequence_number())}, now);
              }
            }
            s.insert(c.seq, c.message, now, c.visible_at);
          },
          [&](const MessagesReceived& c) {
            if (!fresh(c.version)) return;
            s.advance(c.at);
            for (const auto& d : c.deliveries) {
              s.receives = std::max(s.receives, d.nonce);
              auto it = s.messages.find(d.seq);
              if (it == s.messages.end()) continue;
              Entry& e = it->second;
              if (++e.receive_count == 1) e.first_receive = c.at;
              e.nonce = d.nonce;
              if (s.fifo) e.handle_live = true;
              if (c.visible_at > c.at) s.schedule(d.seq, e, c.visible_at, Where::kInFlight);
            }
            s.compact();
          },
          [&](const VisibilityChanged& c) {
            if (!fresh(c.version)) return;
            s.advance(c.at);
            auto it = s.messages.find(c.seq);
            if (it == s.messages.end()) return;
            if (c.visible_at > c.at) {
              s.schedule(c.seq, it->second, c.visible_at, Where::kInFlight);
            } else if (it->second.where != Where::kVisible) {
              s.make_visible(c.seq, it->second, c.at);
            }
            s.compact();
          },
          [&](const MessageDeleted& c) {
            if (!fresh(c.version)) return;
            if (s.fifo) s.advance(c.at);
            if (auto it = s.messages.find(c.seq); it != s.messages.end()) s.erase(it);
            s.compact();
          },
          [&](const QueuePurged& c) {
            if (!fresh(c.version)) return;
            s.last_purge = c.at;
            s.messages.clear();
            s.ready.clear();
            s.timed.clear();
            s.groups.clear();
            s.born.clear();
            s.born_moved.clear();
            s.counts = {};
          },
          [&](const MessagesMoved& c) {
            // The source's side: unversioned, by seq (see queue_changes.h).
            if (c.from == durable_id_) {
              for (const auto& item : c.items) {
                if (auto it = s.messages.find(item.from_seq); it != s.messages.end()) s.erase(it);
              }
            }
            if (c.queue == durable_id_ && fresh(c.version)) {
              s.advance(c.at);
              for (const auto& item : c.items) {
                if (s.fifo && !item.message->sequence_number().empty()) {
                  s.last_sequence = std::max(s.last_sequence, parse_sequence_value(item.message->sequence_number()));
                }
                Entry& e = s.add_moved(item.seq, item.message, c.at);
                e.receive_count = item.receive_count;
                e.first_receive = item.first_receive;
              }
            }
            s.compact();
          },
          [&](const QueueImage& c) {
            s.version = c.version;
            s.last_modified = c.last_modified;
            s.last_purge = c.last_purge;
            s.attributes = c.attributes;
            s.fifo = c.attributes.fifo;
            s.tags = c.tags;
            s.instance_id = c.instance_id;
            s.secret = c.secret;
            s.next_seq = c.next_seq;
            s.receives = c.receives;
            s.last_sequence = c.last_sequence;
          },
          [&](const MessageImage& c) {
            if (s.messages.contains(c.seq)) return;
            s.insert(c.seq, c.message, c.born, c.born);
            restore_delivery(c, s.messages.at(c.seq));
          },
          [&](const MovedMessageImage& c) {
            if (s.messages.contains(c.image.seq)) return;
            restore_delivery(c.image, s.add_moved(c.image.seq, c.image.message, c.image.born));
          },
          [&](const DedupImage& c) {
            s.dedup.restore(c.key, {c.message_id, c.sequence_number}, c.expires);
          },
          [](const auto&) {},  // registry-level changes: QueueRegistry handles them
      },
      change);
}

void Queue::snapshot(const QueueChangeSink& emit) const {
  std::lock_guard lock(state_->mu);
  const State& s = *state_;
  QueueImage image;
  image.queue = durable_id_;
  image.version = s.version;
  image.key = key_;
  image.created = created_;
  image.last_modified = s.last_modified;
  image.last_purge = s.last_purge;
  image.attributes = s.attributes;
  image.tags = s.tags;
  image.instance_id = s.instance_id;
  image.secret = s.secret;
  image.next_seq = s.next_seq;
  image.receives = s.receives;
  image.last_sequence = s.last_sequence;
  emit(image);
  auto image_of = [&](std::uint64_t seq, TimePoint born, const Entry& e) {
    MessageImage m;
    m.queue = durable_id_;
    m.seq = seq;
    m.message = e.message;
    m.born = born;
    m.first_receive = e.first_receive;
    m.visible_at = e.visible_at;
    m.nonce = e.nonce;
    m.receive_count = e.receive_count;
    m.where = static_cast<std::uint8_t>(e.where);
    m.handle_live = e.handle_live;
    return m;
  };
  // In send order, so retention's deque is rebuilt in order. Messages that
  // came from another queue say so (their dead-letter source, and on standard
  // queues their retention from the original send: born_moved).
  for (const Born& b : s.born) {
    auto it = s.messages.find(b.seq);
    if (it == s.messages.end() || it->second.message == nullptr) continue;
    if (it->second.message->dead_letter_source() != nullptr) {
      emit(MovedMessageImage{image_of(b.seq, b.sent, it->second)});
    } else {
      emit(image_of(b.seq, b.sent, it->second));
    }
  }
  std::vector<Born> moved_in(s.born_moved.begin(), s.born_moved.end());
  std::sort(moved_in.begin(), moved_in.end(), [](const Born& a, const Born& b) { return a.seq < b.seq; });
  for (const Born& b : moved_in) {
    auto it = s.messages.find(b.seq);
    if (it == s.messages.end() || it->second.message == nullptr) continue;
    emit(MovedMessageImage{image_of(b.seq, b.sent, it->second)});
  }
  s.dedup.for_each([&](const std::string& key, const DedupWindow::Original& original, TimePoint expires) {
    emit(DedupImage{durable_id_, key, original.message_id, original.sequence_number, expires});
  });
}

}  // namespace shoal::storage
