// Shared rules of the SQS batch actions: the entry list must be non-empty,
// hold at most 10 entries with valid, distinct ids; per-entry failures are
// reported as {Id, SenderFault, Code, Message}. Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/aws_error.h"

namespace shoal::api::sqs {

// `entries` may be null (absent). `entry_shape` names the entry type in the
// EmptyBatchRequest message, e.g. "SendMessageBatchRequestEntry".
std::optional<AwsError> check_batch(const nlohmann::json* entries, std::string_view entry_shape);

nlohmann::json batch_failure(const std::string& id, const AwsError& error);

}  // namespace shoal::api::sqs
