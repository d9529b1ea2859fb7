// The SQS query protocol as a Codec: form parameters (POST body or GET query
// string, queue taken from a /<account>/<queue> path when QueueUrl is absent)
// in, XML out, named from the query-protocol SQS model embedded from
// api/model/data/sqs-query-2012-11-05.json (see scripts/gen_models.py).
// The same SQS handlers serve it as serve AWS JSON. Immutable singletons:
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "api/api_request.h"
#include "api/aws_error.h"
#include "api/model/service_model.h"
#include "api/protocol/codec.h"

namespace shoal::api {

inline constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded";
inline constexpr std::string_view kSqsXmlNamespace = "http://queue.amazonaws.com/doc/2012-11-05/";
inline constexpr std::string_view kSqsApiVersion = "2012-11-05";

// The SQS model with query-protocol wire names; parsed on first use.
const model::ServiceModel& sqs_query_model();

const Codec& sqs_query_codec();

// True for a request without X-Amz-Target that speaks the query protocol: a
// form body, or an `Action=` parameter in the query string (even one whose
// encoding is broken elsewhere).
bool is_query_request(const ApiRequest& request);

// The request's Action, checked: AWS's MissingAction, InvalidAction,
// MalformedQueryString for a broken percent-encoding, or a Version error
// (api/protocol/query_versions.h).
std::variant<std::string, AwsError> query_action(const ApiRequest& request);

}  // namespace shoal::api
