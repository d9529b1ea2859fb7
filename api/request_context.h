// RequestContext: who is calling and from where, derived once per request
// from the SigV4 Authorization header (signatures are not checked) and the
// Host header. Plain value.
#pragma once

#include <string>
#include <string_view>

#include "api/api_request.h"

namespace shoal::api {

inline constexpr std::string_view kDefaultAccount = "000000000000";
inline constexpr std::string_view kDefaultRegion = "us-east-1";

struct RequestContext {
  std::string request_id;  // a UUID, echoed as x-amzn-RequestId
  std::string access_key;  // empty for unsigned requests
  std::string account;     // 12 digits
  std::string region;
  std::string host;  // host[:port] for URLs we hand out
  std::string_view scheme = "http";  // of those URLs: "https" for a request over TLS
};

// Reads `Credential=AKID/date/region/service/aws4_request` from the
// Authorization header (or X-Amz-Credential in the query string). A 12-digit
// numeric access key is the account; any other key maps to 000000000000.
RequestContext make_request_context(const ApiRequest& request, std::string_view advertised_host);

}  // namespace shoal::api
