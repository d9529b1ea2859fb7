#include "storage/durability/change_codec.h"

#include "storage/durability/change_codec_internal.h"

namespace shoal::storage::durability {
namespace {

constexpr std::uint8_t kQueueBase = 1;    // + QueueChange index
constexpr std::uint8_t kStreamBase = 64;  // + StreamChange index

template <typename V>
std::string encode(std::uint8_t base, const V& change) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(base + change.index()));
  put_fields(w, change);
  return w.take();
}

}  // namespace

std::string encode_change(const QueueChange& change) { return encode(kQueueBase, change); }

std::string encode_change(const StreamChange& change) { return encode(kStreamBase, change); }

std::optional<Change> decode_change(std::string_view record) {
  ByteReader r(record);
  const std::uint8_t tag = r.u8();
  if (r.failed()) return std::nullopt;
  std::optional<Change> out;
  if (tag >= kQueueBase && tag < kQueueBase + std::variant_size_v<QueueChange>) {
    QueueChange c;
    if (!get_fields(tag - kQueueBase, r, c)) return std::nullopt;
    out = std::move(c);
  } else if (tag >= kStreamBase && tag < kStreamBase + std::variant_size_v<StreamChange>) {
    StreamChange c;
    if (!get_fields(tag - kStreamBase, r, c)) return std::nullopt;
    out = std::move(c);
  } else {
    return std::nullopt;
  }
  if (r.failed() || !r.done()) return std::nullopt;
  return out;
}

}  // namespace shoal::storage::durability
