// libFuzzer target: the log replayer (storage/durability/replayer.h) behind
// the CRC: the input is a run of records (a 2-byte length before each), each
// decoded by change_codec and applied to fresh engines in order, as a
// restart replays a log. Whatever a record holds, replay must neither crash
// nor hang, and the codec must read back what it writes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "storage/durability/change_codec.h"
#include "storage/durability/replayer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  shoal::storage::ManualClock base;
  shoal::storage::durability::ReplayClock clock(base);
  shoal::storage::QueueRegistry queues(clock);
  shoal::storage::StreamRegistry streams(clock, {});
  shoal::storage::durability::Replayer replayer(queues, streams, &clock);
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (rest.size() >= 2) {
    const std::size_t length = static_cast<std::uint8_t>(rest[0]) | static_cast<std::size_t>(static_cast<std::uint8_t>(rest[1])) << 8;
    rest.remove_prefix(2);
    const std::string_view record = rest.substr(0, length);
    rest.remove_prefix(record.size());
    // Records need not be canonical (a varint may carry extra bytes), but
    // what the encoder writes must decode and encode to itself.
    auto encode = [](const shoal::storage::durability::Change& change) {
      return std::visit([](const auto& c) { return shoal::storage::durability::encode_change(c); }, change);
    };
    if (auto change = shoal::storage::durability::decode_change(record)) {
      const std::string once = encode(*change);
      auto again = shoal::storage::durability::decode_change(once);
      if (!again || encode(*again) != once) __builtin_trap();
    }
    replayer.apply(record);
  }
  return 0;
}
