// Hostile bodies (issue 13, defect 6): the JSON and CBOR readers build only
// what the operation's input shape has a use for, at most one list element
// past the model's max, and never more than kMaxDecodedValues values.
#include "api/protocol/decode_guide.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "api/model/validator.h"
#include "api/protocol/cbor_protocol.h"
#include "api/protocol/json_reader.h"

namespace shoal::api {
namespace {

using nlohmann::json;

const model::Operation& kinesis_op(const char* name) { return *model::ServiceModel::kinesis().operation(name); }
const model::Operation& sqs_op(const char* name) { return *model::ServiceModel::sqs().operation(name); }

DecodeGuide guide_for(const model::Operation& op) { return DecodeGuide::follow(op.input); }

// `count` copies of `item`, comma-separated, inside [ ].
std::string json_array(const std::string& item, std::size_t count) {
  std::string out = "[";
  out.reserve(count * (item.size() + 1) + 2);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ',';
    out += item;
  }
  return out + "]";
}

void append_head(std::string& out, unsigned major, std::uint64_t n) {
  const auto m = static_cast<char>(major << 5);
  if (n < 24) {
    out.push_back(static_cast<char>(m | static_cast<char>(n)));
    return;
  }
  out.push_back(static_cast<char>(m | 26));
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>(n >> (8 * i) & 0xff));
}

void append_text(std::string& out, const std::string& s) {
  append_head(out, 3, s.size());
  out += s;
}

// {"StreamName": "s", <member>: [<count> empty maps]} in CBOR.
std::string cbor_with_empty_maps(const std::string& member, std::size_t count) {
  std::string out;
  append_head(out, 5, 2);
  append_text(out, "StreamName");
  append_text(out, "s");
  append_text(out, member);
  append_head(out, 4, count);
  out.append(count, '\xa0');
  return out;
}

json decoded(std::variant<json, DecodeFailure> result) {
  REQUIRE(std::holds_alternative<json>(result));
  return std::move(std::get<json>(result));
}

TEST_CASE("a CBOR list past the model's max keeps one element more; the validator reports its length") {
  // The body of issue 13: 5 MB of empty maps cost 250 MB and 1.3 s.
  const auto& op = kinesis_op("PutRecords");
  const auto body = cbor_with_empty_maps("Records", 5'000'000);
  const json input = decoded(decode_cbor(body, guide_for(op)));
  CHECK(input["Records"].size() == 501);
  auto error = model::validate(op, input, model::Dialect::kKinesis);
  REQUIRE(error);
  CHECK(error->code == "ValidationException");
  CHECK(error->message.find("at 'records' failed to satisfy constraint: Member must have length less than or "
                            "equal to 500") != std::string::npos);
}

TEST_CASE("members the shape does not name are checked but not built") {
  const auto& op = kinesis_op("PutRecords");
  const json input = decoded(decode_cbor(cbor_with_empty_maps("Junk", 5'000'000), guide_for(op)));
  CHECK(input == json{{"StreamName", "s"}});

  const json from_json =
      decoded(decode_json(R"({"StreamName":"s","Junk":)" + json_array("{}", 1'000'000) + "}", guide_for(op)));
  CHECK(from_json == json{{"StreamName", "s"}});
  // ...but still checked: a broken unknown member breaks the body.
  CHECK(std::get<DecodeFailure>(decode_json(R"({"StreamName":"s","Junk":[1,]})", guide_for(op))) ==
        DecodeFailure::kMalformed);
}

TEST_CASE("an unknown operation's body is checked and read as an empty object") {
  const DecodeGuide none = DecodeGuide::follow(nullptr);
  CHECK(decoded(decode_json(R"({"a":[1,2,{"b":3}]})", none)) == json::object());
  CHECK(std::get<DecodeFailure>(decode_json(R"({"a":[1,2,{"b":3]})", none)) == DecodeFailure::kMalformed);
  CHECK(decoded(decode_cbor(cbor_with_empty_maps("X", 10), none)) == json::object());
}

