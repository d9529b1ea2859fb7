// StartupConfig: the queues and streams to create before the server listens,
// as plain values, whatever they were read from (a --config file, SQS_QUEUES,
// KINESIS_STREAMS). Every entry remembers where it came from ("app.yaml:12",
// "SQS_QUEUES") so that a failure, here or when it is applied, names the spot.
// Values are AWS wire spellings (attribute names, stream modes), so the api
// layer validates them exactly as it validates a client's request.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/options.h"

namespace shoal::server {

using StringPairs = std::vector<std::pair<std::string, std::string>>;

struct QueueSpec {
  std::string origin;  // "file:line" or the variable's name
  std::string account;
  std::string region;
  std::string name;
  StringPairs attributes;  // CreateQueue Attributes, minus RedrivePolicy
  StringPairs tags;
  // Set after every queue exists, so a dead-letter queue may be listed after
  // the queues that use it. JSON text, as the attribute's wire value.
  std::optional<std::string> redrive_policy;
};

struct StreamSpec {
  std::string origin;
  std::string account;
  std::string region;
  std::string name;
  std::optional<int> shard_count;  // PROVISIONED; none: 1 (ON_DEMAND: none)
  std::string mode;                // "" (PROVISIONED), "PROVISIONED" or "ON_DEMAND"
  std::optional<int> retention_hours;
  StringPairs tags;
  std::vector<std::string> consumers;
};

struct StartupConfig {
  std::vector<QueueSpec> queues;
  std::vector<StreamSpec> streams;
  // The config file's auth section; flags and variables win over the mode.
  std::optional<std::string> auth_mode;
  std::vector<AuthKey> auth_keys;
  // The file's top-level sqs_delay_recently_deleted (--sqs-delay-recently-deleted).
  std::optional<bool> sqs_delay_recently_deleted;

  bool empty() const { return queues.empty() && streams.empty(); }
  void append(StartupConfig other);
};

// Either a config or one message saying what is wrong and where.
struct ConfigResult {
  std::optional<StartupConfig> config;
  std::string error;
};

// Everything the options ask for: the --config file, then SQS_QUEUES, then
// KINESIS_STREAMS. An empty config when none is set.
ConfigResult load_startup_config(const Options& options);

// Settles authentication once the config is read: the file's mode unless a
// flag or variable set one, its keys added to --auth-keys. Returns why
// the server cannot start (strict without keys), or nullopt.
std::optional<std::string> settle_auth(Options& options, const StartupConfig& config);

}  // namespace shoal::server
