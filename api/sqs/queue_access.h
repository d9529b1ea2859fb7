// Who may call an SQS action on a queue: its owner always; another account
// only for the actions AWS shares across accounts, when the queue's Policy
// attribute (AddPermission writes into it) allows the caller and denies
// nothing. Also which actions AddPermission may name. Consulted where a
// queue is resolved from a URL, ARN or handle (sqs_action.cc). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/aws_error.h"
#include "api/request_context.h"
#include "storage/queue/queue.h"

namespace shoal::api::sqs {

// The IAM action an SQS action is authorized as: a batch as its single form
// (SendMessageBatch as SendMessage...), as AWS documents for AddPermission.
std::string_view permission_action(std::string_view action);

// nullopt when `ctx`'s account may call `action` on the queue `key` names;
// otherwise AccessDenied. `queue` is the queue found under `key`, null when
// none: a queue of another account that does not exist is refused the same
// way, so its existence does not leak.
std::optional<AwsError> check_queue_access(const RequestContext& ctx, std::string_view action,
                                           const storage::QueueKey& key, const storage::Queue* queue);

// Why AddPermission refuses to name `action` ("*" or a shared action name
// passes): "Only the queue owner is allowed to invoke this action." for
// owner-only actions, "Please refer to the appropriate WSDL for a list of
// valid actions." for unknown names (batch names included).
std::optional<std::string> add_permission_refusal(std::string_view action);

}  // namespace shoal::api::sqs