TEST_CASE("a container where a scalar belongs is an empty stand-in with the same type error") {
  const auto& op = kinesis_op("DescribeStream");
  const json input = decoded(decode_json(R"({"StreamName":)" + json_array("{}", 200'000) + "}", guide_for(op)));
  CHECK(input["StreamName"] == json::array());
  auto error = model::validate(op, input, model::Dialect::kKinesis);
  REQUIRE(error);
  CHECK(error->code == "SerializationException");
  CHECK(error->message == "Start of list found where not expected");

  const json object = decoded(decode_json(R"({"StreamName":{"a":[1,2,3]}})", guide_for(op)));
  CHECK(object["StreamName"] == json::object());
}

TEST_CASE("a JSON body of more values than any request holds is refused, not built") {
  // SendMessageBatch has no modelled max: 350k entries stop at the budget.
  const auto& op = sqs_op("SendMessageBatch");
  const std::string body = R"({"QueueUrl":"q","Entries":)" + json_array(R"({"Id":"a","MessageBody":"b"})", 350'000) + "}";
  auto result = decode_json(body, guide_for(op));
  REQUIRE(std::holds_alternative<DecodeFailure>(result));
  CHECK(std::get<DecodeFailure>(result) == DecodeFailure::kTooManyValues);
  // Unguided too: 16 MB of numbers.
  CHECK_FALSE(read_json(json_array("0", 8'000'000)));
  CHECK(read_json(json_array("0", kMaxDecodedValues - 1)));

  auto error = decode_error(DecodeFailure::kTooManyValues, "JSON");
  CHECK(error.code == "SerializationException");
  CHECK(error.http_status == 400);
}

TEST_CASE("the budget counts CBOR values too") {
  std::string body;
  append_head(body, 5, 1);
  append_text(body, "Tags");
  append_head(body, 4, 200'000);
  body.append(200'000, '\x00');
  auto result = decode_cbor(body, DecodeGuide::unguided());
  REQUIRE(std::holds_alternative<DecodeFailure>(result));
  CHECK(std::get<DecodeFailure>(result) == DecodeFailure::kTooManyValues);
}

TEST_CASE("a map past the model's max keeps one distinct key more") {
  const auto& op = kinesis_op("AddTagsToStream");  // Tags: a TagMap, at most 200 entries
  std::string tags = "{";
  for (int i = 0; i < 1000; ++i) tags += (i > 0 ? ",\"k" : "\"k") + std::to_string(i) + "\":\"v\"";
  tags += "}";
  const json input = decoded(decode_json(R"({"StreamName":"s","Tags":)" + tags + "}", guide_for(op)));
  const auto* shape = op.input->find_member("Tags")->shape;
  REQUIRE(shape->max);
  CHECK(input["Tags"].size() == static_cast<std::size_t>(*shape->max) + 1);
}

TEST_CASE("a guide never changes which documents are well-formed") {
  const std::vector<std::string> documents = {
      R"({"StreamName":"s","Records":[{"Data":"aGk=","PartitionKey":"p"}]})",
      R"({"StreamName":"s","Records":[{"Data":"aGk=","PartitionKey":"p"},]})",
      R"({"StreamName":"s","Records":[{"Data":"aGk=","PartitionKey":"p"}})",
      R"({"StreamName":"s","Junk":{"a":"\ud800"}})",
      R"({"StreamName":"s","Junk":{"a":"\u00e9"}})",
      R"({"StreamName":[[[[[[[[[[]]]]]]]]]]})",
      R"({"StreamName":"s","Records":[1e400]})",
      R"({"StreamName":"s"} x)",
      "{\"StreamName\":\"s\",\"Junk\":\"\xC3\x28\"}",
      std::string(600, '[') + std::string(600, ']'),
      R"({"Junk":)" + std::string(600, '[') + std::string(600, ']') + "}",
  };
  const auto& op = kinesis_op("PutRecords");
  for (const auto& text : documents) {
    CAPTURE(text);
    CHECK(read_json(text).has_value() == std::holds_alternative<json>(decode_json(text, guide_for(op))));
    CHECK(read_json(text).has_value() ==
          std::holds_alternative<json>(decode_json(text, DecodeGuide::follow(nullptr))));
  }
}

}  // namespace
}  // namespace shoal::api
