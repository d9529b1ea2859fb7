// FaultRules: the fault-injection rules the dispatcher consults before an AWS
// action runs. A rule matches by service, action and queue/stream name (empty:
// any) and, when it fires, makes the call fail with an AWS error, wait, or
// lose its connection. Whether a matching call fires is drawn from the rule's
// own generator (splitmix64 from its seed), so a seeded rule makes the same
// choices for the same sequence of calls. Thread-safe: check() costs one
// atomic load while no rule exists, else it takes a mutex.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shoal::api {

struct FaultRule {
  std::uint64_t id = 0;                    // set by add()
  std::string service;                     // "sqs", "kinesis"; empty: any
  std::string action;                      // e.g. "SendMessage"; empty: any
  std::string resource;                    // queue or stream name; empty: any
  std::string error;                       // AWS error code to answer; empty: none
  std::optional<int> status;               // HTTP status for `error`; nullopt: AWS's for that code
  std::string message;                     // error message; empty: a default for the code
  double probability = 1.0;                // chance that a matching call fires, 0..1
  std::optional<std::uint64_t> remaining;  // fire for the next N matching calls only
  std::chrono::milliseconds latency{0};    // added before answering
  bool drop_connection = false;            // close the connection instead of answering
  std::uint64_t seed = 0;                  // generator seed (add() picks one when 0)

  std::uint64_t matched = 0;  // calls that matched
  std::uint64_t fired = 0;    // calls it changed
};

// What the rules that fired ask of one call. Rules are tried in the order
// they were added; once one answers with an error, later error rules skip the
// call (it does not count against them), while latencies still add up.
struct FaultDecision {
  std::optional<FaultRule> error_rule;   // the first fired rule with an error
  std::chrono::milliseconds latency{0};  // summed over fired rules
  bool drop_connection = false;
  bool any() const { return error_rule || latency.count() > 0 || drop_connection; }
};

class FaultRules {
 public:
  // Returns the rule's id. A rule whose `remaining` reaches 0 is removed.
  std::uint64_t add(FaultRule rule);
  bool remove(std::uint64_t id);
  std::size_t clear();
  std::vector<FaultRule> list() const;

  // Whether any rule exists (one atomic load).
  bool active() const { return any_.load(std::memory_order_acquire); }
  // `resource` is the call's queue or stream name (may be empty).
  FaultDecision check(std::string_view service, std::string_view action, std::string_view resource);

 private:
  struct Entry {
    FaultRule rule;
    std::uint64_t state;  // splitmix64 state
  };
  std::atomic<bool> any_{false};
  mutable std::mutex mutex_;
  std::vector<Entry> rules_;
  std::uint64_t next_id_ = 1;
};

}  // namespace shoal::api
