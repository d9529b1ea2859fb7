// Queue changes: the typed events the queue engine reports for every state
// change it makes (so an append log can record exactly those and replay
// them), and the images a snapshot emits to recreate the live state. Events
// carry outcomes (message ids, receive nonces, sequence numbers, absolute
// deadlines), never inputs that would re-run randomness. Per-queue events
// carry the queue's change version (1, 2, ... per queue); replay skips any
// whose version the queue already reached, so a log suffix replayed on top of
// a snapshot that already holds it changes nothing. Time-driven transitions
// (a delay or visibility ending, retention) are not events: replay derives
// them from the absolute times, as the live engine does.
// Plain values, safe to read from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "storage/clock.h"
#include "storage/queue/message.h"
#include "storage/queue/queue_attributes.h"
#include "storage/queue/queue_key.h"

namespace shoal::storage {

// ---- events ----

struct QueueCreated {
  std::uint64_t queue = 0;  // the registry's durable id of this incarnation
  QueueKey key;
  TimePoint created;
  QueueAttributes attributes;
  std::map<std::string, std::string> tags;
  std::uint64_t instance_id = 0;  // receipt-handle material: handles survive restarts
  std::uint64_t secret = 0;
};

struct QueueDeleted {
  std::uint64_t queue = 0;
};

struct QueueAttributesSet {
  std::uint64_t queue = 0;
  std::uint64_t version = 0;
  TimePoint at;
  QueueAttributes attributes;
};

struct QueueTagsSet {  // the whole tag map after TagQueue / UntagQueue
  std::uint64_t queue = 0;
  std::uint64_t version = 0;
  std::map<std::string, std::string> tags;
};

struct MessageSent {
  std::uint64_t queue = 0;
  std::uint64_t version = 0;
  std::uint64_t seq = 0;  // the message's number within the queue
  std::shared_ptr<const StoredMessage> message;  // message->sent() is the send time
  TimePoint visible_at;   // after the delay (== sent when none)
  bool dedup_per_group = false;  // FIFO: the scope its deduplication id was remembered with
};

struct MessagesReceived {
  struct Delivery {
    std::uint64_t seq = 0;
    std::uint64_t nonce = 0;  // the receive nonce in the new receipt handle
  };
  std::uint64_t queue = 0;
  std::uint64_t version = 0;
  TimePoint at;
  TimePoint visible_at;  // == at: the messages stayed visible (timeout 0)
  std::vector<Delivery> deliveries;
};

struct VisibilityChanged {
  std::uint64_t queue = 0;
  std::uint64_t version = 0;
  TimePoint at;
  std::uint64_t seq = 0;
  TimePoint visible_at;  // <= at: visible now
};

struct MessageDeleted {
  std::uint64_t queue = 0;
  std::uint64_t version = 0;
  TimePoint at;
  std::uint64_t seq = 0;
};

struct QueuePurged {
  std::uint64_t queue = 0;
  std::uint64_t version = 0;
  TimePoint at;
};

// ---- snapshot images ----

// First record of a queue snapshot: queues with ids below next_queue are in
// the snapshot or were deleted before it.
struct QueueRegistryImage {
  std::uint64_t next_queue = 1;
};

struct QueueImage {
  std::uint64_t queue = 0;
  std::uint64_t version = 0;
  QueueKey key;
  TimePoint created;
  TimePoint last_modified;
  std::optional<TimePoint> last_purge;
  QueueAttributes attributes;
  std::map<std::string, std::string> tags;
  std::uint64_t instance_id = 0;
  std::uint64_t secret = 0;
  std::uint64_t next_seq = 1;
  std::uint64_t receives = 0;
  std::uint64_t last_sequence = 0;
};

struct MessageImage {
  std::uint64_t queue = 0;
  std::uint64_t seq = 0;
  std::shared_ptr<const StoredMessage> message;
  TimePoint born;  // the send time as retention counts it
  TimePoint first_receive;
  TimePoint visible_at;
  std::uint64_t nonce = 0;
  int receive_count = 0;
  std::uint8_t where = 0;  // 0 visible, 1 delayed, 2 in flight (until visible_at)
  bool handle_live = false;
};

struct DedupImage {  // one FIFO deduplication record (dedup_window.h)
  std::uint64_t queue = 0;
  std::string key;
  std::string message_id;
  std::string sequence_number;
  TimePoint expires;
};

using QueueChange =
    std::variant<QueueCreated, QueueDeleted, QueueAttributesSet, QueueTagsSet, MessageSent, MessagesReceived,
                 VisibilityChanged, MessageDeleted, QueuePurged, QueueRegistryImage, QueueImage, MessageImage,
                 DedupImage>;

// Receives every change, called under the lock that serialises it (so the
// order of calls is the order of changes). Must be quick and must not call
// back into the engine.
class QueueObserver {
 public:
  virtual ~QueueObserver() = default;
  virtual void on_change(const QueueChange& change) = 0;
};

using QueueChangeSink = std::function<void(const QueueChange& change)>;

}  // namespace shoal::storage
