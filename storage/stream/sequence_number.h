// Kinesis sequence numbers: 56-digit decimal strings with AWS's shape (the
// layout of kinesalite's "version 2", which imitates AWS). Every number is
// 2^185 <= n < 1.5 * 2^185, so all have 56 digits and compare as strings.
// Hex layout, 47 digits, most significant first:
//   '2' | shard creation (9, epoch seconds) | shard index low nibble (1) |
//   counter (16, < 2^63) | '00' | arrival (9, epoch seconds) |
//   shard index (8, < 2^31) | '2'
// Within one shard creation time and index are fixed, so the per-shard counter
// alone orders numbers; it is the only state needed to reproduce them.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shoal::storage {

struct SequenceParts {
  std::int64_t shard_created_seconds = 0;
  std::uint32_t shard_index = 0;
  std::uint64_t counter = 0;
  std::int64_t arrival_seconds = 0;
  bool operator==(const SequenceParts&) const = default;
};

// The counter of a closed shard's EndingSequenceNumber: above every record's.
inline constexpr std::uint64_t kEndingCounter = 0x7fff'ffff'ffff'ffffULL;

std::string encode_sequence_number(const SequenceParts& parts);
// nullopt for anything encode_sequence_number could not have produced
// (not decimal, wrong range or version, counter or index too high).
std::optional<SequenceParts> decode_sequence_number(std::string_view decimal);

}  // namespace shoal::storage
