// MemoryJournal: a Journal (storage/journal/journal.h) on a vector, for the
// durability tests. Every record is "durable" at once; the Disk outlives the
// journal so a test can replay it into fresh engines (a restart) or splice a
// snapshot with an overlapping suffix (a compaction that raced with appends).
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/durability/replayer.h"
#include "storage/journal/journal.h"

namespace shoal::storage::testing {

struct Disk {
  std::vector<std::string> records;
};

class MemoryJournal final : public journal::Journal {
 public:
  explicit MemoryJournal(Disk& disk) : disk_(disk) {}
  journal::Lsn append(std::string_view record) override {
    disk_.records.emplace_back(record);
    return disk_.records.size();
  }
  void on_durable(journal::Lsn, std::function<void(bool)> done) override { done(true); }
  bool wait_durable(journal::Lsn) override { return true; }
  bool compact(const std::function<void(const Emit& emit)>& snapshot, std::string*) override {
    const auto before = disk_.records.size();
    std::vector<std::string> out;
    snapshot([&out](std::string record) { out.push_back(std::move(record)); });
    // Records appended while the snapshot ran stay after it.
    out.insert(out.end(), disk_.records.begin() + static_cast<std::ptrdiff_t>(before), disk_.records.end());
    disk_.records = std::move(out);
    return true;
  }
  std::uint64_t total_bytes() const override {
    std::uint64_t n = 0;
    for (const auto& r : disk_.records) n += r.size();
    return n;
  }
  std::uint64_t bytes_since_compaction() const override { return total_bytes(); }

 private:
  Disk& disk_;
};

// Replays records into the engines, failing the test on an unreadable one.
inline void replay(const std::vector<std::string>& records, QueueRegistry& queues, StreamRegistry& streams,
                   durability::ReplayClock* clock) {
  durability::Replayer replayer(queues, streams, clock);
  for (const auto& r : records) REQUIRE(replayer.apply(r));
}

}  // namespace shoal::storage::testing
