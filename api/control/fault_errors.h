// The AWS error a fired fault rule answers with: the service's own error
// table for the code (status, legacy SQS code), AWS's usual wording when the
// rule gives no message, and the rule's status when it names one. Pure.
#pragma once

#include <string_view>

#include "api/aws_error.h"
#include "api/control/fault_rules.h"

namespace shoal::api {

AwsError fault_error(std::string_view service, const FaultRule& rule, std::string_view resource,
                     std::string_view account);

}  // namespace shoal::api
