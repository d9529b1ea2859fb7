#include "server/memory_release.h"

#include <malloc.h>

#include <atomic>

namespace shoal::server {
namespace {

std::atomic<bool> trimming{false};

}  // namespace

void release_after_request(std::size_t body_bytes, boost::beast::flat_buffer& buffer) {
  // Smaller buffers are kept: reusing them saves an allocation per request.
  if (buffer.capacity() > kLargeRequestBytes) buffer.shrink_to_fit();
  if (body_bytes < kLargeRequestBytes) return;
  // One trim at a time: a second would wait on the arena locks the first
  // holds, and the next large request trims again anyway.
  if (trimming.exchange(true, std::memory_order_acquire)) return;
  malloc_trim(0);
  trimming.store(false, std::memory_order_release);
}

}  // namespace shoal::server
