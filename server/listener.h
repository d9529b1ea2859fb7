// Listener: accepts connections and starts each on a strand of its own
// (ConnectionStart: the TLS handshake on the TLS port, then HTTP/1.1 or
// HTTP/2). Its work runs on its own strand; stop() may be called
// from any thread. Owned by the Server and by its pending accept.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>
#include <memory>

#include "server/http_session.h"

namespace shoal::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // tls: the context of a TLS port (must outlive the listener's
  // connections); nullptr: plain TCP.
  Listener(boost::asio::io_context& ioc, const SessionConfig& config, boost::asio::ssl::context* tls = nullptr);

  // Opens, binds and listens; call once before start().
  boost::beast::error_code listen(const boost::asio::ip::tcp::endpoint& endpoint);
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void start();
  // Stops accepting; live sessions are untouched.
  void stop();

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, SessionStream::Socket socket);

  boost::asio::io_context& ioc_;
  const SessionConfig& config_;
  boost::asio::ssl::context* tls_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  bool stopped_ = false;
};

}  // namespace shoal::server
