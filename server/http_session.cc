#include "server/http_session.h"

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdio>
#include <exception>
#include <utility>

#include "api/control/log.h"
#include "server/memory_release.h"
#include "server/session_registry.h"

namespace shoal::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace std::chrono_literals;

namespace {

// After an error answer we stop reading requests but drain what the client is
// still sending for a moment, so closing does not reset the connection before
// it has read the answer.
constexpr auto kLingerTime = 2s;
constexpr std::size_t kLingerChunk = std::size_t{64} * 1024;
// While parked: how much of a pipelined next request to buffer (the watch
// read stops after that; a disconnect is then only seen when answering).
constexpr std::size_t kWatchChunk = 4096;
constexpr std::size_t kMaxWatchBuffered = 1 << 20;
// Beast reads into the buffer's spare capacity, at least 512 bytes and at most
// 64 KiB at a time: without room made first, a 700 KB PutRecords body took
// some 1,400 reads of 512 bytes. A typical SDK request (headers and a small
// body) fits the first size in one read.
constexpr std::size_t kRequestReadRoom = 4096;
constexpr std::size_t kBodyReadRoom = std::size_t{64} * 1024;

// Makes room for reads of up to `want` bytes.
void make_read_room(beast::flat_buffer& buffer, std::size_t want) {
  if (buffer.capacity() - buffer.size() < want) buffer.reserve(buffer.size() + want);
}

void log_internal_error(const char* where, const char* what) {
  api::log_line(api::LogLevel::kError, std::string("internal error ") + where + ": " + what);
}

}  // namespace

HttpSession::HttpSession(SessionStream&& stream, const SessionConfig& config, beast::flat_buffer&& received)
    : config_(config),
      executor_(stream.get_executor()),
      stream_(std::move(stream)),
      buffer_(std::move(received)),
      delay_timer_(executor_),
      pending_timer_(executor_) {}

HttpSession::~HttpSession() {
  if (pending_) pending_->cancel();
  config_.registry.remove(this);
}

void HttpSession::start() {
  // Posted before registering, so a shutdown posted by add() runs after it.
  net::dispatch(executor_, beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
  config_.registry.add(shared_from_this());
}

void HttpSession::shutdown() {
  net::post(executor_, beast::bind_front_handler(&HttpSession::on_shutdown, shared_from_this()));
}

void HttpSession::set_idle_timeout() {
  if (config_.idle_timeout.count() > 0) {
    stream_.expires_after(config_.idle_timeout);
  } else {
    stream_.expires_never();
  }
}

// ---- reading ---------------------------------------------------------------

void HttpSession::do_read() {
  if (stopping_) return do_close(CloseMode::kClose);
  phase_ = Phase::kReading;
  // A fresh parser per message: limits apply per request.
  parser_.emplace();
  parser_->body_limit(config_.max_body_bytes);
  parser_->header_limit(config_.max_header_bytes);
  make_read_room(buffer_, kRequestReadRoom);
  set_idle_timeout();
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&HttpSession::on_read_header, shared_from_this()));
}

void HttpSession::on_read_header(beast::error_code ec, std::size_t) {
  if (ec) return on_read_error(ec);
  if (parser_->version() >= 11 && parser_->expects_continue() && !parser_->is_done()) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    phase_ = Phase::kContinue;
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     beast::bind_front_handler(&HttpSession::on_continue_written, shared_from_this()));
    return;
  }
  do_read_body();
}

void HttpSession::on_continue_written(beast::error_code ec, std::size_t) {
  if (ec) return do_close(CloseMode::kClose);
  do_read_body();
}

void HttpSession::do_read_body() {
  phase_ = Phase::kReading;
  if (!parser_->is_done()) {
    const auto length = parser_->content_length();  // none: chunked
    make_read_room(buffer_, length ? static_cast<std::size_t>(std::min<std::uint64_t>(*length, kBodyReadRoom))
                                   : kBodyReadRoom);
  }
  set_idle_timeout();
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) return on_read_error(ec);
  handle_request();
}

void HttpSession::on_read_error(beast::error_code ec) {
  const bool got_header = parser_ && parser_->is_header_done();
  if (got_header) version_ = parser_->version();
  if (parser_ && parser_->rejection()) {
    version_ = parser_->version();
    const auto& r = *parser_->rejection();
    return send_error(r.status, r.code, r.message);
  }
  if (ec == http::error::body_limit) {
    return send_error(413, "RequestEntityTooLarge",
                      "Request body is larger than the limit of " + std::to_string(config_.max_body_bytes) + " bytes");
  }
  if (ec == http::error::header_limit) {
    return send_error(
        431, "RequestHeaderFieldsTooLarge",
        "Request headers are larger than the limit of " + std::to_string(config_.max_header_bytes) + " bytes");
  }
  // Any other parse error is malformed HTTP; end_of_stream and partial_message
  // are the client going away, which needs no answer.
  if (ec.category() == http::make_error_code(http::error::bad_method).category() && ec != http::error::end_of_stream &&
      ec != http::error::partial_message) {
    return send_error(400, "MalformedHttpRequest", "Malformed HTTP request: " + ec.message());
  }
  do_close(CloseMode::kClose);  // EOF, reset, idle timeout, or cancelled by shutdown
}

