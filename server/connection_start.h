// ConnectionStart: the first moments of an accepted connection. On the TLS
// port it runs the handshake, where ALPN may already say "h2"; otherwise it
// reads the first bytes and tells an HTTP/2 client preface ("PRI * HTTP/2.0")
// from an HTTP/1.1 request, then hands the stream and the bytes read to an
// Http2Session or an HttpSession. Runs on the connection's strand; registered
// with the SessionRegistry meanwhile, so a shutdown closes it. Owned by its
// pending completion handlers.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <memory>
#include <optional>

#include "server/http_session.h"
#include "server/session.h"
#include "server/session_stream.h"

namespace shoal::server {

class ConnectionStart : public Session, public std::enable_shared_from_this<ConnectionStart> {
 public:
  // tls: the TLS port's context (nullptr: plain TCP). Must outlive the
  // connection.
  ConnectionStart(SessionStream::Socket&& socket, const SessionConfig& config, boost::asio::ssl::context* tls);
  ~ConnectionStart() override;

  void start();
  void shutdown() override;

 private:
  void on_handshake(boost::beast::error_code ec);
  void do_sniff();
  void on_sniff(boost::beast::error_code ec, std::size_t bytes);
  void hand_over(bool http2);
  void on_shutdown();
  void close();

  const SessionConfig& config_;
  const SessionExecutor executor_;
  std::optional<SessionStream::Socket> socket_;      // until the TLS stream takes it
  std::unique_ptr<SessionStream::Tls> handshaking_;  // during the TLS handshake
  std::optional<SessionStream> stream_;              // while reading the first bytes
  boost::asio::ssl::context* tls_;
  boost::beast::flat_buffer buffer_;
  bool done_ = false;
};

}  // namespace shoal::server
