// The MD5 digests SQS returns and SDKs verify: of the body, and of message
// (or system) attributes in AWS's documented binary encoding: for each
// attribute in name order, length-prefixed name, data type, a transport byte
// (1 string, 2 binary) and length-prefixed value. Pure, thread-safe.
#pragma once

#include <string>

#include "storage/queue/message.h"

namespace shoal::api::sqs {

std::string md5_of_body(const std::string& body);
// Empty string when there are no attributes.
std::string md5_of_attributes(const storage::MessageAttributes& attributes);

}  // namespace shoal::api::sqs
