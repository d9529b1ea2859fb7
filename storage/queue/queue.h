// Queue: one SQS queue's messages and their visibility, delays, retention and
// receipt handles, driven by an injected Clock. Every state change goes through
// the public operations below (a later append log records exactly these).
// Thread-safe: one mutex per queue; waiter callbacks run without it held.
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
#include "storage/status.h"

namespace shoal::storage {

struct QueueKey {
  std::string account;
  std::string region;
  std::string name;
  auto operator<=>(const QueueKey&) const = default;
};

struct QueueCounts {
  std::int64_t visible = 0;    // ApproximateNumberOfMessages
  std::int64_t in_flight = 0;  // ApproximateNumberOfMessagesNotVisible
  std::int64_t delayed = 0;    // ApproximateNumberOfMessagesDelayed
};

struct SendOutcome {
  std::string message_id;
  std::string sequence_number;  // FIFO only
};

class Queue {
 public:
  Queue(QueueKey key, QueueAttributes attributes, std::map<std::string, std::string> tags,
        const Clock& clock);
  ~Queue();
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  const QueueKey& key() const { return key_; }
  TimePoint created() const { return created_; }
  TimePoint last_modified() const;
  QueueAttributes attributes() const;
  void set_attributes(QueueAttributes attributes);

  std::map<std::string, std::string> tags() const;
  void tag(const std::map<std::string, std::string>& tags);
  void untag(const std::vector<std::string>& keys);

  SendOutcome send(NewMessage message);
  // Up to max_messages visible messages, oldest first; each becomes invisible
  // for visibility_timeout (default: the queue's) and gets a new receipt handle.
  std::vector<ReceivedMessage> receive(int max_messages,
                                       std::optional<std::chrono::seconds> visibility_timeout);
  // kInvalidHandle for a handle this queue did not issue. Deleting a message
  // that is already gone succeeds, as on AWS standard queues.
  Status delete_message(std::string_view receipt_handle);
  // kInvalidHandle as above; kNotInflight when the message is not in flight.
  // The new timeout counts from now.
  Status change_visibility(std::string_view receipt_handle, std::chrono::seconds timeout);
  // kPurgeInProgress within 60 s of the previous purge.
  Status purge();
  QueueCounts counts() const;

  // Long polling. A waiter is called once a message may be receivable because
  // of a send or a visibility change to 0 (time-driven changes are announced by
  // next_change()), or when the queue is closed; it is then removed. It runs on
  // the thread that caused the change, after the queue's lock is released.
  std::uint64_t add_waiter(std::function<void()> wake);
  void remove_waiter(std::uint64_t id);
  // Earliest future time a delayed or in-flight message becomes visible.
  std::optional<TimePoint> next_change() const;
  // Marks the queue deleted and wakes every waiter.
  void close();
  bool closed() const;

 private:
  struct State;
  QueueKey key_;
  TimePoint created_;
  const Clock& clock_;
  std::unique_ptr<State> state_;
};

}  // namespace shoal::storage
