#include "api/protocol/query_form.h"

namespace shoal::api {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<FormParams> parse_form(std::string_view text) {
  FormParams params;
  while (!text.empty()) {
    auto amp = text.find('&');
    auto pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq));
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!name || !value || params.size() == kMaxFormParams) return std::nullopt;
    params.push_back({std::move(*name), std::move(*value)});
  }
  return params;
}

bool has_too_many_form_params(std::string_view text) {
  std::size_t pairs = 0;
  while (!text.empty()) {
    auto amp = text.find('&');
    if (amp != 0 && ++pairs > kMaxFormParams) return true;
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return false;
}

const std::string* find_param(const FormParams& params, std::string_view name) {
  for (const auto& param : params) {
    if (param.name == name) return &param.value;
  }
  return nullptr;
}

}  // namespace shoal::api
