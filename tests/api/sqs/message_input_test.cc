#include "api/sqs/message_input.h"

#include <doctest/doctest.h>

#include <string>

namespace shoal::api::sqs {
namespace {

bool body_accepted(const std::string& body) {
  nlohmann::json entry = {{"MessageBody", body}};
  auto result = read_new_message(entry, storage::QueueAttributes{}, RequestContext{}, MessageSource::kSingle);
  if (const auto* error = std::get_if<AwsError>(&result)) {
    CHECK(error->code == "InvalidMessageContents");
    return false;
  }
  return true;
}

TEST_CASE("message bodies: AWS's allowed characters, at every position of a long body") {
  const std::string plain(40, 'a');
  CHECK(body_accepted(plain));
  for (std::size_t at = 0; at < plain.size(); ++at) {
    CAPTURE(at);
    for (const std::string& bad : {std::string(1, '\x01'), std::string(1, '\x1f'), std::string(1, '\0'),
                                  std::string("\xEF\xBF\xBF"), std::string("\xC3")}) {
      std::string body = plain;
      body.replace(at, 1, bad);
      CHECK_FALSE(body_accepted(body));
    }
    for (const std::string& good : {std::string("\t"), std::string("\n"), std::string("\r"), std::string("\x7f"),
                                   std::string("\xC3\xA9"), std::string("\xF0\x9F\x98\x80")}) {
      std::string body = plain;
      body.replace(at, 1, good);
      CHECK(body_accepted(body));
    }
  }
}

// The error an attribute named `name` gets; empty when accepted.
std::string name_error(const std::string& name) {
  nlohmann::json entry = {{"MessageBody", "b"},
                          {"MessageAttributes", {{name, {{"DataType", "String"}, {"StringValue", "v"}}}}}};
  auto result = read_new_message(entry, storage::QueueAttributes{}, RequestContext{}, MessageSource::kSingle);
  if (const auto* error = std::get_if<AwsError>(&result)) {
    CHECK(error->code == "InvalidParameterValueException");
    return error->message;
  }
  return {};
}

TEST_CASE("attribute names: the guide's characters and Latin letters, no reserved prefix, no stray periods") {
  for (const std::string& ok : {std::string("a"), std::string("SOME_Valid.attribute-Name"), std::string(256, 'L'),
                                std::string("attr.1\xC3\xB8\xC3\x9F\xC3\xA4"), std::string("\xC3\x80\xC5\xBF"),
                                std::string("awsx"), std::string("x.AWS.y")}) {
    CAPTURE(ok);
    CHECK(name_error(ok).empty());
  }
  const std::string characters =
      "Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens "
      "and underscores. ";
  const std::string reserved =
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for "
      "internal use. Additionally, they cannot start or end with '.'.";
  for (const std::string& bad :
       {std::string("Invalid-!-attr"), std::string("a b"), std::string("Invalid-\xC2\xA7-attr"),
        std::string("x\xC3\x97y"), std::string("x\xC3\xB7y"), std::string("\xD0\x96"),
        std::string("\xF0\x9F\x98\x80"), std::string("a/b"), std::string("a:b")}) {
    CAPTURE(bad);
    CHECK(name_error(bad) == characters);
  }
  for (const std::string& bad : {std::string("AWS.x"), std::string("aWs.x"), std::string("AMAZON.-Invalid-attr"),
                                 std::string(".x"), std::string("x.")}) {
    CAPTURE(bad);
    CHECK(name_error(bad) == reserved);
  }
  CHECK(name_error("Invalid..Name") == "Message (user) attribute name must not have successive '.' characters.");
  CHECK(name_error(std::string(257, 'L')) == "Message (user) attribute names must be shorter than 256 Bytes");
  CHECK(name_error("") == "The request must contain non-empty message attribute name.");
}

// The error a Number attribute holding `value` gets; empty when accepted.
std::string number_error(const std::string& value) {
  nlohmann::json entry = {{"MessageBody", "b"},
                          {"MessageAttributes", {{"n", {{"DataType", "Number"}, {"StringValue", value}}}}}};
  auto result = read_new_message(entry, storage::QueueAttributes{}, RequestContext{}, MessageSource::kSingle);
  if (const auto* error = std::get_if<AwsError>(&result)) {
    CHECK(error->code == "InvalidParameterValueException");
    CHECK(error->http_status == 400);
    return error->message;
  }
  return {};
}

TEST_CASE("Number attributes: 38 significant digits, from -10^128 to 10^126") {
  const std::string zeros126(126, '0');
  for (const std::string& ok :
       {std::string("0"), std::string("-0.000"), std::string("1") + zeros126, std::string("-1") + zeros126 + "00",
        std::string("1e126"), std::string("-1E128"), std::string("9.9999999999999999999999999999999999999e125"),
        std::string("12345678901234567890123456789012345678"), std::string("0.00012345678901234567890123456789012345678"),
        std::string("1234567890123456789012345678901234567800000"), std::string("230.000000000000000001"),
        std::string("1e-300"), std::string("+5"), std::string(".5"), std::string("007")}) {
    CAPTURE(ok);
    CHECK(number_error(ok).empty());
  }
  for (const std::string& big : {std::string("2") + zeros126, std::string("1e127"), std::string("1.1e126"),
                                 std::string("-2e128"), std::string("-1e129"), std::string("1e999999999999999999999")}) {
    CAPTURE(big);
    CHECK(number_error(big) == "Number attribute value " + big + " should be in range (-10**128..10**126)");
  }
  for (const std::string& precise : {std::string("123456789012345678901234567890123456789"),
                                     std::string("1.23456789012345678901234567890123456789")}) {
    CAPTURE(precise);
    CHECK(number_error(precise) == "Number attribute value " + precise + " should have at most 38 significant digits");
  }
  CHECK(number_error("abc") == "Can't cast the value of message (user) attribute 'n' to a number.");
}

}  // namespace
}  // namespace shoal::api::sqs
