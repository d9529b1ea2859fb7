// How SQS names a queue on the wire: its URL (http://<host>/<account>/<name>,
// with the host the client used or the advertised one), its ARN, and the
// parsing of a URL or ARN a client passes back (any host accepted). Pure,
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/request_context.h"
#include "storage/queue/queue.h"

namespace shoal::api::sqs {

std::string queue_url(const RequestContext& ctx, const storage::QueueKey& key);
std::string queue_arn(const storage::QueueKey& key);
// arn:<partition>:sqs:<region>:<account>:<name> with an aws* partition and a
// 12-digit account; nullopt otherwise.
std::optional<storage::QueueKey> parse_queue_arn(std::string_view arn);
// The queue a URL names, in the caller's region; a bare queue name names the
// caller's own queue, as on AWS. nullopt when malformed.
std::optional<storage::QueueKey> parse_queue_url(std::string_view url, const RequestContext& ctx);
// 1 to 80 characters of [A-Za-z0-9_-], and for FIFO queues ending in ".fifo".
bool is_valid_queue_name(std::string_view name);
bool is_account_id(std::string_view text);

}  // namespace shoal::api::sqs
