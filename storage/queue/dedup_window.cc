#include "storage/queue/dedup_window.h"

#include <algorithm>

namespace shoal::storage {
namespace {

// Group and deduplication ids are printable ASCII, so '\x01' cannot occur in
// either and the two key spaces cannot collide.
std::string queue_key(std::string_view dedup_id) {
  std::string key("q\x01");
  key.append(dedup_id);
  return key;
}

std::string group_key(std::string_view group, std::string_view dedup_id) {
  std::string key("g\x01");
  key.append(group);
  key.push_back('\x01');
  key.append(dedup_id);
  return key;
}

}  // namespace

std::optional<DedupWindow::Original> DedupWindow::find(std::string_view group, std::string_view dedup_id,
                                                       bool per_group, TimePoint now) {
  expire(now);
  if (per_group) {
    if (auto it = records_.find(group_key(group, dedup_id)); it != records_.end()) return it->second.original;
  }
  if (auto it = records_.find(queue_key(dedup_id)); it != records_.end()) return it->second.original;
  return std::nullopt;
}

void DedupWindow::remember(std::string_view group, std::string_view dedup_id, bool per_group, Original original,
                           TimePoint now) {
  std::string key = per_group ? group_key(group, dedup_id) : queue_key(dedup_id);
  // A clock stepping back must not break the deque's order; such a record is
  // then kept slightly longer than the interval.
  last_expiry_ = std::max(last_expiry_, now + kInterval);
  records_.insert_or_assign(key, Record{std::move(original), last_expiry_});
  by_expiry_.emplace_back(last_expiry_, std::move(key));
}

void DedupWindow::for_each(
    const std::function<void(const std::string& key, const Original&, TimePoint expires)>& fn) const {
  for (const auto& [key, record] : records_) fn(key, record.original, record.expires);
}

void DedupWindow::restore(std::string key, Original original, TimePoint expires) {
  records_.insert_or_assign(key, Record{std::move(original), expires});
  auto at = std::upper_bound(by_expiry_.begin(), by_expiry_.end(), expires,
                             [](TimePoint t, const auto& entry) { return t < entry.first; });
  by_expiry_.emplace(at, expires, std::move(key));
  last_expiry_ = std::max(last_expiry_, expires);
}

void DedupWindow::clear() {
  records_.clear();
  by_expiry_.clear();
}

void DedupWindow::expire(TimePoint now) {
  while (!by_expiry_.empty() && by_expiry_.front().first <= now) {
    auto it = records_.find(by_expiry_.front().second);
    // A later record under the same key (sent after this one expired) stays.
    if (it != records_.end() && it->second.expires == by_expiry_.front().first) records_.erase(it);
    by_expiry_.pop_front();
  }
}

}  // namespace shoal::storage
