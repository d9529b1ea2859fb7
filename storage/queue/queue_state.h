// Queue::State: the private state behind one Queue (its messages, their
// delivery structures, waiters and change versions) and the helpers it uses.
// Private to the queue engine: included only by queue.cc (operations) and
// queue_replay.cc (replay of logged changes, snapshots). Every member is
// guarded by State::mu.
#pragma once

#include <algorithm>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "storage/queue/dedup_window.h"
#include "storage/queue/fifo_groups.h"
#include "storage/queue/queue.h"
#include "storage/queue/receipt_handle.h"
#include "storage/queue/receive_attempts.h"
#include "storage/random.h"

namespace shoal::storage {
namespace queue_internal {


enum class Where : std::uint8_t { kVisible, kDelayed, kInFlight };

// One message and its delivery state. `epoch` changes whenever the message
// moves between the ready queue and the timed heap, so stale entries left in
// those structures (by a delete, a move or a retention drop) are recognised
// and skipped instead of being searched for and erased.
struct Entry {
  std::shared_ptr<const StoredMessage> message;
  TimePoint first_receive{};
  TimePoint visible_at{};
  std::uint64_t nonce = 0;  // the latest receive's nonce; 0: never received
  std::uint32_t epoch = 0;
  int receive_count = 0;
  Where where = Where::kVisible;
  // FIFO: the latest receipt handle may still delete the message (false once
  // its visibility ran out or was set to 0).
  bool handle_live = false;
};

struct Ref {
  std::uint64_t seq;
  std::uint32_t epoch;
};

struct Timed {
  TimePoint at;
  std::uint64_t seq;
  std::uint32_t epoch;
};

struct Born {
  TimePoint sent;  // never decreasing along the deque (see State::born_last)
  std::uint64_t seq;
};

// Greater-than orders, so std::*_heap keep the smallest on top.
inline bool later_seq(const Ref& a, const Ref& b) { return a.seq > b.seq; }
inline bool later_born(const Born& a, const Born& b) { return a.sent > b.sent; }
inline bool later_time(const Timed& a, const Timed& b) {
  return a.at != b.at ? a.at > b.at : a.seq > b.seq;
}

// Visible messages by send order (seq). Sends append increasing seqs, which go
// to a plain FIFO; messages coming back (visibility expiry, end of a delay
// behind newer sends) go to a small min-heap. The smaller front of the two is
// the oldest visible message.
class ReadyQueue {
 public:
  void push(Ref r) {
    if (fresh_.empty() || r.seq > fresh_.back().seq) {
      fresh_.push_back(r);
    } else {
      returned_.push_back(r);
      std::push_heap(returned_.begin(), returned_.end(), later_seq);
    }
  }
  bool empty() const { return fresh_.empty() && returned_.empty(); }
  std::size_t size() const { return fresh_.size() + returned_.size(); }
  // Requires !empty().
  Ref pop() {
    if (returned_.empty() || (!fresh_.empty() && fresh_.front().seq < returned_.front().seq)) {
      Ref r = fresh_.front();
      fresh_.pop_front();
      return r;
    }
    std::pop_heap(returned_.begin(), returned_.end(), later_seq);
    Ref r = returned_.back();
    returned_.pop_back();
    return r;
  }
  template <typename Keep>
  void compact(Keep keep) {
    std::erase_if(fresh_, [&](const Ref& r) { return !keep(r); });
    std::erase_if(returned_, [&](const Ref& r) { return !keep(r); });
    std::make_heap(returned_.begin(), returned_.end(), later_seq);
  }
  void clear() {
    fresh_.clear();
    returned_.clear();
  }

 private:
  std::deque<Ref> fresh_;
  std::vector<Ref> returned_;
};

// Garbage allowed in a lazily cleaned structure before it is compacted:
// compaction costs O(size) and runs after at least live + kSlack garbage
// entries were added, so it is amortised O(1) per operation.
inline constexpr std::size_t kSlack = 64;

// FIFO sequence numbers look like AWS's: 20 decimal digits, increasing per
// queue. The value after the leading 1 is the send time in milliseconds times
// a million (so numbers also increase across a queue's re-creation), bumped
// past the previous one.
inline std::uint64_t next_sequence_value(std::uint64_t previous, TimePoint now) {
  const auto ms = std::max<std::int64_t>(to_epoch_ms(now), 0);
  const std::uint64_t from_time = static_cast<std::uint64_t>(ms) * 1'000'000;
  return std::max(previous + 1, from_time);
}

inline std::string format_sequence_number(std::uint64_t value) {
  std::string digits = std::to_string(value % 10'000'000'000'000'000'000ULL);
  return "1" + std::string(19 - digits.size(), '0') + digits;
}

}  // namespace queue_internal

// Only queue.cc and queue_replay.cc include this header.
using namespace queue_internal;  // NOLINT(google-build-using-namespace)

struct Queue::State {
  mutable std::mutex mu;
  bool fifo = false;  // fixed at creation: AWS never changes a queue's type
  QueueAttributes attributes;
  std::map<std::string, std::string> tags;
  TimePoint last_modified;
  std::optional<TimePoint> last_purge;
  bool closed = false;

