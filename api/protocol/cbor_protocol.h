// AWS CBOR 1.1 (what the Java SDK and KCL send to Kinesis): decodes request
// bodies and renders results and errors as CBOR maps. Timestamps in output
// structures are written as CBOR tag 1 with epoch milliseconds, as AWS does.
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "api/api_request.h"
#include "api/aws_error.h"
#include "api/model/service_model.h"
#include "api/protocol/decode_guide.h"

namespace shoal::api {

inline constexpr std::string_view kCborContentType = "application/x-amz-cbor-1.1";

// One CBOR data item as `guide` keeps it (decode_guide.h). Byte strings
// become json::binary; tags are dropped.
std::variant<nlohmann::json, DecodeFailure> decode_cbor(std::string_view body, const DecodeGuide& guide);

// An empty body is an empty map; malformed CBOR, a non-map or too many values
// is a SerializationException.
std::variant<nlohmann::json, AwsError> parse_cbor_body(std::string_view body, const DecodeGuide& guide);

// Encodes a neutral value (blobs as binary, timestamps as epoch ms where
// `shape` says so) as CBOR.
std::string encode_cbor(const nlohmann::json& value, const model::Shape* shape);

ApiResponse render_cbor_result(const nlohmann::json& output, const model::Shape* shape,
                               const std::string& request_id);
// 200 with the CBOR content type and no body: an operation without output.
ApiResponse render_cbor_empty_result(const std::string& request_id);
ApiResponse render_cbor_error(const AwsError& error, const std::string& request_id);

}  // namespace shoal::api
