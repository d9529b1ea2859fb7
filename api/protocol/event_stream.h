// AWS event streams (application/vnd.amazon.eventstream): the binary framing
// of SubscribeToShard's answer. A message is a prelude (total length, headers
// length: big-endian u32), the prelude's CRC32, typed headers, the payload
// and the CRC32 of everything before it (IEEE/zlib CRC32, not CRC32C).
// The encoder appends messages to a buffer; EventStreamDecoder takes bytes
// as they arrive (a frame may be split anywhere) and yields whole messages.
// Pure functions; a decoder instance is not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace shoal::api::event_stream {

// IEEE 802.3 CRC32 (reflected 0xEDB88320), as zlib computes it;
// crc32_extend(crc32(a), b) == crc32(a + b). crc32("123456789") == 0xCBF43926.
std::uint32_t crc32_extend(std::uint32_t crc, std::string_view data);
inline std::uint32_t crc32(std::string_view data) { return crc32_extend(0, data); }

// Header value types, by their wire tag.
enum class HeaderType : std::uint8_t {
  kBoolTrue = 0,
  kBoolFalse = 1,
  kByte = 2,
  kShort = 3,
  kInt = 4,
  kLong = 5,
  kBytes = 6,
  kString = 7,
  kTimestamp = 8,  // epoch milliseconds, i64
  kUuid = 9,       // 16 bytes
};

// Distinct wrappers where two wire types share a C++ representation.
struct Bytes {
  std::string value;
  bool operator==(const Bytes&) const = default;
};
struct Timestamp {
  std::int64_t epoch_ms = 0;
  bool operator==(const Timestamp&) const = default;
};
struct Uuid {
  std::string value;  // exactly 16 bytes
  bool operator==(const Uuid&) const = default;
};

using HeaderValue =
    std::variant<bool, std::int8_t, std::int16_t, std::int32_t, std::int64_t, Bytes, std::string, Timestamp, Uuid>;

struct Header {
  std::string name;  // 1..255 bytes
  HeaderValue value;
  bool operator==(const Header&) const = default;
};

struct Message {
  std::vector<Header> headers;
  std::string payload;
  bool operator==(const Message&) const = default;

  // The value of a string header, if present and a string.
  std::optional<std::string_view> string_header(std::string_view name) const;
};

// Limits of AWS's own implementation (aws-c-event-stream): larger frames are
// refused by SDK decoders, so the encoder never writes them.
inline constexpr std::size_t kPreludeBytes = 12;
inline constexpr std::size_t kMinMessageBytes = 16;  // prelude + message CRC
inline constexpr std::size_t kMaxMessageBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxHeadersBytes = 128 * 1024;

// Appends the framed message. Throws std::length_error when a header name or
// value, the headers or the whole message exceed the format's limits.
void encode(const Message& message, std::string& out);
std::string encode(const Message& message);

// Decodes a stream of messages fed in pieces. After an error every later
// next() repeats it: a broken frame leaves no way to find the next one.
class Decoder {
 public:
  struct Error {
    std::string message;  // "prelude CRC mismatch", "message CRC mismatch", ...
  };
  using Item = std::variant<Message, Error>;

  // Appends bytes; they are consumed by next().
  void feed(std::string_view bytes);
  // The next whole message, an error, or nullopt when more bytes are needed.
  std::optional<Item> next();
  // Bytes fed but not yet part of a returned message.
  std::size_t buffered() const { return buffer_.size() - start_; }

 private:
  std::string buffer_;
  std::size_t start_ = 0;
  std::optional<Error> error_;
};

}  // namespace shoal::api::event_stream