  // Tie receipt handles to this queue object: a queue deleted and created
  // again under the same name rejects the old queue's handles.
  // Set at construction (or restored from a log), then never changed.
  std::uint64_t instance_id = random_u64();
  std::uint64_t secret = random_u64();

  // Durability: every change counts one version and is reported to the
  // observer (if any) while the mutex is held.
  QueueObserver* observer = nullptr;
  std::uint64_t durable_id = 0;
  std::uint64_t version = 0;
  std::vector<MessagesReceived::Delivery> delivered;  // by the current take()
  std::vector<std::uint64_t> rescheduled;               // by the current take() (attempt replays)

  template <typename Change>
  void note(Change change) {
    ++version;
    if (observer == nullptr) return;
    change.queue = durable_id;
    change.version = version;
    observer->on_change(change);
  }

  // Adds a message sent at `now` that becomes visible at visible_at.
  void insert(std::uint64_t seq, std::shared_ptr<const StoredMessage> message, TimePoint now,
              TimePoint visible_at) {
    next_seq = std::max(next_seq, seq + 1);
    auto [it, inserted] = messages.try_emplace(seq);
    Entry& e = it->second;
    e.message = std::move(message);
    // A clock stepping back must not break the deque's order; such a message
    // is then kept slightly longer than its retention.
    born_last = std::max(born_last, now);
    born.push_back({born_last, seq});
    if (visible_at > now) {
      e.where = Where::kDelayed;
      e.visible_at = visible_at;
      ++counts.delayed;
      timed.push_back({e.visible_at, seq, e.epoch});
      std::push_heap(timed.begin(), timed.end(), later_time);
      if (fifo) groups.add(e.message->group_id(), seq, false);
    } else {
      e.where = Where::kVisible;
      e.visible_at = now;
      ++counts.visible;
      if (fifo) {
        groups.add(e.message->group_id(), seq, true);
      } else {
        ready.push({seq, e.epoch});
      }
    }
  }

  // Logs what the last take() did: one MessagesReceived for the fresh
  // deliveries, a VisibilityChanged per message an attempt replay hid again.
  void note_take(TimePoint now, std::optional<std::chrono::seconds> visibility_timeout) {
    totals.received += delivered.size() + rescheduled.size();  // before `delivered` moves to the log
    const auto visibility =
        std::max(visibility_timeout.value_or(attributes.visibility_timeout), std::chrono::seconds(0));
    const TimePoint until = now + visibility;
    if (!delivered.empty()) {
      MessagesReceived change;
      change.at = now;
      change.visible_at = until;
      if (observer != nullptr) change.deliveries = std::move(delivered);
      note(std::move(change));
    }
    for (std::uint64_t seq : rescheduled) note(VisibilityChanged{0, 0, now, seq, until});
    delivered.clear();
    rescheduled.clear();
  }

  std::uint64_t next_seq = 1;
  std::uint64_t receives = 0;  // the receive nonce counter
  std::unordered_map<std::uint64_t, Entry> messages;
  ReadyQueue ready;              // visible messages (standard queues)
  FifoGroups groups;             // every message by group (FIFO queues)
  DedupWindow dedup;             // FIFO
  ReceiveAttempts attempts;      // FIFO
  std::uint64_t last_sequence = 0;
  std::vector<Timed> timed;      // min-heap: delayed and in-flight messages
  std::deque<Born> born;         // every message by send time, for retention
  TimePoint born_last{};
  // Min-heap by send time: messages moved in by a dead-letter move, whose
  // send times are older than born's tail (standard queues keep retention
  // from the original send).
  std::vector<Born> born_moved;
  QueueCounts counts;
  QueueTotals totals;

