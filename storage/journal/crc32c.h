// CRC32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of every
// journal frame. Uses the SSE4.2 crc32 instruction when the CPU has it (checked
// once at run time), else a table-driven slicing-by-8 loop. Pure functions,
// thread-safe. crc32c("123456789") == 0xE3069283.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shoal::storage::journal {

// Continues a checksum: crc32c_extend(crc32c(a), b) == crc32c(a + b).
std::uint32_t crc32c_extend(std::uint32_t crc, const void* data, std::size_t size);

inline std::uint32_t crc32c(std::string_view data) {
  return crc32c_extend(0, data.data(), data.size());
}

// The portable path alone, so tests can check both paths agree.
std::uint32_t crc32c_extend_portable(std::uint32_t crc, const void* data, std::size_t size);

}  // namespace shoal::storage::journal
