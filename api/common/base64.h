// Standard base64 (RFC 4648, with padding), as AWS JSON protocols carry blobs.
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace shoal::api {

std::string base64_encode(std::string_view bytes);
// nullopt when the text is not valid padded base64.
std::optional<std::string> base64_decode(std::string_view text);
// Length of the longest prefix made only of alphabet characters (A-Z a-z 0-9
// + /, no padding): a cheap first pass for validators.
std::size_t base64_alphabet_prefix(std::string_view text);

}  // namespace shoal::api
