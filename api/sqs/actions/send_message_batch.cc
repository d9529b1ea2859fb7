// SendMessageBatch: up to 10 messages, at most 1 MiB in all; each entry
// succeeds or fails on its own, except for a FIFO entry missing its ids.
#include "api/sqs/batch.h"
#include "api/sqs/limits.h"
#include "api/sqs/message_input.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {
namespace {

// On a FIFO queue an entry without its group id, or without a deduplication id
// where the queue does not derive one, fails the whole request (400), not the
// entry alone: AWS's recorded answers (test_send_batch_missing_*_for_fifo_queue).
std::optional<AwsError> check_fifo_ids(const nlohmann::json& entries, const storage::QueueAttributes& queue) {
  if (!queue.fifo) return std::nullopt;
  for (const auto& entry : entries) {
    if (!queue.content_based_deduplication && string_member(entry, "MessageDeduplicationId").value_or("").empty()) {
      return invalid_parameter_value(
          "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided "
          "explicitly");
    }
    if (string_member(entry, "MessageGroupId").value_or("").empty()) {
      return invalid_parameter_value("The request must contain the parameter MessageGroupId.");
    }
  }
  return std::nullopt;
}

}  // namespace

ActionResult send_message_batch(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  const auto* entries = member(call.input, "Entries");
  if (auto invalid = check_batch(entries, "SendMessageBatchRequestEntry")) return ActionResult::fail(*invalid);

  auto attributes = queue->attributes();
  if (auto missing = check_fifo_ids(*entries, attributes)) return ActionResult::fail(*missing);
  std::vector<std::variant<storage::NewMessage, AwsError>> reads;
  std::size_t total = 0;
  for (const auto& entry : *entries) {
    reads.push_back(read_new_message(entry, attributes, call.ctx, MessageSource::kBatchEntry));
    if (auto* message = std::get_if<storage::NewMessage>(&reads.back())) total += message_size(*message);
  }
  if (total > static_cast<std::size_t>(limits::kMaxMessageBytes)) {
    return ActionResult::fail(batch_request_too_long(total));
  }

  nlohmann::json successful = nlohmann::json::array();
  nlohmann::json failed = nlohmann::json::array();
  for (std::size_t i = 0; i < reads.size(); ++i) {
    auto id = (*entries)[i].value("Id", "");
    if (auto* invalid = std::get_if<AwsError>(&reads[i])) {
      failed.push_back(batch_failure(id, *invalid));
      continue;
    }
    auto result = send_and_describe(*queue, std::move(std::get<storage::NewMessage>(reads[i])));
    result["Id"] = id;
    successful.push_back(std::move(result));
  }
  return ActionResult::ok({{"Successful", std::move(successful)}, {"Failed", std::move(failed)}});
}

}  // namespace shoal::api::sqs
