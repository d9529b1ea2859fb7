// RedrivePolicy and RedriveAllowPolicy: AWS's JSON text parsed into the
// engine's typed view (QueueAttributes::dead_letter) with AWS's errors, and
// the checks that look at the dead-letter queue itself (it exists, same type,
// same owner, its RedriveAllowPolicy admits the source). The parsers are pure;
// check_dead_letter_target reads the registry. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/aws_error.h"
#include "storage/queue/queue_attributes.h"
#include "storage/queue/queue_registry.h"

namespace shoal::api::sqs {

// "" clears the policy. Otherwise a JSON map with exactly deadLetterTargetArn
// (a queue ARN) and maxReceiveCount (1-1000, a number or numeric string);
// stored normalized as {"deadLetterTargetArn":"…","maxReceiveCount":N}.
std::optional<AwsError> parse_redrive_policy(const std::string& text, storage::QueueAttributes& target);
// "" clears it. Otherwise {"redrivePermission": allowAll|denyAll|byQueue,
// "sourceQueueArns": [1-10 ARNs, byQueue only]}.
std::optional<AwsError> parse_redrive_allow_policy(const std::string& text, storage::QueueAttributes& target);
// For a queue `source` about to get `wanted` (with wanted.dead_letter set):
// the dead-letter queue must exist, have the source's type and owner, and
// admit the source by its RedriveAllowPolicy. Errors echo `policy_text`, the
// RedrivePolicy as the client sent it.
std::optional<AwsError> check_dead_letter_target(const storage::QueueRegistry& queues, const storage::QueueKey& source,
                                                 const storage::QueueAttributes& wanted,
                                                 const std::string& policy_text);
// The RedrivePolicy member of a request's Attributes as sent ("" when absent).
std::string requested_redrive_policy(const nlohmann::json* attributes);

}  // namespace shoal::api::sqs
