// MoveBarrier: lets a log snapshot wait for the cross-queue moves that were
// under way while it read the queues. A move takes messages out of one queue
// and is logged only once the other queue holds them (MessagesMoved), so for
// a moment the log knows neither side; a snapshot that ends inside that
// moment could drop the messages. Moves hold a Guard from before the take
// until after the add; wait_for_earlier() returns once every move that began
// before the call has ended (later moves do not hold it up).
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace shoal::storage {

class MoveBarrier {
 public:
  class Guard {
   public:
    explicit Guard(MoveBarrier& barrier) : barrier_(barrier), epoch_(barrier.enter()) {}
    ~Guard() { barrier_.leave(epoch_); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    MoveBarrier& barrier_;
    std::uint64_t epoch_;
  };

  void wait_for_earlier() {
    std::lock_guard one_at_a_time(waiting_);
    std::unique_lock lock(mu_);
    const std::uint64_t earlier = epoch_++;
    done_.wait(lock, [&] { return count_[earlier & 1] == 0; });
  }

 private:
  std::uint64_t enter() {
    std::lock_guard lock(mu_);
    ++count_[epoch_ & 1];
    return epoch_;
  }
  void leave(std::uint64_t epoch) {
    std::lock_guard lock(mu_);
    if (--count_[epoch & 1] == 0) done_.notify_all();
  }

  std::mutex waiting_;  // one wait at a time, so two epochs never share a count
  std::mutex mu_;
  std::condition_variable done_;
  std::uint64_t epoch_ = 0;
  std::uint64_t count_[2] = {0, 0};
};

}  // namespace shoal::storage
