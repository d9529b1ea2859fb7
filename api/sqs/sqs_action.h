// What every SQS action handler receives (SqsCall) and the helpers they share:
// reading members of the validated input, and resolving the queue a QueueUrl
// names, which is where another account's access is checked (queue_access.h).
// Handlers are free functions, one file each under api/sqs/actions/, listed
// in the table in sqs_service.cc. Thread-safe: a call is per request.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/action_result.h"
#include "api/common/json_members.h"
#include "api/request_context.h"
#include "storage/clock.h"
#include "storage/queue/queue_registry.h"

namespace shoal::api::sqs {

struct SqsCall {
  const RequestContext& ctx;
  const nlohmann::json& input;  // validated against the operation's input shape
  storage::QueueRegistry& queues;
  const storage::Clock& clock;
  std::string_view action = {};  // the AWS action name, which access is checked for
};

// The queue named by input["QueueUrl"]; when absent, `error` says why:
// QueueDoesNotExist, or AccessDenied when it is another account's queue and
// its policy does not let the caller do call.action.
struct ResolvedQueue {
  std::shared_ptr<storage::Queue> queue;
  AwsError error;
};
ResolvedQueue resolve_queue(const SqsCall& call);
// The queue named by the ARN in input[parameter]; when it does not exist,
// `error` is ResourceNotFoundException naming the parameter (AccessDenied as
// above). Access is checked for `action`, call.action when empty.
ResolvedQueue resolve_queue_arn(const SqsCall& call, const char* parameter, std::string_view action = {});

// Sends one validated message; the answer's MessageId, digests and sequence number.
nlohmann::json send_and_describe(storage::Queue& queue, storage::NewMessage message);

#define SHOAL_SQS_ACTION(fn) ActionResult fn(const SqsCall& call)
SHOAL_SQS_ACTION(add_permission);
SHOAL_SQS_ACTION(cancel_message_move_task);
SHOAL_SQS_ACTION(change_message_visibility);
SHOAL_SQS_ACTION(change_message_visibility_batch);
SHOAL_SQS_ACTION(create_queue);
SHOAL_SQS_ACTION(delete_message);
SHOAL_SQS_ACTION(delete_message_batch);
SHOAL_SQS_ACTION(delete_queue);
SHOAL_SQS_ACTION(get_queue_attributes);
SHOAL_SQS_ACTION(get_queue_url);
SHOAL_SQS_ACTION(list_dead_letter_source_queues);
SHOAL_SQS_ACTION(list_message_move_tasks);
SHOAL_SQS_ACTION(list_queue_tags);
SHOAL_SQS_ACTION(list_queues);
SHOAL_SQS_ACTION(purge_queue);
SHOAL_SQS_ACTION(receive_message);
SHOAL_SQS_ACTION(remove_permission);
SHOAL_SQS_ACTION(send_message);
SHOAL_SQS_ACTION(send_message_batch);
SHOAL_SQS_ACTION(set_queue_attributes);
SHOAL_SQS_ACTION(start_message_move_task);
SHOAL_SQS_ACTION(tag_queue);
SHOAL_SQS_ACTION(untag_queue);
#undef SHOAL_SQS_ACTION

}  // namespace shoal::api::sqs
