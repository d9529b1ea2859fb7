#include "api/protocol/event_stream.h"

#include <array>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace shoal::api::event_stream {
namespace {

// Slicing-by-8 tables, built at compile time: a subscription checksums every
// record it pushes, so the byte-at-a-time loop (~8x slower) would show.
using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr Tables make_tables() {
  Tables t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    t[0][i] = c;
  }
  for (std::size_t i = 0; i < 256; ++i) {
    for (std::size_t s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
  }
  return t;
}

constexpr Tables kTables = make_tables();

void put_u8(std::string& out, std::uint8_t v) { out.push_back(static_cast<char>(v)); }

void put_be(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get_be(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(in[at + static_cast<std::size_t>(i)]);
  return v;
}

void put_header(std::string& out, const Header& h) {
  if (h.name.empty() || h.name.size() > 255)
    throw std::length_error("event stream header name of " + std::to_string(h.name.size()) + " bytes");
  put_u8(out, static_cast<std::uint8_t>(h.name.size()));
  out += h.name;
  auto variable = [&out](HeaderType type, const std::string& value) {
    if (value.size() > 0xffff) throw std::length_error("event stream header value over 65535 bytes");
    put_u8(out, static_cast<std::uint8_t>(type));
    put_be(out, value.size(), 2);
    out += value;
  };
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          put_u8(out, static_cast<std::uint8_t>(v ? HeaderType::kBoolTrue : HeaderType::kBoolFalse));
        } else if constexpr (std::is_same_v<T, std::int8_t>) {
          put_u8(out, static_cast<std::uint8_t>(HeaderType::kByte));
          put_be(out, static_cast<std::uint8_t>(v), 1);
        } else if constexpr (std::is_same_v<T, std::int16_t>) {
          put_u8(out, static_cast<std::uint8_t>(HeaderType::kShort));
          put_be(out, static_cast<std::uint16_t>(v), 2);
        } else if constexpr (std::is_same_v<T, std::int32_t>) {
          put_u8(out, static_cast<std::uint8_t>(HeaderType::kInt));
          put_be(out, static_cast<std::uint32_t>(v), 4);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          put_u8(out, static_cast<std::uint8_t>(HeaderType::kLong));
          put_be(out, static_cast<std::uint64_t>(v), 8);
        } else if constexpr (std::is_same_v<T, Bytes>) {
          variable(HeaderType::kBytes, v.value);
        } else if constexpr (std::is_same_v<T, std::string>) {
          variable(HeaderType::kString, v);
        } else if constexpr (std::is_same_v<T, Timestamp>) {
          put_u8(out, static_cast<std::uint8_t>(HeaderType::kTimestamp));
          put_be(out, static_cast<std::uint64_t>(v.epoch_ms), 8);
        } else {
          static_assert(std::is_same_v<T, Uuid>);
          if (v.value.size() != 16)
            throw std::length_error("event stream uuid header of " + std::to_string(v.value.size()) + " bytes");
          put_u8(out, static_cast<std::uint8_t>(HeaderType::kUuid));
          out += v.value;
        }
      },
      h.value);
}

// Parses the headers block; nullopt when it is malformed.
std::optional<std::vector<Header>> parse_headers(std::string_view in) {
  std::vector<Header> headers;
  std::size_t at = 0;
  auto need = [&](std::size_t n) { return in.size() - at >= n; };
  while (at < in.size()) {
    const std::size_t name_size = static_cast<unsigned char>(in[at++]);
    if (name_size == 0 || !need(name_size + 1)) return std::nullopt;
    Header h;
    h.name.assign(in.substr(at, name_size));
    at += name_size;
    const auto type = static_cast<HeaderType>(static_cast<unsigned char>(in[at++]));
    auto fixed = [&](int bytes) -> std::optional<std::uint64_t> {
      if (!need(static_cast<std::size_t>(bytes))) return std::nullopt;
      const auto v = get_be(in, at, bytes);
      at += static_cast<std::size_t>(bytes);
      return v;
    };
    auto variable = [&]() -> std::optional<std::string> {
      const auto size = fixed(2);
      if (!size || !need(*size)) return std::nullopt;
      std::string v(in.substr(at, *size));
      at += *size;
      return v;
    };
    switch (type) {
      case HeaderType::kBoolTrue:
        h.value = true;
        break;
      case HeaderType::kBoolFalse:
        h.value = false;
        break;
      case HeaderType::kByte: {
        auto v = fixed(1);
        if (!v) return std::nullopt;
        h.value = static_cast<std::int8_t>(static_cast<std::uint8_t>(*v));
        break;
      }
      case HeaderType::kShort: {
        auto v = fixed(2);
        if (!v) return std::nullopt;
        h.value = static_cast<std::int16_t>(static_cast<std::uint16_t>(*v));
        break;
      }
      case HeaderType::kInt: {
        auto v = fixed(4);
        if (!v) return std::nullopt;
        h.value = static_cast<std::int32_t>(static_cast<std::uint32_t>(*v));
        break;
      }
      case HeaderType::kLong:
      case HeaderType::kTimestamp: {
        auto v = fixed(8);
        if (!v) return std::nullopt;
        const auto n = static_cast<std::int64_t>(*v);
        if (type == HeaderType::kLong) {
          h.value = n;
        } else {
          h.value = Timestamp{n};
        }
        break;
      }
      case HeaderType::kBytes:
      case HeaderType::kString: {
        auto v = variable();
        if (!v) return std::nullopt;
        if (type == HeaderType::kBytes) {
          h.value = Bytes{std::move(*v)};
        } else {
          h.value = std::move(*v);
        }
        break;
      }
      case HeaderType::kUuid:
        if (!need(16)) return std::nullopt;
        h.value = Uuid{std::string(in.substr(at, 16))};
        at += 16;
        break;
      default:
        return std::nullopt;  // an unknown type: its size is unknown too
    }
    headers.push_back(std::move(h));
  }
  return headers;
}

}  // namespace

