#include "storage/queue/queue.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "storage/queue/dedup_window.h"
#include "storage/queue/fifo_groups.h"
#include "storage/queue/receipt_handle.h"
#include "storage/queue/receive_attempts.h"
#include "storage/random.h"

namespace shoal::storage {
namespace {

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
bool later_seq(const Ref& a, const Ref& b) { return a.seq > b.seq; }
bool later_born(const Born& a, const Born& b) { return a.sent > b.sent; }
bool later_time(const Timed& a, const Timed& b) {
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
constexpr std::size_t kSlack = 64;

// FIFO sequence numbers look like AWS's: 20 decimal digits, increasing per
// queue. The value after the leading 1 is the send time in milliseconds times
// a million (so numbers also increase across a queue's re-creation), bumped
// past the previous one.
std::uint64_t next_sequence_value(std::uint64_t previous, TimePoint now) {
  const auto ms = std::max<std::int64_t>(to_epoch_ms(now), 0);
  const std::uint64_t from_time = static_cast<std::uint64_t>(ms) * 1'000'000;
  return std::max(previous + 1, from_time);
}

std::string format_sequence_number(std::uint64_t value) {
  std::string digits = std::to_string(value % 10'000'000'000'000'000'000ULL);
  return "1" + std::string(19 - digits.size(), '0') + digits;
}

}  // namespace

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
      if (fifo) groups.add(e.message->group_id, seq, false);
    } else {
      e.where = Where::kVisible;
      e.visible_at = now;
      ++counts.visible;
      if (fifo) {
        groups.add(e.message->group_id, seq, true);
      } else {
        ready.push({seq, e.epoch});
      }
    }
  }

  // Logs what the last take() did: one MessagesReceived for the fresh
  // deliveries, a VisibilityChanged per message an attempt replay hid again.
  void note_take(TimePoint now, std::optional<std::chrono::seconds> visibility_timeout) {
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
      groups.set_visible(e.message->group_id, seq, true);
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
    if (fifo) groups.set_visible(e.message->group_id, seq, false);
    timed.push_back({at, seq, e.epoch});
    std::push_heap(timed.begin(), timed.end(), later_time);
  }

  void erase(std::unordered_map<std::uint64_t, Entry>::iterator it) {
    --count_of(it->second.where);
    if (fifo) groups.remove(it->second.message->group_id, it->first);
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
    MovedMessage out{it->second.message, it->second.receive_count, it->second.first_receive};
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

  // Adds messages coming from another queue, visible at once.
  std::vector<std::function<void()>> insert_moved(std::vector<std::shared_ptr<StoredMessage>> copies,
                                                  const std::vector<MovedMessage>& moved, bool keep_receives,
                                                  TimePoint now) {
    for (std::size_t i = 0; i < copies.size(); ++i) {
      auto& copy = copies[i];
      if (fifo) {
        last_sequence = next_sequence_value(last_sequence, now);
        copy->sequence_number = format_sequence_number(last_sequence);
      }
      const std::uint64_t seq = next_seq++;
      Entry& e = messages[seq];
      if (keep_receives) {
        e.receive_count = moved[i].receive_count;
        e.first_receive = moved[i].first_receive;
      }
      e.where = Where::kVisible;
      e.visible_at = now;
      ++counts.visible;
      if (fifo) {
        // AWS: a FIFO dead-letter queue's retention restarts at the move.
        born_last = std::max(born_last, now);
        born.push_back({born_last, seq});
        groups.add(copy->group_id, seq, true);
      } else {
        born_moved.push_back({copy->sent, seq});
        std::push_heap(born_moved.begin(), born_moved.end(), later_born);
        ready.push({seq, e.epoch});
      }
      e.message = std::move(copy);
    }
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

namespace {

void call_all(std::vector<std::function<void()>>& wakes) {
  for (auto& wake : wakes) {
    if (wake) wake();
  }
}

}  // namespace

Queue::Queue(QueueKey key, QueueAttributes attributes, std::map<std::string, std::string> tags,
             const Clock& clock, QueueHooks hooks)
    : key_(std::move(key)),
      created_(hooks.created.value_or(clock.now())),
      durable_id_(hooks.id),
      clock_(clock),
      state_(std::make_unique<State>()) {
  state_->observer = hooks.observer;
  state_->durable_id = hooks.id;
  if (hooks.instance_and_secret) {
    state_->instance_id = hooks.instance_and_secret->first;
    state_->secret = hooks.instance_and_secret->second;
  }
  state_->fifo = attributes.fifo;
  state_->attributes = std::move(attributes);
  state_->tags = std::move(tags);
  state_->last_modified = created_;
}

Queue::~Queue() = default;

TimePoint Queue::last_modified() const {
  std::lock_guard lock(state_->mu);
  return state_->last_modified;
}

QueueAttributes Queue::attributes() const {
  std::lock_guard lock(state_->mu);
  return state_->attributes;
}

std::optional<DeadLetterTarget> Queue::dead_letter() const {
  std::lock_guard lock(state_->mu);
  return state_->attributes.dead_letter;
}

void Queue::set_attributes(QueueAttributes attributes) {
  const TimePoint now = clock_.now();
  std::lock_guard lock(state_->mu);
  attributes.fifo = state_->fifo;
  state_->attributes = std::move(attributes);
  state_->last_modified = now;
  state_->note(QueueAttributesSet{0, 0, now, state_->attributes});
}

std::map<std::string, std::string> Queue::tags() const {
  std::lock_guard lock(state_->mu);
  return state_->tags;
}

void Queue::tag(const std::map<std::string, std::string>& tags) {
  std::lock_guard lock(state_->mu);
  for (const auto& [k, v] : tags) state_->tags[k] = v;
  state_->note(QueueTagsSet{0, 0, state_->tags});
}

void Queue::untag(const std::vector<std::string>& keys) {
  std::lock_guard lock(state_->mu);
  for (const auto& k : keys) state_->tags.erase(k);
  state_->note(QueueTagsSet{0, 0, state_->tags});
}

SendOutcome Queue::send(NewMessage message) {
  const TimePoint now = clock_.now();
  auto stored = std::make_shared<StoredMessage>();
  stored->message_id = random_uuid();
  stored->body = std::move(message.body);
  stored->attributes = std::move(message.attributes);
  stored->md5_of_body = std::move(message.md5_of_body);
  stored->md5_of_attributes = std::move(message.md5_of_attributes);
  stored->md5_of_system_attributes = std::move(message.md5_of_system_attributes);
  stored->trace_header = std::move(message.trace_header);
  stored->sender_id = std::move(message.sender_id);
  stored->group_id = std::move(message.group_id);
  stored->deduplication_id = std::move(message.deduplication_id);
  stored->sent = now;
  SendOutcome outcome{stored->message_id, {}};

  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard lock(state_->mu);
    State& s = *state_;
    s.advance(now);
    if (s.fifo) {
      const bool per_group = s.attributes.deduplication_scope == "messageGroup";
      const bool deduplicated = !stored->deduplication_id.empty();
      if (deduplicated) {
        if (auto original = s.dedup.find(stored->group_id, stored->deduplication_id, per_group, now)) {
          return SendOutcome{std::move(original->message_id), std::move(original->sequence_number)};
        }
      }
      s.last_sequence = next_sequence_value(s.last_sequence, now);
      stored->sequence_number = format_sequence_number(s.last_sequence);
      outcome.sequence_number = stored->sequence_number;
      if (deduplicated) {
        s.dedup.remember(stored->group_id, stored->deduplication_id, per_group,
                         {stored->message_id, stored->sequence_number}, now);
      }
    }
    const auto delay = std::max(message.delay.value_or(s.attributes.delay), std::chrono::seconds(0));
    const std::uint64_t seq = s.next_seq;
    const bool per_group = s.fifo && s.attributes.deduplication_scope == "messageGroup";
    s.note(MessageSent{0, 0, seq, stored, now + delay, per_group});
    s.insert(seq, std::move(stored), now, now + delay);
    if (delay.count() <= 0 && !s.waiters.empty()) wakes = s.collect_waiters();
  }
  call_all(wakes);
  return outcome;
}

std::vector<ReceivedMessage> Queue::receive(int max_messages,
                                            std::optional<std::chrono::seconds> visibility_timeout,
                                            std::string_view attempt_id) {
  const TimePoint now = clock_.now();
  std::lock_guard lock(state_->mu);
  state_->advance(now);
  auto out = state_->take(max_messages, visibility_timeout, now, attempt_id);
  state_->note_take(now, visibility_timeout);
  return out;
}

RedriveReceive Queue::receive_redriving(int max_messages,
                                        std::optional<std::chrono::seconds> visibility_timeout,
                                        int max_receive_count, std::string_view attempt_id) {
  const TimePoint now = clock_.now();
  RedriveReceive out;
  std::lock_guard lock(state_->mu);
  state_->advance(now);
  out.messages = state_->take(max_messages, visibility_timeout, now, attempt_id, max_receive_count,
                              max_receive_count > 0 ? &out.dead_letters : nullptr);
  return out;
}

namespace {

// Copies made outside the queue's lock; the queue fills in what needs it.
std::vector<std::shared_ptr<StoredMessage>> copy_moved(const std::vector<MovedMessage>& messages,
                                                       const std::optional<QueueKey>& source) {
  std::vector<std::shared_ptr<StoredMessage>> copies;
  copies.reserve(messages.size());
  for (const auto& m : messages) {
    auto copy = std::make_shared<StoredMessage>(*m.message);
    copy->dead_letter_source = source;
    copy->sequence_number.clear();
    copies.push_back(std::move(copy));
  }
  return copies;
}

}  // namespace

void Queue::add_dead_letters(std::vector<MovedMessage> messages, const QueueKey& source) {
  auto copies = copy_moved(messages, source);
  const TimePoint now = clock_.now();
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard lock(state_->mu);
    state_->advance(now);
    wakes = state_->insert_moved(std::move(copies), messages, true, now);
  }
  call_all(wakes);
}

