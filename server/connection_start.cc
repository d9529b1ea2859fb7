#include "server/connection_start.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <chrono>
#include <cstring>
#include <string_view>
#include <utility>

#include "api/control/log.h"
#include "server/http2_session.h"
#include "server/session_registry.h"

namespace shoal::server {

namespace net = boost::asio;
namespace beast = boost::beast;
using namespace std::chrono_literals;

namespace {

// RFC 9113 3.4: the client preface starts with a request line no HTTP/1.1
// client sends (PRI is reserved for it). Four bytes decide; Http2Session's
// nghttp2 checks the remaining twenty and answers a broken preface with
// GOAWAY.
constexpr std::string_view kHttp2PrefaceStart = "PRI ";
// The TLS handshake and the first bytes get this long when no idle timeout
// is configured: a connection that says nothing must not live forever.
constexpr auto kFirstBytesTimeout = 60s;

}  // namespace

ConnectionStart::ConnectionStart(SessionStream::Socket&& socket, const SessionConfig& config, net::ssl::context* tls)
    : config_(config), executor_(socket.get_executor()), socket_(std::move(socket)), tls_(tls) {}

ConnectionStart::~ConnectionStart() { config_.registry.remove(this); }

void ConnectionStart::start() {
  net::dispatch(executor_, [self = shared_from_this()] {
    const auto timeout =
        self->config_.idle_timeout.count() > 0
            ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(self->config_.idle_timeout)
            : std::chrono::steady_clock::duration(kFirstBytesTimeout);
    if (self->tls_ == nullptr) {
      self->stream_.emplace(std::move(*self->socket_));
      self->socket_.reset();
      self->stream_->expires_after(timeout);
      return self->do_sniff();
    }
    self->handshaking_ =
        std::make_unique<SessionStream::Tls>(SessionStream::Tcp(std::move(*self->socket_)), *self->tls_);
    self->socket_.reset();
    self->handshaking_->next_layer().expires_after(timeout);
    self->handshaking_->async_handshake(net::ssl::stream_base::server,
                                        beast::bind_front_handler(&ConnectionStart::on_handshake, self));
  });
  config_.registry.add(shared_from_this());
}

void ConnectionStart::shutdown() {
  net::post(executor_, beast::bind_front_handler(&ConnectionStart::on_shutdown, shared_from_this()));
}

void ConnectionStart::on_handshake(beast::error_code ec) {
  if (done_) return;
  if (ec) {
    api::log_line(api::LogLevel::kDebug, "TLS handshake failed: " + ec.message());
    return close();
  }
  const unsigned char* alpn = nullptr;
  unsigned int alpn_length = 0;
  SSL_get0_alpn_selected(handshaking_->native_handle(), &alpn, &alpn_length);
  const bool h2 = alpn_length == 2 && std::memcmp(alpn, "h2", 2) == 0;
  stream_.emplace(std::move(handshaking_));
  if (h2) return hand_over(true);
  do_sniff();  // http/1.1 or no ALPN: HTTP/1.1, or HTTP/2 by prior knowledge
}

void ConnectionStart::do_sniff() {
  const std::string_view seen(static_cast<const char*>(buffer_.cdata().data()), buffer_.size());
  if (seen.size() >= kHttp2PrefaceStart.size() || !kHttp2PrefaceStart.starts_with(seen)) {
    return hand_over(seen.starts_with(kHttp2PrefaceStart));
  }
  stream_->async_read_some(buffer_.prepare(4096),
                           beast::bind_front_handler(&ConnectionStart::on_sniff, shared_from_this()));
}

void ConnectionStart::on_sniff(beast::error_code ec, std::size_t bytes) {
  if (done_) return;
  if (ec) return close();  // gone, timed out, or cancelled by shutdown before a byte
  buffer_.commit(bytes);
  do_sniff();
}

void ConnectionStart::hand_over(bool http2) {
  done_ = true;
  stream_->expires_never();
  if (http2) {
    std::make_shared<Http2Session>(std::move(*stream_), config_, std::move(buffer_))->start();
  } else {
    std::make_shared<HttpSession>(std::move(*stream_), config_, std::move(buffer_))->start();
  }
  stream_.reset();
}

void ConnectionStart::on_shutdown() {
  if (done_) return;
  close();
}

void ConnectionStart::close() {
  done_ = true;
  beast::error_code ignored;
  if (handshaking_) {
    handshaking_->next_layer().socket().close(ignored);
  } else if (stream_) {
    stream_->socket().close(ignored);
  }
}

}  // namespace shoal::server
