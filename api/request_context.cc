#include "api/request_context.h"

#include "storage/random.h"

namespace shoal::api {
namespace {

std::string_view credential_of(std::string_view authorization) {
  constexpr std::string_view kKey = "Credential=";
  auto at = authorization.find(kKey);
  if (at == std::string_view::npos) return {};
  auto rest = authorization.substr(at + kKey.size());
  auto end = rest.find_first_of(", ");
  return rest.substr(0, end);
}

std::string_view query_credential(std::string_view query) {
  constexpr std::string_view kKey = "X-Amz-Credential=";
  auto at = query.find(kKey);
  if (at == std::string_view::npos) return {};
  auto rest = query.substr(at + kKey.size());
  return rest.substr(0, rest.find('&'));
}

bool is_account_id(std::string_view key) {
  if (key.size() != 12) return false;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

RequestContext make_request_context(const ApiRequest& request, std::string_view advertised_host) {
  RequestContext ctx;
  ctx.request_id = storage::random_uuid();
  std::string credential(credential_of(request.header("authorization")));
  if (credential.empty()) {
    // Presigned URLs percent-encode the slashes.
    std::string raw(query_credential(request.query));
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '%' && i + 2 < raw.size() && raw[i + 1] == '2' && (raw[i + 2] == 'F' || raw[i + 2] == 'f')) {
        credential.push_back('/');
        i += 2;
      } else {
        credential.push_back(raw[i]);
      }
    }
  }
  // AKID/date/region/service/aws4_request
  std::string_view parts[5];
  std::size_t count = 0;
  std::string_view rest = credential;
  while (!rest.empty() && count < 5) {
    auto slash = rest.find('/');
    parts[count++] = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  }
  ctx.access_key = std::string(parts[0]);
  ctx.account = is_account_id(ctx.access_key) ? ctx.access_key : std::string(kDefaultAccount);
  ctx.region = count >= 3 && !parts[2].empty() ? std::string(parts[2]) : std::string(kDefaultRegion);
  ctx.host = !advertised_host.empty() ? std::string(advertised_host) : std::string(request.header("host"));
  if (ctx.host.empty()) ctx.host = "localhost:4566";
  if (request.tls) ctx.scheme = "https";
  return ctx;
}

}  // namespace shoal::api
