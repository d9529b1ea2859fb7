#include "storage/queue/fifo_groups.h"

namespace shoal::storage {

void FifoGroups::add(std::string_view group, std::uint64_t seq, bool visible) {
  auto it = groups_.find(group);
  if (it == groups_.end()) it = groups_.try_emplace(std::string(group)).first;
  it->second.members.emplace(seq, visible);
  refresh(it);
}

void FifoGroups::set_visible(std::string_view group, std::uint64_t seq, bool visible) {
  auto it = groups_.find(group);
  if (it == groups_.end()) return;
  auto member = it->second.members.find(seq);
  if (member == it->second.members.end() || member->second == visible) return;
  member->second = visible;
  // Only a change at the head can change whether the group is ready.
  if (member == it->second.members.begin()) refresh(it);
}

void FifoGroups::remove(std::string_view group, std::uint64_t seq) {
  auto it = groups_.find(group);
  if (it == groups_.end()) return;
  if (it->second.members.erase(seq) > 0) refresh(it);
}

void FifoGroups::clear() {
  ready_.clear();
  groups_.clear();
}

std::vector<std::uint64_t> FifoGroups::next(std::size_t max_messages) const {
  std::vector<std::uint64_t> out;
  for (const auto& [head, group] : ready_) {
    for (const auto& [seq, visible] : group->members) {
      if (!visible || out.size() >= max_messages) break;
      out.push_back(seq);
    }
    if (out.size() >= max_messages) break;
  }
  return out;
}

void FifoGroups::refresh(Groups::iterator it) {
  Group& g = it->second;
  const bool ready = !g.members.empty() && g.members.begin()->second;
  const std::uint64_t head = ready ? g.members.begin()->first : 0;
  if (g.listed && (!ready || head != g.listed_head)) {
    ready_.erase(g.listed_head);
    g.listed = false;
  }
  if (ready && !g.listed) {
    ready_.emplace(head, &g);
    g.listed = true;
    g.listed_head = head;
  }
  if (g.members.empty()) groups_.erase(it);
}

}  // namespace shoal::storage
