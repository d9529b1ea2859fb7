// Internal to the change codec (change_codec.cc and its per-service halves):
// the byte layouts of the values several change records share (tag maps, keys,
// queue attributes, StoredMessage, hash-key ranges), and the per-service
// encoders and decoders change_codec.cc dispatches to by tag. Not part of the
// storage API; pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "storage/durability/byte_codec.h"
#include "storage/queue/queue_changes.h"
#include "storage/stream/stream_changes.h"

namespace shoal::storage::durability {

namespace fields {

void put(ByteWriter& w, const std::map<std::string, std::string>& m);
void get(ByteReader& r, std::map<std::string, std::string>& m);
void put(ByteWriter& w, const std::vector<std::string>& v);
void get(ByteReader& r, std::vector<std::string>& v);
void put(ByteWriter& w, const std::vector<std::uint32_t>& v);
void get(ByteReader& r, std::vector<std::uint32_t>& v);
void put(ByteWriter& w, const QueueKey& k);
void get(ByteReader& r, QueueKey& k);
void put(ByteWriter& w, const StreamKey& k);
void get(ByteReader& r, StreamKey& k);
void put(ByteWriter& w, const QueueAttributes& a);
void get(ByteReader& r, QueueAttributes& a);
void put(ByteWriter& w, const StoredMessage& m);
std::shared_ptr<const StoredMessage> get_message(ByteReader& r);
void put_opt_int(ByteWriter& w, const std::optional<int>& v);
std::optional<int> get_opt_int(ByteReader& r);
void put(ByteWriter& w, const HashKeyRange& range);
void get(ByteReader& r, HashKeyRange& range);
void put(ByteWriter& w, const std::optional<QueueKey>& k);
void get(ByteReader& r, std::optional<QueueKey>& k);

}  // namespace fields

// Decodes alternative `index` of V with `read(value)` (which knows the
// overloads of that service's records) into out; false for an index V lacks.
template <typename V, typename Read, std::size_t I = 0>
bool decode_alternative(std::size_t index, V& out, Read&& read) {
  if constexpr (I < std::variant_size_v<V>) {
    if (index == I) {
      std::variant_alternative_t<I, V> value;
      read(value);
      out = std::move(value);
      return true;
    }
    return decode_alternative<V, Read, I + 1>(index, out, std::forward<Read>(read));
  } else {
    return false;
  }
}

// A change's fields, without its tag (queue_change_codec.cc, stream_change_codec.cc).
void put_fields(ByteWriter& w, const QueueChange& change);
void put_fields(ByteWriter& w, const StreamChange& change);
// false: `index` names no alternative.
bool get_fields(std::size_t index, ByteReader& r, QueueChange& out);
bool get_fields(std::size_t index, ByteReader& r, StreamChange& out);

}  // namespace shoal::storage::durability
