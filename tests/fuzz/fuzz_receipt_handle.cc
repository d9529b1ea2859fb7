// libFuzzer target: receipt handles (storage/queue/receipt_handle.h). Any
// bytes decode to an error or to fields that encode back to the same handle.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/queue/receipt_handle.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::uint64_t kQueueId = 0x0123456789abcdefULL;
  constexpr std::uint64_t kSecret = 0xfedcba9876543210ULL;
  const std::string_view handle(reinterpret_cast<const char*>(data), size);
  auto decoded = shoal::storage::decode_receipt_handle(handle, kQueueId, kSecret);
  if (decoded.status.is_ok()) {
    auto again = shoal::storage::encode_receipt_handle({kQueueId, decoded.seq, decoded.nonce}, kSecret);
    if (again != handle) __builtin_trap();
  }
  // A handle made from the input's bytes always decodes back to them.
  if (size >= 16) {
    std::uint64_t seq = 0;
    std::uint64_t nonce = 0;
    for (int i = 0; i < 8; ++i) seq = seq << 8 | data[i];
    for (int i = 8; i < 16; ++i) nonce = nonce << 8 | data[i];
    auto encoded = shoal::storage::encode_receipt_handle({kQueueId, seq, nonce}, kSecret);
    auto back = shoal::storage::decode_receipt_handle(encoded, kQueueId, kSecret);
    if (!back.status.is_ok() || back.seq != seq || back.nonce != nonce) __builtin_trap();
  }
  return 0;
}
