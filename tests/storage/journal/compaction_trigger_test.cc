// The compaction trigger: not before min_bytes, then once the log has grown
// by growth_percent over what compaction left.
#include "storage/journal/compaction_trigger.h"

#include <doctest/doctest.h>

#include "tests/storage/journal/journal_test_util.h"

namespace shoal::storage::journal {
using namespace testing;

TEST_CASE("compaction is due once appended bytes pass both the floor and the growth ratio") {
  const CompactionTrigger trigger{1000, 100};
  CHECK_FALSE(compaction_due(trigger, 999, 999));           // below the floor, however dead
  CHECK(compaction_due(trigger, 1000, 1000));               // no snapshot yet: all growth
  CHECK_FALSE(compaction_due(trigger, 5000 + 4999, 4999));  // snapshot 5000: not doubled yet
  CHECK(compaction_due(trigger, 5000 + 5000, 5000));
  CHECK(compaction_due(CompactionTrigger{1000, 50}, 5000 + 2500, 2500));
}

TEST_CASE("the trigger on a real journal fires while churning and rests after compacting") {
  MemoryFileSystem fs;
  Opened o = open_journal(memory_options(fs, FsyncPolicy::kNever));
  REQUIRE(o.journal);
  KvModel model;
  const CompactionTrigger trigger{4096, 100};
  int compactions = 0;
  for (int i = 0; i < 5000; ++i) {
    o.journal->wait_durable(
        model.change(*o.journal, "set k" + std::to_string(i % 20) + " v" + std::to_string(i)));
    if (compaction_due(trigger, o.journal->total_bytes(), o.journal->bytes_since_compaction())) {
      std::string error;
      REQUIRE(o.journal->compact([&](const Journal::Emit& e) { model.snapshot(e); }, &error));
      ++compactions;
      CHECK_FALSE(
          compaction_due(trigger, o.journal->total_bytes(), o.journal->bytes_since_compaction()));
    }
  }
  CHECK(compactions > 10);
  CHECK(o.journal->total_bytes() < 2 * 4096 + 1024);  // bounded, not 5000 records' worth
  o.journal.reset();
  CHECK(replay_state(open_journal(memory_options(fs)).replayed) == model.state());
}

}  // namespace shoal::storage::journal
