// AWS JSON 1.0 / 1.1: decodes request bodies and renders results and errors
// (`{"__type", "message"}` and x-amzn-ErrorType; for query-compatible
// services such as SQS, x-amzn-query-error instead, which SDKs read the legacy
// code from). Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "api/api_request.h"
#include "api/aws_error.h"
#include "api/protocol/decode_guide.h"

namespace shoal::api {

struct JsonDialect {
  std::string_view content_type;  // "application/x-amz-json-1.0"
  std::string_view type_prefix;   // "com.amazonaws.sqs#", or empty
  bool query_compatible = false;  // send x-amzn-query-error
  // An empty body reads as {} (SQS); otherwise it is a SerializationException
  // (Kinesis, as AWS answers it).
  bool empty_body_is_object = false;
  // An operation without an output shape answers 200 with an empty body
  // (Kinesis, as AWS answers DeleteStream, MergeShards, ...); otherwise `{}`.
  bool no_output_is_empty_body = false;
};

// The member an error body carries its text in: Coral writes
// SerializationException's as "Message" and every other error's as "message"
// (kinesalite's recordings of AWS); SDKs read either.
std::string_view error_message_key(std::string_view code);

// Anything but a JSON object (and, unless the dialect allows it, an empty
// body) is a SerializationException, as is a body of too many values. Only
// what `guide` keeps is built (decode_guide.h).
std::variant<nlohmann::json, AwsError> parse_json_body(std::string_view body, const JsonDialect& dialect,
                                                       const DecodeGuide& guide);

// Renders output already prepared for JSON (see wire_values.h).
ApiResponse render_json_result(const nlohmann::json& output, const JsonDialect& dialect,
                               const std::string& request_id);
// 200 with the dialect's content type, the request id and no body.
ApiResponse render_json_empty_result(const JsonDialect& dialect, const std::string& request_id);
ApiResponse render_json_error(const AwsError& error, const JsonDialect& dialect,
                              const std::string& request_id);

}  // namespace shoal::api
