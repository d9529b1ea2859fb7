// Hex digests (OpenSSL) used for SQS MD5s and FIFO content-based ids.
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace shoal::api {

std::string md5_hex(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);

}  // namespace shoal::api
