// Queue: one SQS queue's messages and their visibility, delays, retention and
// receipt handles, driven by an injected Clock. Every state change goes through
// the public operations below (a later append log records exactly these).
// Thread-safe: one mutex per queue; waiter callbacks run without it held.
// Time-driven transitions (delay end, visibility expiry, retention) are applied
// lazily by the next operation that looks at the messages.
// FIFO queues (attributes().fifo, fixed at creation) add sequence numbers, a
// deduplication window (dedup_window.h) and per-group ordering
// (fifo_groups.h); the notes marked FIFO below say where they differ.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/clock.h"
#include "storage/queue/message.h"
#include "storage/queue/queue_attributes.h"
#include "storage/queue/queue_changes.h"
#include "storage/queue/queue_key.h"
#include "storage/status.h"

namespace shoal::storage {

struct QueueCounts {
  std::int64_t visible = 0;    // ApproximateNumberOfMessages
  std::int64_t in_flight = 0;  // ApproximateNumberOfMessagesNotVisible
  std::int64_t delayed = 0;    // ApproximateNumberOfMessagesDelayed
};

// What a queue did since this process created or recovered it (kept in
// memory only: a restart counts from 0), for the control endpoints' rates.
struct QueueTotals {
  std::uint64_t sent = 0;      // messages stored by send() (a deduplicated repeat stores none)
  std::uint64_t received = 0;  // deliveries: a message received twice counts twice
  std::uint64_t deleted = 0;   // messages removed by delete_message()
};

struct SendOutcome {
  std::string message_id;
  std::string sequence_number;  // FIFO only: 20 decimal digits, increasing per queue
};

// One message as Queue::peek shows it, without receiving it.
struct PeekedMessage {
  enum class State { kVisible, kDelayed, kInFlight };
  std::shared_ptr<const StoredMessage> message;
  State state = State::kVisible;
  int receive_count = 0;                     // receives so far
  std::optional<TimePoint> first_receive;    // nullopt: never received
  std::optional<TimePoint> visible_at;       // delayed or in flight: when it becomes visible
};

// The result of Queue::receive_or_wait.
struct ReceiveOrWait {
  std::vector<ReceivedMessage> messages;
  // Non-zero when nothing was receivable and the waker was registered (remove
  // it with remove_waiter when giving up). Zero with no messages: the queue is
  // closed and the waker was not kept.
  std::uint64_t waiter_id = 0;
  // When nothing was receivable: next_change() at the same instant.
  std::optional<TimePoint> next_change;
};

// How a queue reports its changes (queue_changes.h) and, when restored from a
// log, the identity it had: creation time and receipt-handle material.
struct QueueHooks {
  QueueObserver* observer = nullptr;
  std::uint64_t id = 0;  // the registry's durable id
  std::optional<TimePoint> created;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> instance_and_secret;
};

// A move task's part in a move, logged with it (MessagesMoved::task_id).
struct MoveTaskStep {
  std::string id;
  std::int64_t moved = 0;  // the task's moved count once these messages are in
};

// The result of Queue::receive_redriving.
struct RedriveReceive {
  std::vector<ReceivedMessage> messages;
  // Messages that left the queue for its dead-letter queue, in the order the
  // receive met them (on FIFO queues: group by group, in sequence order).
  std::vector<MovedMessage> dead_letters;
};

class Queue {
 public:
  Queue(QueueKey key, QueueAttributes attributes, std::map<std::string, std::string> tags,
        const Clock& clock, QueueHooks hooks = {});
  ~Queue();
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  const QueueKey& key() const { return key_; }
  TimePoint created() const { return created_; }
  TimePoint last_modified() const;
  QueueAttributes attributes() const;
  // attributes().dead_letter without copying the rest (read on every receive).
  std::optional<DeadLetterTarget> dead_letter() const;
  void set_attributes(QueueAttributes attributes);

  std::map<std::string, std::string> tags() const;
  void tag(const std::map<std::string, std::string>& tags);
  void untag(const std::vector<std::string>& keys);

  static constexpr std::chrono::seconds kPurgeCooldown{60};

