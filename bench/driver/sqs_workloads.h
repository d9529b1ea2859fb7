// The SQS multi-step workloads of the benchmark. Each runs against the queue
// in options.queue_url, bounded by options.time_limit_s, and returns what it
// measured; errors are counted, never thrown (except when nothing answers).
//   fill:      SendMessageBatch of 10 until options.count messages are queued.
//              With groups > 0 (a FIFO queue) one connection per group sends
//              bodies numbered in order, so a drain can check the order.
//   drain:     ReceiveMessage(10) + DeleteMessageBatch on every connection until
//              options.count messages are deleted; one op = that pair.
//   long poll: a ReceiveMessage(WaitTimeSeconds=20) parked, then a SendMessage
//              on another connection; latency = send issued -> receive answered.
#pragma once

#include "bench/driver/options.h"
#include "bench/driver/result.h"

namespace shoal::bench {

Result sqs_fill(const Options& options);
Result sqs_drain(const Options& options);
Result sqs_long_poll(const Options& options);

}  // namespace shoal::bench
