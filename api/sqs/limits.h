// SQS limits that the service model does not carry, kept as data in one place
// (AWS SQS quotas as documented today). constexpr, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

namespace shoal::api::sqs::limits {

inline constexpr std::int64_t kMaxMessageBytes = 1'048'576;  // also the batch total
inline constexpr std::int64_t kMinMaximumMessageSize = 1'024;
inline constexpr std::size_t kMaxMessageAttributes = 10;
inline constexpr std::size_t kMaxAttributeNameLength = 256;
inline constexpr std::size_t kMaxBatchEntries = 10;
inline constexpr std::size_t kMaxBatchEntryIdLength = 80;
inline constexpr std::size_t kMaxQueueNameLength = 80;
inline constexpr int kMinReceiveMessages = 1;
inline constexpr int kMaxReceiveMessages = 10;
inline constexpr int kMaxWaitTimeSeconds = 20;
inline constexpr int kMaxVisibilityTimeoutSeconds = 43'200;  // 12 hours
inline constexpr int kMaxDelaySeconds = 900;
inline constexpr int kMinRetentionSeconds = 60;
inline constexpr int kMaxRetentionSeconds = 1'209'600;  // 14 days
inline constexpr int kMinKmsReuseSeconds = 60;
inline constexpr int kMaxKmsReuseSeconds = 86'400;
inline constexpr int kMaxListQueuesResults = 1'000;
inline constexpr std::size_t kMaxTagsPerQueue = 50;
inline constexpr std::size_t kMaxPermissionLabelLength = 80;
inline constexpr std::size_t kMaxPermissionActions = 7;  // "seven actions per statement"
inline constexpr int kMinMaxReceiveCount = 1;  // RedrivePolicy maxReceiveCount
inline constexpr int kMaxMaxReceiveCount = 1'000;
inline constexpr std::size_t kMaxRedriveSourceQueueArns = 10;  // RedriveAllowPolicy byQueue
inline constexpr int kMaxListDeadLetterSourceQueuesResults = 1'000;
inline constexpr int kMaxMoveTaskMessagesPerSecond = 500;
inline constexpr int kMaxListMoveTasksResults = 10;

}  // namespace shoal::api::sqs::limits