void HttpSession::handle_request() {
  version_ = parser_->version();
  keep_alive_ = parser_->keep_alive();
  api::Outcome outcome;
  const std::size_t body_bytes = parser_->body_bytes();
  try {
    outcome = config_.dispatcher.handle(parser_->release());
  } catch (const std::exception& e) {
    log_internal_error("handling a request", e.what());
    outcome = {};
  } catch (...) {
    log_internal_error("handling a request", "unknown exception");
    outcome = {};
  }
  release_after_request(body_bytes);
  shrink_read_buffer(buffer_);
  if (outcome.drop_connection) return do_close(CloseMode::kClose);
  if (outcome.delay.count() > 0 && !stopping_) {
    phase_ = Phase::kDelayed;
    stream_.expires_never();
    delay_timer_.expires_after(outcome.delay);
    delayed_ = std::move(outcome);
    delay_timer_.async_wait(beast::bind_front_handler(&HttpSession::on_delay, shared_from_this()));
    return;
  }
  deliver(std::move(outcome));
}

void HttpSession::on_delay(beast::error_code) {
  // Cancelled only by shutdown, which wants the answer now.
  if (phase_ != Phase::kDelayed) return;
  api::Outcome outcome = std::move(delayed_);
  delayed_ = {};
  deliver(std::move(outcome));
}

void HttpSession::deliver(api::Outcome outcome) {
  if (outcome.pending) return park(std::move(outcome.pending));
  if (!outcome.response) {
    outcome.response = config_.dispatcher.transport_error(500, "InternalFailure", "The server hit an internal error.");
  }
  write(std::move(*outcome.response), keep_alive_ ? CloseMode::kKeepAlive : CloseMode::kClose);
}

// ---- long polls --------------------------------------------------------------

void HttpSession::park(std::unique_ptr<api::PendingResponse> pending) {
  phase_ = Phase::kParked;
  pending_ = std::move(pending);
  stream_.expires_never();  // the long poll has its own deadline
  if (stopping_) return check_pending(true);
  start_watch();
  arm_pending();
}

void HttpSession::arm_pending() {
  auto wait = pending_->time_to_next_check();
  pending_timer_.expires_after(std::max(wait, std::chrono::milliseconds(0)));
  pending_timer_.async_wait(beast::bind_front_handler(&HttpSession::on_pending_timer, shared_from_this()));
  // Called from any thread, maybe after this session is gone: hold it weakly
  // and hop onto its strand.
  pending_->set_waker([weak = weak_from_this()] {
    if (auto self = weak.lock()) {
      net::post(self->executor_, beast::bind_front_handler(&HttpSession::on_wake, self));
    }
  });
}

void HttpSession::on_pending_timer(beast::error_code ec) {
  if (ec == net::error::operation_aborted || !pending_) return;  // re-armed or answered
  check_pending(false);
}

void HttpSession::on_wake() {
  if (pending_) check_pending(false);
}

void HttpSession::check_pending(bool final) {
  std::optional<api::ApiResponse> response;
  try {
    response = pending_->poll(final);
    if (!response && pending_->time_to_next_check() <= 0ms) response = pending_->poll(true);
  } catch (const std::exception& e) {
    log_internal_error("completing a long poll", e.what());
    response = config_.dispatcher.transport_error(500, "InternalFailure", "The server hit an internal error.");
  } catch (...) {
    log_internal_error("completing a long poll", "unknown exception");
    response = config_.dispatcher.transport_error(500, "InternalFailure", "The server hit an internal error.");
  }
  if (!response) return arm_pending();

  pending_->cancel();
  pending_.reset();
  pending_timer_.cancel();
  // Stop the disconnect watch; its handler resumes reading once the answer
  // is out (a socket may have one read and one write in flight, not two reads).
  if (watching_) stream_.socket().cancel();
  write(std::move(*response), keep_alive_ ? CloseMode::kKeepAlive : CloseMode::kClose);
}

