// Finding the queue a peek names, shared by /_shoal/sqs/messages and
// LocalStack's /_aws/sqs/messages: QueueUrl (any host; the region from the
// region parameter or the request's signature), or queue=<name> with
// account and region parameters. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "api/control/control_call.h"
#include "storage/queue/queue.h"

namespace shoal::api::control {

struct PeekQueue {
  std::shared_ptr<storage::Queue> queue;  // null: see the error fields
  int status = 400;
  std::string code;  // SQS legacy codes, as LocalStack answers them
  std::string message;
};

PeekQueue find_peek_queue(const ControlCall& call);
// The same for a queue named by the path /<region>/<account>/<name>.
PeekQueue find_peek_queue(const ControlCall& call, std::string_view region_account_name);

}  // namespace shoal::api::control
