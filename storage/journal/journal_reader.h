// Reads one journal file image (segment or snapshot) frame by frame. It only
// reports where the intact part ends and why; the caller (recovery) decides
// whether that is a torn tail to truncate or damage to refuse. Pure function.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace shoal::storage::journal {

struct ScanResult {
  enum class End {
    kClean,    // every byte belongs to an intact frame
    kTorn,     // a bad final stretch with no intact frame after it (crash mid-write)
    kDamaged,  // a bad frame with intact data after it, or a bad file header
  };
  End end = End::kClean;
  std::uint64_t intact_bytes = 0;  // offset where the intact part ends
  std::uint64_t records = 0;
  std::string reason;  // why the frame at intact_bytes is bad
};

// Calls on_record for every intact record in order, up to the first bad
// frame. A file that may hold a torn tail (the newest segment) reports a bad
// final stretch as kTorn and may be empty (0 bytes); any other file reports
// every bad frame as kDamaged, and 0 bytes too.
ScanResult scan_file(std::string_view image, bool tail_may_tear,
                     const std::function<void(std::string_view record)>& on_record);

}  // namespace shoal::storage::journal