  std::uint64_t next_waiter = 1;
  std::unordered_map<std::uint64_t, std::function<void()>> waiters;

  std::int64_t& count_of(Where w) {
    switch (w) {
      case Where::kVisible: return counts.visible;
      case Where::kDelayed: return counts.delayed;
      case Where::kInFlight: break;
    }
    return counts.in_flight;
  }

  void make_visible(std::uint64_t seq, Entry& e, TimePoint now) {
    --count_of(e.where);
    ++counts.visible;
    e.where = Where::kVisible;
    e.visible_at = now;
    ++e.epoch;
    if (fifo) {
      e.handle_live = false;
      groups.set_visible(e.message->group_id(), seq, true);
    } else {
      ready.push({seq, e.epoch});
    }
  }

  void schedule(std::uint64_t seq, Entry& e, TimePoint at, Where where) {
    --count_of(e.where);
    ++count_of(where);
    e.where = where;
    e.visible_at = at;
    ++e.epoch;
    if (fifo) groups.set_visible(e.message->group_id(), seq, false);
    timed.push_back({at, seq, e.epoch});
    std::push_heap(timed.begin(), timed.end(), later_time);
  }

  void erase(std::unordered_map<std::uint64_t, Entry>::iterator it) {
    --count_of(it->second.where);
    if (fifo) groups.remove(it->second.message->group_id(), it->first);
    messages.erase(it);
  }

  bool current(std::uint64_t seq, std::uint32_t epoch) const {
    auto it = messages.find(seq);
    return it != messages.end() && it->second.epoch == epoch;
  }

  // Applies every time-driven transition due at `now`.
  void advance(TimePoint now) {
    while (!timed.empty() && timed.front().at <= now) {
      std::pop_heap(timed.begin(), timed.end(), later_time);
      const Timed t = timed.back();
      timed.pop_back();
      auto it = messages.find(t.seq);
      if (it != messages.end() && it->second.epoch == t.epoch) make_visible(t.seq, it->second, t.at);
    }
    // Retention counts from the send time with the current period, so a
    // shortened period applies to messages already in the queue.
    const auto retention = attributes.message_retention;
    while (!born.empty() && born.front().sent + retention <= now) {
      auto it = messages.find(born.front().seq);
      born.pop_front();
      if (it != messages.end()) erase(it);
    }
    while (!born_moved.empty() && born_moved.front().sent + retention <= now) {
      std::pop_heap(born_moved.begin(), born_moved.end(), later_born);
      auto it = messages.find(born_moved.back().seq);
      born_moved.pop_back();
      if (it != messages.end()) erase(it);
    }
    compact();
  }

  void compact() {
    const auto timed_live = static_cast<std::size_t>(counts.in_flight + counts.delayed);
    if (timed.size() > 2 * timed_live + kSlack) {
      std::erase_if(timed, [&](const Timed& t) { return !current(t.seq, t.epoch); });
      std::make_heap(timed.begin(), timed.end(), later_time);
    }
    if (ready.size() > 2 * static_cast<std::size_t>(counts.visible) + kSlack) {
      ready.compact([&](const Ref& r) { return current(r.seq, r.epoch); });
    }
    if (born.size() > 2 * messages.size() + kSlack) {
      std::erase_if(born, [&](const Born& b) { return !messages.contains(b.seq); });
    }
    if (born_moved.size() > 2 * messages.size() + kSlack) {
      std::erase_if(born_moved, [&](const Born& b) { return !messages.contains(b.seq); });
      std::make_heap(born_moved.begin(), born_moved.end(), later_born);
    }
  }

  // Takes the message out of the queue for a move elsewhere.
  MovedMessage extract(std::unordered_map<std::uint64_t, Entry>::iterator it) {
    MovedMessage out{it->second.message, it->second.receive_count, it->second.first_receive, durable_id,
                     it->first};
    erase(it);
    return out;
  }

  // A message already received max_receive_count times leaves on its next
  // receive attempt.
  static bool exhausted(const Entry& e, int max_receive_count) {
    return max_receive_count > 0 && e.receive_count >= max_receive_count;
  }

  // FIFO: moves out exhausted messages at the front of the groups a receive
  // of max_messages would take from, until those fronts hold none, so the
  // messages behind them are served in the same receive.
  void drop_exhausted_fifo(std::size_t max_messages, int max_receive_count, std::vector<MovedMessage>* dead) {
    if (dead == nullptr || max_receive_count <= 0) return;
    for (bool moved = true; moved;) {
      moved = false;
      for (std::uint64_t seq : groups.next(max_messages)) {
        auto it = messages.find(seq);
        if (it != messages.end() && exhausted(it->second, max_receive_count)) {
          dead->push_back(extract(it));
          moved = true;
        }
      }
    }
  }

