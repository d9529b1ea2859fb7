// When to compact: Redis's auto-rewrite rule on the journal's own counters.
// Compact once the records appended since the last compaction are at least
// min_bytes and at least growth_percent of what the log held right after it
// (the snapshot: a stand-in for the live state). Pure function.
#pragma once

#include <cstdint>

namespace shoal::storage::journal {

struct CompactionTrigger {
  std::uint64_t min_bytes = 64ull * 1024 * 1024;
  std::uint32_t growth_percent = 100;
};

inline bool compaction_due(const CompactionTrigger& trigger, std::uint64_t total_bytes,
                           std::uint64_t bytes_since_compaction) {
  if (bytes_since_compaction < trigger.min_bytes) return false;
  const std::uint64_t base =
      total_bytes > bytes_since_compaction ? total_bytes - bytes_since_compaction : 0;
  return bytes_since_compaction * 100 >= base * trigger.growth_percent;
}

}  // namespace shoal::storage::journal
