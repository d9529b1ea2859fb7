// Form decoding for the AWS query protocol: an application/x-www-form-urlencoded
// body or a query string as (name, value) pairs in their original order,
// percent-decoded with '+' as space. Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shoal::api {

struct FormParam {
  std::string name;
  std::string value;
};
using FormParams = std::vector<FormParam>;

// nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

// Splits on '&', then on the first '='; a pair without '=' has an empty
// value; empty pairs ("a=1&&b=2") are skipped. nullopt on a bad escape.
std::optional<FormParams> parse_form(std::string_view text);

// The first value of `name`, if any.
const std::string* find_param(const FormParams& params, std::string_view name);

}  // namespace shoal::api
