// Entry point: parse flags and SHOAL_* variables, run the server.
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "server/options.h"
#include "server/server.h"

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
  shoal::server::Server server(std::move(*parsed.options));
  return server.run();
}
