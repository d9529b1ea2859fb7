// libFuzzer target: the HTTP/1.1 request parser (server/request_parser.h)
// fed as a session feeds it: a fresh parser per message, limits set, the
// bytes arriving in two pieces split where the first input byte says, and
// pipelined requests read one after another from what is left.
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/error.hpp>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/request_parser.h"

namespace {

// Feeds `available` (growing by `more` when the parser wants more) to one
// parser; returns the bytes it used, or npos when it failed or needs more
// than there is.
std::size_t parse_one(std::string_view available, std::string_view more, bool& used_more) {
  shoal::server::RequestParser parser;
  parser.eager(true);
  parser.body_limit(1 << 16);
  parser.header_limit(1 << 13);
  std::string buffer(available);
  std::size_t consumed = 0;
  used_more = false;
  while (!parser.is_done()) {
    boost::beast::error_code ec;
    const auto n = parser.put(boost::asio::buffer(buffer.data() + consumed, buffer.size() - consumed), ec);
    consumed += n;
    if (ec == boost::beast::http::error::need_more) {
      if (used_more || more.empty()) return std::string::npos;
      buffer.append(more);
      used_more = true;
      continue;
    }
    if (ec) {
      // A refused header names a status to answer.
      if (const auto& r = parser.rejection(); r && (r->status < 400 || r->status > 599)) __builtin_trap();
      return std::string::npos;
    }
    if (n == 0 && !parser.is_done()) return std::string::npos;
  }
  auto request = parser.release();
  // The parser never hands over a body it was told to refuse.
  if (request.body.size() > (1u << 16)) __builtin_trap();
  return consumed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t split = data[0] % (input.size() + 1);
  // Pipelining: each message starts where the previous one ended; bytes
  // before `split` have arrived, the rest arrive when the parser asks.
  std::size_t offset = 0;
  for (int message = 0; message < 8 && offset < input.size(); ++message) {
    const std::string_view arrived = offset < split ? input.substr(offset, split - offset) : std::string_view{};
    const std::string_view later = input.substr(std::max(offset, split));
    bool used_more = false;
    const std::size_t used = parse_one(arrived, later, used_more);
    if (used == std::string::npos || used == 0) break;
    if (used > arrived.size() + (used_more ? later.size() : 0)) __builtin_trap();
    offset += used;
  }
  return 0;
}
