// Receipt handles of the standard-queue engine: a pure encoding, no state.
// A handle names one receive of one message of one queue instance:
//   byte 0      format version (1)
//   bytes 1-8   queue instance id (random per Queue object, big-endian)
//   bytes 9-16  message sequence number within the queue
//   bytes 17-24 receive nonce (the queue's receive counter at that receive)
//   bytes 25-32 check: a keyed 64-bit mix of the above with the queue's secret
// rendered as unpadded base64url (44 printable characters, no '+', '/', '=').
// The check is not cryptographic; it rejects garbage and casual forgery.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/status.h"

namespace shoal::storage {

struct ReceiptHandleFields {
  std::uint64_t queue_id = 0;
  std::uint64_t seq = 0;
  std::uint64_t nonce = 0;
};

inline constexpr std::size_t kReceiptHandleLength = 44;

std::string encode_receipt_handle(const ReceiptHandleFields& fields, std::uint64_t secret);

struct DecodedReceiptHandle {
  Status status;  // ok, or kInvalidHandle saying why
  std::uint64_t seq = 0;
  std::uint64_t nonce = 0;
};

// Decodes a handle expected to come from the queue instance (queue_id, secret).
DecodedReceiptHandle decode_receipt_handle(std::string_view handle, std::uint64_t queue_id,
                                           std::uint64_t secret);

}  // namespace shoal::storage
