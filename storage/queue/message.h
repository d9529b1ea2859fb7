// Message values of the queue engine: what a sender supplies (NewMessage),
// and deliveries and moves of stored messages (StoredMessage, packed and
// immutable: stored_message.h). Plain values, safe to read from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "storage/clock.h"
#include "storage/queue/queue_key.h"
#include "storage/queue/stored_message.h"

namespace shoal::storage {

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
