// UpdateShardCount's UNIFORM_SCALING as a plan of splits and merges. AWS
// reshards by splitting and merging single shards, and the totals it reaches
// (recorded against AWS by moto: 2->4 makes 6 shards in all, 4->5 15, 10->13
// 37, 4->2 6, 5->3 7) say how: scaling up splits every open shard once, then
// merges pairs of the pieces down to the target (2n - t merges); scaling down
// merges pairs of open shards (n - t merges). Where the splits fall and which
// pairs merge is chosen so the final ranges come as close to t equal ranges
// as those operations allow (AWS: "uniform scaling creates shards of equal
// size"); 1->2, 2->4, 4->5 and 20->10 come out exactly even.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/stream/hash_key.h"
#include "storage/stream/result.h"
#include "storage/stream/stream_changes.h"

namespace shoal::storage {

struct ScalingShard {
  std::uint32_t index = 0;
  HashKeyRange range;
};

// `open`: the open shards ordered by range start (they cover the whole hash
// key space); new shards get indexes from `next_index` on, in plan order.
// The plan's children come in creation order: the split halves (left, right,
// shard by shard), then the merged shards. A merged shard's parents are
// children created earlier in the same plan, and `close` lists those too, so
// they appear and close at once (AWS's short-lived shards). Its `due` is
// unset. Target == open.size(): an empty plan. kInvalidArgument: a shard too
// narrow to split (fewer than 3 hash keys), or a target below half / above
// double the open count (callers check those first, with AWS's wording).
Result<PendingReshard> plan_uniform_scaling(const std::vector<ScalingShard>& open, std::uint32_t next_index,
                                            int target);

}  // namespace shoal::storage
