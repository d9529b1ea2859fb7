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
#include "storage/queue/move_task.h"
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

// Messages that left queue `from` for queue `queue`: a dead-letter move (a
// receive met messages already received maxReceiveCount times) or a step of a
// message move task. One record covers both sides. The destination logs it
// under its lock once the messages are in; replay takes them out of the
// source by seq (never reused within a queue, so that is idempotent and needs
// no version) and adds them to the destination (versioned as usual). A move
// whose record never reached the log left its messages in the source: after
// a restart a moved message is in exactly one of the two queues.
struct MessagesMoved {
  struct Item {
    std::uint64_t from_seq = 0;  // its number in the source
    std::uint64_t seq = 0;       // its number here
    // As stored here: dead_letter_source set (dead-letter moves) or cleared
    // (move tasks), a new FIFO sequence number.
    std::shared_ptr<const StoredMessage> message;
    int receive_count = 0;  // kept by dead-letter moves, 0 after a move task
    TimePoint first_receive{};
  };
  std::uint64_t queue = 0;
  std::uint64_t version = 0;
  std::uint64_t from = 0;
  TimePoint at;
  std::vector<Item> items;
  std::string task_id;          // the move task that moved them; empty for a dead-letter move
  std::int64_t task_moved = 0;  // that task's moved count after this step
};

// A message move task as it stands after it started or finished (completed,
// cancelled, failed), or in a snapshot. Its progress in between is logged
// with its moves (MessagesMoved::task_moved). Replay never lets a task go
// back: moved only grows, a finished task stays finished.
struct MoveTaskSet {
  MoveTask task;
};

// A control reset dropped the move tasks of one account (or all).
struct MoveTasksCleared {
  std::optional<std::string> account;
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

// A message that came in by a move (MessagesMoved), with where it came from
// (StoredMessage::dead_letter_source, which MessageImage does not carry).
// Standard queues count its retention from its original send (image.born ==
// message->sent, older than the queue's own sends); FIFO queues from the move.
struct MovedMessageImage {
  MessageImage image;
};

// New alternatives go at the end: a record's tag is its index here
// (change_codec.h), and old logs must keep their meaning.
using QueueChange =
    std::variant<QueueCreated, QueueDeleted, QueueAttributesSet, QueueTagsSet, MessageSent, MessagesReceived,
                 VisibilityChanged, MessageDeleted, QueuePurged, QueueRegistryImage, QueueImage, MessageImage,
                 DedupImage, MessagesMoved, MoveTaskSet, MoveTasksCleared, MovedMessageImage>;

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
