// Stream::newest_records: the live tail the control endpoints show, kept
// apart from the data plane in stream.cc. Reads only; the caller gets copies
// of at most max_data_bytes of each record, so a tail of large records stays
// small and the stream's lock is held for O(shards x max) steps.
#include <algorithm>

#include "storage/stream/stream.h"
#include "storage/stream/stream_state.h"

namespace shoal::storage {

std::vector<RecordPreview> Stream::newest_records(std::size_t max, std::size_t max_data_bytes) const {
  struct Candidate {
    const Shard* shard;
    const StoredRecord* record;
  };
  const auto now = clock_.now();
  std::lock_guard lock(state_->mutex);
  auto& s = *state_;
  s.refresh(now);
  // The newest `max` of each shard hold the newest `max` of the stream.
  std::vector<Candidate> candidates;
  for (const auto& [index, shard] : s.shards) {
    const auto& records = shard.records();
    const std::size_t take = std::min(max, records.size());
    for (std::size_t i = records.size() - take; i < records.size(); ++i) candidates.push_back({&shard, &records[i]});
  }
  // Newest first; within one millisecond, the later counter (same shard) or
  // the higher shard index, so the order is stable between calls.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.record->arrival_ms != b.record->arrival_ms) return a.record->arrival_ms > b.record->arrival_ms;
    if (a.shard != b.shard) return a.shard->index() > b.shard->index();
    return a.record->counter > b.record->counter;
  });
  if (candidates.size() > max) candidates.resize(max);
  std::vector<RecordPreview> out;
  out.reserve(candidates.size());
  for (const auto& c : candidates) {
    const auto data = c.record->data();
    out.push_back({shard_id_for_index(c.shard->index()), c.shard->sequence_number(*c.record),
                   TimePoint(std::chrono::milliseconds(c.record->arrival_ms)), std::string(c.record->partition_key()),
                   std::string(data.substr(0, max_data_bytes)), data.size()});
  }
  return out;
}

}  // namespace shoal::storage
