// The answers AWS's JSON front end (Coral) gives before any operation runs,
// for requests it cannot route: a method other than POST, a missing or
// foreign X-Amz-Target, a content type it does not speak. Recorded against
// Kinesis by kinesalite's connection tests; the bodies are XML or a legacy
// JSON envelope, not the protocol's usual error shape. Pure functions,
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "api/api_request.h"

namespace shoal::api {

// 403, no Content-Type, an XML body: MissingAuthenticationTokenException
// ("Missing Authentication Token") when the request carries no signature
// (no Authorization header, no X-Amz-Algorithm query parameter), else
// AccessDeniedException ("Unable to determine service/operation name to be
// authorized").
ApiResponse unroutable_request(const ApiRequest& request, const std::string& request_id);

// 404, no Content-Type, body "<UnknownOperationException/>\n": a target that
// names a service and operation, in a content type that is not AWS JSON 1.1
// or CBOR.
ApiResponse unknown_operation_xml(const std::string& request_id);

// 200 application/json {"Output":{"__type":"com.amazon.coral.service#<code>",
// "message":null},"Version":"1.0"}: the legacy envelope for Content-Type
// application/json. A body that is not a JSON object gets
// SerializationException (with "Message"), any other UnknownOperationException.
ApiResponse legacy_json_envelope(std::string_view body, const std::string& request_id);

}  // namespace shoal::api
