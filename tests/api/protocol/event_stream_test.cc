#include "api/protocol/event_stream.h"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace shoal::api::event_stream;
using namespace std::string_literals;

namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

// Every header type once. The bytes were framed by an independent encoder
// (Python's zlib.crc32 and struct) and decoded by botocore's EventStreamBuffer
// to the values below.
const std::string kAllTypesHex =
    "000000810000006a44c3ce0d017400016601046279746502fe0573686f727403fed403696e7404fffeee90046c6f6e6705ffff"
    "fffed5fa0e000562797465730600030001ff06737472696e6707000568656c6c6f027473080000018bcfe5687b04757569640900"
    "0102030405060708090a0b0c0d0e0f7b2261223a317d70c85e41";

Message all_types() {
  Message m;
  m.headers = {{"t", true},
               {"f", false},
               {"byte", std::int8_t{-2}},
               {"short", std::int16_t{-300}},
               {"int", std::int32_t{-70000}},
               {"long", std::int64_t{-5000000000}},
               {"bytes", Bytes{"\x00\x01\xff"s}},
               {"string", "hello"s},
               {"ts", Timestamp{1700000000123}},
               {"uuid", Uuid{unhex("000102030405060708090a0b0c0d0e0f")}}};
  m.payload = R"({"a":1})";
  return m;
}

}  // namespace

TEST_CASE("CRC32 is the IEEE/zlib polynomial and extends across pieces") {
  CHECK(crc32("") == 0);
  CHECK(crc32("123456789") == 0xCBF43926U);
  CHECK(crc32("The quick brown fox jumps over the lazy dog") == 0x414FA339U);
  const std::string text = "an event stream frame, checksummed in two pieces of odd sizes";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    CHECK(crc32_extend(crc32(text.substr(0, cut)), text.substr(cut)) == crc32(text));
  }
}

// The vectors of AWS's C implementation (awslabs/aws-c-event-stream,
// tests/message_serializer_test.c).
TEST_CASE("AWS's published frames: empty, payload only, a string header, an int32 header") {
  CHECK(encode(Message{}) ==
        bytes({0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8, 0xff}));

  Message payload_only;
  payload_only.payload = "{'foo':'bar'}";
  CHECK(encode(payload_only) == bytes({0x00, 0x00, 0x00, 0x1D, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x52, 0x8c, 0x5a}) +
                                    "{'foo':'bar'}" + bytes({0xc3, 0x65, 0x39, 0x36}));

  Message with_string = payload_only;
  with_string.headers = {{"content-type", "application/json"s}};
  CHECK(encode(with_string) == bytes({0x00, 0x00, 0x00, 0x3D, 0x00, 0x00, 0x00, 0x20, 0x07, 0xFD, 0x83, 0x96, 0x0C}) +
                                   "content-type" + bytes({0x07, 0x00, 0x10}) + "application/json" + "{'foo':'bar'}" +
                                   bytes({0x8D, 0x9C, 0x08, 0xB1}));

  Message with_int = payload_only;
  with_int.headers = {{"event-id", std::int32_t{0x0000A00C}}};
  CHECK(encode(with_int) == bytes({0x00, 0x00, 0x00, 0x2B, 0x00, 0x00, 0x00, 0x0E, 0x34, 0x8B, 0xEC, 0x7B, 0x08}) +
                                "event-id" + bytes({0x04, 0x00, 0x00, 0xA0, 0x0C}) + "{'foo':'bar'}" +
                                bytes({0xD3, 0x89, 0x02, 0x85}));

  for (const auto* m : {&payload_only, &with_string, &with_int}) {
    Decoder d;
    d.feed(encode(*m));
    auto item = d.next();
    REQUIRE(item);
    REQUIRE(std::holds_alternative<Message>(*item));
    CHECK(std::get<Message>(*item) == *m);
    CHECK(!d.next());
  }
}

TEST_CASE("every header value type encodes byte-exact and decodes back") {
  CHECK(encode(all_types()) == unhex(kAllTypesHex));
  Decoder d;
  d.feed(unhex(kAllTypesHex));
  auto item = d.next();
  REQUIRE(item);
  REQUIRE(std::holds_alternative<Message>(*item));
  const auto& m = std::get<Message>(*item);
  CHECK(m == all_types());
  // Bytes and strings, timestamps and longs stay distinct types.
  CHECK(std::holds_alternative<Bytes>(m.headers[6].value));
  CHECK(std::holds_alternative<std::string>(m.headers[7].value));
  CHECK(std::holds_alternative<Timestamp>(m.headers[8].value));
  CHECK(m.string_header("string") == "hello");
  CHECK(!m.string_header("bytes"));
  CHECK(!m.string_header("absent"));
}

