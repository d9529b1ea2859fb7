// How the control endpoints show bytes a person wants to read (a Kinesis
// record's data): as text when they are UTF-8 without control characters
// (tab, newline and carriage return allowed), otherwise as hex. Pure,
// thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace shoal::api::control {

struct ShownBytes {
  bool text = false;
  std::string value;  // the text, or hex pairs separated by spaces
};

// `cut`: the bytes are the start of a longer value, so a UTF-8 sequence
// broken at the end is dropped rather than taken for binary.
ShownBytes show_bytes(std::string_view bytes, bool cut);

}  // namespace shoal::api::control
