// The start-up line a person can paste into a shell so that AWS SDKs and the
// CLI reach this server: the endpoint plus dummy credentials and a region.
// Pure function; thread-safe.
#pragma once

#include <string>

namespace shoal::server {

// `host` as bound (0.0.0.0 and :: become a loopback address a client can
// use); `advertised` (host[:port]) wins when set.
std::string client_hint(const std::string& host, unsigned port, const std::string& advertised);

}  // namespace shoal::server
