// StoredMessage: one queued message, packed. Every string field and the
// message attributes live in a single byte buffer (fields back to back, their
// end offsets in a small fixed array), so a message costs its bytes plus
// about 100 bytes: no empty std::strings, no per-attribute nodes. Immutable
// once packed and shared (shared_ptr<const>) between the queue, receive
// results and change events, so receiving never copies a body. A message that
// must change (a new sequence number or dead-letter source on a move) is
// packed again with repack(). Safe to read from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "storage/clock.h"
#include "storage/queue/queue_key.h"

namespace shoal::storage {

struct MessageAttribute {
  std::string data_type;     // "String", "Number", "Binary", or with a ".custom" suffix
  std::string string_value;  // for String and Number types
  std::string binary_value;  // raw bytes, for Binary types
};

// Ordered by name: the MD5 of message attributes is computed in name order.
using MessageAttributes = std::map<std::string, MessageAttribute>;

// What a StoredMessage is packed from: views into the caller's data, copied
// by pack(). Empty views are fields that are absent.
struct MessageParts {
  std::string_view message_id;  // a UUID
  std::string_view body;
  const MessageAttributes *attributes = nullptr;  // nullptr or empty: none
  std::string_view md5_of_body;
  std::string_view md5_of_attributes;         // empty when there are no attributes
  std::string_view md5_of_system_attributes;  // empty when there are none
  std::string_view trace_header;              // AWSTraceHeader
  std::string_view sender_id;
  std::string_view group_id;          // FIFO and fair queues
  std::string_view deduplication_id;  // FIFO
  std::string_view sequence_number;   // FIFO; empty on standard queues
  TimePoint sent{};
  // The queue a dead-letter move took the message from (its
  // DeadLetterQueueSourceArn); null for messages sent here. Shared by every
  // message of one move.
  std::shared_ptr<const QueueKey> dead_letter_source;
};

class StoredMessage {
 private:
  struct Token {};  // make_shared needs a public constructor; pack() is the way in
  enum Field : std::uint8_t {
    kMessageId,
    kBody,
    kMd5OfBody,
    kMd5OfAttributes,
    kMd5OfSystemAttributes,
    kTraceHeader,
    kSenderId,
    kGroupId,
    kDeduplicationId,
    kSequenceNumber,
    kAttributes,  // encoded by pack(), decoded by attributes()
    kFieldCount
  };

 public:
  // Throws std::length_error when the fields together pass 4 GiB.
  static std::shared_ptr<const StoredMessage> pack(const MessageParts &parts);
  // This message with another sequence number and dead-letter source, the
  // rest unchanged.
  std::shared_ptr<const StoredMessage> repack(std::string_view sequence_number,
                                              std::shared_ptr<const QueueKey> dead_letter_source) const;

  std::string_view message_id() const { return field(kMessageId); }
  std::string_view body() const { return field(kBody); }
  std::string_view md5_of_body() const { return field(kMd5OfBody); }
  std::string_view md5_of_attributes() const { return field(kMd5OfAttributes); }
  std::string_view md5_of_system_attributes() const { return field(kMd5OfSystemAttributes); }
  std::string_view trace_header() const { return field(kTraceHeader); }
  std::string_view sender_id() const { return field(kSenderId); }
  std::string_view group_id() const { return field(kGroupId); }
  std::string_view deduplication_id() const { return field(kDeduplicationId); }
  std::string_view sequence_number() const { return field(kSequenceNumber); }
  TimePoint sent() const { return sent_; }
  // nullptr for messages sent to this queue.
  const QueueKey *dead_letter_source() const { return dead_letter_source_.get(); }

  // The message attributes, unpacked (a fresh map per call: callers that look
  // more than once keep it).
  MessageAttributes attributes() const;
  bool has_attributes() const { return !field(kAttributes).empty(); }

  // Bytes held in the packed buffer, for tests and memory accounting.
  std::size_t packed_size() const { return ends_[kFieldCount - 1]; }

  StoredMessage(Token, std::unique_ptr<char[]> bytes, std::array<std::uint32_t, kFieldCount> ends, TimePoint sent,
                std::shared_ptr<const QueueKey> dead_letter_source)
      : bytes_(std::move(bytes)), ends_(ends), sent_(sent), dead_letter_source_(std::move(dead_letter_source)) {}

 private:
  static std::shared_ptr<const StoredMessage> pack(const MessageParts &parts, std::string_view encoded_attributes);
  std::string_view field(Field f) const {
    const std::uint32_t begin = f == 0 ? 0 : ends_[f - 1];
    return {bytes_.get() + begin, ends_[f] - begin};
  }

  std::unique_ptr<char[]> bytes_;
  std::array<std::uint32_t, kFieldCount> ends_;
  TimePoint sent_;
  std::shared_ptr<const QueueKey> dead_letter_source_;
};

}  // namespace shoal::storage
