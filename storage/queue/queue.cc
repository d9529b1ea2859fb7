#include "storage/queue/queue.h"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <utility>

#include "storage/queue/queue_state.h"

namespace shoal::storage {
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
      fifo_(attributes.fifo),
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
  std::string message_id = random_uuid();
  MessageParts parts;
  parts.message_id = message_id;
  parts.body = message.body;
  parts.attributes = &message.attributes;
  parts.md5_of_body = message.md5_of_body;
  parts.md5_of_attributes = message.md5_of_attributes;
  parts.md5_of_system_attributes = message.md5_of_system_attributes;
  parts.trace_header = message.trace_header;
  parts.sender_id = message.sender_id;
  parts.group_id = message.group_id;
  parts.deduplication_id = message.deduplication_id;
  parts.sent = now;
  // Packed outside the lock, except on FIFO queues, whose sequence number is
  // only known under it.
  std::shared_ptr<const StoredMessage> stored;
  if (!fifo_) stored = StoredMessage::pack(parts);
  SendOutcome outcome;

  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard lock(state_->mu);
    State& s = *state_;
    s.advance(now);
    if (s.fifo) {
      const bool per_group = s.attributes.deduplication_scope == "messageGroup";
      const bool deduplicated = !message.deduplication_id.empty();
      if (deduplicated) {
        if (auto original = s.dedup.find(message.group_id, message.deduplication_id, per_group, now)) {
          return SendOutcome{std::move(original->message_id), std::move(original->sequence_number)};
        }
      }
      s.last_sequence = next_sequence_value(s.last_sequence, now);
      outcome.sequence_number = format_sequence_number(s.last_sequence);
      parts.sequence_number = outcome.sequence_number;
      stored = StoredMessage::pack(parts);
      if (deduplicated) {
        s.dedup.remember(message.group_id, message.deduplication_id, per_group,
                         {message_id, outcome.sequence_number}, now);
      }
    }
    const auto delay = std::max(message.delay.value_or(s.attributes.delay), std::chrono::seconds(0));
    const std::uint64_t seq = s.next_seq;
    const bool per_group = s.fifo && s.attributes.deduplication_scope == "messageGroup";
    s.note(MessageSent{0, 0, seq, stored, now + delay, per_group});
    s.insert(seq, std::move(stored), now, now + delay);
    ++s.totals.sent;
    if (delay.count() <= 0 && !s.waiters.empty()) wakes = s.collect_waiters();
  }
  call_all(wakes);
  outcome.message_id = std::move(message_id);
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
  state_->note_take(now, visibility_timeout);
  return out;
}

namespace {

// The messages as this queue stores them, made outside its lock: without a
// sequence number and with `source` as their dead-letter source. A message
// that already is so is shared, not copied. FIFO queues repack under the lock
// instead (insert_moved), as they number the messages.
std::vector<std::shared_ptr<const StoredMessage>> copy_moved(const std::vector<MovedMessage>& messages,
                                                             const std::shared_ptr<const QueueKey>& source,
                                                             bool fifo) {
  std::vector<std::shared_ptr<const StoredMessage>> copies;
  copies.reserve(messages.size());
  for (const auto& m : messages) {
    const QueueKey* had = m.message->dead_letter_source();
    const bool same_source = source ? had != nullptr && *had == *source : had == nullptr;
    if (fifo || (same_source && m.message->sequence_number().empty())) {
      copies.push_back(m.message);
    } else {
      copies.push_back(m.message->repack({}, source));
    }
  }
  return copies;
}

}  // namespace

void Queue::add_dead_letters(std::vector<MovedMessage> messages, const QueueKey& source) {
  const auto source_key = std::make_shared<const QueueKey>(source);
  auto copies = copy_moved(messages, source_key, fifo_);
  const TimePoint now = clock_.now();
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard lock(state_->mu);
    state_->advance(now);
    wakes = state_->insert_moved(std::move(copies), messages, source_key, true, now, nullptr);
  }
  call_all(wakes);
}

void Queue::add_redriven(std::vector<MovedMessage> messages, const MoveTaskStep* step) {
  auto copies = copy_moved(messages, nullptr, fifo_);
  const TimePoint now = clock_.now();
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard lock(state_->mu);
    state_->advance(now);
    wakes = state_->insert_moved(std::move(copies), messages, nullptr, false, now, step);
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
    ++s.totals.deleted;
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
    // An earlier handle of a standard-queue message that is in flight again
    // still changes its visibility, as AWS accepts (as for delete_message).
    if (e.nonce != h.nonce && (s.fifo || e.where != Where::kInFlight)) {
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

QueueTotals Queue::totals() const {
  std::lock_guard lock(state_->mu);
  return state_->totals;
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

std::vector<PeekedMessage> Queue::peek(std::size_t max) const {
  const TimePoint now = clock_.now();
  std::lock_guard lock(state_->mu);
  state_->advance(now);
  // Order pointers, not copies: a console peeking at the first few messages
  // of a large queue holds the lock for O(messages) cheap steps.
  std::vector<std::pair<std::uint64_t, const Entry*>> by_seq;
  by_seq.reserve(state_->messages.size());
  for (const auto& [seq, e] : state_->messages) by_seq.emplace_back(seq, &e);
  const auto first = [](const auto& a, const auto& b) { return a.first < b.first; };
  const std::size_t n = std::min(max, by_seq.size());
  std::partial_sort(by_seq.begin(), by_seq.begin() + static_cast<std::ptrdiff_t>(n), by_seq.end(), first);
  std::vector<PeekedMessage> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Entry& e = *by_seq[i].second;
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
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace shoal::storage