  // Adds one message coming from another queue, visible at `now`. Standard
  // queues keep its retention counting from its original send; FIFO queues
  // count from now (AWS: a FIFO dead-letter queue's retention restarts at
  // the move).
  Entry& add_moved(std::uint64_t seq, std::shared_ptr<const StoredMessage> message, TimePoint now) {
    next_seq = std::max(next_seq, seq + 1);
    Entry& e = messages[seq];
    e.where = Where::kVisible;
    e.visible_at = now;
    ++counts.visible;
    if (fifo) {
      born_last = std::max(born_last, now);
      born.push_back({born_last, seq});
      groups.add(message->group_id(), seq, true);
    } else {
      born_moved.push_back({message->sent(), seq});
      std::push_heap(born_moved.begin(), born_moved.end(), later_born);
      ready.push({seq, e.epoch});
    }
    e.message = std::move(message);
    return e;
  }

  // Adds messages coming from another queue, visible at once, and logs the
  // move: one MessagesMoved per run of messages from the same queue.
  // FIFO queues give each a new sequence number here (packed under the lock,
  // since the number is this queue's); other queues take `copies` as they are.
  std::vector<std::function<void()>> insert_moved(std::vector<std::shared_ptr<const StoredMessage>> copies,
                                                  const std::vector<MovedMessage>& moved,
                                                  const std::shared_ptr<const QueueKey>& source, bool keep_receives,
                                                  TimePoint now, const MoveTaskStep* step) {
    MessagesMoved change;
    auto log_run = [&] {
      if (change.items.empty()) return;
      change.at = now;
      if (step != nullptr) {
        change.task_id = step->id;
        change.task_moved = step->moved;
      }
      note(std::move(change));
      change = MessagesMoved{};
    };
    for (std::size_t i = 0; i < copies.size(); ++i) {
      auto& copy = copies[i];
      if (fifo) {
        last_sequence = next_sequence_value(last_sequence, now);
        copy = copy->repack(format_sequence_number(last_sequence), source);
      }
      const std::uint64_t seq = next_seq;
      Entry& e = add_moved(seq, std::move(copy), now);
      if (keep_receives) {
        e.receive_count = moved[i].receive_count;
        e.first_receive = moved[i].first_receive;
      }
      if (i > 0 && moved[i].from != moved[i - 1].from) log_run();
      change.from = moved[i].from;
      change.items.push_back({moved[i].from_seq, seq, e.message, e.receive_count, e.first_receive});
    }
    log_run();
    if (!copies.empty() && !waiters.empty()) return collect_waiters();
    return {};
  }

  // Earliest valid entry of the timed heap; drops stale tops on the way.
  std::optional<TimePoint> earliest() {
    while (!timed.empty()) {
      const Timed& t = timed.front();
      if (current(t.seq, t.epoch)) return t.at;
      std::pop_heap(timed.begin(), timed.end(), later_time);
      timed.pop_back();
    }
    return std::nullopt;
  }

