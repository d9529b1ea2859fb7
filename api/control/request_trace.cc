#include "api/control/request_trace.h"

#include <cstdio>

#include "api/control/log.h"

namespace shoal::api {
namespace {

std::string after_last_slash(std::string_view text) {
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  return std::string(text.substr(text.rfind('/') + 1));
}

// arn:aws:kinesis:<region>:<account>:stream/<name>[/consumer/<c>:<ts>]
std::string stream_of_arn(std::string_view arn) {
  auto at = arn.find(":stream/");
  if (at == std::string_view::npos) return {};
  arn.remove_prefix(at + 8);
  return std::string(arn.substr(0, arn.find('/')));
}

}  // namespace

void RequestTrace::finish(int http_status) const {
  const auto latency = std::chrono::steady_clock::now() - start;
  metrics->record(slot, http_status, latency);
  const LogLevel level = http_status >= 500 ? LogLevel::kWarn : LogLevel::kDebug;
  if (!log_enabled(level)) return;
  const auto [service, action] = metrics->names(slot);
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3fms", std::chrono::duration<double, std::milli>(latency).count());
  std::string line = "request " + std::string(service) + " " + std::string(action);
  if (!resource.empty()) line += " " + resource;
  line += http_status == 0 ? std::string(" dropped") : " " + std::to_string(http_status);
  line += " ";
  line += ms;
  log_line(level, line);
}

std::string resource_of(const nlohmann::json& input) {
  if (!input.is_object()) return {};
  auto string_at = [&](const char* name) -> const std::string* {
    auto it = input.find(name);
    return it != input.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
  };
  if (const auto* url = string_at("QueueUrl")) return after_last_slash(*url);
  if (const auto* name = string_at("QueueName")) return *name;
  if (const auto* name = string_at("StreamName")) return *name;
  if (const auto* arn = string_at("StreamARN")) return stream_of_arn(*arn);
  if (const auto* arn = string_at("ConsumerARN")) return stream_of_arn(*arn);
  if (const auto* arn = string_at("ResourceARN")) return stream_of_arn(*arn);
  return {};
}

}  // namespace shoal::api
