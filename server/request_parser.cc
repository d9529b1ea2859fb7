#include "server/request_parser.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

namespace shoal::server {

namespace http = boost::beast::http;

namespace {

// SDKs send about ten headers; one reservation covers them.
constexpr std::size_t kUsualHeaderCount = 16;

}  // namespace

RequestParser::RequestParser() { request_.headers.reserve(kUsualHeaderCount); }

void RequestParser::on_request_impl(http::verb, string_view method_str, string_view target, int version,
                                    error_code&) {
  request_.method.assign(method_str.data(), method_str.size());
  std::string_view t(target.data(), target.size());
  if (auto q = t.find('?'); q != std::string_view::npos) {
    request_.query.assign(t.substr(q + 1));
    t = t.substr(0, q);
  }
  request_.path.assign(t);
  version_ = static_cast<unsigned>(version);
}

void RequestParser::on_field_impl(http::field name, string_view name_string, string_view value, error_code&) {
  std::string lower(name_string.data(), name_string.size());
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  request_.headers.emplace_back(std::move(lower), std::string(value.data(), value.size()));
  if (name == http::field::expect && !seen_expect_) {
    seen_expect_ = true;
    expects_continue_ = boost::beast::iequals(value, "100-continue");
  }
}

void RequestParser::on_header_impl(error_code& ec) { ec = {}; }

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code& ec) {
  if (!content_length) return;
  if (*content_length > request_.body.max_size()) {
    ec = http::error::buffer_overflow;
    return;
  }
  request_.body.reserve(static_cast<std::size_t>(*content_length));
}

std::size_t RequestParser::on_body_impl(string_view body, error_code&) {
  request_.body.append(body.data(), body.size());
  return body.size();
}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  request_.body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

}  // namespace shoal::server
