#include "api/sqs/queue_address.h"

#include "api/sqs/limits.h"

namespace shoal::api::sqs {

std::string queue_url(const RequestContext& ctx, const storage::QueueKey& key) {
  return std::string(ctx.scheme) + "://" + ctx.host + "/" + key.account + "/" + key.name;
}

std::string queue_arn(const storage::QueueKey& key) {
  return "arn:aws:sqs:" + key.region + ":" + key.account + ":" + key.name;
}

std::optional<storage::QueueKey> parse_queue_arn(std::string_view arn) {
  std::string_view parts[6];
  for (int i = 0; i < 5; ++i) {
    auto colon = arn.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    parts[i] = arn.substr(0, colon);
    arn.remove_prefix(colon + 1);
  }
  parts[5] = arn;
  if (parts[0] != "arn" || !parts[1].starts_with("aws") || parts[2] != "sqs" || parts[3].empty() ||
      !is_account_id(parts[4]) || parts[5].empty() || parts[5].find(':') != std::string_view::npos) {
    return std::nullopt;
  }
  return storage::QueueKey{std::string(parts[4]), std::string(parts[3]), std::string(parts[5])};
}

bool is_account_id(std::string_view text) {
  if (text.size() != 12) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<storage::QueueKey> parse_queue_url(std::string_view url, const RequestContext& ctx) {
  // AWS takes a bare queue name for the caller's own queue (SendMessage(QueueUrl="orders")).
  if (url.find('/') == std::string_view::npos) {
    if (!is_valid_queue_name(url)) return std::nullopt;
    return storage::QueueKey{ctx.account, ctx.region, std::string(url)};
  }
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    auto slash = url.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    url.remove_prefix(slash);
  }
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  auto last = url.rfind('/');
  if (last == std::string_view::npos) return std::nullopt;
  auto name = url.substr(last + 1);
  auto head = url.substr(0, last);
  auto account = head.substr(head.rfind('/') + 1);
  if (!is_account_id(account) || name.empty()) return std::nullopt;
  return storage::QueueKey{std::string(account), ctx.region, std::string(name)};
}

bool is_valid_queue_name(std::string_view name) {
  if (name.size() > limits::kMaxQueueNameLength) return false;
  if (name.ends_with(".fifo")) name.remove_suffix(5);
  if (name.empty() || name.size() > limits::kMaxQueueNameLength) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace shoal::api::sqs
