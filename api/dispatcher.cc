// Temporary stub: answers every request with UnknownOperationException until
// the protocol layer lands.
#include "api/dispatcher.h"

namespace shoal::api {

struct Dispatcher::Impl {
  DispatcherOptions options;
};

Dispatcher::Dispatcher(DispatcherOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}
Dispatcher::~Dispatcher() = default;

Outcome Dispatcher::handle(ApiRequest) {
  return {transport_error(400, "UnknownOperationException", ""), nullptr};
}

ApiResponse Dispatcher::transport_error(int http_status, const std::string& code, const std::string& message) {
  ApiResponse r;
  r.status = http_status;
  r.content_type = "application/x-amz-json-1.0";
  r.headers.emplace_back("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
  r.headers.emplace_back("x-amzn-ErrorType", code);
  r.body = "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}";
  return r;
}

}  // namespace shoal::api