TEST_CASE("frames split at every byte decode the same, one message at a time") {
  Message second;
  second.headers = {{":event-type", "SubscribeToShardEvent"s}, {":message-type", "event"s}};
  second.payload = std::string(300, 'x');
  const std::string stream = encode(all_types()) + encode(second) + encode(Message{});
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    Decoder d;
    std::vector<Message> got;
    auto drain = [&] {
      while (auto item = d.next()) {
        REQUIRE(std::holds_alternative<Message>(*item));
        got.push_back(std::get<Message>(*item));
      }
    };
    d.feed(std::string_view(stream).substr(0, cut));
    drain();
    d.feed(std::string_view(stream).substr(cut));
    drain();
    REQUIRE(got.size() == 3);
    CHECK(got[0] == all_types());
    CHECK(got[1] == second);
    CHECK(got[2] == Message{});
    CHECK(d.buffered() == 0);
  }
  // One byte at a time.
  Decoder d;
  int messages = 0;
  for (char c : stream) {
    d.feed(std::string_view(&c, 1));
    while (auto item = d.next()) {
      REQUIRE(std::holds_alternative<Message>(*item));
      ++messages;
    }
  }
  CHECK(messages == 3);
}

TEST_CASE("a corrupt prelude CRC, message CRC, length or header is refused, and stays refused") {
  const std::string good = unhex(kAllTypesHex);
  auto first_error = [](const std::string& bytes) -> std::string {
    Decoder d;
    d.feed(bytes);
    auto item = d.next();
    if (!item) return "incomplete";
    if (const auto* e = std::get_if<Decoder::Error>(&*item)) return e->message;
    return "ok";
  };
  CHECK(first_error(good) == "ok");
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    const auto what = first_error(bad);
    // A flipped length byte may make the frame look longer (still waiting).
    CHECK_MESSAGE((what != "ok"), "byte ", i);
    if (i >= 12 && i < good.size() - 4) CHECK_MESSAGE(what == "message CRC mismatch", "byte ", i);
    if (i < 12) CHECK_MESSAGE(what == "prelude CRC mismatch", "byte ", i);
  }
  // The error sticks: later bytes cannot resynchronise a broken stream.
  Decoder d;
  std::string bad = good;
  bad.back() = static_cast<char>(bad.back() ^ 0xff);
  d.feed(bad);
  auto item = d.next();
  REQUIRE(item);
  CHECK(std::holds_alternative<Decoder::Error>(*item));
  d.feed(good);
  item = d.next();
  REQUIRE(item);
  CHECK(std::holds_alternative<Decoder::Error>(*item));
}

TEST_CASE("a frame with valid CRCs but an unknown header type or short value is malformed") {
  // Re-frame hand-made header blocks with correct CRCs.
  auto frame = [](const std::string& headers) {
    const std::uint32_t total = static_cast<std::uint32_t>(12 + headers.size() + 4);
    std::string out;
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((total >> s) & 0xff));
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((headers.size() >> s) & 0xff));
    const auto pc = crc32(out);
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((pc >> s) & 0xff));
    out += headers;
    const auto mc = crc32(out);
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((mc >> s) & 0xff));
    return out;
  };
  for (const auto& headers : {"\x01x\x0a"s, "\x01x\x04\x00\x01"s, "\x01x\x07\x00\x05hi"s, "\x00"s,
                              "\x05"
                              "ab"s}) {
    Decoder d;
    d.feed(frame(headers));
    auto item = d.next();
    REQUIRE(item);
    REQUIRE(std::holds_alternative<Decoder::Error>(*item));
    CHECK(std::get<Decoder::Error>(*item).message == "malformed headers");
  }
}

TEST_CASE("the encoder refuses what SDK decoders would refuse") {
  Message long_name;
  long_name.headers = {{std::string(256, 'n'), true}};
  CHECK_THROWS_AS(encode(long_name), std::length_error);
  Message bad_uuid;
  bad_uuid.headers = {{"u", Uuid{"short"}}};
  CHECK_THROWS_AS(encode(bad_uuid), std::length_error);
  Message huge;
  huge.payload.assign(kMaxMessageBytes, 'x');
  std::string out = "kept";
  CHECK_THROWS_AS(encode(huge, out), std::length_error);
  CHECK(out == "kept");
}
