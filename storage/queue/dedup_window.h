// DedupWindow: the FIFO deduplication ids a queue accepted in the last
// kInterval, each with the MessageId and sequence number of its first send.
// The window counts from that first send; duplicates and deletes do not move
// it. An id remembered with queue scope blocks it in every group; one
// remembered with message-group scope blocks it in its own group only, so a
// queue whose DeduplicationScope changes keeps the records made before.
// Expired records are dropped lazily, oldest first: amortised O(1) per call.
// Not thread-safe: a Queue owns it and uses it under its mutex.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "storage/clock.h"

namespace shoal::storage {

class DedupWindow {
 public:
  static constexpr std::chrono::minutes kInterval{5};

  struct Original {
    std::string message_id;
    std::string sequence_number;
  };

  // The first send of dedup_id still inside the window: under queue scope
  // (per_group false) the queue-wide record; under message-group scope the
  // record of `group`, else a queue-wide one.
  std::optional<Original> find(std::string_view group, std::string_view dedup_id, bool per_group,
                               TimePoint now);
  // Records a first send at `now`; call after find() returned nullopt.
  void remember(std::string_view group, std::string_view dedup_id, bool per_group, Original original,
                TimePoint now);
  void clear();
  std::size_t size() const { return records_.size(); }

  // Snapshot and restore (durability): every live record by its internal key.
  // restore() takes records in any order and keeps the expiry order intact.
  void for_each(const std::function<void(const std::string& key, const Original&, TimePoint expires)>& fn) const;
  void restore(std::string key, Original original, TimePoint expires);

 private:
  struct Record {
    Original original;
    TimePoint expires;
  };
  void expire(TimePoint now);

  std::unordered_map<std::string, Record> records_;
  std::deque<std::pair<TimePoint, std::string>> by_expiry_;  // never decreasing times
  TimePoint last_expiry_{};
};

}  // namespace shoal::storage
