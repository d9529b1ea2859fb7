// The journal's on-disk constants and frame encoding (prose spec:
// storage/journal/FORMAT.md). Pure functions; no I/O. Every file (segment or
// snapshot) is kFileMagic followed by frames; a frame is
//   u32 length (little-endian) | u32 crc32c(length bytes + payload) | payload.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shoal::storage::journal {

inline constexpr std::string_view kFileMagic{"SHJRNL01", 8};
inline constexpr std::size_t kFrameHeaderBytes = 8;
// Longer lengths are damage, not records: no engine record comes near this.
inline constexpr std::uint32_t kMaxRecordBytes = 256u * 1024 * 1024;

// Writes v little-endian into p[0..4).
void put_u32(char* p, std::uint32_t v);

// Appends the frame of `record` to *out.
void append_frame(std::string* out, std::string_view record);

inline std::size_t frame_bytes(std::string_view record) {
  return kFrameHeaderBytes + record.size();
}

// File names in the journal directory. A segment holds appended records; a
// snapshot holds the live state as of the start of segment `number` and makes
// every lower-numbered segment and snapshot obsolete. A name ending in ".tmp"
// is a snapshot still being written.
enum class FileKind { kSegment, kSnapshot, kSnapshotTemp };

struct FileName {
  FileKind kind;
  std::uint64_t number;
};

std::string file_name(FileKind kind, std::uint64_t number);
std::optional<FileName> parse_file_name(std::string_view name);  // nullopt: not ours

}  // namespace shoal::storage::journal