void HttpSession::start_watch() {
  if (buffer_.size() >= kMaxWatchBuffered) return;
  watching_ = true;
  stream_.async_read_some(buffer_.prepare(kWatchChunk),
                          beast::bind_front_handler(&HttpSession::on_watch, shared_from_this()));
}

void HttpSession::on_watch(beast::error_code ec, std::size_t bytes) {
  watching_ = false;
  if (!ec) buffer_.commit(bytes);
  if (pending_) {
    if (!ec) return start_watch();
    // The client went away (or the socket failed) while its poll was parked.
    pending_->cancel();
    pending_.reset();
    pending_timer_.cancel();
    return do_close(CloseMode::kClose);
  }
  if (read_after_watch_) {
    read_after_watch_ = false;
    do_read();
  }
}

// ---- writing -------------------------------------------------------------------

void HttpSession::send_error(int status, const std::string& code, const std::string& message) {
  api::ApiResponse response;
  try {
    response = config_.dispatcher.transport_error(status, code, message);
  } catch (const std::exception& e) {
    log_internal_error("rendering a transport error", e.what());
    return do_close(CloseMode::kClose);
  }
  write(std::move(response), CloseMode::kLinger);
}

namespace {

// The status line and headers, written by hand: Beast's generic serializer
// costs more instructions than the rest of a SendMessage. HTTP/1.1 keeps
// alive unless told; HTTP/1.0 closes unless told.
std::string response_head(unsigned version, const api::ApiResponse& response, bool keep_alive) {
  const auto status = static_cast<http::status>(response.status);
  const auto reason = http::obsolete_reason(status);
  std::string head;
  head.reserve(160);
  head.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  head.append(std::to_string(response.status)).append(" ").append(reason.data(), reason.size()).append("\r\n");
  if (!response.content_type.empty()) head.append("Content-Type: ").append(response.content_type).append("\r\n");
  for (const auto& [name, value] : response.headers) head.append(name).append(": ").append(value).append("\r\n");
  head.append("Content-Length: ").append(std::to_string(response.body.size())).append("\r\n");
  if (version == 10 && keep_alive) head.append("Connection: keep-alive\r\n");
  if (version != 10 && !keep_alive) head.append("Connection: close\r\n");
  head.append("\r\n");
  return head;
}

}  // namespace

void HttpSession::write(api::ApiResponse response, CloseMode mode) {
  if (stopping_ && mode == CloseMode::kKeepAlive) mode = CloseMode::kClose;
  phase_ = Phase::kWriting;
  response_head_ = response_head(version_, response, mode == CloseMode::kKeepAlive);
  response_body_ = std::move(response.body);
  set_idle_timeout();  // a client that stops reading does not pin the connection
  const std::array<net::const_buffer, 2> buffers{net::buffer(response_head_), net::buffer(response_body_)};
  net::async_write(stream_, buffers, beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), mode));
}

void HttpSession::on_write(CloseMode mode, beast::error_code ec, std::size_t) {
  response_body_ = {};  // release the body now, not at the next answer
  if (ec) return do_close(CloseMode::kClose);
  if (mode != CloseMode::kKeepAlive || stopping_) return do_close(mode);
  if (watching_) {
    read_after_watch_ = true;  // on_watch reads once the cancelled watch is back
    return;
  }
  do_read();
}

// ---- closing -------------------------------------------------------------------

void HttpSession::do_close(CloseMode mode) {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  if (mode == CloseMode::kLinger && !watching_) {
    buffer_.clear();
    stream_.expires_after(kLingerTime);
    return do_linger();
  }
  stream_.socket().close(ignored);
}

void HttpSession::do_linger() {
  stream_.async_read_some(buffer_.prepare(kLingerChunk),
                          beast::bind_front_handler(&HttpSession::on_linger, shared_from_this()));
}

void HttpSession::on_linger(beast::error_code ec, std::size_t) {
  if (!ec) return do_linger();  // discard: prepare() reuses the same bytes
  beast::error_code ignored;
  stream_.socket().close(ignored);
}

void HttpSession::on_shutdown() {
  if (stopping_ || phase_ == Phase::kClosed) return;
  stopping_ = true;
  switch (phase_) {
    case Phase::kReading:
      // Idle between requests: close now. Mid-request: let it finish; its
      // answer then closes the connection.
      if (parser_ && !parser_->got_some() && buffer_.size() == 0) stream_.socket().cancel();
      break;
    case Phase::kParked:
      check_pending(true);
      break;
    case Phase::kDelayed:
      delay_timer_.cancel();  // on_delay answers now
      break;
    case Phase::kContinue:
    case Phase::kWriting:
    case Phase::kClosed:
      break;  // on_write closes
  }
}

}  // namespace shoal::server
