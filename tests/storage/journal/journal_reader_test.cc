// The frame reader on raw file images: intact files, torn tails at every
// offset of the last record, and flipped bytes anywhere.
#include "storage/journal/journal_reader.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/journal/journal_format.h"

namespace shoal::storage::journal {
namespace {

struct Image {
  std::string bytes;
  std::vector<std::size_t> starts;  // offset of each frame
};

Image image_of(const std::vector<std::string>& records) {
  Image image{std::string(kFileMagic), {}};
  for (const std::string& r : records) {
    image.starts.push_back(image.bytes.size());
    append_frame(&image.bytes, r);
  }
  return image;
}

std::vector<std::string> read_all(std::string_view bytes, bool tail_may_tear, ScanResult* result) {
  std::vector<std::string> out;
  *result = scan_file(bytes, tail_may_tear, [&](std::string_view r) { out.emplace_back(r); });
  return out;
}

const std::vector<std::string> kRecords = {"first", "", std::string(300, 'x'), "last record"};

}  // namespace

TEST_CASE("an intact file replays every record in order, empty records included") {
  const Image image = image_of(kRecords);
  ScanResult result;
  CHECK(read_all(image.bytes, true, &result) == kRecords);
  CHECK(result.end == ScanResult::End::kClean);
  CHECK(result.records == kRecords.size());
  CHECK(result.intact_bytes == image.bytes.size());
}

TEST_CASE("an empty newest segment is clean and holds nothing; a bare header too") {
  ScanResult result;
  CHECK(read_all("", true, &result).empty());
  CHECK(result.end == ScanResult::End::kClean);
  CHECK(read_all(kFileMagic, false, &result).empty());
  CHECK(result.end == ScanResult::End::kClean);
  CHECK(result.intact_bytes == kFileMagic.size());
}

TEST_CASE("0 bytes anywhere but the newest segment is damage at offset 0: records were lost") {
  ScanResult result;
  CHECK(read_all("", false, &result).empty());
  CHECK(result.end == ScanResult::End::kDamaged);
  CHECK(result.intact_bytes == 0);
  CHECK(result.reason.find("empty file") != std::string::npos);
}

TEST_CASE("a cut at every offset inside the last record is a torn tail ending at that record") {
  const Image image = image_of(kRecords);
  const std::size_t last = image.starts.back();
  for (std::size_t cut = last + 1; cut < image.bytes.size(); ++cut) {
    CAPTURE(cut);
    ScanResult result;
    const auto got = read_all(std::string_view(image.bytes).substr(0, cut), true, &result);
    CHECK(result.end == ScanResult::End::kTorn);
    CHECK(result.intact_bytes == last);
    CHECK(got == std::vector<std::string>(kRecords.begin(), kRecords.end() - 1));
  }
}

TEST_CASE("a cut inside the file header of the newest segment is torn at offset 0") {
  for (std::size_t cut = 1; cut < kFileMagic.size(); ++cut) {
    ScanResult result;
    read_all(kFileMagic.substr(0, cut), true, &result);
    CHECK(result.end == ScanResult::End::kTorn);
    CHECK(result.intact_bytes == 0);
  }
}

TEST_CASE("a cut in a file that cannot tear (older segment, snapshot) is damage") {
  const Image image = image_of(kRecords);
  ScanResult result;
  read_all(std::string_view(image.bytes).substr(0, image.bytes.size() - 1), false, &result);
  CHECK(result.end == ScanResult::End::kDamaged);
  CHECK(result.intact_bytes == image.starts.back());
  CHECK(result.reason == "record runs past the end of the file");
}

TEST_CASE("a flipped byte in any record but the last is damage at that record's offset") {
  const Image image = image_of(kRecords);
  for (std::size_t at = kFileMagic.size(); at < image.starts.back(); ++at) {
    CAPTURE(at);
    std::string bytes = image.bytes;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x20);
    std::size_t frame = 0;
    while (frame + 1 < image.starts.size() && image.starts[frame + 1] <= at) ++frame;
    ScanResult result;
    const auto got = read_all(bytes, true, &result);
    CHECK(result.end == ScanResult::End::kDamaged);
    CHECK(result.intact_bytes == image.starts[frame]);
    CHECK(got.size() == frame);
  }
}

TEST_CASE("a flipped byte in the last record of the newest segment reads as a torn tail") {
  const Image image = image_of(kRecords);
  for (std::size_t at = image.starts.back(); at < image.bytes.size(); ++at) {
    std::string bytes = image.bytes;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
    ScanResult result;
    read_all(bytes, true, &result);
    CHECK(result.end == ScanResult::End::kTorn);
    CHECK(result.intact_bytes == image.starts.back());
  }
}

TEST_CASE("zeros after the last record (a grown file whose data never landed) are a torn tail") {
  Image image = image_of(kRecords);
  image.bytes.append(4096, '\0');
  ScanResult result;
  CHECK(read_all(image.bytes, true, &result) == kRecords);
  CHECK(result.end == ScanResult::End::kTorn);
  CHECK(result.intact_bytes == image.bytes.size() - 4096);
  CHECK(result.reason == "checksum mismatch");
}

TEST_CASE("a file with a foreign header is damage even when it is the newest segment") {
  std::string bytes = image_of(kRecords).bytes;
  bytes[0] = 'X';
  ScanResult result;
  CHECK(read_all(bytes, true, &result).empty());
  CHECK(result.end == ScanResult::End::kDamaged);
  CHECK(result.intact_bytes == 0);
}

TEST_CASE("an impossible length is reported as such") {
  std::string bytes(kFileMagic);
  bytes.append(
      "\xFF\xFF\xFF\x7F"
      "abcd"
      "payload",
      15);
  ScanResult result;
  read_all(bytes, false, &result);
  CHECK(result.end == ScanResult::End::kDamaged);
  CHECK(result.reason == "impossible record length");
}

TEST_CASE("file names round-trip and foreign names are not ours") {
  CHECK(file_name(FileKind::kSegment, 7) == "segment-00000000000000000007.log");
  CHECK(file_name(FileKind::kSnapshotTemp, 12) == "snapshot-00000000000000000012.log.tmp");
  for (FileKind kind : {FileKind::kSegment, FileKind::kSnapshot, FileKind::kSnapshotTemp}) {
    const auto parsed = parse_file_name(file_name(kind, 123456789));
    REQUIRE(parsed.has_value());
    CHECK(parsed->kind == kind);
    CHECK(parsed->number == 123456789u);
  }
  CHECK_FALSE(parse_file_name("segment-7.log").has_value());
  CHECK_FALSE(parse_file_name("segment-00000000000000000007.log.dropped").has_value());
  CHECK_FALSE(parse_file_name("segment-0000000000000000000x.log").has_value());
  CHECK_FALSE(parse_file_name("LOCK").has_value());
}

}  // namespace shoal::storage::journal
