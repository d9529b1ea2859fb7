#include "api/common/digest.h"

#include <cstdlib>
#include <initializer_list>

#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

namespace shoal::api {
namespace {

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0xf];
  }
  return out;
}

// One context per thread, reused: EVP_Digest would allocate and free one per
// call. Hashes the concatenation of the parts into out; returns the size.
unsigned int evp_digest(const EVP_MD* md, std::initializer_list<std::string_view> parts, unsigned char* out) {
  struct Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Context context;
  unsigned int size = 0;
  bool ok = context.ctx != nullptr && EVP_DigestInit_ex2(context.ctx, md, nullptr) == 1;
  for (std::string_view part : parts) ok = ok && EVP_DigestUpdate(context.ctx, part.data(), part.size()) == 1;
  if (!ok || EVP_DigestFinal_ex(context.ctx, out, &size) != 1) std::abort();  // only on allocation failure
  return size;
}

std::string evp_hex(const EVP_MD* md, std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  return to_hex(out, evp_digest(md, {bytes}, out));
}

// Fetched once: OpenSSL 3 otherwise looks the algorithm up in its providers on
// every EVP_Digest call, which costs more than hashing a small message.
const EVP_MD* fetched(const char* name) {
  const EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) std::abort();  // the default provider always has MD5 and SHA-256
  return md;
}

}  // namespace

std::string md5_hex(std::string_view bytes) {
  static const EVP_MD* const kMd5 = fetched("MD5");
  return evp_hex(kMd5, bytes);
}
const EVP_MD* sha256_md() {
  static const EVP_MD* const kSha256 = fetched("SHA256");
  return kSha256;
}

std::string sha256_hex(std::string_view bytes) { return evp_hex(sha256_md(), bytes); }

std::string sha256_bytes(std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  const auto size = evp_digest(sha256_md(), {bytes}, out);
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  constexpr std::size_t kBlock = 64;  // SHA-256's block size
  std::string block = key.size() > kBlock ? sha256_bytes(key) : std::string(key);
  block.resize(kBlock, '\0');
  std::string inner_pad(kBlock, '\0');
  std::string outer_pad(kBlock, '\0');
  for (std::size_t i = 0; i < kBlock; ++i) {
    inner_pad[i] = static_cast<char>(block[i] ^ 0x36);
    outer_pad[i] = static_cast<char>(block[i] ^ 0x5c);
  }
  unsigned char inner[EVP_MAX_MD_SIZE];
  const auto inner_size = evp_digest(sha256_md(), {inner_pad, data}, inner);
  unsigned char out[EVP_MAX_MD_SIZE];
  const auto size = evp_digest(
      sha256_md(), {outer_pad, std::string_view(reinterpret_cast<const char*>(inner), inner_size)}, out);
  return std::string(reinterpret_cast<const char*>(out), size);
}

}  // namespace shoal::api
