// Healthcheck: the client half of the Docker HEALTHCHECK (`shoal
// --healthcheck`), so a distroless image needs no curl. It sends one cheap
// request to the server at the configured host and port (a wildcard listen
// address means loopback) and reports whether a 200 came back in time.
#pragma once

#include <chrono>
#include <string>

#include "server/options.h"

namespace shoal::server {

struct HealthResult {
  bool healthy = false;
  std::string detail;  // one line: what answered, or why nothing did
};

HealthResult check_health(const Options& options, std::chrono::milliseconds timeout = std::chrono::seconds(3));

}  // namespace shoal::server
