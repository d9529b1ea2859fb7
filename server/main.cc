// Entry point: parse flags and SHOAL_* variables; either probe a running
// server (--healthcheck) or read the start-up config, build the server, apply
// the config through the api layer and serve.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>
#include <vector>

#include "server/config_apply.h"
#include "server/healthcheck.h"
#include "server/options.h"
#include "server/server.h"
#include "server/startup_config.h"

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  auto parsed = shoal::server::parse_options(args, [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  });
  if (!parsed.options) {
    std::fputs(parsed.output.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    return parsed.exit_code;
  }
  try {
    if (parsed.options->healthcheck) {
      auto health = shoal::server::check_health(*parsed.options);
      std::fprintf(health.healthy ? stdout : stderr, "shoal: %s: %s\n", health.healthy ? "healthy" : "unhealthy",
                   health.detail.c_str());
      return health.healthy ? 0 : 1;
    }
    // Read before anything starts, so a bad file costs nothing but its message.
    auto startup = shoal::server::load_startup_config(*parsed.options);
    if (!startup.config) {
      std::fprintf(stderr, "shoal: %s\n", startup.error.c_str());
      return 2;
    }
    if (auto error = shoal::server::settle_auth(*parsed.options, *startup.config)) {
      std::fprintf(stderr, "shoal: %s\n", error->c_str());
      return 2;
    }
    // A flag or variable outranks the file.
    if (!parsed.options->sqs_delay_recently_deleted) {
      parsed.options->sqs_delay_recently_deleted = startup.config->sqs_delay_recently_deleted;
    }
    shoal::server::Server server(std::move(*parsed.options));
    if (!startup.config->empty()) {
      auto applied = shoal::server::apply_startup_config(server.dispatcher(), *startup.config);
      if (!applied.ok) {
        std::fprintf(stderr, "shoal: %s\n", applied.error.c_str());
        return 2;
      }
      std::fprintf(stderr, "shoal: start-up config: %s ready\n", applied.summary.c_str());
    }
    return server.run();
  } catch (const std::exception& e) {  // e.g. a data directory that cannot be recovered
    std::fprintf(stderr, "shoal: %s\n", e.what());
    return 1;
  }
}
