#include "api/protocol/json_protocol.h"

#include "api/protocol/json_reader.h"
#include "api/protocol/json_writer.h"

namespace shoal::api {
namespace {

ApiResponse base_response(int status, const JsonDialect& dialect, const std::string& request_id) {
  ApiResponse r;
  r.status = status;
  r.content_type = std::string(dialect.content_type);
  r.headers.emplace_back("x-amzn-RequestId", request_id);
  return r;
}

}  // namespace

std::variant<nlohmann::json, AwsError> parse_json_body(std::string_view body, const JsonDialect& dialect,
                                                       const DecodeGuide& guide) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    if (dialect.empty_body_is_object) return nlohmann::json::object();
    return AwsError{"SerializationException", "", 400, true, ""};
  }
  auto decoded = decode_json(body, guide);
  if (auto* failure = std::get_if<DecodeFailure>(&decoded)) return decode_error(*failure, "JSON");
  auto* value = &std::get<nlohmann::json>(decoded);
  if (!value->is_object()) {
    return AwsError{"SerializationException", "", 400, true,
                    "Start of structure or map expected at the top level of the request body."};
  }
  return std::move(*value);
}

std::string_view error_message_key(std::string_view code) {
  return code == "SerializationException" ? "Message" : "message";
}

ApiResponse render_json_result(const nlohmann::json& output, const JsonDialect& dialect,
                               const std::string& request_id) {
  auto r = base_response(200, dialect, request_id);
  r.body = to_json_text(output);
  return r;
}

ApiResponse render_json_empty_result(const JsonDialect& dialect, const std::string& request_id) {
  return base_response(200, dialect, request_id);
}

ApiResponse render_json_error(const AwsError& error, const JsonDialect& dialect,
                              const std::string& request_id) {
  auto r = base_response(error.http_status, dialect, request_id);
  // A query-compatible service (SQS) names the error in x-amzn-query-error
  // only, as AWS answers; the others carry x-amzn-ErrorType.
  if (!dialect.query_compatible) r.headers.emplace_back("x-amzn-ErrorType", error.code);
  if (dialect.query_compatible && !error.query_code.empty()) {
    r.headers.emplace_back("x-amzn-query-error",
                           error.query_code + (error.sender_fault ? ";Sender" : ";Receiver"));
  }
  nlohmann::json body = {{"__type", std::string(dialect.type_prefix) + error.code}};
  if (!error.message.empty()) body[std::string(error_message_key(error.code))] = error.message;
  r.body = to_json_text(body);
  return r;
}

}  // namespace shoal::api
