// shoal_bench_driver: the multi-step workloads of bench/run.py (drains, FIFO,
// long-poll wake-up, Kinesis fill and GetRecords drain), fast enough not to be
// the bottleneck. Prints one RESULT line; see bench/driver/result.h.
#include <cstdio>
#include <exception>

#include "bench/driver/kinesis_workloads.h"
#include "bench/driver/options.h"
#include "bench/driver/sqs_workloads.h"

int main(int argc, char** argv) {
  using namespace shoal::bench;
  auto options = parse_options(argc, argv);
  if (!options) return 2;
  try {
    Result result;
    if (options->workload == "sqs-fill")
      result = sqs_fill(*options);
    else if (options->workload == "sqs-drain")
      result = sqs_drain(*options);
    else if (options->workload == "sqs-long-poll")
      result = sqs_long_poll(*options);
    else if (options->workload == "kinesis-fill")
      result = kinesis_fill(*options);
    else if (options->workload == "kinesis-drain")
      result = kinesis_drain(*options);
    else {
      std::fprintf(stderr, "unknown workload %s\n", options->workload.c_str());
      return 2;
    }
    print_result(result);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "shoal_bench_driver %s: %s\n", options->workload.c_str(), e.what());
    return 1;
  }
  return 0;
}
