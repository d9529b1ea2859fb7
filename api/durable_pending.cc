#include "api/durable_pending.h"

#include <mutex>

namespace shoal::api {

AwsError log_unavailable_error() {
  // AWS's common error for a temporary failure of the server; the SDKs retry it.
  return AwsError{"ServiceUnavailable", "ServiceUnavailable", 503, false,
                  "The request has failed due to a temporary failure of the server."};
}

struct DurablePending::Gate {
  std::mutex mutex;
  bool open = false;
  bool durable = false;
  std::function<void()> wake;

  void opened(bool is_durable) {
    std::function<void()> w;
    {
      std::lock_guard lock(mutex);
      open = true;
      durable = is_durable;
      w = std::move(wake);
    }
    if (w) w();
  }
  bool is_open() {
    std::lock_guard lock(mutex);
    return open;
  }
  bool is_durable() {
    std::lock_guard lock(mutex);
    return durable;
  }
};

DurablePending::DurablePending(ApiResponse response, storage::journal::Lsn lsn,
                               storage::durability::DurableStore& store, Unavailable unavailable)
    : store_(store), unavailable_(std::move(unavailable)) {
  hold(std::move(response), lsn);
}

DurablePending::DurablePending(std::unique_ptr<PendingResponse> poll, storage::durability::DurableStore& store,
                               Unavailable unavailable)
    : store_(store), unavailable_(std::move(unavailable)), poll_(std::move(poll)) {}

DurablePending::~DurablePending() = default;

void DurablePending::hold(ApiResponse response, storage::journal::Lsn lsn) {
  held_ = std::move(response);
  held_lsn_ = lsn;
  gate_ = std::make_shared<Gate>();
  store_.on_durable(lsn, [gate = gate_](bool durable) { gate->opened(durable); });
}

bool DurablePending::ready() const { return held_ && gate_->is_open(); }

ApiResponse DurablePending::give(bool durable) {
  ApiResponse out = durable || !unavailable_ ? std::move(*held_) : unavailable_();
  held_.reset();
  return out;
}

std::optional<ApiResponse> DurablePending::poll(bool final) {
  if (!held_) {
    storage::durability::DurableStore::take_thread_lsn();
    auto answer = poll_->poll(final);
    const auto lsn = storage::durability::DurableStore::take_thread_lsn();
    if (!answer) return std::nullopt;
    if (lsn == 0) return answer;
    poll_->cancel();
    hold(std::move(*answer), lsn);
  }
  if (!gate_->is_open()) {
    if (!final) return std::nullopt;
    return give(store_.wait_durable(held_lsn_));  // shutting down: answer now, after the log
  }
  return give(gate_->is_durable());
}

std::chrono::milliseconds DurablePending::time_to_next_check() const {
  if (!held_) return poll_->time_to_next_check();
  // The gate's waker comes; the timer is only a backstop.
  return gate_->is_open() ? std::chrono::milliseconds(0) : std::chrono::milliseconds(60'000);
}

void DurablePending::set_waker(std::function<void()> wake) {
  if (!held_) return poll_->set_waker(std::move(wake));
  {
    std::lock_guard lock(gate_->mutex);
    if (!gate_->open) {
      gate_->wake = std::move(wake);
      return;
    }
  }
  wake();
}

void DurablePending::cancel() {
  if (poll_) poll_->cancel();
  if (gate_) {
    std::lock_guard lock(gate_->mutex);
    gate_->wake = nullptr;
  }
}

}  // namespace shoal::api
