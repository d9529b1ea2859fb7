// Shared helpers for the stream engine tests: a registry on a manual clock and
// short forms for put / iterator / read that fail the test on error.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "storage/stream/stream_registry.h"

namespace shoal::storage::testing {

struct StreamFixture {
  explicit StreamFixture(StreamRegistryOptions options = {}) : registry(clock, std::move(options)) {}

  std::shared_ptr<Stream> create(int shards, const std::string& name = "orders") {
    StreamConfig config;
    config.shard_count = shards;
    auto created = registry.create(key(name), config);
    REQUIRE(created.ok());
    return *created;
  }

  static StreamKey key(const std::string& name = "orders") { return {"123456789012", "us-east-1", name}; }

  ManualClock clock;
  StreamRegistry registry;
};

inline PutRecordOutcome put(Stream& stream, const std::string& partition_key, const std::string& data,
                            std::optional<HashKey> explicit_hash_key = std::nullopt) {
  auto out = stream.put_record({partition_key, explicit_hash_key, data, std::nullopt});
  REQUIRE_MESSAGE(out.ok(), out.status().message());
  return *out;
}

inline std::string iterator(Stream& stream, const std::string& shard_id,
                            ShardIteratorType type = ShardIteratorType::kTrimHorizon,
                            const std::string& sequence_number = {}, TimePoint timestamp = {}) {
  auto out = stream.get_shard_iterator(shard_id, {type, sequence_number, timestamp});
  REQUIRE_MESSAGE(out.ok(), out.status().message());
  return *out;
}

inline GetRecordsOutcome read(StreamRegistry& registry, const std::string& it, int limit = 10000) {
  auto out = registry.get_records(it, limit);
  REQUIRE_MESSAGE(out.ok(), out.status().message());
  return std::move(out).value();
}

}  // namespace shoal::storage::testing
