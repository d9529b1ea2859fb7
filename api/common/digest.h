// Digests (OpenSSL) used for SQS MD5s, FIFO content-based ids and SigV4.
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace shoal::api {

std::string md5_hex(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);
// The 32 raw bytes of SHA-256, and HMAC-SHA256 (RFC 2104) built on it: the
// one-shot HMAC() of OpenSSL 3 looks its algorithm up on every call, which
// made a SigV4 check (six HMACs) cost several times the hashing.
std::string sha256_bytes(std::string_view bytes);
std::string hmac_sha256(std::string_view key, std::string_view data);

}  // namespace shoal::api
