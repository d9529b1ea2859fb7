// Reads one message to send (SendMessage's input or one batch entry) into the
// engine's NewMessage, enforcing AWS's rules in AWS's order: body presence and
// characters, delay, attributes (count, names, types, values), size against
// the queue's MaximumMessageSize, system attributes, group and dedup ids, and
// the digests SDKs verify. Pure, thread-safe.
#pragma once

#include <cstddef>
#include <variant>

#include <nlohmann/json.hpp>

#include "api/aws_error.h"
#include "api/request_context.h"
#include "storage/queue/message.h"
#include "storage/queue/queue_attributes.h"

namespace shoal::api::sqs {

enum class MessageSource { kSingle, kBatchEntry };

std::variant<storage::NewMessage, AwsError> read_new_message(const nlohmann::json& entry,
                                                             const storage::QueueAttributes& queue,
                                                             const RequestContext& ctx, MessageSource source);

// Bytes a message counts for against size limits: body plus, per attribute,
// name, data type and value.
std::size_t message_size(const storage::NewMessage& message);

}  // namespace shoal::api::sqs
