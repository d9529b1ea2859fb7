#include "storage/stream/shard.h"

#include <algorithm>

#include "storage/stream/sequence_number.h"

namespace shoal::storage {

Shard::Shard(std::uint32_t index, HashKeyRange range, TimePoint created,
             std::int64_t seq_created_seconds, std::vector<std::uint32_t> parents)
    : index_(index),
      range_(range),
      created_(created),
      seq_created_seconds_(seq_created_seconds),
      parents_(std::move(parents)),
      last_arrival_ms_(to_epoch_ms(created)) {}

const StoredRecord& Shard::append(TimePoint now, std::string_view partition_key,
                                  std::string_view data, EncryptionType encryption) {
  last_arrival_ms_ = std::max(last_arrival_ms_, to_epoch_ms(now));
  StoredRecord r;
  r.counter = next_counter_++;
  r.arrival_ms = last_arrival_ms_;
  r.key_size = static_cast<std::uint32_t>(partition_key.size());
  r.encryption = encryption;
  r.bytes.reserve(partition_key.size() + data.size());
  r.bytes.append(partition_key).append(data);
  retained_bytes_ += r.bytes.size();
  records_.push_back(std::move(r));
  return records_.back();
}

void Shard::close(TimePoint at) { closed_ = at; }

void Shard::restore_position(std::uint64_t next_counter, std::int64_t last_arrival_ms,
                             std::optional<TimePoint> closed) {
  next_counter_ = next_counter;
  last_arrival_ms_ = last_arrival_ms;
  closed_ = closed;
}

void Shard::trim(TimePoint horizon) {
  const auto h = to_epoch_ms(horizon);
  while (!records_.empty() && records_.front().arrival_ms < h) {
    retained_bytes_ -= records_.front().bytes.size();
    records_.pop_front();
  }
  if (records_.empty()) records_.shrink_to_fit();
}

std::size_t Shard::seek_counter(std::uint64_t c) const {
  const auto it = std::lower_bound(records_.begin(), records_.end(), c,
                                   [](const StoredRecord& r, std::uint64_t v) { return r.counter < v; });
  return static_cast<std::size_t>(it - records_.begin());
}

std::size_t Shard::seek_arrival(TimePoint t) const {
  const auto ms = to_epoch_ms(t);
  const auto it = std::lower_bound(records_.begin(), records_.end(), ms,
                                   [](const StoredRecord& r, std::int64_t v) { return r.arrival_ms < v; });
  return static_cast<std::size_t>(it - records_.begin());
}

std::string Shard::sequence_number(const StoredRecord& r) const {
  return sequence_number(r.counter, r.arrival_ms);
}

std::string Shard::sequence_number(std::uint64_t counter, std::int64_t arrival_ms) const {
  return encode_sequence_number({seq_created_seconds_, index_, counter, arrival_ms / 1000});
}

ShardInfo Shard::info() const {
  ShardInfo s;
  s.shard_id = shard_id_for_index(index_);
  s.index = index_;
  if (!parents_.empty()) s.parent_shard_id = shard_id_for_index(parents_[0]);
  if (parents_.size() > 1) s.adjacent_parent_shard_id = shard_id_for_index(parents_[1]);
  s.hash_key_range = range_;
  s.starting_sequence_number = sequence_number(0, seq_created_seconds_ * 1000);
  if (closed_) s.ending_sequence_number = sequence_number(kEndingCounter, to_epoch_ms(*closed_));
  s.created = created_;
  s.closed = closed_;
  return s;
}

}  // namespace shoal::storage
