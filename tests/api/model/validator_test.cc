#include "api/model/validator.h"

#include <cmath>
#include <string>

#include <doctest/doctest.h>

namespace shoal::api::model {
namespace {

using nlohmann::json;

std::optional<AwsError> kinesis(const char* operation, const json& input) {
  const Operation* op = ServiceModel::kinesis().operation(operation);
  REQUIRE(op != nullptr);
  return validate(*op, input, Dialect::kKinesis);
}

std::optional<AwsError> sqs(const char* operation, const json& input) {
  const Operation* op = ServiceModel::sqs().operation(operation);
  REQUIRE(op != nullptr);
  return validate(*op, input, Dialect::kSqs);
}

// The SerializationException message, or "" if the error is something else.
std::string serialization(const std::optional<AwsError>& err) {
  REQUIRE(err.has_value());
  CHECK(err->code == "SerializationException");
  CHECK(err->http_status == 400);
  return err->message;
}

std::string validation(const std::optional<AwsError>& err) {
  REQUIRE(err.has_value());
  CHECK(err->code == "ValidationException");
  CHECK(err->http_status == 400);
  CHECK(err->sender_fault);
  return err->message;
}

std::string repeat(char c, std::size_t n) { return std::string(n, c); }

// --- Kinesis: SerializationException wording (kinesalite test/helpers.js assertType) ---

TEST_CASE("kinesis: a String member rejects other JSON types") {
  auto msg = [](const json& v) { return serialization(kinesis("CreateStream", {{"StreamName", v}})); };
  CHECK(msg(true) == "class java.lang.Boolean can not be converted to an String");
  const char* number = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String";
  CHECK(msg(23) == number);
  CHECK(msg(-2147483648LL) == number);
  CHECK(msg(2147483648LL) == number);
  CHECK(msg(34.56) == number);
  CHECK(msg(json::array()) == "Start of list found where not expected");
  CHECK(msg(json::object()) == "Start of structure or map found where not expected.");
}

TEST_CASE("kinesis: an Integer member rejects strings, booleans, lists and objects") {
  auto msg = [](const json& v) { return serialization(kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", v}})); };
  CHECK(msg("23") == "class java.lang.String can not be converted to an Integer");
  CHECK(msg(true) == "class java.lang.Boolean can not be converted to an Integer");
  CHECK(msg(json::array()) == "Start of list found where not expected");
  CHECK(msg(json::object()) == "Start of structure or map found where not expected.");
}

TEST_CASE("kinesis: list, structure, map and timestamp type errors") {
  auto records = [](const json& v) { return serialization(kinesis("PutRecords", {{"Records", v}})); };
  CHECK(records("23") == "Expected list or null");
  CHECK(records(23) == "Expected list or null");
  CHECK(records(json::object()) == "Start of structure or map found where not expected.");
  CHECK(records(json::array({"23"})) == "Expected null");
  CHECK(records(json::array({json::array()})) == "Start of list found where not expected");
  CHECK(records(json::array({{{"PartitionKey", 5}}})) ==
        "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String");

  auto tags = [](const json& v) { return serialization(kinesis("AddTagsToStream", {{"Tags", v}})); };
  CHECK(tags(true) == "Expected map or null");
  CHECK(tags(json::array()) == "Start of list found where not expected");
  CHECK(tags({{"a", 1}}) ==
        "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String");

  auto timestamp = [](const json& v) {
    return serialization(kinesis("GetShardIterator", {{"ShardId", "s"}, {"ShardIteratorType", "AT_TIMESTAMP"},
                                                      {"Timestamp", v}}));
  };
  CHECK(timestamp("2020-01-01") == "class java.lang.String can not be converted to milliseconds since epoch");
  CHECK(timestamp(false) == "class java.lang.Boolean can not be converted to milliseconds since epoch");
  CHECK_FALSE(kinesis("GetShardIterator",
                      {{"ShardId", "s"}, {"ShardIteratorType", "AT_TIMESTAMP"}, {"Timestamp", 1700000000.5}}));
}

TEST_CASE("kinesis: PutRecord Data must be canonical base64") {
  auto data = [](const json& v) { return serialization(kinesis("PutRecord", {{"PartitionKey", "p"}, {"Data", v}})); };
  CHECK(data(true) == "class java.lang.Boolean can not be converted to a Blob");
  CHECK(data(23) == "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a Blob");
  CHECK(data("23456") ==
        "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5");
  CHECK(data("=+/=") == "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='");
  CHECK(data("ab!d") == "'ab!d' can not be converted to a Blob: Invalid Base64 character: '!'");
  CHECK(data("+/+=") == "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
  CHECK(data("a===") == "'a===' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
  CHECK_FALSE(kinesis("PutRecord", {{"PartitionKey", "p"}, {"Data", ""}}));
  CHECK_FALSE(kinesis("PutRecord", {{"PartitionKey", "p"}, {"Data", "aGVsbG8="}}));
  CHECK_FALSE(kinesis("PutRecord", {{"PartitionKey", "p"}, {"Data", "aGk="}}));
}

TEST_CASE("kinesis: type errors win over constraint errors anywhere in the request") {
  // StreamName is too long, but the type error in ShardCount is reported alone.
  CHECK(serialization(kinesis("CreateStream", {{"StreamName", repeat('a', 200)}, {"ShardCount", "1"}})) ==
        "class java.lang.String can not be converted to an Integer");
}

// --- Kinesis: ValidationException wording (kinesalite test/*.js) ---

TEST_CASE("kinesis: CreateStream constraint messages") {
  CHECK(validation(kinesis("CreateStream", json::object())) ==
        "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: "
        "Member must not be null");

  // Identical to the string kinesalite recorded from AWS.
  CHECK(validation(kinesis("CreateStream", {{"StreamName", ""}, {"ShardCount", 0}})) ==
        "3 validation errors detected: "
        "Value '0' at 'shardCount' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1; "
        "Value '' at 'streamName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
        "Value '' at 'streamName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");

  // kinesalite recorded AWS letting ShardCount 100000000000 through (Coral
  // truncates it to 32 bits); we refuse it as sent instead (issue 13).
  const std::string name = repeat('a', 129);
  CHECK(validation(kinesis("CreateStream", {{"StreamName", name}, {"ShardCount", 100000000000LL}})) ==
        "2 validation errors detected: Value '100000000000' at 'shardCount' failed to satisfy constraint: "
        "Member must have value less than or equal to 2147483647; Value '" +
            name +
            "' at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128");

  CHECK(validation(kinesis("CreateStream", {{"StreamName", "bad name!"}, {"ShardCount", 1}})) ==
        "1 validation error detected: Value 'bad name!' at 'streamName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");

  // A fractional count is truncated the way Coral's TruncatingBigNumber does.
  CHECK(validation(kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", 0.7}})) ==
        "1 validation error detected: Value '0' at 'shardCount' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1");

  CHECK_FALSE(kinesis("CreateStream", {{"StreamName", "ok-stream"}, {"ShardCount", 2}}));
}

TEST_CASE("kinesis: enums and required members of nested structures") {
  CHECK(validation(kinesis("CreateStream", {{"StreamName", "s"}, {"StreamModeDetails", {{"StreamMode", "FAST"}}}})) ==
        "1 validation error detected: Value 'FAST' at 'streamModeDetails.streamMode' failed to satisfy "
        "constraint: Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]");
  CHECK(validation(kinesis("CreateStream", {{"StreamName", "s"}, {"StreamModeDetails", json::object()}})) ==
        "1 validation error detected: Value null at 'streamModeDetails.streamMode' failed to satisfy "
        "constraint: Member must not be null");
  CHECK_FALSE(kinesis("CreateStream", {{"StreamName", "s"}, {"StreamModeDetails", {{"StreamMode", "ON_DEMAND"}}}}));

  CHECK(validation(kinesis("GetShardIterator", {{"ShardId", ""}, {"ShardIteratorType", ""}})) ==
        "3 validation errors detected: "
        "Value '' at 'shardId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
        "Value '' at 'shardId' failed to satisfy constraint: Member must have length greater than or equal to 1; "
        "Value '' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: "
        "[AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]");
}

TEST_CASE("kinesis: integers past their Java type are refused as sent, never truncated") {
  // 2^32 + 1 read as 32 bits is 1: CreateStream made one shard (issue 13).
  CHECK(validation(kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", 4294967297LL}})) ==
        "1 validation error detected: Value '4294967297' at 'shardCount' failed to satisfy constraint: "
        "Member must have value less than or equal to 2147483647");
  CHECK(validation(kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", 2147483648LL}})) ==
        "1 validation error detected: Value '2147483648' at 'shardCount' failed to satisfy constraint: "
        "Member must have value less than or equal to 2147483647");
  CHECK_FALSE(kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", 2147483647}}));
  // Past 64 bits too, unsigned and as a double; a model bound wins over the type's.
  CHECK(validation(kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", 18446744073709551615ULL}})) ==
        "1 validation error detected: Value '18446744073709551615' at 'shardCount' failed to satisfy constraint: "
        "Member must have value less than or equal to 2147483647");
  CHECK(validation(kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1e30}})) ==
        "1 validation error detected: Value '1e+30' at 'shardCount' failed to satisfy constraint: "
        "Member must have value less than or equal to 2147483647");
  CHECK(validation(kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", -4294967295LL}})) ==
        "1 validation error detected: Value '-4294967295' at 'shardCount' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1");
  CHECK(validation(kinesis("ListShards", {{"MaxResults", 4294967297LL}})) ==
        "1 validation error detected: Value '4294967297' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 10000");
  // A member without model bounds has its type's (RetentionPeriodHours).
  CHECK(validation(kinesis("IncreaseStreamRetentionPeriod",
                           {{"StreamName", "s"}, {"RetentionPeriodHours", -2147483649LL}})) ==
        "1 validation error detected: Value '-2147483649' at 'retentionPeriodHours' failed to satisfy constraint: "
        "Member must have value greater than or equal to -2147483648");
  CHECK(validation(kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", std::nan("")}})) ==
        "1 validation error detected: Value 'NaN' at 'shardCount' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1");
}

TEST_CASE("kinesis: integer ranges") {
  CHECK(validation(kinesis("ListShards", {{"MaxResults", 0}})) ==
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1");
  CHECK(validation(kinesis("ListShards", {{"MaxResults", 100000}})) ==
        "1 validation error detected: Value '100000' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 10000");
}

TEST_CASE("kinesis: PutRecords nested paths, blob lengths and the ten-error cap") {
  // Members are checked in model order (AWS's own order differs and is not in
  // the model: it lists partitionKey, explicitHashKey, data).
  const std::string name = repeat('a', 129);
  const std::string key = repeat('a', 257);
  CHECK(validation(kinesis("PutRecords", {{"StreamName", name},
                                          {"Records", {{{"PartitionKey", key}, {"Data", ""}, {"ExplicitHashKey", ""}}}}})) ==
        "3 validation errors detected: "
        "Value '' at 'records.1.member.explicitHashKey' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38}); "
        "Value '" + key + "' at 'records.1.member.partitionKey' failed to satisfy constraint: "
        "Member must have length less than or equal to 256; "
        "Value '" + name + "' at 'streamName' failed to satisfy constraint: "
        "Member must have length less than or equal to 128");

  CHECK(validation(kinesis("PutRecords", {{"Records", json::array()}})) ==
        "1 validation error detected: Value '[]' at 'records' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");
  CHECK(validation(kinesis("PutRecords", {{"Records", {{{"Data", ""}}}}})) ==
        "1 validation error detected: Value null at 'records.1.member.partitionKey' failed to satisfy constraint: "
        "Member must not be null");

  json records = json::array();
  for (int i = 0; i < 501; ++i) records.push_back({{"PartitionKey", ""}, {"Data", ""}});
  const std::string msg = validation(kinesis("PutRecords", {{"StreamName", ""}, {"Records", records}}));
  CHECK(msg.rfind("10 validation errors detected: Value '[com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@", 0) == 0);
  CHECK(msg.find("' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500; "
                 "Value '' at 'records.1.member.partitionKey' failed to satisfy constraint: "
                 "Member must have length greater than or equal to 1; ") != std::string::npos);
  const std::string last =
      "Value '' at 'records.9.member.partitionKey' failed to satisfy constraint: "
      "Member must have length greater than or equal to 1";
  REQUIRE(msg.size() > last.size());
  CHECK(msg.substr(msg.size() - last.size()) == last);
}

TEST_CASE("kinesis: a blob's length is its decoded length") {
  // The live model allows 10 MiB records; a small model keeps the test cheap.
  const ServiceModel model(R"({"metadata": {}, "operations": {"Put": {"input": {"shape": "In"}}},
      "shapes": {"In": {"type": "structure", "members": {"Data": {"shape": "Data"}}},
                 "Data": {"type": "blob", "min": 2, "max": 4}}})");
  const Operation& put = *model.operation("Put");
  CHECK_FALSE(validate(put, {{"Data", "AAA="}}, Dialect::kKinesis));      // 2 bytes
  CHECK_FALSE(validate(put, {{"Data", "AAAAAA=="}}, Dialect::kKinesis));  // 4 bytes
  CHECK(validation(validate(put, {{"Data", "AAAAAAA="}}, Dialect::kKinesis)) ==
        "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=5 cap=5]' at 'data' failed to "
        "satisfy constraint: Member must have length less than or equal to 4");
  CHECK(validation(validate(put, {{"Data", "AA=="}}, Dialect::kKinesis)) ==
        "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1 cap=1]' at 'data' failed to "
        "satisfy constraint: Member must have length greater than or equal to 2");
}

TEST_CASE("kinesis: list members and map keys/values are checked as a whole") {
  const std::string name = repeat('a', 129);
  CHECK(validation(kinesis("RemoveTagsFromStream", {{"TagKeys", {"a", name, "b"}}})) ==
        "1 validation error detected: Value '[a, " + name +
            ", b]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: "
            "[Member must have length less than or equal to 128, Member must have length greater than or equal to 1]");
  CHECK(validation(kinesis("AddTagsToStream", {{"Tags", {{"a", "1"}, {name, "3"}, {"b", "2"}}}})) ==
        "1 validation error detected: Value '{a=1, " + name +
            "=3, b=2}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: "
            "[Member must have length less than or equal to 128, Member must have length greater than or equal to 1]");
  const std::string value = repeat('v', 257);
  CHECK(validation(kinesis("AddTagsToStream", {{"Tags", {{"c", value}}}})) ==
        "1 validation error detected: Value '{c=" + value +
            "}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: "
            "[Member must have length less than or equal to 256, Member must have length greater than or equal to 0]");
  CHECK(validation(kinesis("AddTagsToStream", {{"Tags", json::object()}})) ==
        "1 validation error detected: Value '{}' at 'tags' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");
}

TEST_CASE("kinesis: lengths count UTF-16 code units, like Java") {
  std::string key;
  for (int i = 0; i < 128; ++i) key += "\xc3\xa9";  // 128 x U+00E9: 128 units
  CHECK_FALSE(kinesis("PutRecord", {{"PartitionKey", repeat('p', 256)}, {"Data", ""}}));
  CHECK_FALSE(kinesis("AddTagsToStream", {{"Tags", {{key, "v"}}}}));
  std::string emoji;
  for (int i = 0; i < 65; ++i) emoji += "\xf0\x9f\x98\x80";  // 65 x U+1F600: 130 units
  CHECK(kinesis("AddTagsToStream", {{"Tags", {{emoji, "v"}}}}).has_value());
}

TEST_CASE("kinesis: nulls are absent, unknown members ignored, non-objects rejected") {
  CHECK_FALSE(kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", nullptr}, {"Bogus", {1, 2}}}));
  CHECK(validation(kinesis("CreateStream", {{"StreamName", nullptr}})) ==
        "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: "
        "Member must not be null");
  CHECK(serialization(kinesis("CreateStream", json::array())) == "Start of list found where not expected");
  CHECK(serialization(kinesis("CreateStream", "x")).empty());
}

// --- SQS dialect ---

TEST_CASE("sqs: missing required parameters") {
  auto err = sqs("SendMessage", {{"QueueUrl", "http://localhost/000000000000/q"}});
  REQUIRE(err);
  CHECK(err->code == "MissingRequiredParameterException");
  CHECK(err->query_code == "MissingParameter");
  CHECK(err->legacy_code() == "MissingParameter");
  CHECK(err->http_status == 400);
  CHECK(err->message == "The request must contain the parameter MessageBody.");

  // The model's `required` order: QueueUrl first.
  CHECK(sqs("SendMessage", json::object())->message == "The request must contain the parameter QueueUrl.");
  // null is absence.
  CHECK(sqs("SendMessage", {{"QueueUrl", "q"}, {"MessageBody", nullptr}})->message ==
        "The request must contain the parameter MessageBody.");
  // Nested: a message attribute without its DataType.
  CHECK(sqs("SendMessage", {{"QueueUrl", "q"}, {"MessageBody", "b"},
                            {"MessageAttributes", {{"a", {{"StringValue", "v"}}}}}})->message ==
        "The request must contain the parameter DataType.");
  CHECK_FALSE(sqs("SendMessage", {{"QueueUrl", "q"}, {"MessageBody", "b"}, {"Unknown", 1}}));
}

TEST_CASE("sqs: wrong JSON types are SerializationExceptions") {
  auto delay = [](const json& v) {
    auto err = sqs("SendMessage", {{"QueueUrl", "q"}, {"MessageBody", "b"}, {"DelaySeconds", v}});
    REQUIRE(err);
    CHECK(err->code == "SerializationException");
    CHECK(err->legacy_code() == "SerializationException");
    CHECK(err->http_status == 400);
    return err->message;
  };
  CHECK(delay("x") == "STRING_VALUE can not be converted to an Integer");
  CHECK(delay("5") == "STRING_VALUE can not be converted to an Integer");
  CHECK(delay(true) == "BOOLEAN_VALUE can not be converted to an Integer");
  CHECK(delay(2147483648LL) == "NUMBER_VALUE can not be converted to an Integer");
  CHECK(delay(-2147483649LL) == "NUMBER_VALUE can not be converted to an Integer");
  CHECK(delay(1.5) == "NUMBER_VALUE can not be converted to an Integer");
  CHECK(delay(json::array()) == "Start of list found where not expected");
  CHECK(delay(json::object()) == "Start of structure or map found where not expected.");
  CHECK_FALSE(sqs("SendMessage", {{"QueueUrl", "q"}, {"MessageBody", "b"}, {"DelaySeconds", -2147483648LL}}));

  CHECK(sqs("SendMessage", {{"QueueUrl", 5}, {"MessageBody", "b"}})->message ==
        "NUMBER_VALUE can not be converted to an String");
  CHECK(sqs("CreateQueue", {{"QueueName", "q"}, {"Attributes", {{"DelaySeconds", 5}}}})->message ==
        "NUMBER_VALUE can not be converted to an String");
  CHECK(sqs("GetQueueAttributes", {{"QueueUrl", "q"}, {"AttributeNames", "All"}})->message ==
        "Expected list or null");
  // Type errors come before missing parameters.
  CHECK(sqs("SendMessage", {{"DelaySeconds", "x"}})->code == "SerializationException");
  // Binary values are base64.
  CHECK(sqs("SendMessage", {{"QueueUrl", "q"}, {"MessageBody", "b"},
                            {"MessageAttributes", {{"a", {{"DataType", "Binary"}, {"BinaryValue", "abc"}}}}}})
            ->message == "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of "
                         "4 bytes but found: 3");
}

TEST_CASE("sqs: unknown attribute names") {
  auto err = sqs("GetQueueAttributes", {{"QueueUrl", "q"}, {"AttributeNames", {"VisibilityTimeout", "Foo"}}});
  REQUIRE(err);
  CHECK(err->code == "InvalidAttributeName");
  CHECK(err->query_code == "InvalidAttributeName");
  CHECK(err->http_status == 400);
  CHECK(err->message == "Unknown Attribute Foo.");
  CHECK_FALSE(sqs("GetQueueAttributes", {{"QueueUrl", "q"}, {"AttributeNames", {"All", "QueueArn"}}}));

  CHECK(sqs("CreateQueue", {{"QueueName", "q"}, {"Attributes", {{"Bogus", "1"}}}})->message ==
        "Unknown Attribute Bogus.");
  CHECK_FALSE(sqs("CreateQueue", {{"QueueName", "q"}, {"Attributes", {{"DelaySeconds", "5"}}}}));

  // ReceiveMessage's AttributeNames also takes message system attribute names.
  CHECK_FALSE(sqs("ReceiveMessage", {{"QueueUrl", "q"}, {"AttributeNames", {"SentTimestamp", "All"}}}));
  CHECK(sqs("ReceiveMessage", {{"QueueUrl", "q"}, {"AttributeNames", {"Bogus"}}})->message ==
        "Unknown Attribute Bogus.");
  CHECK(sqs("ReceiveMessage", {{"QueueUrl", "q"}, {"MessageSystemAttributeNames", {"Policy"}}})->message ==
        "Unknown Attribute Policy.");
}

}  // namespace
}  // namespace shoal::api::model
