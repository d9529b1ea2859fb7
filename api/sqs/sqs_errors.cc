#include "api/sqs/sqs_errors.h"

#include <array>

namespace shoal::api::sqs {
namespace {

struct ErrorRow {
  std::string_view shape;       // __type
  std::string_view query_code;  // legacy code; empty = shape
  int status;
};

// From the exception shapes of the query-protocol SQS model (error.code and
// httpStatusCode), plus the common errors AWS answers with outside the model.
constexpr std::array kErrors = {
    ErrorRow{"BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400},
    ErrorRow{"BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", 400},
    ErrorRow{"EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", 400},
    ErrorRow{"InvalidAttributeName", "", 400},
    ErrorRow{"InvalidAttributeValue", "", 400},
    ErrorRow{"InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", 400},
    ErrorRow{"InvalidIdFormat", "", 400},
    ErrorRow{"InvalidMessageContents", "", 400},
    ErrorRow{"MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", 400},
    ErrorRow{"OverLimit", "OverLimit", 403},
    ErrorRow{"PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", 403},
    ErrorRow{"QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently", 400},
    ErrorRow{"QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400},
    ErrorRow{"QueueNameExists", "QueueAlreadyExists", 400},
    ErrorRow{"ReceiptHandleIsInvalid", "", 400},
    ErrorRow{"TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400},
    ErrorRow{"UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", 400},
    ErrorRow{"ResourceNotFoundException", "ResourceNotFoundException", 404},
    ErrorRow{"InvalidParameterValueException", "InvalidParameterValue", 400},
    ErrorRow{"MissingRequiredParameterException", "MissingParameter", 400},
    ErrorRow{"UnknownOperationException", "", 400},
    ErrorRow{"InternalFailure", "", 500},
    // Not in the model: the access-denied answer of every action. boto3 reads
    // the legacy code from x-amzn-query-error.
    ErrorRow{"AccessDeniedException", "AccessDenied", 403},
};

}  // namespace

AwsError error(std::string_view shape, std::string message) {
  for (const auto& row : kErrors) {
    if (row.shape == shape) {
      return AwsError{std::string(row.shape), std::string(row.query_code.empty() ? row.shape : row.query_code),
                      row.status, row.status < 500, std::move(message)};
    }
  }
  return AwsError{std::string(shape), std::string(shape), 400, true, std::move(message)};
}

AwsError queue_does_not_exist() { return error("QueueDoesNotExist", "The specified queue does not exist."); }

AwsError queue_already_exists(std::string_view attribute) {
  return error("QueueNameExists",
               "A queue already exists with the same name and a different value for attribute " +
                   std::string(attribute));
}

AwsError invalid_parameter_value(std::string message) {
  return error("InvalidParameterValueException", std::move(message));
}

AwsError invalid_parameter(std::string_view parameter, std::string_view value, std::string_view reason) {
  return invalid_parameter_value("Value " + std::string(value) + " for parameter " + std::string(parameter) +
                                 " is invalid. Reason: " + std::string(reason));
}

AwsError missing_parameter(std::string_view parameter) {
  return error("MissingRequiredParameterException",
               "The request must contain the parameter " + std::string(parameter) + ".");
}

AwsError invalid_attribute_name(std::string message) { return error("InvalidAttributeName", std::move(message)); }
AwsError invalid_attribute_value(std::string message) { return error("InvalidAttributeValue", std::move(message)); }

AwsError invalid_message_contents() {
  return error("InvalidMessageContents", "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | "
                                         "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
}

AwsError purge_in_progress(std::string_view queue_name) {
  return error("PurgeQueueInProgress",
               "Only one PurgeQueue operation on " + std::string(queue_name) + " is allowed every 60 seconds.");
}

AwsError empty_batch(std::string_view entry_shape) {
  return error("EmptyBatchRequest",
               "There should be at least one " + std::string(entry_shape) + " in the request.");
}

AwsError too_many_entries(std::size_t sent) {
  return error("TooManyEntriesInBatchRequest",
               "Maximum number of entries per request are 10. You have sent " + std::to_string(sent) + ".");
}

AwsError ids_not_distinct(std::string_view id) {
  return error("BatchEntryIdsNotDistinct", "Id " + std::string(id) + " repeated.");
}

AwsError invalid_batch_entry_id() {
  return error("InvalidBatchEntryId",
               "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
               "It can be at most 80 letters long.");
}

AwsError batch_request_too_long(std::size_t bytes) {
  return error("BatchRequestTooLong", "Batch requests cannot be longer than 1048576 bytes. You have sent " +
                                          std::to_string(bytes) + " bytes.");
}

AwsError receipt_handle_invalid(std::string_view handle) {
  return error("ReceiptHandleIsInvalid",
               "The input receipt handle \"" + std::string(handle) + "\" is not a valid receipt handle.");
}

AwsError message_not_inflight() { return error("MessageNotInflight", "Message does not exist or is not available for visibility timeout change."); }

AwsError unknown_operation(std::string_view action) {
  return error("UnknownOperationException", "Unknown operation " + std::string(action) + ".");
}

AwsError arn_not_found(std::string_view parameter) {
  return error("ResourceNotFoundException",
               "The resource that you specified for the " + std::string(parameter) + " parameter doesn't exist.");
}

AwsError access_denied(std::string message) { return error("AccessDeniedException", std::move(message)); }

AwsError move_task_does_not_exist() { return error("ResourceNotFoundException", "Task does not exist."); }

AwsError from_status(const storage::Status& status, std::string_view receipt_handle) {
  using Code = storage::Status::Code;
  switch (status.code()) {
    case Code::kNotFound:
      return queue_does_not_exist();
    case Code::kInvalidHandle:
      return receipt_handle_invalid(receipt_handle);
    case Code::kHandleExpired:
      return invalid_parameter("ReceiptHandle", receipt_handle, "The receipt handle has expired.");
    case Code::kNotInflight:
      return message_not_inflight();
    case Code::kInvalidArgument:
      return invalid_parameter_value(status.message());
    default:
      return error("InternalFailure", status.message());
  }
}

}  // namespace shoal::api::sqs
