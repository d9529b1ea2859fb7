// Digests against values recorded from real AWS SQS responses.
#include "api/sqs/message_md5.h"

#include <doctest/doctest.h>

using shoal::api::sqs::md5_of_attributes;
using shoal::api::sqs::md5_of_body;
using shoal::storage::MessageAttributes;

TEST_CASE("md5 of body is the hex MD5 of the UTF-8 bytes") {
  CHECK(md5_of_body("test") == "098f6bcd4621d373cade4e832627b4f6");
}

TEST_CASE("md5 of a binary attribute matches AWS's recorded digest") {
  MessageAttributes attributes;
  attributes["attr1"] = {"Binary", "", "traceparent\x1e" "00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01"};
  CHECK(md5_of_attributes(attributes) == "8cbe4db156db8a94db8b801b7addb984");
}

TEST_CASE("md5 of a string attribute matches AWS's recorded digest") {
  MessageAttributes attributes;
  attributes["MyAttribute"] = {"String", "foobar", ""};
  CHECK(md5_of_attributes(attributes) == "adb59cd4678ea5a855436b949cd07ab6");
}

TEST_CASE("md5 of attributes is order-independent and empty without attributes") {
  MessageAttributes a;
  a["b"] = {"Number", "1", ""};
  a["a"] = {"String.custom", "x", ""};
  MessageAttributes b;
  b["a"] = {"String.custom", "x", ""};
  b["b"] = {"Number", "1", ""};
  CHECK(md5_of_attributes(a) == md5_of_attributes(b));
  CHECK(md5_of_attributes({}).empty());
}
