// After a large request: hands the heap memory it freed back to the OS.
// glibc keeps freed blocks in its per-thread arenas, so the RSS a 16 MB body
// and its decoded value reached stays long after they are gone;
// malloc_trim(0) returns the free pages of every arena. It costs a walk of
// the free lists, so only requests at least kLargeRequestBytes big pay it,
// at most one thread at a time. Thread-safe.
#pragma once

#include <cstddef>

#include <boost/beast/core/flat_buffer.hpp>

namespace shoal::server {

inline constexpr std::size_t kLargeRequestBytes = std::size_t{1} << 20;

// Call once a request of `body_bytes` has been handled. `buffer` is the
// connection's read buffer: grown to hold that body, it is shrunk back to
// what it still holds (a pipelined next request), so an idle keep-alive
// connection does not pin megabytes.
void release_after_request(std::size_t body_bytes, boost::beast::flat_buffer& buffer);

}  // namespace shoal::server
