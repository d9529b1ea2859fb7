// The binary form of the engines' changes (queue_changes.h, stream_changes.h)
// as journal records. A record is one tag byte naming the change type, then
// its fields in declaration order with byte_codec.h's primitives. Tags 1..63
// are queue changes, 64..127 stream changes; a tag is never reused for a
// different layout (a new layout gets a new tag), so old logs stay readable.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "storage/queue/queue_changes.h"
#include "storage/stream/stream_changes.h"

namespace shoal::storage::durability {

std::string encode_change(const QueueChange& change);
std::string encode_change(const StreamChange& change);

// A decoded record. Views inside (RecordsPut, ShardRecordsImage) point into
// the record passed to decode_change.
using Change = std::variant<QueueChange, StreamChange>;
// nullopt: unknown tag, short or malformed record, or trailing bytes.
std::optional<Change> decode_change(std::string_view record);

}  // namespace shoal::storage::durability
