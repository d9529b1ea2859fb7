// libFuzzer target: the SQS query protocol's form decoding
// (api/protocol/query_form.h, query_protocol.h, query_codec.h): the input is
// a form body (after one byte that picks the operation) decoded into the
// operation's input, then validated like a request; and the same bytes as a
// request's query string and form body through query_action.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "api/model/validator.h"
#include "api/protocol/query_codec.h"
#include "api/protocol/query_form.h"
#include "api/protocol/query_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& operations = shoal::api::sqs_query_model().operations();
  auto it = operations.begin();
  std::advance(it, data[0] % operations.size());
  const auto& operation = it->second;
  const std::string_view form(reinterpret_cast<const char*>(data) + 1, size - 1);

  if (auto params = shoal::api::parse_form(form)) {
    auto decoded = shoal::api::decode_query_params(operation.input, *params);
    if (auto* value = std::get_if<nlohmann::json>(&decoded)) {
      (void)shoal::api::model::validate(operation, *value, shoal::api::model::Dialect::kSqs);
    }
  } else {
    (void)shoal::api::has_too_many_form_params(form);
  }

  shoal::api::ApiRequest request;
  request.method = "POST";
  request.path = "/000000000000/q";
  request.query = std::string(form.substr(0, form.size() / 2));
  request.body = std::string(form.substr(form.size() / 2));
  request.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  if (shoal::api::is_query_request(request)) {
    auto action = shoal::api::query_action(request);
    if (auto* name = std::get_if<std::string>(&action)) {
      shoal::api::RequestContext ctx;
      ctx.host = "localhost";
      (void)shoal::api::sqs_query_codec().parse_request(request, *name, nullptr, ctx);
    }
  }
  return 0;
}