std::uint32_t crc32_extend(std::uint32_t crc, std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  crc = ~crc;
  while (n >= 8) {
    std::uint32_t lo = 0;
    std::uint32_t hi = 0;
    std::memcpy(&lo, p, 4);  // little-endian loads (x86, the only target)
    std::memcpy(&hi, p + 4, 4);
    lo ^= crc;
    crc = kTables[7][lo & 0xff] ^ kTables[6][(lo >> 8) & 0xff] ^ kTables[5][(lo >> 16) & 0xff] ^ kTables[4][lo >> 24] ^
          kTables[3][hi & 0xff] ^ kTables[2][(hi >> 8) & 0xff] ^ kTables[1][(hi >> 16) & 0xff] ^ kTables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) crc = kTables[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return ~crc;
}

std::optional<std::string_view> Message::string_header(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.name != name) continue;
    if (const auto* s = std::get_if<std::string>(&h.value)) return std::string_view(*s);
    return std::nullopt;
  }
  return std::nullopt;
}

void encode(const Message& message, std::string& out) {
  const std::size_t begin = out.size();
  out.resize(begin + kPreludeBytes);  // filled in once the sizes are known
  for (const auto& h : message.headers) put_header(out, h);
  const std::size_t headers_size = out.size() - begin - kPreludeBytes;
  const std::size_t total = kPreludeBytes + headers_size + message.payload.size() + 4;
  if (headers_size > kMaxHeadersBytes || total > kMaxMessageBytes) {
    out.resize(begin);
    throw std::length_error("event stream message of " + std::to_string(total) + " bytes");
  }
  std::string prelude;
  prelude.reserve(kPreludeBytes);
  put_be(prelude, total, 4);
  put_be(prelude, headers_size, 4);
  put_be(prelude, crc32(prelude), 4);
  std::memcpy(out.data() + begin, prelude.data(), kPreludeBytes);
  out += message.payload;
  put_be(out, crc32(std::string_view(out).substr(begin)), 4);
}

std::string encode(const Message& message) {
  std::string out;
  encode(message, out);
  return out;
}

void Decoder::feed(std::string_view bytes) {
  if (error_) return;
  // Drop what earlier messages used before growing the buffer again.
  if (start_ > 0 && start_ >= buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  buffer_.append(bytes);
}

std::optional<Decoder::Item> Decoder::next() {
  if (error_) return *error_;
  const std::string_view in = std::string_view(buffer_).substr(start_);
  if (in.size() < kPreludeBytes) return std::nullopt;
  const auto total = static_cast<std::size_t>(get_be(in, 0, 4));
  const auto headers_size = static_cast<std::size_t>(get_be(in, 4, 4));
  const auto prelude_crc = static_cast<std::uint32_t>(get_be(in, 8, 4));
  if (crc32(in.substr(0, 8)) != prelude_crc) {
    error_ = Error{"prelude CRC mismatch"};
  } else if (total < kMinMessageBytes || total > kMaxMessageBytes) {
    error_ = Error{"message length " + std::to_string(total) + " out of range"};
  } else if (headers_size > kMaxHeadersBytes || headers_size > total - kMinMessageBytes) {
    error_ = Error{"headers length " + std::to_string(headers_size) + " out of range"};
  }
  if (error_) return *error_;
  if (in.size() < total) return std::nullopt;
  const auto message_crc = static_cast<std::uint32_t>(get_be(in, total - 4, 4));
  if (crc32(in.substr(0, total - 4)) != message_crc) {
    error_ = Error{"message CRC mismatch"};
    return *error_;
  }
  auto headers = parse_headers(in.substr(kPreludeBytes, headers_size));
  if (!headers) {
    error_ = Error{"malformed headers"};
    return *error_;
  }
  Message m;
  m.headers = std::move(*headers);
  m.payload.assign(in.substr(kPreludeBytes + headers_size, total - kMinMessageBytes - headers_size));
  start_ += total;
  return Item{std::move(m)};
}

}  // namespace shoal::api::event_stream
