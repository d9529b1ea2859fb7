#include "storage/journal/journal_format.h"

#include <charconv>
#include <cstdio>

#include "storage/journal/crc32c.h"

namespace shoal::storage::journal {
namespace {

constexpr std::string_view kSegmentPrefix = "segment-";
constexpr std::string_view kSnapshotPrefix = "snapshot-";
constexpr std::string_view kSuffix = ".log";
constexpr std::string_view kTempSuffix = ".log.tmp";
constexpr std::size_t kNumberDigits = 20;  // fixed width: names sort like numbers

}  // namespace

void put_u32(char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFFu);
}

void append_frame(std::string* out, std::string_view record) {
  char header[kFrameHeaderBytes];
  put_u32(header, static_cast<std::uint32_t>(record.size()));
  std::uint32_t crc = crc32c_extend(0, header, 4);
  crc = crc32c_extend(crc, record.data(), record.size());
  put_u32(header + 4, crc);
  out->append(header, kFrameHeaderBytes);
  out->append(record);
}

std::string file_name(FileKind kind, std::uint64_t number) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(number));
  switch (kind) {
    case FileKind::kSegment:
      return std::string(kSegmentPrefix) + digits + std::string(kSuffix);
    case FileKind::kSnapshot:
      return std::string(kSnapshotPrefix) + digits + std::string(kSuffix);
    case FileKind::kSnapshotTemp:
      return std::string(kSnapshotPrefix) + digits + std::string(kTempSuffix);
  }
  return {};
}

std::optional<FileName> parse_file_name(std::string_view name) {
  FileKind kind;
  if (name.starts_with(kSegmentPrefix)) {
    kind = FileKind::kSegment;
    name.remove_prefix(kSegmentPrefix.size());
  } else if (name.starts_with(kSnapshotPrefix)) {
    kind = FileKind::kSnapshot;
    name.remove_prefix(kSnapshotPrefix.size());
  } else {
    return std::nullopt;
  }
  if (kind == FileKind::kSnapshot && name.ends_with(kTempSuffix)) {
    kind = FileKind::kSnapshotTemp;
    name.remove_suffix(kTempSuffix.size());
  } else if (name.ends_with(kSuffix)) {
    name.remove_suffix(kSuffix.size());
  } else {
    return std::nullopt;
  }
  if (name.size() != kNumberDigits) return std::nullopt;
  std::uint64_t number = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
  if (ec != std::errc() || end != name.data() + name.size()) return std::nullopt;
  return FileName{kind, number};
}

}  // namespace shoal::storage::journal
