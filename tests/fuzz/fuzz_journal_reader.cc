// libFuzzer target: the journal file reader (storage/journal/journal_reader.h)
// on any image, as the newest segment (a torn tail allowed) and as an older
// one, with every intact record it reports handed to the replayer as
// recovery would. The reader's report must stay within the image.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/durability/replayer.h"
#include "storage/journal/journal_format.h"
#include "storage/journal/journal_reader.h"

namespace {

void scan(std::string_view image, bool tail_may_tear) {
  shoal::storage::ManualClock base;
  shoal::storage::durability::ReplayClock clock(base);
  shoal::storage::QueueRegistry queues(clock);
  shoal::storage::StreamRegistry streams(clock, {});
  shoal::storage::durability::Replayer replayer(queues, streams, &clock);
  std::uint64_t seen = 0;
  auto result = shoal::storage::journal::scan_file(image, tail_may_tear, [&](std::string_view record) {
    ++seen;
    if (record.data() < image.data() || record.data() + record.size() > image.data() + image.size()) {
      __builtin_trap();
    }
    replayer.apply(record);
  });
  if (result.intact_bytes > image.size() || result.records != seen) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  scan(bytes, true);
  scan(bytes, false);
  // Behind a valid file header, so the frames themselves get exercised; and
  // as one well-framed record, so the replayer sees arbitrary record bytes
  // past the CRC.
  std::string image(shoal::storage::journal::kFileMagic);
  image.append(bytes);
  scan(image, true);
  std::string framed(shoal::storage::journal::kFileMagic);
  shoal::storage::journal::append_frame(&framed, bytes);
  scan(framed, false);
  return 0;
}
