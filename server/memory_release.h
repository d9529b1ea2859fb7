// Hands the heap memory large requests freed back to the OS. glibc keeps
// freed blocks in its per-thread arenas, so the RSS a 16 MB body and its
// decoded value reached stayed long after they were gone (700 MB in issue
// 13). Two measures: allocations of 1 MiB or more (bodies, read buffers, big
// strings) are mmapped, so freeing them unmaps them at once; and after a
// request of that size a background thread calls malloc_trim(0) once the
// burst is over, for the small blocks left in between. The trim walks every
// arena's free lists (hundreds of ms on a heap of a million fragments), so it
// never runs on an I/O thread and at most about once a second. Thread-safe.
#pragma once

#include <cstddef>

#include <boost/beast/core/flat_buffer.hpp>

namespace shoal::server {

inline constexpr std::size_t kLargeRequestBytes = std::size_t{1} << 20;

// Call once a request of `body_bytes` has been handled (HTTP/1.1 or /2).
void release_after_request(std::size_t body_bytes);

// An HTTP/1.1 connection's read buffer, grown past kLargeRequestBytes to hold
// a body, is shrunk back to what it still holds (a pipelined next request),
// so an idle keep-alive connection does not pin megabytes.
void shrink_read_buffer(boost::beast::flat_buffer& buffer);

}  // namespace shoal::server
