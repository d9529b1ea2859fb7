// RequestParser: Beast's HTTP/1.1 request parser feeding an api::ApiRequest
// directly (lower-cased header names, method, path, query, body), instead of
// a Beast message that is then copied field by field. Beast still does the
// tokenising, limits, chunked bodies and keep-alive rules; this only decides
// where the pieces go, and refuses the framing Beast lets through (RFC 9112):
// a Transfer-Encoding that is not exactly one final `chunked` (Beast would
// read such a body as the next request) and an HTTP/1.1 request without
// exactly one Host. One parser per message (Beast parsers cannot be reused);
// not thread-safe, owned by its session.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_request.h"

namespace shoal::server {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  // Why a header was refused: the answer to send before closing.
  struct Rejection {
    int status;
    std::string code;
    std::string message;
  };

  RequestParser();

  // Set when the parse failed because the header was refused.
  const std::optional<Rejection>& rejection() const { return rejection_; }
  // Valid once the header is parsed.
  unsigned version() const { return version_; }
  // A header of the request (name in lower case), or empty: the fields read
  // so far, e.g. to answer a body that broke a limit in the caller's encoding.
  std::string_view header(std::string_view lower_name) const { return request_.header(lower_name); }
  // The request carried "Expect: 100-continue" (its first Expect field).
  bool expects_continue() const { return expects_continue_; }
  // Bytes of body read so far.
  std::size_t body_bytes() const { return request_.body.size(); }
  // The whole request, once is_done(); leaves the parser spent.
  api::ApiRequest release() { return std::move(request_); }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb method, string_view method_str, string_view target, int version,
                       error_code& ec) override;
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code& ec) override;
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  void reject(error_code& ec, int status, std::string code, std::string message);

  api::ApiRequest request_;
  unsigned version_ = 11;
  bool expects_continue_ = false;
  bool seen_expect_ = false;
  int host_fields_ = 0;
  // Every Transfer-Encoding field's value, joined with ", ".
  std::optional<std::string> transfer_encoding_;
  std::optional<Rejection> rejection_;
};

}  // namespace shoal::server
