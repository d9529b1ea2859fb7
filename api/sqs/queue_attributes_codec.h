// Translates between AWS's string-valued queue attributes and the engine's
// typed QueueAttributes: parsing with AWS's ranges and errors for CreateQueue
// and SetQueueAttributes, and rendering for GetQueueAttributes. Pure functions
// over their arguments, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/aws_error.h"
#include "storage/queue/queue.h"

namespace shoal::api::sqs {

enum class AttributeUse { kCreate, kSet };

// Applies `attributes` (an object of name -> string) onto `target`, whose
// `fifo` flag says the queue type. nullopt on success.
std::optional<AwsError> apply_queue_attributes(const nlohmann::json& attributes, AttributeUse use,
                                               storage::QueueAttributes& target);

// The attribute names `requested` (with "All" expanded) rendered for `queue`.
nlohmann::json render_queue_attributes(const storage::Queue& queue, const std::vector<std::string>& requested);

// For CreateQueue on an existing queue: the first requested attribute whose
// value differs from the queue's, or nullopt when all match.
std::optional<std::string> first_differing_attribute(const nlohmann::json& requested,
                                                     const storage::QueueAttributes& existing);

}  // namespace shoal::api::sqs
