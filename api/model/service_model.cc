#include "api/model/service_model.h"

#include <algorithm>
#include <bitset>
#include <regex>
#include <stdexcept>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

namespace shoal::embedded {
extern const std::string_view kSqsModelJson;
extern const std::string_view kKinesisModelJson;
}  // namespace shoal::embedded

namespace shoal::api::model {

// A model pattern, compiled once. Patterns of the form `[class]+` (most of the
// Kinesis ones) become a byte bitset, which is much cheaper than std::regex on
// the request path; anything else goes to std::regex (ECMAScript, full match).
class CompiledPattern {
 public:
  static std::shared_ptr<const CompiledPattern> compile(const std::string& pattern) {
    if (auto set = char_class_plus(pattern)) {
      return std::make_shared<const CompiledPattern>(Private{}, std::move(*set));
    }
    try {
      return std::make_shared<const CompiledPattern>(
          Private{}, std::regex(pattern, std::regex::ECMAScript | std::regex::optimize));
    } catch (const std::regex_error&) {
      return nullptr;  // Java syntax std::regex cannot read: not enforced.
    }
  }

  bool matches(std::string_view value) const {
    if (const auto* set = std::get_if<std::bitset<256>>(&matcher_)) {
      if (value.empty()) return false;
      return std::all_of(value.begin(), value.end(),
                         [set](char c) { return set->test(static_cast<unsigned char>(c)); });
    }
    return std::regex_match(value.begin(), value.end(), std::get<std::regex>(matcher_));
  }

  struct Private {};
  CompiledPattern(Private, std::bitset<256> set) : matcher_(std::move(set)) {}
  CompiledPattern(Private, std::regex re) : matcher_(std::move(re)) {}

 private:
  // `[...]+` with plain ASCII characters and ranges only; nullopt otherwise.
  static std::optional<std::bitset<256>> char_class_plus(std::string_view p) {
    if (p.size() < 4 || p.front() != '[' || p.substr(p.size() - 2) != "]+") return std::nullopt;
    std::string_view body = p.substr(1, p.size() - 3);
    if (body.empty() || body.front() == '^') return std::nullopt;
    std::bitset<256> set;
    for (std::size_t i = 0; i < body.size(); ++i) {
      const auto c = static_cast<unsigned char>(body[i]);
      if (c == '\\' || c == '[' || c == ']' || c >= 0x80) return std::nullopt;
      if (i + 2 < body.size() && body[i + 1] == '-') {
        const auto last = static_cast<unsigned char>(body[i + 2]);
        if (last == '\\' || last == '[' || last == ']' || last >= 0x80 || last < c) return std::nullopt;
        for (unsigned x = c; x <= last; ++x) set.set(x);
        i += 2;
      } else {
        set.set(c);
      }
    }
    return set;
  }

