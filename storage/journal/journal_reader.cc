#include "storage/journal/journal_reader.h"

#include "storage/journal/crc32c.h"
#include "storage/journal/journal_format.h"

namespace shoal::storage::journal {
namespace {

std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

enum class Frame { kIntact, kShortHeader, kTooLong, kPastEnd, kChecksum };

// Checks the frame at `offset`; on kIntact sets *length.
Frame check_frame(std::string_view image, std::size_t offset, std::uint32_t* length) {
  const std::size_t left = image.size() - offset;
  if (left < kFrameHeaderBytes) return Frame::kShortHeader;
  const char* p = image.data() + offset;
  const std::uint32_t n = get_u32(p);
  if (n > kMaxRecordBytes) return Frame::kTooLong;
  if (left - kFrameHeaderBytes < n) return Frame::kPastEnd;
  std::uint32_t crc = crc32c_extend(0, p, 4);
  crc = crc32c_extend(crc, p + kFrameHeaderBytes, n);
  if (crc != get_u32(p + 4)) return Frame::kChecksum;
  *length = n;
  return Frame::kIntact;
}

const char* describe(Frame f) {
  switch (f) {
    case Frame::kShortHeader:
      return "incomplete frame header";
    case Frame::kTooLong:
      return "impossible record length";
    case Frame::kPastEnd:
      return "record runs past the end of the file";
    case Frame::kChecksum:
      return "checksum mismatch";
    case Frame::kIntact:
      break;
  }
  return "intact";
}

// A torn write leaves garbage or zeros only at the very end; an intact frame
// anywhere after the bad spot means the damage is in the middle of the log.
bool intact_frame_after(std::string_view image, std::size_t bad) {
  std::uint32_t length = 0;
  for (std::size_t at = bad + 1; at + kFrameHeaderBytes <= image.size(); ++at) {
    if (check_frame(image, at, &length) == Frame::kIntact) return true;
  }
  return false;
}

}  // namespace

ScanResult scan_file(std::string_view image, bool tail_may_tear,
                     const std::function<void(std::string_view record)>& on_record) {
  ScanResult result;
  if (image.empty()) {
    // Only the newest segment can be caught between its creation and its
    // header's sync. Anywhere else 0 bytes are a file emptied after the fact
    // (a truncation, a copy gone wrong): the records it held are lost.
    if (tail_may_tear) return result;
    result.end = ScanResult::End::kDamaged;
    result.reason = "empty file: 0 bytes where at least the file header should be";
    return result;
  }
  const std::string_view head = image.substr(0, kFileMagic.size());
  if (head != kFileMagic) {
    const bool torn_header = head.size() < kFileMagic.size() && kFileMagic.starts_with(head);
    result.end = tail_may_tear && torn_header ? ScanResult::End::kTorn : ScanResult::End::kDamaged;
    result.reason = torn_header ? "incomplete file header" : "not a journal file (bad header)";
    return result;
  }
  std::size_t offset = kFileMagic.size();
  while (offset < image.size()) {
    std::uint32_t length = 0;
    const Frame f = check_frame(image, offset, &length);
    if (f != Frame::kIntact) {
      result.intact_bytes = offset;
      result.reason = describe(f);
      result.end = tail_may_tear && !intact_frame_after(image, offset) ? ScanResult::End::kTorn
                                                                       : ScanResult::End::kDamaged;
      return result;
    }
    on_record(image.substr(offset + kFrameHeaderBytes, length));
    ++result.records;
    offset += kFrameHeaderBytes + length;
  }
  result.intact_bytes = offset;
  return result;
}

}  // namespace shoal::storage::journal
