#include "api/sqs/batch.h"

#include <set>

#include "api/sqs/limits.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {
namespace {

bool is_valid_entry_id(const std::string& id) {
  if (id.empty() || id.size() > limits::kMaxBatchEntryIdLength) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::optional<AwsError> check_batch(const nlohmann::json* entries, std::string_view entry_shape) {
  if (entries == nullptr || entries->empty()) return empty_batch(entry_shape);
  if (entries->size() > limits::kMaxBatchEntries) return too_many_entries(entries->size());
  std::set<std::string> seen;
  for (const auto& entry : *entries) {
    auto id = entry.value("Id", "");
    if (!is_valid_entry_id(id)) return invalid_batch_entry_id();
    if (!seen.insert(id).second) return ids_not_distinct(id);
  }
  return std::nullopt;
}

nlohmann::json batch_failure(const std::string& id, const AwsError& error) {
  return {{"Id", id}, {"SenderFault", error.sender_fault}, {"Code", error.legacy_code()}, {"Message", error.message}};
}

}  // namespace shoal::api::sqs
