// ApiRequests as the server hands them to the Dispatcher, for tests that
// drive it directly: an SQS JSON call, a Kinesis JSON call, a control call.
// Plain functions; header-only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "api/api_request.h"

namespace shoal::api::test {

inline ApiRequest sqs_request(const std::string &action,
                              const nlohmann::json &body) {
  ApiRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers = {{"x-amz-target", "AmazonSQS." + action},
               {"content-type", "application/x-amz-json-1.0"},
               {"host", "localhost:4566"}};
  r.body = body.dump();
  return r;
}

inline ApiRequest kinesis_request(const std::string &action,
                                  const nlohmann::json &body) {
  ApiRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers = {{"x-amz-target", "Kinesis_20131202." + action},
               {"content-type", "application/x-amz-json-1.1"}};
  r.body = body.dump();
  return r;
}

inline ApiRequest control_request(const std::string &method,
                                  const std::string &path) {
  ApiRequest r;
  r.method = method;
  r.path = path;
  return r;
}

} // namespace shoal::api::test