  std::variant<std::bitset<256>, std::regex> matcher_;
};

const Member* Shape::find_member(std::string_view member_name) const {
  for (const Member& m : members) {
    if (m.name == member_name) return &m;
  }
  return nullptr;
}

bool Shape::has_enum_value(std::string_view candidate) const {
  return std::find(enum_values.begin(), enum_values.end(), candidate) != enum_values.end();
}

bool Shape::pattern_matches(std::string_view text) const {
  return compiled_pattern == nullptr || compiled_pattern->matches(text);
}

namespace {

using nlohmann::json;

std::string string_or_empty(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool bool_or_false(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

ShapeType shape_type(std::string_view type) {
  static constexpr std::pair<std::string_view, ShapeType> kTypes[] = {
      {"structure", ShapeType::kStructure}, {"list", ShapeType::kList},
      {"map", ShapeType::kMap},             {"string", ShapeType::kString},
      {"integer", ShapeType::kInteger},     {"long", ShapeType::kLong},
      {"boolean", ShapeType::kBoolean},     {"blob", ShapeType::kBlob},
      {"timestamp", ShapeType::kTimestamp}, {"double", ShapeType::kDouble},
      {"float", ShapeType::kFloat},
  };
  for (const auto& [name, kind] : kTypes) {
    if (name == type) return kind;
  }
  return ShapeType::kUnknown;
}

void read_bound(const json& shape_json, const char* key, std::optional<std::int64_t>& integral,
                std::optional<double>& floating) {
  auto it = shape_json.find(key);
  if (it == shape_json.end() || !it->is_number()) return;
  floating = it->get<double>();
  if (it->is_number_integer()) {
    integral = it->get<std::int64_t>();
  } else {
    integral = static_cast<std::int64_t>(it->get<double>());
  }
}

}  // namespace

ServiceModel::ServiceModel(std::string_view model_json) {
  json doc;
  try {
    doc = json::parse(model_json);
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("service model: invalid JSON: ") + e.what());
  }
  if (!doc.is_object() || !doc.contains("shapes") || !doc.contains("operations")) {
    throw std::runtime_error("service model: missing shapes or operations");
  }
  if (auto it = doc.find("metadata"); it != doc.end() && it->is_object()) {
    target_prefix_ = string_or_empty(*it, "targetPrefix");
    json_version_ = string_or_empty(*it, "jsonVersion");
  }

  // Pass 1: every shape exists, so pass 2 can point at any of them.
  for (const auto& [name, sj] : doc["shapes"].items()) {
    Shape& shape = shapes_[name];
    shape.name = name;
    shape.type = string_or_empty(sj, "type");
    shape.kind = shape_type(shape.type);
    if (auto it = sj.find("enum"); it != sj.end()) shape.enum_values = it->get<std::vector<std::string>>();
    read_bound(sj, "min", shape.min, shape.min_double);
    read_bound(sj, "max", shape.max, shape.max_double);
    shape.pattern = string_or_empty(sj, "pattern");
    shape.flattened = bool_or_false(sj, "flattened");
    shape.exception = bool_or_false(sj, "exception");
    if (!shape.pattern.empty()) shape.compiled_pattern = CompiledPattern::compile(shape.pattern);
  }

  auto resolve = [this](const std::string& owner, const json& mj) -> const Shape* {
    const std::string target = string_or_empty(mj, "shape");
    auto it = shapes_.find(target);
    if (it == shapes_.end()) {
      throw std::runtime_error("service model: shape " + owner + " refers to unknown shape '" + target + "'");
    }
    return &it->second;
  };
  auto make_member = [&](const std::string& owner, std::string member_name, const json& mj) {
    Member m;
    m.name = std::move(member_name);
    m.shape = resolve(owner, mj);
    m.location_name = string_or_empty(mj, "locationName");
    if (m.location_name.empty()) m.location_name = string_or_empty(mj, "queryName");
    m.flattened = bool_or_false(mj, "flattened");
    return m;
  };

  // Pass 2: members (model order, which the generator writes sorted by name).
  for (const auto& [name, sj] : doc["shapes"].items()) {
    Shape& shape = shapes_.at(name);
    if (auto it = sj.find("required"); it != sj.end()) shape.required = it->get<std::vector<std::string>>();
    if (auto it = sj.find("members"); it != sj.end()) {
      shape.members.reserve(it->size());
      for (const auto& [member_name, mj] : it->items()) {
        Member m = make_member(name, member_name, mj);
        m.required = std::find(shape.required.begin(), shape.required.end(), m.name) != shape.required.end();
        shape.members.push_back(std::move(m));
      }
    }
    if (auto it = sj.find("member"); it != sj.end()) {
      shape.member = &element_members_.emplace_back(make_member(name, "member", *it));
    }
    if (auto it = sj.find("key"); it != sj.end()) {
      shape.key = &element_members_.emplace_back(make_member(name, "key", *it));
    }
    if (auto it = sj.find("value"); it != sj.end()) {
      shape.value = &element_members_.emplace_back(make_member(name, "value", *it));
    }
  }

  for (const auto& [name, oj] : doc["operations"].items()) {
    Operation& op = operations_[name];
    op.name = name;
    if (auto it = oj.find("input"); it != oj.end()) op.input = resolve(name, *it);
    if (auto it = oj.find("output"); it != oj.end()) op.output = resolve(name, *it);
    if (auto it = oj.find("errors"); it != oj.end()) {
      for (const auto& ej : *it) op.errors.push_back(string_or_empty(ej, "shape"));
    }
  }
}

const ServiceModel& ServiceModel::sqs() {
  static const ServiceModel model(embedded::kSqsModelJson);
  return model;
}

const ServiceModel& ServiceModel::kinesis() {
  static const ServiceModel model(embedded::kKinesisModelJson);
  return model;
}

const Operation* ServiceModel::operation(std::string_view name) const {
  auto it = operations_.find(name);
  return it == operations_.end() ? nullptr : &it->second;
}

const Shape* ServiceModel::shape(std::string_view name) const {
  auto it = shapes_.find(name);
  return it == shapes_.end() ? nullptr : &it->second;
}

}  // namespace shoal::api::model
