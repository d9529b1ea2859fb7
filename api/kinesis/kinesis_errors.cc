#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {

AwsError error(std::string_view code, std::string message) {
  bool internal = code == "InternalFailureException" || code == "InternalFailure";
  return AwsError{std::string(code), "", internal ? 500 : 400, !internal, std::move(message)};
}

AwsError stream_not_found(std::string_view name, std::string_view account) {
  return error("ResourceNotFoundException",
               "Stream " + std::string(name) + " under account " + std::string(account) + " not found.");
}

AwsError resource_not_found(std::string message) { return error("ResourceNotFoundException", std::move(message)); }
AwsError resource_in_use(std::string message) { return error("ResourceInUseException", std::move(message)); }
AwsError invalid_argument(std::string message) { return error("InvalidArgumentException", std::move(message)); }
AwsError limit_exceeded(std::string message) { return error("LimitExceededException", std::move(message)); }
AwsError expired_iterator(std::string message) { return error("ExpiredIteratorException", std::move(message)); }
AwsError validation(std::string message) { return error("ValidationException", std::move(message)); }
AwsError unknown_operation() { return error("UnknownOperationException", ""); }

}  // namespace shoal::api::kinesis
