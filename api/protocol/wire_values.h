// Model-guided conversion between wire encodings and the protocol-neutral
// value handlers see: blobs are json::binary and timestamps are integer epoch
// milliseconds. JSON carries blobs as base64 and timestamps as epoch seconds;
// CBOR carries byte strings and (as AWS sends to the Java SDK) milliseconds.
// Pure functions over an immutable model, thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "api/model/service_model.h"

namespace shoal::api {

enum class WireFormat { kJson, kCbor };

// Rewrites a validated request value in place into the neutral form.
void normalize_input(const model::Shape* shape, nlohmann::json& value, WireFormat format);

// Rewrites a neutral response value in place for JSON: base64 blobs, and
// timestamps as epoch seconds with a fraction.
void prepare_json_output(const model::Shape* shape, nlohmann::json& value);

}  // namespace shoal::api
