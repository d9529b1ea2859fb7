// Message values of the queue engine. A StoredMessage is immutable once sent
// and shared (by shared_ptr<const>) between the queue and receive results, so
// receiving never copies a body. Safe to read from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

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

// What a sender supplies; digests are computed by the caller (api) once.
struct NewMessage {
  std::string body;
  MessageAttributes attributes;
  std::string md5_of_body;
  std::string md5_of_attributes;         // empty when there are no attributes
  std::string md5_of_system_attributes;  // empty when there are none
  std::string trace_header;              // AWSTraceHeader, empty when absent
  std::string sender_id;
  std::optional<std::chrono::seconds> delay;  // nullopt: the queue's DelaySeconds
  std::string group_id;                       // FIFO and fair queues; empty when absent
  std::string deduplication_id;               // FIFO; empty when absent
};

struct StoredMessage {
  std::string message_id;  // a UUID
  std::string body;
  MessageAttributes attributes;
  std::string md5_of_body;
  std::string md5_of_attributes;
  std::string md5_of_system_attributes;
  std::string trace_header;
  std::string sender_id;
  std::string group_id;
  std::string deduplication_id;
  std::string sequence_number;  // FIFO; empty on standard queues
  TimePoint sent;
  // The queue a dead-letter move took the message from (its
  // DeadLetterQueueSourceArn); nullopt for messages sent here.
  std::optional<QueueKey> dead_letter_source;
};

// One delivery of a message: the stored message plus this receive's state.
struct ReceivedMessage {
  std::shared_ptr<const StoredMessage> message;
  std::string receipt_handle;  // new on every receive
  int receive_count = 0;       // including this receive
  TimePoint first_receive;
};

// A message leaving one queue for another (a dead-letter move or a move
// task), with the delivery state it may carry along.
struct MovedMessage {
  std::shared_ptr<const StoredMessage> message;
  int receive_count = 0;  // receives so far; 0 when never received
  TimePoint first_receive{};
  // Where it was taken from, for the log: the queue's durable id and the
  // message's number there.
  std::uint64_t from = 0;
  std::uint64_t from_seq = 0;
};

}  // namespace shoal::storage