void Queue::add_redriven(std::vector<MovedMessage> messages) {
  auto copies = copy_moved(messages, std::nullopt);
  const TimePoint now = clock_.now();
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard lock(state_->mu);
    state_->advance(now);
    wakes = state_->insert_moved(std::move(copies), messages, false, now);
  }
  call_all(wakes);
}

std::vector<MovedMessage> Queue::take_for_move(std::size_t max_messages) {
  const TimePoint now = clock_.now();
  std::vector<MovedMessage> out;
  std::lock_guard lock(state_->mu);
  State& s = *state_;
  s.advance(now);
  if (s.fifo) {
    for (std::uint64_t seq : s.groups.next(max_messages)) {
      auto it = s.messages.find(seq);
      if (it != s.messages.end()) out.push_back(s.extract(it));
    }
  } else {
    while (out.size() < max_messages && !s.ready.empty()) {
      const Ref r = s.ready.pop();
      auto it = s.messages.find(r.seq);
      if (it == s.messages.end() || it->second.epoch != r.epoch) continue;
      out.push_back(s.extract(it));
    }
  }
  s.compact();
  return out;
}

ReceiveOrWait Queue::receive_or_wait(int max_messages,
                                     std::optional<std::chrono::seconds> visibility_timeout,
                                     std::function<void()> wake, std::string_view attempt_id) {
  const TimePoint now = clock_.now();
  std::lock_guard lock(state_->mu);
  State& s = *state_;
  s.advance(now);
  ReceiveOrWait out;
  out.messages = s.take(max_messages, visibility_timeout, now, attempt_id);
  s.note_take(now, visibility_timeout);
  if (!out.messages.empty() || s.closed) return out;
  out.waiter_id = s.next_waiter++;
  s.waiters.emplace(out.waiter_id, std::move(wake));
  out.next_change = s.earliest();
  return out;
}

