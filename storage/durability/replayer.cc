#include "storage/durability/replayer.h"

#include "storage/durability/change_codec.h"

namespace shoal::storage::durability {
namespace {

// The time a stream change happened at, when it has one.
std::optional<TimePoint> time_of(const StreamChange& change) {
  if (const auto* c = std::get_if<StreamCreated>(&change)) return c->created;
  if (const auto* c = std::get_if<RecordsPut>(&change)) return c->at;
  if (const auto* c = std::get_if<StreamOp>(&change)) return c->at;
  return std::nullopt;
}

}  // namespace

bool Replayer::apply(std::string_view record) {
  auto change = decode_change(record);
  if (!change) {
    ++unreadable_;
    return false;
  }
  if (auto* q = std::get_if<QueueChange>(&*change)) {
    queues_.apply(*q);
  } else {
    const auto& s = std::get<StreamChange>(*change);
    if (clock_ != nullptr) {
      if (auto at = time_of(s)) clock_->pin(*at);
    }
    streams_.apply(s);
  }
  ++applied_;
  return true;
}

}  // namespace shoal::storage::durability
