#include "api/common/json_members.h"

namespace shoal::api {

const nlohmann::json* member(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::string> string_member(const nlohmann::json& object, const char* name) {
  const auto* v = member(object, name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

std::optional<std::int64_t> int_member(const nlohmann::json& object, const char* name) {
  const auto* v = member(object, name);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->is_number_float() ? static_cast<std::int64_t>(v->get<double>()) : v->get<std::int64_t>();
}

std::optional<bool> bool_member(const nlohmann::json& object, const char* name) {
  const auto* v = member(object, name);
  if (v == nullptr || !v->is_boolean()) return std::nullopt;
  return v->get<bool>();
}

std::optional<std::string> blob_member(const nlohmann::json& object, const char* name) {
  const auto* v = member(object, name);
  if (v == nullptr || !v->is_binary()) return std::nullopt;
  const auto& bytes = v->get_binary();
  return std::string(bytes.begin(), bytes.end());
}

std::string as_text(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace shoal::api
