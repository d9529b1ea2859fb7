// The AWS query protocol's value mapping, guided by a query-protocol model
// (one whose members carry locationName / flattened, as
// api/model/data/sqs-query-2012-11-05.json does):
//  - form parameters (`Attribute.1.Name`, `SendMessageBatchRequestEntry.2.Id`,
//    `AttributeName.1`, ...) into the value the JSON protocol would have sent
//    (member names as keys, numbers and booleans typed, blobs base64 text);
//  - a neutral result (blobs binary) into XML, lists and maps flattened or
//    wrapped as the model says, text escaped;
//  - an AwsError into an XML ErrorResponse.
// Pure functions over an immutable model, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "api/aws_error.h"
#include "api/model/service_model.h"
#include "api/protocol/query_form.h"

namespace shoal::api {

// Parameters that name no member of `input` (Action, Version, signature
// parameters, unknown names) are ignored. Indexes of lists and maps count
// from 1 and are taken in numeric order; gaps are closed up (`AttributeName.1`
// and `.3` make a list of two). An index that is not a positive decimal
// number (`AttributeName.0`, `Attribute.x.Name`) is AWS's MalformedInput.
std::variant<nlohmann::json, AwsError> decode_query_params(const model::Shape* input, const FormParams& params);

// Text with &, <, >, " escaped, and CR as &#xD; so that XML parsers, which
// normalise line ends, give the client back the bytes it sent.
std::string xml_escape(std::string_view text);

// `<{action}Response xmlns=...>` with `<{action}Result>` (when the operation
// has an output shape) and ResponseMetadata/RequestId.
std::string render_query_result_xml(std::string_view action, const model::Shape* output_shape,
                                    const nlohmann::json& output, std::string_view xml_namespace,
                                    std::string_view request_id);

// `<ErrorResponse>` with Type (Sender/Receiver), Code (the legacy code),
// Message, Detail and RequestId.
std::string render_query_error_xml(const AwsError& error, std::string_view xml_namespace, std::string_view request_id);

}  // namespace shoal::api
