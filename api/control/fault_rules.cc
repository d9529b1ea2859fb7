#include "api/control/fault_rules.h"

#include <algorithm>

#include "storage/random.h"

namespace shoal::api {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A uniform draw in [0, 1).
double draw(std::uint64_t& state) { return static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53; }

bool matches(const std::string& want, std::string_view have) { return want.empty() || want == have; }

}  // namespace

std::uint64_t FaultRules::add(FaultRule rule) {
  std::lock_guard lock(mutex_);
  rule.id = next_id_++;
  if (rule.seed == 0) rule.seed = storage::random_u64() | 1;
  rule.matched = 0;
  rule.fired = 0;
  const std::uint64_t id = rule.id;
  const std::uint64_t seed = rule.seed;
  rules_.push_back({std::move(rule), seed});
  any_.store(true, std::memory_order_release);
  return id;
}

bool FaultRules::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const auto before = rules_.size();
  std::erase_if(rules_, [&](const Entry& e) { return e.rule.id == id; });
  any_.store(!rules_.empty(), std::memory_order_release);
  return rules_.size() != before;
}

std::size_t FaultRules::clear() {
  std::lock_guard lock(mutex_);
  const auto n = rules_.size();
  rules_.clear();
  any_.store(false, std::memory_order_release);
  return n;
}

std::vector<FaultRule> FaultRules::list() const {
  std::lock_guard lock(mutex_);
  std::vector<FaultRule> out;
  out.reserve(rules_.size());
  for (const auto& e : rules_) out.push_back(e.rule);
  return out;
}

FaultDecision FaultRules::check(std::string_view service, std::string_view action, std::string_view resource) {
  FaultDecision decision;
  if (!any_.load(std::memory_order_acquire)) return decision;
  std::lock_guard lock(mutex_);
  for (auto& e : rules_) {
    FaultRule& r = e.rule;
    if (!matches(r.service, service) || !matches(r.action, action) || !matches(r.resource, resource)) continue;
    // One error per call: later error rules neither see nor spend it.
    if (decision.error_rule && !r.error.empty()) continue;
    ++r.matched;
    // Draw even at probability 1 so a rule's choices depend only on its seed
    // and the calls it matched.
    const bool fire = draw(e.state) < r.probability;
    if (!fire) continue;
    ++r.fired;
    if (r.remaining) --*r.remaining;
    if (!r.error.empty() && !decision.error_rule) decision.error_rule = r;
    decision.latency += r.latency;
    decision.drop_connection = decision.drop_connection || r.drop_connection;
  }
  std::erase_if(rules_, [](const Entry& e) { return e.rule.remaining && *e.rule.remaining == 0; });
  any_.store(!rules_.empty(), std::memory_order_release);
  return decision;
}

}  // namespace shoal::api
