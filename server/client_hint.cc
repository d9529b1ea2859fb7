#include "server/client_hint.h"

namespace shoal::server {

std::string client_hint(const std::string& host, unsigned port, const std::string& advertised) {
  std::string where = advertised;
  if (where.empty()) {
    std::string reach = host;
    if (reach.empty() || reach == "0.0.0.0") reach = "127.0.0.1";
    if (reach == "::" || reach == "[::]") reach = "[::1]";
    if (reach.find(':') != std::string::npos && reach.front() != '[') reach = "[" + reach + "]";
    where = reach + ":" + std::to_string(port);
  }
  return "export AWS_ENDPOINT_URL=http://" + where +
         " AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1";
}

}  // namespace shoal::server
