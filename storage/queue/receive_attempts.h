// ReceiveAttempts: what each FIFO ReceiveRequestAttemptId received in the last
// kInterval, so a retried receive can answer the same messages. Each record
// lists the messages with the receive nonce and the entry epoch they had right
// after that receive; the queue compares them with the messages' current state
// to tell whether anything touched them since. Expired records are dropped
// lazily, oldest first (amortised O(1)). Not thread-safe: a Queue owns it and
// uses it under its mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/clock.h"

namespace shoal::storage {

class ReceiveAttempts {
 public:
  static constexpr std::chrono::minutes kInterval{5};

  struct Taken {
    std::uint64_t seq = 0;
    std::uint64_t nonce = 0;
    std::uint32_t epoch = 0;
  };

  // The record of attempt_id made within kInterval before now; null when none.
  // The pointer is valid until the next non-const call.
  std::vector<Taken>* find(std::string_view attempt_id, TimePoint now);
  // Starts (or restarts) the record of attempt_id at now.
  void remember(std::string_view attempt_id, std::vector<Taken> taken, TimePoint now);
  void clear();

 private:
  struct Record {
    std::vector<Taken> taken;
    TimePoint expires;
  };
  void expire(TimePoint now);

  std::unordered_map<std::string, Record> records_;
  std::deque<std::pair<TimePoint, std::string>> by_expiry_;  // never decreasing times
  TimePoint last_expiry_{};
};

}  // namespace shoal::storage
