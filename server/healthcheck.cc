#include "server/healthcheck.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace shoal::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// The probe: the control endpoint made for it (answers 200 while the
// server serves, parked long polls or not).
http::request<http::string_body> probe_request(const std::string& host) {
  http::request<http::string_body> req{http::verb::get, "/_shoal/health", 11};
  req.set(http::field::host, host);
  req.prepare_payload();
  return req;
}

// Where a server listening on `host` can be reached from this machine.
std::string connect_host(const std::string& host) {
  if (host == "0.0.0.0" || host.empty()) return "127.0.0.1";
  if (host == "::" || host == "[::]") return "::1";
  return host;
}

}  // namespace

HealthResult check_health(const Options& options, std::chrono::milliseconds timeout) {
  const std::string host = connect_host(options.host);
  const std::string where = host + ":" + std::to_string(options.port);
  // Asynchronous operations, because tcp_stream's deadline only bounds those:
  // a wedged server must fail the check, not hang it.
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  auto request = probe_request(where);
  http::response<http::string_body> response;
  HealthResult result{false, where + ": no answer"};
  auto fail = [&](const beast::error_code& ec) { result = {false, where + ": " + ec.message()}; };

  resolver.async_resolve(host, std::to_string(options.port), [&](beast::error_code ec, tcp::resolver::results_type r) {
    if (ec) return fail(ec);
    stream.expires_after(timeout);
    stream.async_connect(r, [&](beast::error_code cec, const tcp::endpoint&) {
      if (cec) return fail(cec);
      http::async_write(stream, request, [&](beast::error_code wec, std::size_t) {
        if (wec) return fail(wec);
        http::async_read(stream, buffer, response, [&](beast::error_code rec, std::size_t) {
          if (rec) return fail(rec);
          const unsigned status = response.result_int();
          result = {status == 200, where + " answered HTTP " + std::to_string(status)};
          beast::error_code ignored;
          stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        });
      });
    });
  });
  ioc.run_for(timeout + std::chrono::milliseconds(500));
  return result;
}

}  // namespace shoal::server
