// What AWS's JSON front end answers besides results: the member an error's
// text goes in (SerializationException: "Message"), empty bodies for
// operations without output, and the answers to requests it cannot route
// (kinesalite's recordings of Kinesis).
#include <doctest/doctest.h>

#include "api/dispatcher.h"
#include "api/protocol/cbor_protocol.h"
#include "api/protocol/codec.h"
#include "api/protocol/coral_rejections.h"
#include "api/protocol/decode_guide.h"

using namespace shoal::api;
using nlohmann::json;

namespace {

std::string header_of(const ApiResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

json cbor_of(const std::string& body) { return std::get<json>(parse_cbor_body(body, DecodeGuide::unguided())); }

}  // namespace

TEST_CASE("SerializationException carries its text in Message, every other error in message") {
  const AwsError serialization{"SerializationException", "", 400, true, "Start of list found where not expected"};
  const AwsError not_found{"ResourceNotFoundException", "", 400, true, "Stream s under account 1 not found."};
  for (const Codec* codec : {&json_codec(kKinesisJson), &json_codec(kSqsJson)}) {
    auto body = json::parse(codec->error(serialization, "id").body);
    CHECK(body["Message"] == "Start of list found where not expected");
    CHECK_FALSE(body.contains("message"));
    body = json::parse(codec->error(not_found, "id").body);
    CHECK(body["message"] == "Stream s under account 1 not found.");
    CHECK_FALSE(body.contains("Message"));
  }
  auto cbor = cbor_of(cbor_codec().error(serialization, "id").body);
  CHECK(cbor["Message"] == "Start of list found where not expected");
  cbor = cbor_of(cbor_codec().error(not_found, "id").body);
  CHECK(cbor == json{{"__type", "ResourceNotFoundException"}, {"message", "Stream s under account 1 not found."}});
  // Without text, no member at all (AWS: {"__type":"SerializationException"}).
  CHECK(json::parse(json_codec(kKinesisJson).error({"SerializationException", "", 400, true, ""}, "id").body) ==
        json{{"__type", "SerializationException"}});
}

TEST_CASE("Kinesis operations without output answer an empty body; SQS keeps {}") {
  auto kinesis = json_codec(kKinesisJson).action_result("DeleteStream", json::object(), nullptr, "id");
  CHECK(kinesis.status == 200);
  CHECK(kinesis.body.empty());
  CHECK(kinesis.content_type == "application/x-amz-json-1.1");
  CHECK(header_of(kinesis, "x-amzn-RequestId") == "id");
  auto cbor = cbor_codec().action_result("DeleteStream", json::object(), nullptr, "id");
  CHECK(cbor.body.empty());
  CHECK(cbor.content_type == "application/x-amz-cbor-1.1");
  CHECK(json_codec(kSqsJson).action_result("DeleteQueue", json::object(), nullptr, "id").body == "{}");
  // With an output shape the object is written as before.
  const auto* shape = model::ServiceModel::kinesis().operation("ListStreams")->output;
  CHECK(json::parse(json_codec(kKinesisJson).action_result("ListStreams", {{"StreamNames", json::array()}}, shape, "id")
                        .body)
            .contains("StreamNames"));
  // A payload without a shape of its own (SubscribeToShard's initial-response
  // event) is still an object: AWS sends "{}" there.
  CHECK(json_codec(kKinesisJson).result(json::object(), nullptr, "").body == "{}");
  CHECK(cbor_codec().result(json::object(), nullptr, "").body == "\xa0");
}

TEST_CASE("requests nothing can be routed for get AWS's XML answers") {
  ApiRequest get;
  get.method = "GET";
  get.path = "/";
  auto unsigned_answer = unroutable_request(get, "id");
  CHECK(unsigned_answer.status == 403);
  CHECK(unsigned_answer.content_type.empty());
  CHECK(unsigned_answer.body ==
        "<MissingAuthenticationTokenException>\n  <Message>Missing Authentication Token</Message>\n"
        "</MissingAuthenticationTokenException>\n");
  CHECK(header_of(unsigned_answer, "x-amzn-RequestId") == "id");
  get.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=x");
  CHECK(unroutable_request(get, "id").body ==
        "<AccessDeniedException>\n  <Message>Unable to determine service/operation name to be authorized"
        "</Message>\n</AccessDeniedException>\n");
  ApiRequest presigned;
  presigned.method = "PUT";
  presigned.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=x";
  CHECK(unroutable_request(presigned, "id").body.starts_with("<AccessDeniedException>"));

  auto unknown = unknown_operation_xml("id");
  CHECK(unknown.status == 404);
  CHECK(unknown.body == "<UnknownOperationException/>\n");
  CHECK(unknown.content_type.empty());
}

TEST_CASE("application/json gets the legacy envelope, status 200") {
  auto r = legacy_json_envelope("{}", "id");
  CHECK(r.status == 200);
  CHECK(r.content_type == "application/json");
  CHECK(json::parse(r.body) ==
        json{{"Output", {{"__type", "com.amazon.coral.service#UnknownOperationException"}, {"message", nullptr}}},
             {"Version", "1.0"}});
  CHECK(json::parse(legacy_json_envelope("hello", "id").body) ==
        json{{"Output", {{"__type", "com.amazon.coral.service#SerializationException"}, {"Message", nullptr}}},
             {"Version", "1.0"}});
}

TEST_CASE("transport errors come in the request's encoding") {
  Dispatcher d({});
  auto cbor = d.transport_error(413, "RequestEntityTooLarge", "too big", "application/x-amz-cbor-1.1");
  CHECK(cbor.status == 413);
  CHECK(cbor.content_type == "application/x-amz-cbor-1.1");
  CHECK(cbor_of(cbor.body)["__type"] == "RequestEntityTooLarge");
  auto kinesis =
      d.transport_error(413, "RequestEntityTooLarge", "too big", "application/x-amz-json-1.1; charset=utf-8");
  CHECK(kinesis.content_type == "application/x-amz-json-1.1");
  CHECK(d.transport_error(413, "RequestEntityTooLarge", "too big").content_type == "application/json");
}

TEST_CASE("the dispatcher routes only POST to Kinesis, by content type") {
  Dispatcher d({});
  auto answer = [&](const std::string& method, const std::string& content_type, const std::string& target,
                    const std::string& body) {
    ApiRequest r;
    r.method = method;
    r.path = "/";
    r.body = body;
    r.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=x");
    if (!content_type.empty()) r.headers.emplace_back("content-type", content_type);
    if (!target.empty()) r.headers.emplace_back("x-amz-target", target);
    auto out = d.handle(std::move(r));
    REQUIRE(out.response);
    return *out.response;
  };
  CHECK(answer("GET", "application/x-amz-json-1.1", "Kinesis_20131202.ListStreams", "").status == 403);
  CHECK(answer("POST", "", "", "{}").status == 403);
  CHECK(answer("POST", "text/plain", "Kinesis_20131202.ListStreams", "{}").status == 404);
  auto no_target = answer("POST", "application/x-amz-json-1.1", "", "{}");
  CHECK(no_target.status == 400);
  CHECK(json::parse(no_target.body) == json{{"__type", "UnknownOperationException"}});
  auto cbor = answer("POST", "application/x-amz-cbor-1.1", "", "");
  CHECK(cbor.status == 400);
  CHECK(cbor_of(cbor.body) == json{{"__type", "UnknownOperationException"}});
  CHECK(answer("POST", "application/json", "Kinesis_20131202.ListStreams", "{}").status == 200);
  CHECK(answer("POST", "application/x-amz-json-1.1", "Kinesis_20131202.ListStreams", "{}").status == 200);
}
