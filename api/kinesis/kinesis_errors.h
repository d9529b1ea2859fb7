// The Kinesis errors as AWS answers them: the short __type, HTTP 400 (500 for
// internal failures) and AWS's message text. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "api/aws_error.h"

namespace shoal::api::kinesis {

AwsError error(std::string_view code, std::string message);

// "Stream <name> under account <account> not found."
AwsError stream_not_found(std::string_view name, std::string_view account);
AwsError resource_not_found(std::string message);
AwsError resource_in_use(std::string message);
AwsError invalid_argument(std::string message);
AwsError limit_exceeded(std::string message);
AwsError expired_iterator(std::string message);
AwsError validation(std::string message);
AwsError unknown_operation();

}  // namespace shoal::api::kinesis