  // With `dead` set, messages already received max_receive_count times are
  // moved out into it instead of being delivered (see receive_redriving).
  std::vector<ReceivedMessage> take(int max_messages,
                                    std::optional<std::chrono::seconds> visibility_timeout,
                                    TimePoint now, std::string_view attempt_id = {},
                                    int max_receive_count = 0, std::vector<MovedMessage>* dead = nullptr) {
    std::vector<ReceivedMessage> out;
    if (max_messages <= 0) return out;
    const auto visibility =
        std::max(visibility_timeout.value_or(attributes.visibility_timeout), std::chrono::seconds(0));
    out.reserve(static_cast<std::size_t>(
        std::min<std::int64_t>(max_messages, std::max<std::int64_t>(counts.visible, 0))));
    if (fifo) {
      const auto max = static_cast<std::size_t>(max_messages);
      if (attempt_id.empty()) {
        drop_exhausted_fifo(max, max_receive_count, dead);
        out = take_fifo(max, visibility, now, nullptr);
      } else if (auto* taken = attempts.find(attempt_id, now); taken != nullptr && !taken->empty()) {
        if (auto again = replay(*taken, visibility, now)) {
          out = std::move(*again);
        } else {
          drop_exhausted_fifo(max, max_receive_count, dead);
          std::vector<ReceiveAttempts::Taken> record;
          out = take_fifo(max, visibility, now, &record);
          attempts.remember(attempt_id, std::move(record), now);
        }
      } else {
        drop_exhausted_fifo(max, max_receive_count, dead);
        std::vector<ReceiveAttempts::Taken> record;
        out = take_fifo(max, visibility, now, &record);
        attempts.remember(attempt_id, std::move(record), now);
      }
      compact();
      return out;
    }
    std::vector<std::uint64_t> stay_visible;
    while (out.size() < static_cast<std::size_t>(max_messages) && !ready.empty()) {
      const Ref r = ready.pop();
      auto it = messages.find(r.seq);
      if (it == messages.end() || it->second.epoch != r.epoch) continue;
      if (dead != nullptr && exhausted(it->second, max_receive_count)) {
        dead->push_back(extract(it));
        continue;
      }
      Entry& e = it->second;
      out.push_back(deliver(r.seq, e, now));
      if (visibility.count() > 0) {
        schedule(r.seq, e, now + visibility, Where::kInFlight);
      } else {
        stay_visible.push_back(r.seq);
      }
    }
    // Pushed back only now so one receive never returns a message twice.
    for (std::uint64_t seq : stay_visible) {
      Entry& e = messages.at(seq);
      ++e.epoch;
      ready.push({seq, e.epoch});
    }
    compact();
    return out;
  }

  // The messages chosen before any state changes, so one kept visible
  // (timeout 0) is not returned twice. `taken` (optional) records them for a
  // ReceiveRequestAttemptId.
  std::vector<ReceivedMessage> take_fifo(std::size_t max_messages, std::chrono::seconds visibility,
                                         TimePoint now, std::vector<ReceiveAttempts::Taken>* taken) {
    std::vector<ReceivedMessage> out;
    for (std::uint64_t seq : groups.next(max_messages)) {
      Entry& e = messages.at(seq);
      out.push_back(deliver(seq, e, now));
      e.handle_live = true;
      if (visibility.count() > 0) schedule(seq, e, now + visibility, Where::kInFlight);
      if (taken != nullptr) taken->push_back({seq, e.nonce, e.epoch});
    }
    return out;
  }

  // A retried ReceiveRequestAttemptId: the same messages with the same
  // receipt handles and a restarted visibility timeout, as AWS documents, if
  // none of them changed since (deleted, visibility changed or ran out,
  // received again). nullopt otherwise: the caller receives afresh.
  std::optional<std::vector<ReceivedMessage>> replay(std::vector<ReceiveAttempts::Taken>& taken,
                                                     std::chrono::seconds visibility, TimePoint now) {
    for (const auto& t : taken) {
      auto it = messages.find(t.seq);
      if (it == messages.end() || it->second.nonce != t.nonce || it->second.epoch != t.epoch ||
          !it->second.handle_live) {
        return std::nullopt;
      }
    }
    std::vector<ReceivedMessage> out;
    out.reserve(taken.size());
    for (auto& t : taken) {
      Entry& e = messages.at(t.seq);
      if (visibility.count() > 0) {
        schedule(t.seq, e, now + visibility, Where::kInFlight);
        rescheduled.push_back(t.seq);
      }
      t.epoch = e.epoch;
      out.push_back(ReceivedMessage{e.message, encode_receipt_handle({instance_id, t.seq, t.nonce}, secret),
                                    e.receive_count, e.first_receive});
    }
    return out;
  }

  // Counts one receive of the message and issues its new receipt handle.
  ReceivedMessage deliver(std::uint64_t seq, Entry& e, TimePoint now) {
    if (++e.receive_count == 1) e.first_receive = now;
    e.nonce = ++receives;
    delivered.push_back({seq, e.nonce});
    return ReceivedMessage{e.message, encode_receipt_handle({instance_id, seq, e.nonce}, secret),
                           e.receive_count, e.first_receive};
  }

  bool receivable() const { return fifo ? groups.any_ready() : counts.visible > 0; }

  std::vector<std::function<void()>> collect_waiters() {
    std::vector<std::function<void()>> out;
    out.reserve(waiters.size());
    for (auto& [id, wake] : waiters) out.push_back(std::move(wake));
    waiters.clear();
    return out;
  }
};

}  // namespace shoal::storage
