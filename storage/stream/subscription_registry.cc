#include "storage/stream/subscription_registry.h"

namespace shoal::storage {

struct SubscriptionRegistry::Shared {
  explicit Shared(const ThroughputLimits& l) : limits(l) {}
  const ThroughputLimits limits;
  mutable std::mutex mutex;
  std::map<SubscriptionKey, Lease*> active;  // each lease removes itself
};

SubscriptionRegistry::SubscriptionRegistry(const ThroughputLimits& limits)
    : shared_(std::make_shared<Shared>(limits)) {}

SubscriptionRegistry::~SubscriptionRegistry() = default;

Result<std::shared_ptr<SubscriptionRegistry::Lease>> SubscriptionRegistry::acquire(const SubscriptionKey& key,
                                                                                   TimePoint now) {
  std::function<void()> wake_old;
  std::shared_ptr<Lease> lease;
  {
    std::lock_guard lock(shared_->mutex);
    auto& slot = shared_->active[key];
    if (slot != nullptr) {
      if (now < slot->started_ + kTakeoverAfter) {
        return Status::resource_in_use("subscription active since " + std::to_string(to_epoch_ms(slot->started_)));
      }
      slot->taken_over_ = true;
      wake_old = std::move(slot->wake_);
      slot->wake_ = nullptr;
    }
    std::optional<TokenBucket> budget;
    if (shared_->limits.enabled) budget.emplace(shared_->limits.read_bytes_per_second);
    lease.reset(new Lease(shared_, key, now, std::move(budget)));
    slot = lease.get();
  }
  if (wake_old) wake_old();
  return lease;
}

std::size_t SubscriptionRegistry::active() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->active.size();
}

std::vector<SubscriptionRegistry::Active> SubscriptionRegistry::list() const {
  std::lock_guard lock(shared_->mutex);
  std::vector<Active> out;
  out.reserve(shared_->active.size());
  for (const auto& [key, lease] : shared_->active) out.push_back({key, lease->started_});
  return out;
}

SubscriptionRegistry::Lease::Lease(std::shared_ptr<Shared> shared, SubscriptionKey key, TimePoint started,
                                   std::optional<TokenBucket> budget)
    : shared_(std::move(shared)), key_(std::move(key)), started_(started), budget_(std::move(budget)) {}

SubscriptionRegistry::Lease::~Lease() { release(); }

bool SubscriptionRegistry::Lease::taken_over() const {
  std::lock_guard lock(shared_->mutex);
  return taken_over_;
}

void SubscriptionRegistry::Lease::set_waker(std::function<void()> wake) {
  {
    std::lock_guard lock(shared_->mutex);
    if (!taken_over_) {
      wake_ = std::move(wake);
      return;
    }
  }
  wake();  // taken over already: the owner should look now
}

void SubscriptionRegistry::Lease::release() {
  if (released_) return;
  released_ = true;
  std::lock_guard lock(shared_->mutex);
  wake_ = nullptr;
  const auto it = shared_->active.find(key_);
  if (it != shared_->active.end() && it->second == this) shared_->active.erase(it);
}

}  // namespace shoal::storage
