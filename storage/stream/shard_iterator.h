// Shard iterators: opaque, printable, tamper-evident tokens. The payload (which
// stream incarnation, which shard, where to read next, when issued, and to
// which account when not the stream's owner) is signed
// with HMAC-SHA256 (first 16 bytes kept) and the whole is base64 (standard
// alphabet, padded, decoded strictly). Iterators live kIteratorLifetime.
// ShardIteratorCodec is immutable after construction; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/clock.h"
#include "storage/stream/result.h"

namespace shoal::storage {

inline constexpr std::chrono::minutes kIteratorLifetime{5};

struct ShardIteratorState {
  std::string account;
  std::string region;
  std::string stream_name;
  std::int64_t stream_created_ms = 0;  // a recreated stream rejects old iterators
  std::uint32_t shard_index = 0;
  std::uint64_t next_counter = 0;  // read records whose counter >= next_counter
  std::int64_t issued_ms = 0;
  // The account the iterator was issued to, when another than the stream's
  // (a reader the stream's policy lets in); empty: the owner. Only it may
  // read with the iterator.
  std::string reader_account;
  const std::string& reader() const { return reader_account.empty() ? account : reader_account; }
  bool operator==(const ShardIteratorState&) const = default;
};

class ShardIteratorCodec {
 public:
  // key: any bytes (a later issue persists it). Empty: 32 random bytes.
  explicit ShardIteratorCodec(std::string key = {});

  const std::string& key() const { return key_; }
  std::string encode(const ShardIteratorState& state) const;
  // kInvalidArgument: not base64, wrong size/version, or signature mismatch.
  // kHandleExpired: genuine but now >= issued + kIteratorLifetime (the message
  // says how long ago it expired).
  Result<ShardIteratorState> decode(std::string_view iterator, TimePoint now) const;

 private:
  std::string key_;
};

}  // namespace shoal::storage
