#include "storage/stream/stream_types.h"

#include <cstdio>

namespace shoal::storage {

std::string_view to_string(StreamStatus s) {
  switch (s) {
    case StreamStatus::kCreating: return "CREATING";
    case StreamStatus::kDeleting: return "DELETING";
    case StreamStatus::kActive: return "ACTIVE";
    case StreamStatus::kUpdating: return "UPDATING";
  }
  return "ACTIVE";
}

std::string_view to_string(StreamMode m) {
  return m == StreamMode::kOnDemand ? "ON_DEMAND" : "PROVISIONED";
}

std::string_view to_string(EncryptionType e) { return e == EncryptionType::kKms ? "KMS" : "NONE"; }

std::string_view to_string(ConsumerStatus s) {
  switch (s) {
    case ConsumerStatus::kCreating: return "CREATING";
    case ConsumerStatus::kDeleting: return "DELETING";
    case ConsumerStatus::kActive: return "ACTIVE";
  }
  return "ACTIVE";
}

std::optional<StreamMode> parse_stream_mode(std::string_view s) {
  if (s == "PROVISIONED") return StreamMode::kProvisioned;
  if (s == "ON_DEMAND") return StreamMode::kOnDemand;
  return std::nullopt;
}

std::optional<ShardIteratorType> parse_shard_iterator_type(std::string_view s) {
  if (s == "TRIM_HORIZON") return ShardIteratorType::kTrimHorizon;
  if (s == "LATEST") return ShardIteratorType::kLatest;
  if (s == "AT_SEQUENCE_NUMBER") return ShardIteratorType::kAtSequenceNumber;
  if (s == "AFTER_SEQUENCE_NUMBER") return ShardIteratorType::kAfterSequenceNumber;
  if (s == "AT_TIMESTAMP") return ShardIteratorType::kAtTimestamp;
  return std::nullopt;
}

std::string shard_id_for_index(std::uint32_t index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "shardId-%012u", index);
  return buf;
}

std::optional<std::uint32_t> parse_shard_id(std::string_view shard_id) {
  constexpr std::string_view kPrefix = "shardId-";
  if (shard_id.size() != kPrefix.size() + 12 || shard_id.substr(0, kPrefix.size()) != kPrefix) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  for (char c : shard_id.substr(kPrefix.size())) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > 0x7fff'ffffU) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

}  // namespace shoal::storage
