// write_json: renders a nlohmann::json value as compact JSON text, byte for
// byte what dump(-1, ' ', false, error_handler_t::replace) renders, several
// times faster on long strings (base64 record data, message bodies): runs of
// plain bytes are copied whole. Pure function, thread-safe.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace shoal::api {

// Appends the rendering of value to out.
void write_json(const nlohmann::json& value, std::string& out);

inline std::string to_json_text(const nlohmann::json& value) {
  std::string out;
  write_json(value, out);
  return out;
}

}  // namespace shoal::api
