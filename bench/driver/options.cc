#include "bench/driver/options.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace shoal::bench {
namespace {

constexpr const char* kUsage =
    "usage: shoal_bench_driver WORKLOAD --port N [flags]\n"
    "  sqs-fill      --queue-url U --count N [--size-bytes 256] [--connections 4] [--groups G]\n"
    "  sqs-drain     --queue-url U --count N [--connections 4] [--groups G]\n"
    "  sqs-long-poll --queue-url U [--rounds 200] [--pause-ms 20]\n"
    "  kinesis-fill  --stream S --count N [--size-bytes 1024] [--connections 4]\n"
    "  kinesis-drain --stream S --count N\n"
    "common: --host 127.0.0.1 --time-limit-s 120\n"
    "Prints one line: RESULT ops=.. p50_ms=.. p99_ms=.. errors=.. [items_s=.. items=..] calls=.. seconds=..\n";

}  // namespace

std::optional<Options> parse_options(int argc, char** argv) {
  Options options;
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return std::nullopt;
  }
  options.workload = argv[1];
  for (int i = 2; i < argc; i += 2) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%.*s needs a value\n%s", static_cast<int>(flag.size()), flag.data(), kUsage);
      return std::nullopt;
    }
    const char* value = argv[i + 1];
    if (flag == "--host")
      options.host = value;
    else if (flag == "--port")
      options.port = static_cast<std::uint16_t>(std::atoi(value));
    else if (flag == "--queue-url")
      options.queue_url = value;
    else if (flag == "--stream")
      options.stream = value;
    else if (flag == "--connections")
      options.connections = std::atoi(value);
    else if (flag == "--count")
      options.count = std::atoll(value);
    else if (flag == "--size-bytes")
      options.size_bytes = std::atoi(value);
    else if (flag == "--groups")
      options.groups = std::atoi(value);
    else if (flag == "--rounds")
      options.rounds = std::atoi(value);
    else if (flag == "--pause-ms")
      options.pause_ms = std::atoi(value);
    else if (flag == "--time-limit-s")
      options.time_limit_s = std::atof(value);
    else {
      std::fprintf(stderr, "unknown flag %s\n%s", argv[i], kUsage);
      return std::nullopt;
    }
  }
  if (options.port == 0 || options.connections < 1 || options.rounds < 1) {
    std::fputs(kUsage, stderr);
    return std::nullopt;
  }
  return options;
}

}  // namespace shoal::bench
