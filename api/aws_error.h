// AwsError: one AWS error as a value, independent of the wire protocol. The
// codec that decoded the request renders it (JSON/CBOR body and headers, or an
// XML ErrorResponse). Plain value.
#pragma once

#include <string>

namespace shoal::api {

struct AwsError {
  std::string code;        // the model's shape name, e.g. "QueueDoesNotExist" (the __type)
  std::string query_code;  // the legacy code, e.g. "AWS.SimpleQueueService.NonExistentQueue";
                           // empty: same as code
  int http_status = 400;
  bool sender_fault = true;  // "Sender" or "Receiver" in x-amzn-query-error
  std::string message;

  const std::string& legacy_code() const { return query_code.empty() ? code : query_code; }
};

}  // namespace shoal::api
