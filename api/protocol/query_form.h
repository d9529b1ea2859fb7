// Form decoding for the AWS query protocol: an application/x-www-form-urlencoded
// body or a query string as (name, value) pairs in their original order,
// percent-decoded with '+' as space. Pure functions, thread-safe.
#pragma once

#include <cstddef>
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

// More parameters than any request needs (a full SendMessageBatch is about
// 150); the bound keeps a hostile form from costing more than a few MB.
inline constexpr std::size_t kMaxFormParams = 100'000;

// Splits on '&', then on the first '='; a pair without '=' has an empty
// value; empty pairs ("a=1&&b=2") are skipped. nullopt on a bad escape or
// more than kMaxFormParams pairs.
std::optional<FormParams> parse_form(std::string_view text);

// Whether `text` has more than kMaxFormParams pairs: which of the two reasons
// parse_form refused it for.
bool has_too_many_form_params(std::string_view text);

// The first value of `name`, if any.
const std::string* find_param(const FormParams& params, std::string_view name);

}  // namespace shoal::api
