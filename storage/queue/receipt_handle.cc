#include "storage/queue/receipt_handle.h"

#include <array>

namespace shoal::storage {
namespace {

constexpr std::uint8_t kReceiptVersion = 1;
constexpr std::size_t kRawLength = 33;
using Raw = std::array<std::uint8_t, kRawLength>;

constexpr char kReceiptAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<std::int8_t, 256> make_reverse() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kReceiptAlphabet[i])] = static_cast<std::int8_t>(i);
  return table;
}
constexpr auto kReverse = make_reverse();

std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t check_of(const ReceiptHandleFields& f, std::uint64_t secret) {
  std::uint64_t h = mix(secret ^ 0x9e3779b97f4a7c15ULL);
  h = mix(h ^ f.queue_id);
  h = mix(h + f.seq);
  h = mix(h ^ (f.nonce * 0xff51afd7ed558ccdULL));
  return mix(h ^ secret);
}

void put_u64(Raw& raw, std::size_t at, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    raw[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v & 0xff);
    v >>= 8;
  }
}

std::uint64_t get_u64(const Raw& raw, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | raw[at + i];
  return v;
}

}  // namespace

std::string encode_receipt_handle(const ReceiptHandleFields& fields, std::uint64_t secret) {
  Raw raw{};
  raw[0] = kReceiptVersion;
  put_u64(raw, 1, fields.queue_id);
  put_u64(raw, 9, fields.seq);
  put_u64(raw, 17, fields.nonce);
  put_u64(raw, 25, check_of(fields, secret));
  std::string out(kReceiptHandleLength, '\0');
  std::size_t o = 0;
  for (std::size_t i = 0; i < kRawLength; i += 3) {  // 33 bytes: no padding
    const std::uint32_t group = (std::uint32_t{raw[i]} << 16) | (std::uint32_t{raw[i + 1]} << 8) | raw[i + 2];
    out[o++] = kReceiptAlphabet[(group >> 18) & 63];
    out[o++] = kReceiptAlphabet[(group >> 12) & 63];
    out[o++] = kReceiptAlphabet[(group >> 6) & 63];
    out[o++] = kReceiptAlphabet[group & 63];
  }
  return out;
}

DecodedReceiptHandle decode_receipt_handle(std::string_view handle, std::uint64_t queue_id,
                                           std::uint64_t secret) {
  DecodedReceiptHandle out;
  if (handle.size() != kReceiptHandleLength) {
    out.status = Status::invalid_handle("receipt handle has the wrong length");
    return out;
  }
  Raw raw{};
  std::size_t r = 0;
  for (std::size_t i = 0; i < kReceiptHandleLength; i += 4) {
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const std::int8_t v = kReverse[static_cast<unsigned char>(handle[i + j])];
      if (v < 0) {
        out.status = Status::invalid_handle("receipt handle is not base64url");
        return out;
      }
      group = (group << 6) | static_cast<std::uint32_t>(v);
    }
    raw[r++] = static_cast<std::uint8_t>(group >> 16);
    raw[r++] = static_cast<std::uint8_t>(group >> 8);
    raw[r++] = static_cast<std::uint8_t>(group);
  }
  if (raw[0] != kReceiptVersion) {
    out.status = Status::invalid_handle("unknown receipt handle version");
    return out;
  }
  ReceiptHandleFields fields{get_u64(raw, 1), get_u64(raw, 9), get_u64(raw, 17)};
  if (fields.queue_id != queue_id) {
    out.status = Status::invalid_handle("receipt handle belongs to another queue");
    return out;
  }
  if (get_u64(raw, 25) != check_of(fields, secret)) {
    out.status = Status::invalid_handle("receipt handle fails its check");
    return out;
  }
  out.seq = fields.seq;
  out.nonce = fields.nonce;
  return out;
}

}  // namespace shoal::storage
