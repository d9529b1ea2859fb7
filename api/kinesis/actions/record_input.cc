#include "api/kinesis/actions/record_input.h"

#include <charconv>

#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {

std::optional<AwsError> read_record(const nlohmann::json& entry, storage::PutRecordInput& out) {
  if (const auto* hash = member(entry, "ExplicitHashKey"); hash != nullptr && hash->is_string()) {
    const auto& text = hash->get_ref<const std::string&>();
    auto parsed = storage::parse_hash_key(text);
    if (!parsed) {
      return invalid_argument(
          "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was " + text);
    }
    out.explicit_hash_key = *parsed;
  }
  if (const auto* key = member(entry, "PartitionKey"); key != nullptr && key->is_string()) {
    out.partition_key = key->get_ref<const std::string&>();
  }
  if (const auto* data = member(entry, "Data")) {
    if (data->is_binary()) {
      const auto& bytes = data->get_binary();
      out.data.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    } else if (data->is_string()) {
      out.data = data->get_ref<const std::string&>();
    }
  }
  return std::nullopt;
}

AwsError record_too_large(const storage::Status& status, const storage::PutRecordInput& record,
                          std::string_view path) {
  // The engine says "... exceeds limit N bytes"; AWS states the limit in bytes too.
  std::int64_t limit = std::int64_t{storage::kDefaultMaxRecordSizeKib} * 1024;
  const auto& message = status.message();
  if (auto at = message.find("limit "); at != std::string::npos) {
    const char* begin = message.data() + at + 6;
    std::from_chars(begin, message.data() + message.size(), limit);
  }
  const auto size = std::to_string(record.data.size());
  return validation("1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=" + size + " cap=" + size +
                    "]' at '" + std::string(path) +
                    "' failed to satisfy constraint: Member must have length less than or equal to " +
                    std::to_string(limit));
}

}  // namespace shoal::api::kinesis
