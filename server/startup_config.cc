#include "server/startup_config.h"

#include <iterator>

#include "server/config_env.h"
#include "server/config_file.h"

namespace shoal::server {

void StartupConfig::append(StartupConfig other) {
  queues.insert(queues.end(), std::make_move_iterator(other.queues.begin()),
                std::make_move_iterator(other.queues.end()));
  streams.insert(streams.end(), std::make_move_iterator(other.streams.begin()),
                 std::make_move_iterator(other.streams.end()));
  if (other.sqs_delay_recently_deleted) sqs_delay_recently_deleted = other.sqs_delay_recently_deleted;
  if (other.auth_mode) auth_mode = std::move(other.auth_mode);
  auth_keys.insert(auth_keys.end(), std::make_move_iterator(other.auth_keys.begin()),
                   std::make_move_iterator(other.auth_keys.end()));
}

std::optional<std::string> settle_auth(Options& options, const StartupConfig& config) {
  if (!options.auth_mode && config.auth_mode) options.auth_mode = config.auth_mode;
  options.auth_keys.insert(options.auth_keys.end(), config.auth_keys.begin(), config.auth_keys.end());
  if (options.auth_mode == "strict" && options.auth_keys.empty()) {
    return "--auth strict needs access keys: --auth-keys AKID:SECRET[:ACCOUNT],... (SHOAL_AUTH_KEYS), or auth.keys "
           "in the --config file";
  }
  return std::nullopt;
}

ConfigResult load_startup_config(const Options& options) {
  StartupConfig config;
  if (!options.config_file.empty()) {
    auto file = read_config_file(options.config_file);
    if (!file.config) return file;
    config.append(std::move(*file.config));
  }
  if (!options.sqs_queues.empty()) {
    auto queues = queues_from_list(options.sqs_queues, "SQS_QUEUES");
    if (!queues.config) return queues;
    config.append(std::move(*queues.config));
  }
  if (!options.kinesis_streams.empty()) {
    auto streams = streams_from_list(options.kinesis_streams, "KINESIS_STREAMS");
    if (!streams.config) return streams;
    config.append(std::move(*streams.config));
  }
  return {std::move(config), {}};
}

}  // namespace shoal::server
