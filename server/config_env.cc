#include "server/config_env.h"

#include <charconv>
#include <string>
#include <vector>

#include "api/request_context.h"

namespace shoal::server {
namespace {

// Comma-separated items, trimmed; empty items (a trailing comma) are skipped.
std::vector<std::string_view> split_list(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) out.push_back(item);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return out;
}

ConfigResult failure(std::string_view variable, std::string message) {
  return {std::nullopt, std::string(variable) + ": " + std::move(message)};
}

}  // namespace

ConfigResult queues_from_list(std::string_view list, std::string_view variable) {
  StartupConfig config;
  for (std::string_view name : split_list(list)) {
    QueueSpec q;
    q.origin = variable;
    q.account = api::kDefaultAccount;
    q.region = api::kDefaultRegion;
    q.name = name;
    if (name.ends_with(".fifo")) q.attributes.emplace_back("FifoQueue", "true");
    config.queues.push_back(std::move(q));
  }
  if (config.queues.empty()) return failure(variable, "expected queue names separated by commas");
  return {std::move(config), {}};
}

ConfigResult streams_from_list(std::string_view list, std::string_view variable) {
  StartupConfig config;
  for (std::string_view item : split_list(list)) {
    StreamSpec s;
    s.origin = variable;
    s.account = api::kDefaultAccount;
    s.region = api::kDefaultRegion;
    auto colon = item.find(':');
    s.name = item.substr(0, colon);
    if (colon != std::string_view::npos) {
      std::string_view count = item.substr(colon + 1);
      int shards = 0;
      auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), shards);
      if (count.empty() || ec != std::errc() || end != count.data() + count.size() || shards < 1) {
        return failure(variable, "'" + std::string(item) + "': expected NAME or NAME:SHARDS with SHARDS >= 1");
      }
      s.shard_count = shards;
    }
    if (s.name.empty()) return failure(variable, "'" + std::string(item) + "': the stream name is empty");
    config.streams.push_back(std::move(s));
  }
  if (config.streams.empty()) return failure(variable, "expected NAME[:SHARDS] items separated by commas");
  return {std::move(config), {}};
}

}  // namespace shoal::server
