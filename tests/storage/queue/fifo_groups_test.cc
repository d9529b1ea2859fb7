// FifoGroups on its own: readiness follows the head of each group, and next()
// walks the visible front of ready groups oldest first.
#include "storage/queue/fifo_groups.h"

#include <doctest/doctest.h>

namespace shoal::storage {

using Seqs = std::vector<std::uint64_t>;

TEST_CASE("a group is ready while its oldest message is visible") {
  FifoGroups groups;
  CHECK_FALSE(groups.any_ready());
  groups.add("g", 1, true);
  groups.add("g", 2, true);
  CHECK(groups.next(10) == Seqs{1, 2});
  groups.set_visible("g", 1, false);
  CHECK_FALSE(groups.any_ready());
  CHECK(groups.next(10).empty());
  groups.set_visible("g", 2, false);
  groups.set_visible("g", 1, true);
  CHECK(groups.next(10) == Seqs{1});  // stops at 2, in flight
  groups.remove("g", 1);
  CHECK_FALSE(groups.any_ready());
  groups.remove("g", 2);
  CHECK(groups.group_count() == 0);
}

TEST_CASE("next fills from the oldest ready group first and honours the limit") {
  FifoGroups groups;
  groups.add("a", 1, true);
  groups.add("b", 2, true);
  groups.add("a", 3, true);
  groups.add("c", 4, false);
  groups.add("b", 5, true);
  CHECK(groups.next(3) == Seqs{1, 3, 2});
  CHECK(groups.next(10) == Seqs{1, 3, 2, 5});
  groups.set_visible("a", 1, false);
  CHECK(groups.next(10) == Seqs{2, 5});
  groups.set_visible("c", 4, true);
  CHECK(groups.next(10) == Seqs{2, 5, 4});
}

TEST_CASE("unknown groups and seqs are ignored") {
  FifoGroups groups;
  groups.set_visible("x", 1, true);
  groups.remove("x", 1);
  groups.add("g", 1, true);
  groups.remove("g", 7);
  CHECK(groups.next(10) == Seqs{1});
  groups.clear();
  CHECK_FALSE(groups.any_ready());
}

}  // namespace shoal::storage
