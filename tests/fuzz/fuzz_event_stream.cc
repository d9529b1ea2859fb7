// libFuzzer target: the event-stream decoder (api/protocol/event_stream.h).
// Any bytes give whole messages then at most one error, which repeats; every
// decoded message encodes back to exactly the bytes it came from; and feeding
// the same bytes split at a point chosen by the input gives the same items.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/protocol/event_stream.h"

namespace es = shoal::api::event_stream;

namespace {

// Every item the decoder yields for `pieces` fed one after another.
std::vector<es::Decoder::Item> drain(const std::vector<std::string_view>& pieces) {
  es::Decoder decoder;
  std::vector<es::Decoder::Item> items;
  for (auto piece : pieces) {
    decoder.feed(piece);
    while (auto item = decoder.next()) {
      const bool error = std::holds_alternative<es::Decoder::Error>(*item);
      items.push_back(std::move(*item));
      if (error) {
        // An error is final: the next call repeats it.
        auto again = decoder.next();
        if (!again || !std::holds_alternative<es::Decoder::Error>(*again)) __builtin_trap();
        return items;
      }
    }
  }
  return items;
}

bool same(const es::Decoder::Item& a, const es::Decoder::Item& b) {
  if (a.index() != b.index()) return false;
  if (const auto* m = std::get_if<es::Message>(&a)) return *m == std::get<es::Message>(b);
  return std::get<es::Decoder::Error>(a).message == std::get<es::Decoder::Error>(b).message;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto whole = drain({bytes});

  // Messages decoded in order re-encode to the input's leading bytes.
  std::string encoded;
  for (const auto& item : whole) {
    if (const auto* message = std::get_if<es::Message>(&item)) es::encode(*message, encoded);
  }
  if (bytes.substr(0, encoded.size()) != encoded) __builtin_trap();

  // A frame may be split anywhere.
  const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
  const auto split = drain({bytes.substr(0, cut), bytes.substr(cut)});
  if (split.size() != whole.size()) __builtin_trap();
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (!same(whole[i], split[i])) __builtin_trap();
  }
  return 0;
}
