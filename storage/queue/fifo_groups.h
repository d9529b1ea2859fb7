// FifoGroups: the delivery order of a FIFO queue. Each message group keeps its
// live messages (visible, in flight or delayed) in sequence order with a
// visible flag. A group is ready when its oldest message is visible; ready
// groups are ordered by that message's sequence, so the group waiting longest
// is served first. A message in flight therefore blocks every later message of
// its group, and a message whose visibility ends is again its group's head.
// O(log n) per change. Not thread-safe: a Queue owns it and uses it under its
// mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shoal::storage {

class FifoGroups {
 public:
  // seq is unique within the queue; adding a seq twice is not allowed.
  void add(std::string_view group, std::uint64_t seq, bool visible);
  // Unknown group or seq: ignored.
  void set_visible(std::string_view group, std::uint64_t seq, bool visible);
  void remove(std::string_view group, std::uint64_t seq);
  void clear();

  // True when some message can be delivered now.
  bool any_ready() const { return !ready_.empty(); }
  // Up to max_messages seqs a receive may take, in delivery order: the
  // visible run at the front of the oldest ready group, then of the next
  // ready group, and so on. Changes nothing.
  std::vector<std::uint64_t> next(std::size_t max_messages) const;

  std::size_t group_count() const { return groups_.size(); }

 private:
  struct Group {
    std::map<std::uint64_t, bool> members;  // seq -> visible
    bool listed = false;                    // in ready_, keyed by listed_head
    std::uint64_t listed_head = 0;
  };
  // Puts the group in ready_ (or takes it out) after its members changed;
  // erases it once empty.
  // Looks up by string_view without building a std::string.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Groups = std::unordered_map<std::string, Group, NameHash, std::equal_to<>>;
  void refresh(Groups::iterator it);

  // Node-based: Group addresses stay valid while the group exists.
  Groups groups_;
  std::map<std::uint64_t, const Group*> ready_;  // head seq -> group
};

}  // namespace shoal::storage
