// The simplest start-up config, from two comma-separated lists:
//   SQS_QUEUES=jobs,jobs-dlq,orders.fifo       (a .fifo name makes a FIFO queue)
//   KINESIS_STREAMS=events:4,audit             (NAME[:SHARDS], default 1 shard)
// Everything lands in account 000000000000, us-east-1: what the server uses
// for requests that carry no credentials. Pure functions over the values.
#pragma once

#include <string_view>

#include "server/startup_config.h"

namespace shoal::server {

// `variable` names the source in messages and origins ("SQS_QUEUES").
ConfigResult queues_from_list(std::string_view list, std::string_view variable);
ConfigResult streams_from_list(std::string_view list, std::string_view variable);

}  // namespace shoal::server
