// libFuzzer target: shard iterators (storage/stream/shard_iterator.h). Any
// text decodes to an error or to a state that encodes back to an iterator
// decoding to the same state; forged ones never verify.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/stream/shard_iterator.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const shoal::storage::ShardIteratorCodec codec("a fixed fuzzing key");
  const shoal::storage::TimePoint now{std::chrono::milliseconds(1'700'000'000'000)};
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = codec.decode(text, now);
  if (decoded.ok()) {
    auto again = codec.decode(codec.encode(decoded.value()), now);
    if (!again.ok() || !(again.value() == decoded.value())) __builtin_trap();
  }
  // The input's bytes as a state's strings round-trip.
  shoal::storage::ShardIteratorState state;
  state.account = std::string(text.substr(0, size / 3));
  state.region = std::string(text.substr(size / 3, size / 3));
  state.stream_name = std::string(text.substr(2 * (size / 3)));
  state.shard_index = static_cast<std::uint32_t>(size);
  state.next_counter = size * 7919;
  state.issued_ms = 1'700'000'000'000;
  auto back = codec.decode(codec.encode(state), now);
  if (!back.ok() || !(back.value() == state)) __builtin_trap();
  return 0;
}
