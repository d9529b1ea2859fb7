#include "server/listener.h"

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <chrono>
#include <cstdio>

#include "server/connection_start.h"

namespace shoal::server {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& ioc, const SessionConfig& config, net::ssl::context* tls)
    : ioc_(ioc), config_(config), tls_(tls), strand_(net::make_strand(ioc)), acceptor_(strand_), retry_timer_(strand_) {}

beast::error_code Listener::listen(const tcp::endpoint& endpoint) {
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  return ec;
}

tcp::endpoint Listener::local_endpoint() const {
  beast::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void Listener::start() { net::post(strand_, beast::bind_front_handler(&Listener::do_accept, shared_from_this())); }

void Listener::stop() {
  net::post(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    beast::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_timer_.cancel();
  });
}

void Listener::do_accept() {
  if (stopped_) return;
  // Each connection gets its own strand.
  acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, SessionStream::Socket socket) {
  if (stopped_ || ec == net::error::operation_aborted) return;
  if (ec) {
    // Typically EMFILE: back off instead of spinning on the same error.
    std::fprintf(stderr, "shoal: accept failed: %s\n", ec.message().c_str());
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code timer_ec) {
      if (!timer_ec) self->do_accept();
    });
    return;
  }
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);  // small answers must not wait on Nagle
  std::make_shared<ConnectionStart>(std::move(socket), config_, tls_)->start();
  do_accept();
}

}  // namespace shoal::server
