#include "api/sqs/message_md5.h"

#include <cstdint>

#include "api/common/digest.h"

namespace shoal::api::sqs {
namespace {

void put_length_prefixed(std::string& out, const std::string& bytes) {
  auto n = static_cast<std::uint32_t>(bytes.size());
  out.push_back(static_cast<char>(n >> 24 & 0xff));
  out.push_back(static_cast<char>(n >> 16 & 0xff));
  out.push_back(static_cast<char>(n >> 8 & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
  out.append(bytes);
}

bool is_binary_type(const std::string& data_type) { return data_type.starts_with("Binary"); }

}  // namespace

std::string md5_of_body(const std::string& body) { return md5_hex(body); }

std::string md5_of_attributes(const storage::MessageAttributes& attributes) {
  if (attributes.empty()) return {};
  std::string encoded;
  for (const auto& [name, attribute] : attributes) {
    put_length_prefixed(encoded, name);
    put_length_prefixed(encoded, attribute.data_type);
    bool binary = is_binary_type(attribute.data_type);
    encoded.push_back(binary ? 2 : 1);
    put_length_prefixed(encoded, binary ? attribute.binary_value : attribute.string_value);
  }
  return md5_hex(encoded);
}

}  // namespace shoal::api::sqs
