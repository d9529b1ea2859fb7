// Reading members of a decoded, validated request object (the validator has
// already checked types, so these only pick the value out). A null member
// counts as absent. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace shoal::api {

const nlohmann::json* member(const nlohmann::json& object, const char* name);  // null when absent
std::optional<std::string> string_member(const nlohmann::json& object, const char* name);
// Fractional numbers are truncated, as AWS's JSON services read them.
std::optional<std::int64_t> int_member(const nlohmann::json& object, const char* name);
std::optional<bool> bool_member(const nlohmann::json& object, const char* name);
// A string as it is, any other value as its JSON text (attribute values that
// clients send as numbers or booleans).
std::string as_text(const nlohmann::json& value);
// The bytes of a blob member (json::binary after normalize_input).
std::optional<std::string> blob_member(const nlohmann::json& object, const char* name);

}  // namespace shoal::api
