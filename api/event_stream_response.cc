#include "api/event_stream_response.h"

#include <mutex>

#include "api/protocol/event_stream.h"

namespace shoal::api {
namespace {

using event_stream::Header;

const model::Shape* member_shape(const model::Shape* stream_shape, std::string_view name) {
  if (stream_shape == nullptr) return nullptr;
  const auto* member = stream_shape->find_member(name);
  return member != nullptr ? member->shape : nullptr;
}

}  // namespace

// Whether the log said the held events' records are durable: open, or
// stalled (a full disk; those records become durable later, without a second
// word, so the gate is asked again once the log is writable).
struct EventStreamResponse::Gate {
  enum class State { kWaiting, kOpen, kStalled };
  std::mutex mutex;
  State state = State::kWaiting;
  std::function<void()> wake;

  void opened(bool durable) {
    std::function<void()> w;
    {
      std::lock_guard lock(mutex);
      state = durable ? State::kOpen : State::kStalled;
      w = std::move(wake);
    }
    if (w) w();
  }
  State current() {
    std::lock_guard lock(mutex);
    return state;
  }
  bool is_open() { return current() == State::kOpen; }
};

namespace {
// How often a subscription holding events re-checks a stalled log.
constexpr std::chrono::milliseconds kStalledLogRecheck{500};
}  // namespace

EventStreamResponse::EventStreamResponse(std::unique_ptr<StreamingAction> action, const Codec& codec,
                                         const model::Shape* stream_shape, std::string request_id, ParkedPolls& parked,
                                         storage::durability::DurableStore* store)
    : action_(std::move(action)),
      codec_(codec),
      stream_shape_(stream_shape),
      request_id_(std::move(request_id)),
      parked_(parked),
      store_(store) {}

EventStreamResponse::~EventStreamResponse() { stop(); }

ApiResponse EventStreamResponse::head() {
  ApiResponse r;
  r.status = 200;
  r.content_type = std::string(kEventStreamContentType);
  r.headers.emplace_back("x-amzn-RequestId", request_id_);
  return r;
}

void EventStreamResponse::append_initial_response(const Codec& codec, std::string& out) {
  // The output's members other than the event stream: none for Kinesis.
  auto rendered = codec.result(nlohmann::json::object(), nullptr, "");
  event_stream::Message m;
  m.headers = {Header{":event-type", std::string("initial-response")},
               Header{":content-type", std::move(rendered.content_type)},
               Header{":message-type", std::string("event")}};
  m.payload = std::move(rendered.body);
  event_stream::encode(m, out);
}

void EventStreamResponse::append_event(const StreamEvent& event, const Codec& codec, const model::Shape* stream_shape,
                                       std::string& out) {
  auto rendered = codec.result(event.payload, member_shape(stream_shape, event.type), "");
  event_stream::Message m;
  m.headers = {Header{event.exception ? ":exception-type" : ":event-type", event.type},
               Header{":content-type", std::move(rendered.content_type)},
               Header{":message-type", std::string(event.exception ? "exception" : "event")}};
  m.payload = std::move(rendered.body);
  event_stream::encode(m, out);
}

bool EventStreamResponse::poll(bool final, std::string& out, std::size_t max_bytes) {
  if (ended_) return true;
  if (!started_) {
    started_ = true;
    append_initial_response(codec_, out);
  }
  if (!held_.empty()) {
    if (!release_held(final, out)) return false;
    if (action_ended_) {
      ended_ = true;
      stop();
      return true;
    }
  }
  events_.clear();
  const bool ended = action_->poll(final, events_, max_bytes);
  std::string& target = store_ != nullptr ? held_ : out;
  for (const auto& event : events_) append_event(event, codec_, stream_shape_, target);
  events_.clear();
  action_ended_ = ended || final;
  if (!held_.empty()) {
    // Everything the action read was logged before it read it.
    gate_ = std::make_shared<Gate>();
    store_->on_durable(store_->last_lsn(), [gate = gate_](bool durable) { gate->opened(durable); });
    if (!release_held(final, out)) return false;
  }
  if (action_ended_) {
    ended_ = true;
    stop();
  }
  return ended_;
}

bool EventStreamResponse::release_held(bool final, std::string& out) {
  if (!gate_->is_open()) {
    if (final) {
      // Shutting down: deliver after the log, or not at all if it is stalled.
      if (!store_->wait_durable(store_->last_lsn())) return true;
    } else {
      if (gate_->current() == Gate::State::kStalled && store_->writable()) {
        gate_ = std::make_shared<Gate>();  // the log is back: ask again
        store_->on_durable(store_->last_lsn(), [gate = gate_](bool durable) { gate->opened(durable); });
        if (gate_->is_open()) return release_held(final, out);
      }
      return false;
    }
  }
  out += held_;
  held_.clear();
  gate_.reset();
  return true;
}

std::chrono::milliseconds EventStreamResponse::time_to_next_check() const {
  if (!started_) return std::chrono::milliseconds(0);  // the initial response is ready
  // The gate's waker comes; the timer is only a backstop.
  if (gate_) {
    switch (gate_->current()) {
      case Gate::State::kOpen: return std::chrono::milliseconds(0);
      case Gate::State::kStalled: return kStalledLogRecheck;
      case Gate::State::kWaiting: return std::chrono::milliseconds(60'000);
    }
  }
  return action_->time_to_next_check();
}

void EventStreamResponse::set_waker(std::function<void()> wake) {
  if (ended_) return;
  parked_id_ = parked_.set(parked_id_, wake, ParkedPolls::Kind::kStream);
  if (gate_) {
    {
      std::lock_guard lock(gate_->mutex);
      if (gate_->state == Gate::State::kWaiting) {
        gate_->wake = std::move(wake);
        return;
      }
      if (gate_->state == Gate::State::kStalled) return;  // the re-check timer comes
    }
    wake();
    return;
  }
  action_->set_waker(std::move(wake));
}

void EventStreamResponse::cancel() {
  ended_ = true;
  stop();
}

void EventStreamResponse::stop() {
  if (parked_id_ != 0) parked_.remove(parked_id_);
  parked_id_ = 0;
  if (gate_) {
    std::lock_guard lock(gate_->mutex);
    gate_->wake = nullptr;
  }
  if (action_) action_->cancel();
}

}  // namespace shoal::api