Status Queue::delete_message(std::string_view receipt_handle) {
  std::vector<std::function<void()>> wakes;
  State& s = *state_;
  // instance_id and secret are const: decoding needs no lock.
  const DecodedReceiptHandle h = decode_receipt_handle(receipt_handle, s.instance_id, s.secret);
  if (!h.status.is_ok()) return h.status;
  const TimePoint now = clock_.now();
  {
    std::lock_guard lock(s.mu);
    if (h.seq >= s.next_seq || h.nonce == 0 || h.nonce > s.receives) {
      return Status::invalid_handle("receipt handle was not issued by this queue");
    }
    if (s.fifo) s.advance(now);  // a visibility that ran out expires the handle
    auto it = s.messages.find(h.seq);
    if (it == s.messages.end()) return Status::ok();  // already deleted, purged or expired
    if (s.fifo && (it->second.nonce != h.nonce || !it->second.handle_live)) {
      return Status::handle_expired("the message's visibility ended or it was received again");
    }
    // Deleted even when h.nonce is older than the latest receive (see queue.h).
    s.note(MessageDeleted{0, 0, now, h.seq});
    s.erase(it);
    s.compact();
    // FIFO: deleting a group's head may release the messages behind it.
    if (s.fifo && !s.waiters.empty() && s.groups.any_ready()) wakes = s.collect_waiters();
  }
  call_all(wakes);
  return Status::ok();
}

