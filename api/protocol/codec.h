// Codec: one wire encoding of AWS requests and answers (AWS JSON 1.0/1.1,
// CBOR 1.1, the SQS query protocol in api/protocol/query_codec.h). The dispatcher picks one per request and uses it for the body,
// the result and any error, so a caller always gets answers in its own
// encoding. Instances are immutable and shared: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "api/api_request.h"
#include "api/aws_error.h"
#include "api/model/service_model.h"
#include "api/protocol/json_protocol.h"
#include "api/protocol/wire_values.h"
#include "api/request_context.h"

namespace shoal::api {

class Codec {
 public:
  virtual ~Codec() = default;
  virtual WireFormat format() const = 0;
  // `input` is the operation's input shape (null when unknown): the body is
  // decoded as far as it has a use for it (decode_guide.h).
  virtual std::variant<nlohmann::json, AwsError> parse(std::string_view body, const model::Shape* input) const = 0;
  // `output` is neutral (blobs binary, timestamps epoch ms); `shape` guides it.
  virtual ApiResponse result(nlohmann::json output, const model::Shape* shape,
                             const std::string& request_id) const = 0;
  virtual ApiResponse error(const AwsError& error, const std::string& request_id) const = 0;

  // The request path calls these three. A protocol that reads more than the
  // body, or names its answer after the action (the SQS query protocol: query
  // string, queue URL path, `<ActionResponse>`), overrides them; the defaults
  // keep JSON and CBOR as they are.
  virtual bool accepts_method(std::string_view method) const { return method == "POST"; }
  virtual std::variant<nlohmann::json, AwsError> parse_request(const ApiRequest& request, std::string_view action,
                                                               const model::Shape* input,
                                                               const RequestContext& ctx) const {
    (void)action;
    (void)ctx;
    return parse(request.body, input);
  }
  virtual ApiResponse action_result(std::string_view action, nlohmann::json output, const model::Shape* shape,
                                    const std::string& request_id) const {
    (void)action;
    return result(std::move(output), shape, request_id);
  }
};

const Codec& json_codec(const JsonDialect& dialect);  // dialect must outlive the codec: use constants
const Codec& cbor_codec();

inline constexpr JsonDialect kSqsJson{"application/x-amz-json-1.0", "com.amazonaws.sqs#", true, true};
inline constexpr JsonDialect kKinesisJson{"application/x-amz-json-1.1", "", false, false, true};
inline constexpr JsonDialect kPlainJson{"application/json", "", false};

}  // namespace shoal::api
