// ApiRequest / ApiResponse: the plain values that cross the server -> api
// boundary. The server fills them from HTTP; nothing here knows sockets.
// Header names are stored lower-case. Plain values: not shared across threads.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shoal::api {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct ApiRequest {
  std::string method;  // "POST", "GET", ...
  std::string path;    // target without the query string, e.g. "/" or "/000000000000/q"
  std::string query;   // raw query string without '?', may be empty
  Headers headers;     // lower-case names
  std::string body;
  bool tls = false;  // arrived over TLS: the URLs we hand out say https
  // Built in-process (the start-up config), never by the server: strict
  // authentication lets it through unsigned.
  bool internal = false;

  // First value of a header (name given in lower case), or empty.
  std::string_view header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return value;
    }
    return {};
  }
  bool has_header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return true;
    }
    return false;
  }
};

struct ApiResponse {
  int status = 200;
  std::string content_type;
  Headers headers;  // extra headers; x-amzn-RequestId is always among them
  std::string body;
};

}  // namespace shoal::api
