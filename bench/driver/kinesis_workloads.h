// The Kinesis multi-step workloads of the benchmark, against options.stream,
// bounded by options.time_limit_s; errors are counted, never thrown.
//   fill:  PutRecords of 500 records of options.size_bytes with distinct
//          partition keys (so records spread over the shards) until
//          options.count records are stored.
//   drain: one connection per shard: GetShardIterator(TRIM_HORIZON), then
//          GetRecords(Limit=10000) until an empty answer that is not behind
//          the tip (or five failures in a row); one op = one GetRecords.
#pragma once

#include "bench/driver/options.h"
#include "bench/driver/result.h"

namespace shoal::bench {

Result kinesis_fill(const Options& options);
Result kinesis_drain(const Options& options);

}  // namespace shoal::bench
