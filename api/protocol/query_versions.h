// The SQS query API's Version parameter: which versions AWS serves and which
// actions each one knows. A request without Version gets the original
// 2009-02-01 API, in which GetQueueUrl, the batch actions and everything added
// since do not exist (AWS answers SendMessageBatch or DeleteMessageBatch sent
// without Version with InvalidAction "... is not valid for this endpoint.").
// Answers keep the 2012-11-05 shapes and namespace whatever the version.
// Constant data and pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/aws_error.h"

namespace shoal::api {

// Nothing when `action` (a known SQS action) may run under `version` (null:
// the request had none); else MalformedVersion for a Version that is not
// YYYY-MM-DD, NoSuchVersion for a date that names no SQS API, InvalidAction
// for an action the version does not have.
std::optional<AwsError> check_query_version(std::string_view action, const std::string* version);

}  // namespace shoal::api
