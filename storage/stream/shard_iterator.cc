#include "storage/stream/shard_iterator.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <optional>
#include <stdexcept>

namespace shoal::storage {
namespace {

// Payload: version byte, three length-prefixed strings (u16 big-endian),
// stream_created_ms (8), shard_index (4), next_counter (8), issued_ms (8);
// then the first kMacSize bytes of HMAC-SHA256(key, payload).
constexpr unsigned char kIteratorVersion = 1;
constexpr std::size_t kMacSize = 16;
constexpr std::size_t kKeySize = 32;

constexpr char kIteratorAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(const std::string& in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const auto v = (static_cast<unsigned char>(in[i]) << 16) |
                   (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kIteratorAlphabet[(v >> s) & 0x3f]);
  }
  const std::size_t rest = in.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16;
    if (rest == 2) v |= static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8;
    out.push_back(kIteratorAlphabet[(v >> 18) & 0x3f]);
    out.push_back(kIteratorAlphabet[(v >> 12) & 0x3f]);
    out.push_back(rest == 2 ? kIteratorAlphabet[(v >> 6) & 0x3f] : '=');
    out.push_back('=');
  }
  return out;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Strict: padded, canonical (unused bits zero), so every other string fails.
std::optional<std::string> base64_decode(std::string_view in) {
  if (in.empty() || in.size() % 4 != 0) return std::nullopt;
  std::size_t pad = 0;
  if (in.back() == '=') pad = in[in.size() - 2] == '=' ? 2 : 1;
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < in.size() - pad; ++i) {
    const int v = base64_value(in[i]);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if ((acc & ((1U << bits) - 1)) != 0) return std::nullopt;
  return out;
}

void put_u64(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_string(std::string& out, const std::string& s) {
  put_u64(out, s.size(), 2);
  out += s;
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::optional<std::uint64_t> u64(int bytes) {
    if (in_.size() < static_cast<std::size_t>(bytes)) return std::nullopt;
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(in_[static_cast<std::size_t>(i)]);
    in_.remove_prefix(static_cast<std::size_t>(bytes));
    return v;
  }
  std::optional<std::string> string() {
    const auto size = u64(2);
    if (!size || in_.size() < *size) return std::nullopt;
    std::string s(in_.substr(0, *size));
    in_.remove_prefix(*size);
    return s;
  }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

std::array<unsigned char, EVP_MAX_MD_SIZE> mac(const std::string& key, std::string_view payload) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), out.data(), &size);
  return out;
}

}  // namespace

ShardIteratorCodec::ShardIteratorCodec(std::string key) : key_(std::move(key)) {
  if (key_.empty()) {
    key_.resize(kKeySize);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key_.data()), static_cast<int>(kKeySize)) != 1) {
      throw std::runtime_error("RAND_bytes failed for the shard iterator key");
    }
  }
}

std::string ShardIteratorCodec::encode(const ShardIteratorState& s) const {
  std::string payload(1, static_cast<char>(kIteratorVersion));
  put_string(payload, s.account);
  put_string(payload, s.region);
  put_string(payload, s.stream_name);
  put_u64(payload, static_cast<std::uint64_t>(s.stream_created_ms), 8);
  put_u64(payload, s.shard_index, 4);
  put_u64(payload, s.next_counter, 8);
  put_u64(payload, static_cast<std::uint64_t>(s.issued_ms), 8);
  // Appended only when set, so an owner's iterator keeps the first layout.
  if (!s.reader_account.empty() && s.reader_account != s.account) put_string(payload, s.reader_account);
  const auto m = mac(key_, payload);
  payload.append(reinterpret_cast<const char*>(m.data()), kMacSize);
  return base64_encode(payload);
}

Result<ShardIteratorState> ShardIteratorCodec::decode(std::string_view iterator, TimePoint now) const {
  const auto bytes = base64_decode(iterator);
  if (!bytes || bytes->size() < 1 + kMacSize) {
    return Status::invalid_argument("shard iterator is not a valid encoding");
  }
  const std::string_view payload = std::string_view(*bytes).substr(0, bytes->size() - kMacSize);
  const auto m = mac(key_, payload);
  if (CRYPTO_memcmp(m.data(), bytes->data() + payload.size(), kMacSize) != 0) {
    return Status::invalid_argument("shard iterator signature does not match");
  }
  Reader r(payload);
  ShardIteratorState s;
  const auto version = r.u64(1);
  auto account = r.string();
  auto region = r.string();
  auto name = r.string();
  const auto created = r.u64(8);
  const auto shard = r.u64(4);
  const auto counter = r.u64(8);
  const auto issued = r.u64(8);
  std::optional<std::string> reader;  // present only when not the owner
  bool reader_ok = true;
  if (!r.done()) {
    reader = r.string();
    reader_ok = reader && !reader->empty();
  }
  if (!version || *version != kIteratorVersion || !account || !region || !name || !created || !shard ||
      !counter || !issued || !reader_ok || !r.done()) {
    return Status::invalid_argument("shard iterator has an unknown layout");
  }
  s.account = std::move(*account);
  s.region = std::move(*region);
  s.stream_name = std::move(*name);
  s.stream_created_ms = static_cast<std::int64_t>(*created);
  s.shard_index = static_cast<std::uint32_t>(*shard);
  s.next_counter = *counter;
  s.issued_ms = static_cast<std::int64_t>(*issued);
  if (reader) s.reader_account = std::move(*reader);
  const std::int64_t expires_ms =
      s.issued_ms + std::chrono::duration_cast<std::chrono::milliseconds>(kIteratorLifetime).count();
  if (to_epoch_ms(now) >= expires_ms) {
    return Status::handle_expired("shard iterator expired " + std::to_string(to_epoch_ms(now) - expires_ms) +
                                  " ms ago (issued at " + std::to_string(s.issued_ms) + " ms)");
  }
  return s;
}

}  // namespace shoal::storage