  // FIFO: message.group_id orders delivery; a non-empty deduplication_id seen
  // within DedupWindow::kInterval (per the queue's DeduplicationScope) answers
  // the first send's id and sequence number and stores nothing.
  SendOutcome send(NewMessage message);
  // Up to max_messages visible messages, oldest first; each becomes invisible
  // for visibility_timeout (default: the queue's) and gets a new receipt handle.
  // A message whose visibility expired is served again in its send order.
  // Visibility 0 leaves the message visible (it still counts as a receive).
  // FIFO: messages are taken in sequence order from the front of groups whose
  // oldest message is visible, filling the batch from one group before the
  // next; a message in flight (or delayed) holds back the rest of its group.
  // FIFO: a non-empty attempt_id (ReceiveRequestAttemptId) used again within
  // ReceiveAttempts::kInterval answers the same messages with the same
  // receipt handles and a restarted visibility timeout, while none of them
  // changed since; otherwise it receives afresh. Ignored on standard queues.
  std::vector<ReceivedMessage> receive(int max_messages,
                                       std::optional<std::chrono::seconds> visibility_timeout,
                                       std::string_view attempt_id = {});
  // Dead-letter move, source side: receive(), except that every message the
  // receive meets that was already received max_receive_count times leaves
  // the queue instead of being delivered, and comes back in dead_letters (the
  // caller hands them to the dead-letter queue: QueueRegistry::receive). Such
  // messages do not count against max_messages; on FIFO queues the next
  // message of the group is then served in the same receive. A replayed
  // ReceiveRequestAttemptId moves nothing. max_receive_count <= 0: receive().
  // The dead letters' leaving is logged by the queue they are added to.
  RedriveReceive receive_redriving(int max_messages, std::optional<std::chrono::seconds> visibility_timeout,
                                   int max_receive_count, std::string_view attempt_id = {});
  // Dead-letter move, DLQ side: adds messages taken from `source` by
  // receive_redriving, visible at once, keeping MessageId, body, attributes,
  // SentTimestamp, receive count and first receive time, and gaining
  // dead_letter_source. Standard queues keep retention counting from the
  // original send; FIFO queues count it from now and give each message a new
  // sequence number in this queue (as AWS documents). No deduplication.
  // Logged as MessagesMoved (the source's side too: see queue_changes.h).
  void add_dead_letters(std::vector<MovedMessage> messages, const QueueKey& source);
  // Move task, destination side: adds redriven messages, visible at once,
  // keeping MessageId, body, attributes and SentTimestamp; the receive count
  // starts again from 0 (else the first receive would send them straight back
  // to the DLQ) and dead_letter_source is cleared. Logged as MessagesMoved,
  // with the task's progress when `step` is given.
  void add_redriven(std::vector<MovedMessage> messages, const MoveTaskStep* step = nullptr);
  // Move task, source side: takes out up to max_messages visible messages,
  // oldest first (FIFO: in group order, as a receive would), for moving
  // elsewhere. In-flight and delayed messages stay. Not logged by itself: the
  // destination's MessagesMoved records both sides, so the caller must hand
  // every message taken to some queue's add_redriven or add_dead_letters.
  std::vector<MovedMessage> take_for_move(std::size_t max_messages);
  // receive(), and when it finds nothing, add_waiter(wake) under the same lock,
  // so a send racing with the poll cannot be missed. wake is not called when
  // messages are returned.
  ReceiveOrWait receive_or_wait(int max_messages,
                                std::optional<std::chrono::seconds> visibility_timeout,
                                std::function<void()> wake, std::string_view attempt_id = {});
  // kInvalidHandle for a handle this queue did not issue (garbage, another
  // queue, or an earlier queue of the same name). Deleting a message that is
  // already gone succeeds, as on AWS standard queues. An older handle of a
  // message that was received again still deletes it (AWS says it "might"; we
  // do, like ElasticMQ and LocalStack).
  // FIFO: kHandleExpired when the handle is not the message's latest or its
  // visibility ran out (or was set to 0), as AWS answers.
  Status delete_message(std::string_view receipt_handle);
  // kInvalidHandle as above; kNotFound when the message is gone. An older
  // handle of a standard-queue message that is in flight again changes its
  // visibility, as AWS accepts; otherwise an older handle is kNotInflight (FIFO
  // always; the message is left untouched). With the latest handle a message
  // whose visibility already ran out is hidden again, as on AWS.
  // The new timeout counts from now; 0 makes the message visible and wakes
  // waiters.
  Status change_visibility(std::string_view receipt_handle, std::chrono::seconds timeout);
  // Deletes every message at once. kPurgeInProgress within kPurgeCooldown of
  // the previous purge (nothing is deleted then).
  Status purge();
  // Applies due transitions first, so the counts are current.
  QueueCounts counts() const;
  QueueTotals totals() const;
  // Whether a receive now would return a message (on FIFO queues a visible
  // message behind one in flight is not receivable). Applies due transitions.
  bool has_receivable() const;

  // Long polling. A waiter is called once a message may be receivable because
  // of a send or a visibility change to 0, or on FIFO queues a delete that
  // releases a group (time-driven changes are announced by
  // next_change()), or when the queue is closed; it is then removed. It runs on
  // the thread that caused the change, after the queue's lock is released.
  // Every waiter is woken by each such change. To not miss a send between an
  // empty receive and add_waiter, use receive_or_wait, or add the waiter first
  // and receive (or check counts()) afterwards. On a closed queue, wake is
  // called at once on the calling thread. Ids are never 0.
  std::uint64_t add_waiter(std::function<void()> wake);
  // Unknown or already-called ids are ignored.
  void remove_waiter(std::uint64_t id);
  // Earliest future time a delayed or in-flight message becomes visible
  // (nullopt: none). Applies due transitions first.
  std::optional<TimePoint> next_change() const;
  // Marks the queue deleted and wakes every waiter. Messages stay readable
  // through this object for requests that already hold it.
  void close();
  bool closed() const;

  // ---- durability (QueueRegistry drives these; see queue_changes.h) ----
  std::uint64_t durable_id() const { return durable_id_; }
  // Receipt-handle material, for QueueCreated.
  std::pair<std::uint64_t, std::uint64_t> instance_and_secret() const;
  // Set before the queue is shared between threads.
  void set_observer(QueueObserver* observer);
  // Replays one logged per-queue change or image (QueueImage, MessageImage,
  // DedupImage); changes whose version the queue already reached are skipped.
  void apply(const QueueChange& change);
  // Emits the images recreating this queue, as one consistent cut.
  void snapshot(const QueueChangeSink& emit) const;
  // Every message in send order with its delivery state, or the first `max`;
  // changes nothing (for the control endpoints: tests and the console look
  // into a queue without receiving). Applies due transitions first.
  std::vector<PeekedMessage> peek(std::size_t max = SIZE_MAX) const;

 private:
  struct State;
  QueueKey key_;
  TimePoint created_;
  std::uint64_t durable_id_;
  // attributes().fifo, fixed at creation: lets send() pack standard queues'
  // messages before taking the lock.
  bool fifo_;
  const Clock& clock_;
  std::unique_ptr<State> state_;
};

}  // namespace shoal::storage
