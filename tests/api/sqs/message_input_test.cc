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

}  // namespace
}  // namespace shoal::api::sqs
