#include "api/common/digest.h"

#include <cstdlib>

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
// call.
std::string evp_hex(const EVP_MD* md, std::string_view bytes) {
  struct Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Context context;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (context.ctx == nullptr || EVP_DigestInit_ex2(context.ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(context.ctx, bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(context.ctx, out, &size) != 1) {
    std::abort();  // only on allocation failure
  }
  return to_hex(out, size);
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
std::string sha256_hex(std::string_view bytes) {
  static const EVP_MD* const kSha256 = fetched("SHA256");
  return evp_hex(kSha256, bytes);
}

}  // namespace shoal::api
