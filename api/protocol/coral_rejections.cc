#include "api/protocol/coral_rejections.h"

#include <nlohmann/json.hpp>

#include "api/protocol/json_protocol.h"
#include "api/protocol/json_reader.h"
#include "api/protocol/json_writer.h"

namespace shoal::api {
namespace {

ApiResponse coral_response(int status, const std::string& request_id, std::string body) {
  ApiResponse r;
  r.status = status;
  r.headers.emplace_back("x-amzn-RequestId", request_id);
  r.body = std::move(body);
  return r;
}

std::string coral_xml_error(std::string_view type, std::string_view message) {
  std::string out;
  out.append("<").append(type).append(">\n  <Message>").append(message).append("</Message>\n</");
  out.append(type).append(">\n");
  return out;
}

bool carries_signature(const ApiRequest& request) {
  if (request.has_header("authorization")) return true;
  std::string_view query = request.query;
  return query.starts_with("X-Amz-Algorithm") || query.find("&X-Amz-Algorithm") != std::string_view::npos;
}

}  // namespace

ApiResponse unroutable_request(const ApiRequest& request, const std::string& request_id) {
  if (!carries_signature(request)) {
    return coral_response(403, request_id,
                          coral_xml_error("MissingAuthenticationTokenException", "Missing Authentication Token"));
  }
  return coral_response(
      403, request_id,
      coral_xml_error("AccessDeniedException", "Unable to determine service/operation name to be authorized"));
}

ApiResponse unknown_operation_xml(const std::string& request_id) {
  return coral_response(404, request_id, "<UnknownOperationException/>\n");
}

ApiResponse legacy_json_envelope(std::string_view body, const std::string& request_id) {
  const auto parsed = read_json(body);
  const std::string code = parsed && parsed->is_object() ? "UnknownOperationException" : "SerializationException";
  nlohmann::json output = {{"__type", "com.amazon.coral.service#" + code}};
  output[std::string(error_message_key(code))] = nullptr;
  auto r =
      coral_response(200, request_id, to_json_text(nlohmann::json{{"Output", std::move(output)}, {"Version", "1.0"}}));
  r.content_type = "application/json";
  return r;
}

}  // namespace shoal::api
