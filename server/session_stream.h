// SessionStream: one accepted connection's byte stream, plain TCP or TLS,
// behind the interface of beast::basic_stream (async_read_some,
// async_write_some, socket(), expires_after/never), so HttpSession and
// Http2Session are written once for both. The choice costs one predictable
// branch per socket operation, no allocation and no type erasure. Not
// thread-safe: used on its connection's strand only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>
#include <optional>
#include <utility>

namespace shoal::server {

// The executor every connection runs on: a strand of its own. A typedef, so
// a later design (one io_context per thread, no strands) changes one line.
using SessionExecutor = boost::asio::strand<boost::asio::io_context::executor_type>;

class SessionStream {
 public:
  using executor_type = SessionExecutor;
  using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, SessionExecutor>;
  using Tcp = boost::beast::basic_stream<boost::asio::ip::tcp, SessionExecutor>;
  using Tls = boost::asio::ssl::stream<Tcp>;

  explicit SessionStream(Socket&& socket) : plain_(std::in_place, std::move(socket)) {}
  // A TLS stream whose handshake is done.
  explicit SessionStream(std::unique_ptr<Tls> tls) : tls_(std::move(tls)) {}

  executor_type get_executor() noexcept { return tcp().get_executor(); }
  bool is_tls() const { return tls_ != nullptr; }
  Tcp& tcp() { return tls_ ? tls_->next_layer() : *plain_; }
  Socket& socket() { return tcp().socket(); }
  template <class Duration>
  void expires_after(Duration d) {
    tcp().expires_after(d);
  }
  void expires_never() { tcp().expires_never(); }

  template <class Buffers, class Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->async_read_some(buffers, std::forward<Handler>(handler));
    } else {
      plain_->async_read_some(buffers, std::forward<Handler>(handler));
    }
  }
  template <class Buffers, class Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->async_write_some(buffers, std::forward<Handler>(handler));
    } else {
      plain_->async_write_some(buffers, std::forward<Handler>(handler));
    }
  }

 private:
  std::optional<Tcp> plain_;
  std::unique_ptr<Tls> tls_;
};

}  // namespace shoal::server
