// ServiceModel: an AWS service model (botocore's JSON, stripped by
// scripts/gen_models.py and embedded in the binary), parsed once and then
// read-only, so it is safe to share between threads. Shape references are
// resolved to pointers and patterns compiled once, at construction.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shoal::api::model {

struct Shape;
class CompiledPattern;  // defined in service_model.cc; keeps <regex> out of this header

struct Member {
  std::string name;        // member name as in the model, e.g. "QueueUrl"
  const Shape* shape = nullptr;
  std::string location_name;  // wire name override (locationName / queryName), may be empty
  bool flattened = false;
  bool required = false;  // listed in the enclosing structure's `required`
};

enum class ShapeType {
  kStructure, kList, kMap, kString, kInteger, kLong, kBoolean, kBlob, kTimestamp, kDouble, kFloat, kUnknown
};

struct Shape {
  std::string name;
  std::string type;  // structure, list, map, string, integer, long, boolean, blob, timestamp, double, float
  ShapeType kind = ShapeType::kUnknown;  // `type` as an enum, for cheap dispatch
  std::vector<Member> members;        // structure members, in model order
  std::vector<std::string> required;  // structure
  std::vector<std::string> enum_values;
  std::optional<std::int64_t> min;  // length (string/blob/list/map) or value (numbers)
  std::optional<std::int64_t> max;
  std::optional<double> min_double;
  std::optional<double> max_double;
  std::string pattern;  // ECMAScript-compatible regular expression, may be empty
  const Member* member = nullptr;  // list element
  const Member* key = nullptr;     // map key
  const Member* value = nullptr;   // map value
  bool flattened = false;
  bool exception = false;

  // Compiled `pattern`; null when there is none or when std::regex cannot
  // parse the model's (Java) syntax, in which case the pattern is not enforced.
  std::shared_ptr<const CompiledPattern> compiled_pattern;

  const Member* find_member(std::string_view member_name) const;
  bool has_enum_value(std::string_view candidate) const;
  // True when `text` fully matches the pattern, or when no pattern is enforced.
  bool pattern_matches(std::string_view text) const;
};

struct Operation {
  std::string name;
  const Shape* input = nullptr;   // may be null
  const Shape* output = nullptr;  // may be null
  std::vector<std::string> errors;
};

class ServiceModel {
 public:
  // Parses the embedded model text; throws std::runtime_error if it is malformed.
  explicit ServiceModel(std::string_view model_json);
  ServiceModel(const ServiceModel&) = delete;
  ServiceModel& operator=(const ServiceModel&) = delete;

  static const ServiceModel& sqs();      // parsed on first use
  static const ServiceModel& kinesis();  // parsed on first use

  const Operation* operation(std::string_view name) const;
  const Shape* shape(std::string_view name) const;
  const std::string& target_prefix() const { return target_prefix_; }  // "AmazonSQS"
  const std::string& json_version() const { return json_version_; }    // "1.0"
  const std::map<std::string, Shape, std::less<>>& shapes() const { return shapes_; }
  const std::map<std::string, Operation, std::less<>>& operations() const { return operations_; }

 private:
  std::string target_prefix_;
  std::string json_version_;
  std::map<std::string, Shape, std::less<>> shapes_;
  std::map<std::string, Operation, std::less<>> operations_;
  std::deque<Member> element_members_;  // list member / map key / map value; stable addresses
};

}  // namespace shoal::api::model
