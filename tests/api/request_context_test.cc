#include "api/request_context.h"

#include <doctest/doctest.h>

using namespace shoal::api;

namespace {
ApiRequest signed_by(std::string credential) {
  ApiRequest r;
  r.headers = {{"host", "localhost:4566"},
               {"authorization", "AWS4-HMAC-SHA256 Credential=" + credential +
                                     ", SignedHeaders=host;x-amz-date, Signature=abc"}};
  return r;
}
}  // namespace

TEST_CASE("a 12-digit access key is the account; any other maps to 000000000000") {
  auto numeric = make_request_context(signed_by("123456789012/20260101/eu-west-2/sqs/aws4_request"), "");
  CHECK(numeric.account == "123456789012");
  CHECK(numeric.region == "eu-west-2");
  CHECK(numeric.host == "localhost:4566");
  auto named = make_request_context(signed_by("AKIDEXAMPLE/20260101/us-west-1/sqs/aws4_request"), "");
  CHECK(named.account == "000000000000");
  CHECK(named.access_key == "AKIDEXAMPLE");
  CHECK(named.region == "us-west-1");
}

TEST_CASE("unsigned requests get the default account and region; advertised host wins") {
  ApiRequest r;
  r.headers = {{"host", "h:1"}};
  auto ctx = make_request_context(r, "sqs.local:4566");
  CHECK(ctx.account == "000000000000");
  CHECK(ctx.region == "us-east-1");
  CHECK(ctx.host == "sqs.local:4566");
  CHECK(ctx.request_id.size() == 36);
  CHECK(ctx.request_id != make_request_context(r, "").request_id);
}
