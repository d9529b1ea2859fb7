// Model-driven validation of a decoded request against an operation's input
// shape. Pure functions over an immutable model: thread-safe.
//
// Checks, in AWS's order: value types (a wrong JSON type is a
// SerializationException), required members, enums, lengths, ranges, patterns.
// The wording depends on the service's dialect:
//  - kSqs: missing required member -> MissingParameter "The request must
//    contain the parameter X."; enum miss -> InvalidAttributeName
//    "Unknown Attribute X."; range/length -> InvalidParameterValue.
//  - kKinesis: ValidationException "1 validation error detected: Value 'x' at
//    'streamName' failed to satisfy constraint: Member must ..." (up to the
//    count AWS reports, joined with "; ", "N validation errors detected: ...").
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "api/aws_error.h"
#include "api/model/service_model.h"

namespace shoal::api::model {

enum class Dialect { kSqs, kKinesis };

// nullopt when the input is valid. `input` is the whole request body value
// (must be an object; a non-object is itself a SerializationException).
std::optional<AwsError> validate(const Operation& operation, const nlohmann::json& input,
                                 Dialect dialect);

}  // namespace shoal::api::model
