#include "storage/queue/receive_attempts.h"

#include <algorithm>

namespace shoal::storage {

std::vector<ReceiveAttempts::Taken>* ReceiveAttempts::find(std::string_view attempt_id, TimePoint now) {
  expire(now);
  auto it = records_.find(std::string(attempt_id));
  return it == records_.end() ? nullptr : &it->second.taken;
}

void ReceiveAttempts::remember(std::string_view attempt_id, std::vector<Taken> taken, TimePoint now) {
  last_expiry_ = std::max(last_expiry_, now + kInterval);
  std::string key(attempt_id);
  records_.insert_or_assign(key, Record{std::move(taken), last_expiry_});
  by_expiry_.emplace_back(last_expiry_, std::move(key));
}

void ReceiveAttempts::clear() {
  records_.clear();
  by_expiry_.clear();
}

void ReceiveAttempts::expire(TimePoint now) {
  while (!by_expiry_.empty() && by_expiry_.front().first <= now) {
    auto it = records_.find(by_expiry_.front().second);
    // A restarted record carries a later expiry and stays.
    if (it != records_.end() && it->second.expires == by_expiry_.front().first) records_.erase(it);
    by_expiry_.pop_front();
  }
}

}  // namespace shoal::storage
