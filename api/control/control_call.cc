#include "api/control/control_call.h"

namespace shoal::api::control {

std::optional<std::string> ControlCall::param(std::string_view name) const {
  if (const std::string* v = find_param(query, name)) return *v;
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_boolean()) return it->get<bool>() ? "true" : "false";
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  return it->dump();
}

std::string ControlCall::account() const {
  auto a = param("account");
  return a && !a->empty() ? *a : ctx.account;
}

std::string ControlCall::region() const {
  auto r = param("region");
  return r && !r->empty() ? *r : ctx.region;
}

ApiResponse json_response(int status, const nlohmann::json& body, const std::string& request_id) {
  ApiResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.headers.emplace_back("x-amzn-RequestId", request_id);
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.body += '\n';
  return r;
}

ApiResponse control_error(int status, std::string_view code, std::string_view message, const std::string& request_id) {
  return json_response(status, {{"error", {{"code", code}, {"message", message}}}}, request_id);
}

}  // namespace shoal::api::control
