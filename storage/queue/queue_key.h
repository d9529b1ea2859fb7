// QueueKey: what names a queue in the engine (account, region, name), and
// DeadLetterTarget: the typed view of a RedrivePolicy that the engine acts on.
// Plain values, ordered so they can key maps. Thread-compatible.
#pragma once

#include <compare>
#include <string>

namespace shoal::storage {

struct QueueKey {
  std::string account;
  std::string region;
  std::string name;
  auto operator<=>(const QueueKey&) const = default;
};

// Where a queue's messages go once received max_receive_count times. The api
// layer parses and validates the RedrivePolicy JSON and fills this in.
struct DeadLetterTarget {
  QueueKey queue;
  int max_receive_count = 0;
  bool operator==(const DeadLetterTarget&) const = default;
};

}  // namespace shoal::storage
