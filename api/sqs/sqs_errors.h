// The SQS errors as AWS words them: code (__type), legacy query code, HTTP
// status and message. Codes and statuses are data in sqs_errors.cc (taken from
// the query-protocol SQS model, which still carries them); messages follow the
// recorded AWS answers. from_status() maps engine statuses. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "api/aws_error.h"
#include "storage/status.h"

namespace shoal::api::sqs {

// An error by its model shape name with the table's code and status.
AwsError error(std::string_view shape, std::string message);

AwsError queue_does_not_exist();
AwsError queue_already_exists(std::string_view attribute);
AwsError invalid_parameter_value(std::string message);
// "Value <v> for parameter <p> is invalid. Reason: <reason>"
AwsError invalid_parameter(std::string_view parameter, std::string_view value, std::string_view reason);
AwsError missing_parameter(std::string_view parameter);
AwsError invalid_attribute_name(std::string message);
AwsError invalid_attribute_value(std::string message);
AwsError invalid_message_contents();
AwsError purge_in_progress(std::string_view queue_name);
AwsError empty_batch(std::string_view entry_shape);
AwsError too_many_entries(std::size_t sent);
AwsError ids_not_distinct(std::string_view id);
AwsError invalid_batch_entry_id();
AwsError batch_request_too_long(std::size_t bytes);
AwsError receipt_handle_invalid(std::string_view handle);
AwsError message_not_inflight();
AwsError unknown_operation(std::string_view action);
// ResourceNotFoundException for a queue ARN parameter (SourceArn, DestinationArn).
AwsError arn_not_found(std::string_view parameter);
AwsError move_task_does_not_exist();
// AccessDenied (403): a call on another account's queue that its policy does not allow.
AwsError access_denied(std::string message);

// Maps a failed engine status for an operation that names a receipt handle.
AwsError from_status(const storage::Status& status, std::string_view receipt_handle = {});

}  // namespace shoal::api::sqs
