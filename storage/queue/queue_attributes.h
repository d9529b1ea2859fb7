// The typed configuration of one queue: what SetQueueAttributes can change.
// Defaults are AWS's. Translation to and from AWS's string attributes, and
// validation of ranges, belong to the api layer.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "storage/queue/queue_key.h"

namespace shoal::storage {

struct QueueAttributes {
  std::chrono::seconds visibility_timeout{30};
  std::int64_t maximum_message_size = 1'048'576;
  std::chrono::seconds message_retention{345'600};  // 4 days
  std::chrono::seconds delay{0};
  std::chrono::seconds receive_message_wait{0};
  std::string policy;                // JSON text, empty when none
  std::string redrive_policy;        // JSON text, empty when none
  std::optional<DeadLetterTarget> dead_letter;  // redrive_policy's meaning; nullopt when none
  std::string redrive_allow_policy;  // JSON text, empty when none
  std::string kms_master_key_id;     // empty when none
  std::chrono::seconds kms_data_key_reuse_period{300};
  bool sqs_managed_sse_enabled = true;
  bool fifo = false;
  bool content_based_deduplication = false;
  std::string deduplication_scope;    // FIFO: "queue" or "messageGroup"
  std::string fifo_throughput_limit;  // FIFO: "perQueue" or "perMessageGroupId"

  bool operator==(const QueueAttributes&) const = default;
};

}  // namespace shoal::storage
