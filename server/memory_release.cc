#include "server/memory_release.h"

#include <malloc.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

namespace shoal::server {
namespace {

// A burst of large requests gets one trim, this long after it began.
constexpr auto kTrimDelay = std::chrono::seconds(1);

class Trimmer {
 public:
  Trimmer() {
    // Fixed, not glibc's sliding threshold, which climbs to 32 MiB after the
    // first large free and then keeps big blocks in the heap.
    mallopt(M_MMAP_THRESHOLD, static_cast<int>(kLargeRequestBytes));
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
  }

  void request() {
    {
      std::lock_guard lock(mutex_);
      pending_ = true;
    }
    wake_.notify_one();
  }

 private:
  void run(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    while (wake_.wait(lock, stop, [this] { return pending_; })) {
      if (wake_.wait_for(lock, stop, kTrimDelay, [] { return false; }) || stop.stop_requested()) return;
      pending_ = false;
      lock.unlock();
      malloc_trim(0);
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable_any wake_;
  bool pending_ = false;
  std::jthread thread_;  // last: stopped and joined before the rest goes
};

Trimmer& trimmer() {
  static Trimmer instance;
  return instance;
}

}  // namespace

void release_after_request(std::size_t body_bytes) {
  // Made at the first request, so the mmap threshold holds from then on.
  Trimmer& t = trimmer();
  if (body_bytes >= kLargeRequestBytes) t.request();
}

void shrink_read_buffer(boost::beast::flat_buffer& buffer) {
  // Smaller buffers are kept: reusing them saves an allocation per request.
  if (buffer.capacity() > kLargeRequestBytes) buffer.shrink_to_fit();
}

}  // namespace shoal::server