Status Queue::change_visibility(std::string_view receipt_handle, std::chrono::seconds timeout) {
  const TimePoint now = clock_.now();
  std::vector<std::function<void()>> wakes;
  State& s = *state_;
  const DecodedReceiptHandle h = decode_receipt_handle(receipt_handle, s.instance_id, s.secret);
  if (!h.status.is_ok()) return h.status;
  {
    std::lock_guard lock(s.mu);
    if (h.seq >= s.next_seq || h.nonce == 0 || h.nonce > s.receives) {
      return Status::invalid_handle("receipt handle was not issued by this queue");
    }
    s.advance(now);
    auto it = s.messages.find(h.seq);
    if (it == s.messages.end()) return Status::not_found("message does not exist");
    Entry& e = it->second;
    if (e.nonce != h.nonce) {
      return Status::not_inflight("receipt handle is not the message's latest");
    }
    // With its latest handle, a message whose visibility ran out (and that no
    // one received since) can still be hidden again, as on AWS.
    if (timeout.count() <= 0) {
      if (e.where == Where::kVisible) return Status::ok();
      s.note(VisibilityChanged{0, 0, now, h.seq, now});
      s.make_visible(h.seq, e, now);
      if (!s.waiters.empty()) wakes = s.collect_waiters();
    } else {
      s.note(VisibilityChanged{0, 0, now, h.seq, now + timeout});
      s.schedule(h.seq, e, now + timeout, Where::kInFlight);
    }
    s.compact();
  }
  call_all(wakes);
  return Status::ok();
}

Status Queue::purge() {
  const TimePoint now = clock_.now();
  std::lock_guard lock(state_->mu);
  State& s = *state_;
  if (s.last_purge && now < *s.last_purge + kPurgeCooldown) {
    return Status::purge_in_progress("a purge ran within the last 60 seconds");
  }
  s.note(QueuePurged{0, 0, now});
  s.last_purge = now;
  s.messages.clear();
  s.ready.clear();
  s.timed.clear();
  s.groups.clear();
  s.born.clear();
  s.born_moved.clear();
  s.counts = {};
  return Status::ok();
}

bool Queue::has_receivable() const {
  const TimePoint now = clock_.now();
  std::lock_guard lock(state_->mu);
  state_->advance(now);
  return state_->receivable();
}

QueueCounts Queue::counts() const {
  const TimePoint now = clock_.now();
  std::lock_guard lock(state_->mu);
  state_->advance(now);
  return state_->counts;
}

std::uint64_t Queue::add_waiter(std::function<void()> wake) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(state_->mu);
    id = state_->next_waiter++;
    if (!state_->closed) {
      state_->waiters.emplace(id, std::move(wake));
      return id;
    }
  }
  if (wake) wake();
  return id;
}

