// Shard: one shard's identity, hash key range, lineage and records. Internal
// to Stream, which holds the lock. Records live in a deque in counter order
// (counters consecutive, arrivals non-decreasing), so append is O(1), seeking
// by counter or arrival is a binary search, trimming pops the front and frees
// memory block by block. A record costs its bytes plus ~56 bytes.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/clock.h"
#include "storage/stream/hash_key.h"
#include "storage/stream/stream_types.h"

namespace shoal::storage {

struct StoredRecord {
  std::uint64_t counter = 0;
  std::int64_t arrival_ms = 0;
  std::uint32_t key_size = 0;  // bytes = partition key then data
  EncryptionType encryption = EncryptionType::kNone;
  std::string bytes;

  std::string_view partition_key() const { return std::string_view(bytes).substr(0, key_size); }
  std::string_view data() const { return std::string_view(bytes).substr(key_size); }
};

class Shard {
 public:
  // seq_created_seconds: the creation time written into sequence numbers
  // (children use their parents' close second + 1 so their numbers sort after).
  Shard(std::uint32_t index, HashKeyRange range, TimePoint created, std::int64_t seq_created_seconds,
        std::vector<std::uint32_t> parents);

  std::uint32_t index() const { return index_; }
  const HashKeyRange& range() const { return range_; }
  const std::vector<std::uint32_t>& parents() const { return parents_; }
  bool open() const { return !closed_.has_value(); }
  std::optional<TimePoint> closed() const { return closed_; }
  std::int64_t seq_created_seconds() const { return seq_created_seconds_; }
  std::uint64_t next_counter() const { return next_counter_; }
  const std::deque<StoredRecord>& records() const { return records_; }
  // Partition keys plus data of the retained records, kept as they come and
  // go so reading it costs nothing.
  std::uint64_t retained_bytes() const { return retained_bytes_; }
  // Records ever put into the shard, trimmed ones included.
  std::uint64_t records_put() const { return next_counter_ - 1; }

  // Arrival is clamped to be no earlier than the previous record's.
  const StoredRecord& append(TimePoint now, std::string_view partition_key, std::string_view data,
                             EncryptionType encryption);
  void close(TimePoint at);
  // Drops records that arrived before horizon.
  void trim(TimePoint horizon);

  // Position of the first record with counter >= c / arrival >= t.
  std::size_t seek_counter(std::uint64_t c) const;
  std::size_t seek_arrival(TimePoint t) const;

  // Snapshot restore (durability): the counters and close time a shard had,
  // then its records, oldest first.
  TimePoint created() const { return created_; }
  std::int64_t last_arrival_ms() const { return last_arrival_ms_; }
  void restore_position(std::uint64_t next_counter, std::int64_t last_arrival_ms, std::optional<TimePoint> closed);
  void restore_record(StoredRecord record) {
    retained_bytes_ += record.bytes.size();
    records_.push_back(std::move(record));
  }

  std::string sequence_number(const StoredRecord& r) const;
  std::string sequence_number(std::uint64_t counter, std::int64_t arrival_ms) const;
  ShardInfo info() const;

 private:
  std::uint32_t index_;
  HashKeyRange range_;
  TimePoint created_;
  std::int64_t seq_created_seconds_;
  std::vector<std::uint32_t> parents_;
  std::optional<TimePoint> closed_;
  // Records count from 1: counter 0 is the shard's StartingSequenceNumber,
  // below every record even though children date it a second ahead.
  std::uint64_t next_counter_ = 1;
  std::int64_t last_arrival_ms_ = 0;
  std::deque<StoredRecord> records_;
  std::uint64_t retained_bytes_ = 0;
};

}  // namespace shoal::storage
