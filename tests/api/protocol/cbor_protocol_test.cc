#include "api/protocol/cbor_protocol.h"

#include <doctest/doctest.h>

#include "api/protocol/wire_values.h"

using namespace shoal::api;
using nlohmann::json;
using namespace std::string_literals;

namespace {
const model::Shape* record_shape() { return model::ServiceModel::kinesis().shape("Record"); }
json binary(std::string s) { return json::binary(std::vector<std::uint8_t>(s.begin(), s.end())); }
}  // namespace

TEST_CASE("CBOR timestamps are tag 1 with epoch milliseconds, blobs are byte strings") {
  json record = {{"SequenceNumber", "1"},
                 {"ApproximateArrivalTimestamp", std::int64_t{1700000000123}},
                 {"Data", binary("hi")},
                 {"PartitionKey", "k"}};
  auto bytes = encode_cbor(record, record_shape());
  // tag 1 (0xc1) then uint64 (0x1b) 1700000000123
  auto at = bytes.find("ApproximateArrivalTimestamp");
  REQUIRE(at != std::string::npos);
  auto value = bytes.substr(at + std::string("ApproximateArrivalTimestamp").size(), 2);
  CHECK(static_cast<unsigned char>(value[0]) == 0xc1);
  CHECK(static_cast<unsigned char>(value[1]) == 0x1b);
  // Our reader takes it back; the tag is dropped and the value kept.
  auto decoded = std::get<json>(parse_cbor_body(bytes, DecodeGuide::unguided()));
  CHECK(decoded["ApproximateArrivalTimestamp"] == 1700000000123);
  CHECK(decoded["Data"].is_binary());
  CHECK(decoded["Data"].get_binary().size() == 2);
  CHECK(decoded["PartitionKey"] == "k");
}

TEST_CASE("CBOR bodies: empty is an empty map, garbage and non-maps are SerializationException") {
  CHECK(std::get<json>(parse_cbor_body("", DecodeGuide::unguided())).empty());
  auto garbage = parse_cbor_body("\xff\x01", DecodeGuide::unguided());
  REQUIRE(std::holds_alternative<AwsError>(garbage));
  CHECK(std::get<AwsError>(garbage).code == "SerializationException");
  auto list = json::to_cbor(json::array({1, 2}));
  CHECK(std::holds_alternative<AwsError>(parse_cbor_body(std::string(list.begin(), list.end()), DecodeGuide::unguided())));
  auto map = json::to_cbor(json{{"StreamName", "s"}, {"Limit", 5}});
  auto parsed = parse_cbor_body(std::string(map.begin(), map.end()), DecodeGuide::unguided());
  REQUIRE(std::holds_alternative<json>(parsed));
  CHECK(std::get<json>(parsed)["Limit"] == 5);
}

TEST_CASE("negative integers, floats, booleans and nesting encode as a decoder expects") {
  json v = {{"a", -5}, {"b", 1.5}, {"c", true}, {"d", json::array({"x", nullptr})}, {"e", std::string(300, 'z')}};
  auto bytes = encode_cbor(v, nullptr);
  CHECK(json::from_cbor(bytes) == v);
}

TEST_CASE("wire values: JSON base64 blobs and epoch seconds become binary and milliseconds, and back") {
  const auto* put_input = model::ServiceModel::kinesis().shape("PutRecordInput");
  json in = {{"Data", "aGk="}, {"PartitionKey", "k"}};
  normalize_input(put_input, in, WireFormat::kJson);
  CHECK(in["Data"].is_binary());
  CHECK(in["Data"].get_binary().size() == 2);

  const auto* iterator_input = model::ServiceModel::kinesis().shape("GetShardIteratorInput");
  json at = {{"Timestamp", 1700000000.5}};
  normalize_input(iterator_input, at, WireFormat::kJson);
  CHECK(at["Timestamp"] == 1700000000500);
  json at_cbor = {{"Timestamp", 1700000000500}};
  normalize_input(iterator_input, at_cbor, WireFormat::kCbor);
  CHECK(at_cbor["Timestamp"] == 1700000000500);

  json out = {{"Records", json::array({{{"Data", binary("hi")}, {"ApproximateArrivalTimestamp", 1700000000250}}})}};
  prepare_json_output(model::ServiceModel::kinesis().shape("GetRecordsOutput"), out);
  CHECK(out["Records"][0]["Data"] == "aGk=");
  CHECK(out["Records"][0]["ApproximateArrivalTimestamp"].get<double>() == doctest::Approx(1700000000.25));
}

TEST_CASE("the CBOR reader takes what Java clients send: tags, indefinite lengths, half floats") {
  // {_ "a": (_ h'01', h'02'), "t": 1(1700000000123), "f": 1.5 as half, "s": (_ "x", "y")} ...
  std::string doc = "\xbf" "\x61" "a" "\x5f\x41\x01\x41\x02\xff"
                    "\x61" "t" "\xc1\x1b\x00\x00\x01\x8b\xcf\xe5\x68\x7b"
                    "\x61" "f" "\xf9\x3e\x00"
                    "\x61" "s" "\x7f\x61x\x61y\xff"
                    "\x61" "l" "\x9f\x01\x20\xff"
                    "\xff"s;
  auto parsed = parse_cbor_body(doc, DecodeGuide::unguided());
  REQUIRE(std::holds_alternative<json>(parsed));
  auto& v = std::get<json>(parsed);
  CHECK(v["a"].get_binary().size() == 2);
  CHECK(v["t"] == 1700000000123);
  CHECK(v["f"] == 1.5);
  CHECK(v["s"] == "xy");
  CHECK(v["l"] == json::array({1, -1}));
}

TEST_CASE("the CBOR reader refuses truncations, trailing bytes and absurd lengths without crashing") {
  auto good = encode_cbor(json{{"StreamName", "s"}, {"Data", binary("abc")}}, nullptr);
  for (std::size_t cut = 1; cut < good.size(); ++cut) {
    CHECK(std::holds_alternative<AwsError>(parse_cbor_body(good.substr(0, cut), DecodeGuide::unguided())));
  }
  CHECK(std::holds_alternative<AwsError>(parse_cbor_body(good + "\x00"s, DecodeGuide::unguided())));
  CHECK(std::holds_alternative<AwsError>(parse_cbor_body("\xbb\xff\xff\xff\xff\xff\xff\xff\xff", DecodeGuide::unguided())));
  CHECK(std::holds_alternative<AwsError>(parse_cbor_body(std::string(100000, '\x81'), DecodeGuide::unguided())));
}