void Queue::remove_waiter(std::uint64_t id) {
  std::lock_guard lock(state_->mu);
  state_->waiters.erase(id);
}

std::optional<TimePoint> Queue::next_change() const {
  const TimePoint now = clock_.now();
  std::lock_guard lock(state_->mu);
  state_->advance(now);
  return state_->earliest();
}

void Queue::close() {
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard lock(state_->mu);
    state_->closed = true;
    wakes = state_->collect_waiters();
  }
  call_all(wakes);
}

bool Queue::closed() const {
  std::lock_guard lock(state_->mu);
  return state_->closed;
}

// ---- durability -----------------------------------------------------------------

namespace {

std::uint64_t parse_sequence_value(const std::string& sequence_number) {
  std::uint64_t value = 0;
  for (std::size_t i = 1; i < sequence_number.size(); ++i) value = value * 10 + (sequence_number[i] - '0');
  return value;
}

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

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
            const TimePoint now = c.message->sent;
            s.advance(now);
            if (s.fifo && !c.message->sequence_number.empty()) {
              s.last_sequence = std::max(s.last_sequence, parse_sequence_value(c.message->sequence_number));
              if (!c.message->deduplication_id.empty()) {
                s.dedup.remember(c.message->group_id, c.message->deduplication_id, c.dedup_per_group,
                                 {c.message->message_id, c.message->sequence_number}, now);
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
            s.counts = {};
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
            Entry& e = s.messages.at(c.seq);
            e.first_receive = c.first_receive;
            e.nonce = c.nonce;
            e.receive_count = c.receive_count;
            e.handle_live = c.handle_live;
            if (c.where == 1) s.schedule(c.seq, e, c.visible_at, Where::kDelayed);
            if (c.where == 2) s.schedule(c.seq, e, c.visible_at, Where::kInFlight);
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
  // In send order, so retention's deque is rebuilt in order.
  for (const Born& b : s.born) {
    auto it = s.messages.find(b.seq);
    if (it == s.messages.end() || it->second.message == nullptr) continue;
    const Entry& e = it->second;
    MessageImage m;
    m.queue = durable_id_;
    m.seq = b.seq;
    m.message = e.message;
    m.born = b.sent;
    m.first_receive = e.first_receive;
    m.visible_at = e.visible_at;
    m.nonce = e.nonce;
    m.receive_count = e.receive_count;
    m.where = static_cast<std::uint8_t>(e.where);
    m.handle_live = e.handle_live;
    emit(m);
  }
  s.dedup.for_each([&](const std::string& key, const DedupWindow::Original& original, TimePoint expires) {
    emit(DedupImage{durable_id_, key, original.message_id, original.sequence_number, expires});
  });
}

std::vector<PeekedMessage> Queue::peek() const {
  const TimePoint now = clock_.now();
  std::lock_guard lock(state_->mu);
  state_->advance(now);
  std::vector<std::pair<std::uint64_t, PeekedMessage>> by_seq;
  by_seq.reserve(state_->messages.size());
  for (const auto& [seq, e] : state_->messages) {
    PeekedMessage p;
    p.message = e.message;
    p.receive_count = e.receive_count;
    if (e.receive_count > 0) p.first_receive = e.first_receive;
    switch (e.where) {
      case Where::kVisible: p.state = PeekedMessage::State::kVisible; break;
      case Where::kDelayed: p.state = PeekedMessage::State::kDelayed; break;
      case Where::kInFlight: p.state = PeekedMessage::State::kInFlight; break;
    }
    if (e.where != Where::kVisible) p.visible_at = e.visible_at;
    by_seq.emplace_back(seq, std::move(p));
  }
  std::sort(by_seq.begin(), by_seq.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<PeekedMessage> out;
  out.reserve(by_seq.size());
  for (auto& [seq, p] : by_seq) out.push_back(std::move(p));
  return out;
}

}  // namespace shoal::storage
