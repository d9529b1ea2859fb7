// Command line of the bench driver: `shoal_bench_driver WORKLOAD --flag value ...`.
// Parsing only; each workload reads the fields it needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace shoal::bench {

struct Options {
  std::string workload;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string queue_url;
  std::string stream;
  int connections = 1;
  std::int64_t count = 0;     // items to fill, or to expect when draining
  int size_bytes = 256;       // payload of one message or record
  int groups = 0;             // FIFO message groups; 0: a standard queue
  int rounds = 200;           // long-poll wake-ups to time
  int pause_ms = 20;          // how long the long poll is parked before the send
  double time_limit_s = 120;  // every workload stops by then and reports what it did
};

// Returns the options, or nullopt after printing usage to stderr.
std::optional<Options> parse_options(int argc, char** argv);

}  // namespace shoal::bench
