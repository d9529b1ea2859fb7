#include "api/control/fault_errors.h"

#include <array>
#include <string>

#include "api/kinesis/kinesis_errors.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api {
namespace {

// Errors AWS answers outside the service models' tables, or with a status
// those tables do not give.
struct Known {
  std::string_view code;
  int status;
  std::string_view message;
};
constexpr std::array kKnown = {
    Known{"InternalFailure", 500,
          "The request processing has failed because of an unknown error, "
          "exception or failure."},
    Known{"InternalFailureException", 500, "Internal service failure."},
    Known{"InternalError", 500, "We encountered an internal error. Please try again."},
    Known{"ServiceUnavailable", 503, "Service is unable to handle request."},
    Known{"ThrottlingException", 400, "Rate exceeded"},
    Known{"RequestThrottled", 400, "Request is throttled."},
    Known{"KMSThrottlingException", 400, "Rate exceeded"},
    Known{"ProvisionedThroughputExceededException", 400, ""},
};

}  // namespace

AwsError fault_error(std::string_view service, const FaultRule& rule, std::string_view resource,
                     std::string_view account) {
  std::string message = rule.message;
  const Known* known = nullptr;
  for (const auto& k : kKnown) {
    if (k.code == rule.error) known = &k;
  }
  if (message.empty()) {
    if (rule.error == "ProvisionedThroughputExceededException") {
      message = "Rate exceeded for stream " + std::string(resource) + " under account " + std::string(account) + ".";
    } else if (known != nullptr) {
      message = known->message;
    } else {
      message = "Injected by a Shoal fault rule.";
    }
  }
  AwsError e = service == "sqs" ? sqs::error(rule.error, message) : kinesis::error(rule.error, message);
  if (known != nullptr) {
    e.http_status = known->status;
    e.sender_fault = known->status < 500;
  }
  if (rule.status) {
    e.http_status = *rule.status;
    e.sender_fault = *rule.status < 500;
  }
  return e;
}

}  // namespace shoal::api
