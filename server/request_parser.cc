#include "server/request_parser.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

namespace shoal::server {

namespace http = boost::beast::http;

namespace {

// SDKs send about ten headers; one reservation covers them.
constexpr std::size_t kUsualHeaderCount = 16;

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9112 6.1 and 6.3: chunked, applied once and last, is the only framing a
// request body may have; any other coding before it is one this server does
// not implement. Empty when `codings` is exactly "chunked".
struct CodingProblem {
  int status = 0;
  std::string message;
};

CodingProblem check_codings(std::string_view codings) {
  int chunked = 0;
  bool other = false;
  bool last_chunked = false;
  while (true) {
    auto comma = codings.find(',');
    auto token = trimmed(codings.substr(0, comma));
    // A coding may carry parameters ("gzip;q=1"); only its name matters here.
    auto name = trimmed(token.substr(0, token.find(';')));
    if (name.empty()) return {400, "Transfer-Encoding has an empty coding."};
    last_chunked = boost::beast::iequals(name, "chunked");
    if (last_chunked) {
      ++chunked;
    } else {
      other = true;
    }
    if (comma == std::string_view::npos) break;
    codings.remove_prefix(comma + 1);
  }
  if (!last_chunked) {
    return {400, "Transfer-Encoding must end with chunked: without it the body's length cannot be known."};
  }
  if (chunked > 1) return {400, "Transfer-Encoding applies chunked more than once."};
  if (other) return {501, "Only the chunked transfer coding is supported."};
  return {};
}

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
  if (name == http::field::host) ++host_fields_;
  if (name == http::field::transfer_encoding) {
    if (transfer_encoding_) {
      transfer_encoding_->append(", ");
    } else {
      transfer_encoding_.emplace();
    }
    transfer_encoding_->append(value.data(), value.size());
  }
  if (name == http::field::expect && !seen_expect_) {
    seen_expect_ = true;
    expects_continue_ = boost::beast::iequals(value, "100-continue");
  }
}

void RequestParser::reject(error_code& ec, int status, std::string code, std::string message) {
  rejection_ = Rejection{status, std::move(code), std::move(message)};
  // Any parse error stops Beast; the session answers from rejection().
  ec = http::error::bad_transfer_encoding;
}

void RequestParser::on_header_impl(error_code& ec) {
  ec = {};
  if (transfer_encoding_) {
    if (version_ < 11) {
      return reject(ec, 400, "MalformedHttpRequest", "Transfer-Encoding is not allowed in an HTTP/1.0 request.");
    }
    auto problem = check_codings(*transfer_encoding_);
    if (problem.status != 0) {
      return reject(ec, problem.status, problem.status == 501 ? "NotImplemented" : "MalformedHttpRequest",
                    problem.message);
    }
  }
  // RFC 9112 3.2: exactly one Host in HTTP/1.1 (HTTP/1.0 may omit it).
  if (version_ >= 11 && host_fields_ != 1) {
    return reject(ec, 400, "MalformedHttpRequest",
                  host_fields_ == 0 ? "An HTTP/1.1 request needs a Host header."
                                    : "A request may carry only one Host header.");
  }
}

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
