#include "storage/stream/uniform_scaling.h"

#include <algorithm>
#include <string>

namespace shoal::storage {
namespace {

// The inner boundaries of `t` even ranges (CreateStream's layout): index j
// holds the start of range j, so [0] is unused.
std::vector<HashKey> ideal_boundaries(int t) {
  std::vector<HashKey> out(static_cast<std::size_t>(t), 0);
  for (int j = 1; j < t; ++j) out[static_cast<std::size_t>(j)] = even_hash_key_range(j, t).start;
  return out;
}

HashKey key_distance(HashKey a, HashKey b) { return a > b ? a - b : b - a; }

// n -> t with n < t <= 2n. Every shard splits once; t - n - 1 of the n - 1
// old boundaries stay (the others go by merging the halves that meet there),
// so the final boundaries are the kept old ones and one split point per
// shard, in hash order. Walking the shards, each next ideal boundary goes to
// the old boundary ahead (kept) or to the shard's split point: an old
// boundary is kept when the ideal one is at or before it, or when the shard
// after it holds two ideal boundaries and the first is nearer the old
// boundary than the second is to the shard's end; the keep count is forced
// when only just enough boundaries remain.
Result<PendingReshard> plan_scale_up(const std::vector<ScalingShard>& open, std::uint32_t next_index, int target) {
  const int n = static_cast<int>(open.size());
  const auto ideal = ideal_boundaries(target);
  const int keep_total = target - n - 1;
  std::vector<bool> kept(static_cast<std::size_t>(n), false);  // kept[i]: boundary at open[i].range.start
  std::vector<HashKey> split(static_cast<std::size_t>(n), 0);
  int j = 1;
  int kept_count = 0;
  for (int i = 0; i < n; ++i) {
    const auto& range = open[static_cast<std::size_t>(i)].range;
    if (i > 0) {
      const int need = keep_total - kept_count;
      const int remaining = n - i;  // old boundaries from this one on
      bool keep = false;
      if (need >= remaining) {
        keep = true;
      } else if (need > 0) {
        const HashKey b = ideal[static_cast<std::size_t>(j)];
        if (b <= range.start) {
          keep = true;
        } else if (j + 1 < target && ideal[static_cast<std::size_t>(j + 1)] <= range.end) {
          keep = b - range.start <= (range.end - ideal[static_cast<std::size_t>(j + 1)]) + 1;
        }
      }
      if (keep) {
        kept[static_cast<std::size_t>(i)] = true;
        ++kept_count;
        ++j;
      }
    }
    if (range.end - range.start < 3) {
      return Status::invalid_argument("shard " + shard_id_for_index(open[static_cast<std::size_t>(i)].index) +
                                      " is too narrow to split");
    }
    // SplitShard's rule: start + 1 < key < end.
    split[static_cast<std::size_t>(i)] = std::clamp(ideal[static_cast<std::size_t>(j)], range.start + 2, range.end - 1);
    ++j;
  }

  PendingReshard plan;
  for (int i = 0; i < n; ++i) {
    const auto& shard = open[static_cast<std::size_t>(i)];
    const HashKey at = split[static_cast<std::size_t>(i)];
    plan.close.push_back(shard.index);
    plan.children.push_back({{shard.range.start, at - 1}, {shard.index}});
    plan.children.push_back({{at, shard.range.end}, {shard.index}});
  }
  for (int i = 1; i < n; ++i) {
    if (kept[static_cast<std::size_t>(i)]) continue;
    // The right half of shard i - 1 meets the left half of shard i here.
    const auto right = next_index + 2 * static_cast<std::uint32_t>(i - 1) + 1;
    const auto left = next_index + 2 * static_cast<std::uint32_t>(i);
    plan.close.push_back(right);
    plan.close.push_back(left);
    plan.children.push_back(
        {{split[static_cast<std::size_t>(i - 1)], split[static_cast<std::size_t>(i)] - 1}, {right, left}});
  }
  return plan;
}

// n -> t with n/2 <= t < n: n - t merges of neighbouring open shards, no
// shard merged twice (no two removed boundaries adjacent). Walking the old
// boundaries, one is removed when the next one lies nearer the ideal
// boundary it would otherwise stand for; removals are forced when only just
// enough boundaries remain to reach the count.
Result<PendingReshard> plan_scale_down(const std::vector<ScalingShard>& open, int target) {
  const int n = static_cast<int>(open.size());
  const auto ideal = ideal_boundaries(target);
  const int remove_total = n - target;
  int removed = 0;
  int j = 1;
  bool previous_removed = false;
  PendingReshard plan;
  for (int i = 1; i < n; ++i) {
    const HashKey boundary = open[static_cast<std::size_t>(i)].range.start;
    const int need = remove_total - removed;
    const int after = n - 1 - i;  // old boundaries after this one
    bool remove = false;
    if (!previous_removed && need > 0) {
      if (need > (after + 1) / 2) {
        remove = true;  // keeping it would leave too few to remove
      } else if (i + 1 < n) {
        const HashKey b = ideal[static_cast<std::size_t>(j)];
        remove = key_distance(open[static_cast<std::size_t>(i + 1)].range.start, b) < key_distance(boundary, b);
      }
    }
    if (remove) {
      const auto& left = open[static_cast<std::size_t>(i - 1)];
      const auto& right = open[static_cast<std::size_t>(i)];
      plan.close.push_back(left.index);
      plan.close.push_back(right.index);
      plan.children.push_back({{left.range.start, right.range.end}, {left.index, right.index}});
      ++removed;
    } else {
      ++j;
    }
    previous_removed = remove;
  }
  return plan;
}

}  // namespace

Result<PendingReshard> plan_uniform_scaling(const std::vector<ScalingShard>& open, std::uint32_t next_index,
                                            int target) {
  const int n = static_cast<int>(open.size());
  if (n == 0 || target < 1 || target > 2 * n || 2 * target < n) {
    return Status::invalid_argument("cannot scale " + std::to_string(n) + " open shards to " + std::to_string(target));
  }
  if (target == n) return PendingReshard{};
  if (target > n) return plan_scale_up(open, next_index, target);
  return plan_scale_down(open, target);
}

}  // namespace shoal::storage
