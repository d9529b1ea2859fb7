// The --config file reader: YAML, and so JSON too (JSON is YAML's flow
// syntax), read by yaml-cpp, which knows every node's line. Checks the shape
// (known keys, types, counts) and reports the first problem as
// "FILE:LINE: what is wrong"; AWS's own rules (attribute names and values,
// name syntax, limits) are left to the api layer when the config is applied.
// Schema, with every key optional but `name`:
//
//   queues:  [ {name, attributes: {K: V}, tags: {K: V},
//               redrive: {dead_letter_queue: NAME-or-ARN, max_receive_count: N}} ]
//   streams: [ {name, shards: N, mode: PROVISIONED|ON_DEMAND, retention_hours: N,
//               tags: {K: V}, consumers: [NAME]} ]
//   auth:    {mode: permissive|strict,
//             keys: [ {access_key_id, secret_access_key, account: "123456789012"} ]}
//   accounts:
//     "123456789012":
//       eu-west-1: {queues: [...], streams: [...]}
//   sqs_delay_recently_deleted: true|false   (--sqs-delay-recently-deleted)
//
// Top-level queues and streams belong to account 000000000000, us-east-1.
#pragma once

#include <string>
#include <string_view>

#include "server/startup_config.h"

namespace shoal::server {

ConfigResult read_config_file(const std::string& path);
// `file_name` is only used in messages and origins.
ConfigResult parse_config_text(const std::string& text, std::string_view file_name);

}  // namespace shoal::server
