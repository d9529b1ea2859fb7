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
// An event stream's bytes per poll: a subscription's event carries about
// this much record data (one large record may exceed it).
constexpr std::size_t kStreamPollBytes = std::size_t{1} << 20;

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
  if (streaming_) streaming_->cancel();
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
    // Beast may report the limit while finishing the header, before it counts
    // as done; the fields are all in by then.
    const std::string content_type(parser_ ? parser_->header("content-type") : "");
    return send_error(413, "RequestEntityTooLarge",
                      "Request body is larger than the limit of " + std::to_string(config_.max_body_bytes) + " bytes",
                      content_type);
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
    auto request = parser_->release();
    request.tls = stream_.is_tls();
    outcome = config_.dispatcher.handle(std::move(request));
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
  if (outcome.stream) return start_stream(std::move(outcome.stream));
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
  if (streaming_) {
    if (!ec) return start_watch();
    return abort_stream();  // the subscriber went away: free its subscription
  }
  if (read_after_watch_) {
    read_after_watch_ = false;
    do_read();
  }
}

// ---- event streams ---------------------------------------------------------------

namespace {

// The head of a streamed answer: chunked on HTTP/1.1; HTTP/1.0 has no chunks,
// so the body runs until the connection closes.
std::string stream_head(unsigned version, const api::ApiResponse& response, bool keep_alive) {
  const auto status = static_cast<http::status>(response.status);
  const auto reason = http::obsolete_reason(status);
  std::string head;
  head.reserve(200);
  head.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  head.append(std::to_string(response.status)).append(" ").append(reason.data(), reason.size()).append("\r\n");
  if (!response.content_type.empty()) head.append("Content-Type: ").append(response.content_type).append("\r\n");
  for (const auto& [name, value] : response.headers) head.append(name).append(": ").append(value).append("\r\n");
  if (version == 10) {
    head.append("Connection: close\r\n");
  } else {
    head.append("Transfer-Encoding: chunked\r\n");
    if (!keep_alive) head.append("Connection: close\r\n");
  }
  head.append("\r\n");
  return head;
}

void append_chunk(std::string& out, std::string_view bytes) {
  char size[20];
  const int n = std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
  out.append(size, static_cast<std::size_t>(n)).append(bytes).append("\r\n");
}

}  // namespace

void HttpSession::start_stream(std::unique_ptr<api::StreamingResponse> stream) {
  phase_ = Phase::kStreaming;
  streaming_ = std::move(stream);
  stream_chunked_ = version_ != 10;
  stream_close_ = stream_chunked_ && keep_alive_ && !stopping_ ? CloseMode::kKeepAlive : CloseMode::kClose;
  api::ApiResponse head;
  try {
    head = streaming_->head();
  } catch (const std::exception& e) {
    log_internal_error("starting an event stream", e.what());
    streaming_->cancel();
    streaming_.reset();
    return write(config_.dispatcher.transport_error(500, "InternalFailure", "The server hit an internal error."),
                 CloseMode::kClose);
  }
  stream_chunk_ = stream_head(version_, head, stream_close_ == CloseMode::kKeepAlive);
  stream_writing_ = true;
  set_idle_timeout();
  net::async_write(stream_, net::buffer(stream_chunk_),
                   beast::bind_front_handler(&HttpSession::on_stream_written, shared_from_this(), false));
  start_watch();  // notices a subscriber that goes away
}

void HttpSession::pump_stream(bool final) {
  if (!streaming_ || stream_writing_) return;
  stream_bytes_.clear();
  bool ended = false;
  try {
    ended = streaming_->poll(final, stream_bytes_, kStreamPollBytes);
  } catch (const std::exception& e) {
    // Mid-stream there is no answer left to give: a clean end would read as
    // a normal one, so the connection is cut instead.
    log_internal_error("producing an event stream", e.what());
    return abort_stream();
  } catch (...) {
    log_internal_error("producing an event stream", "unknown exception");
    return abort_stream();
  }
  if (stream_bytes_.empty() && !ended) return arm_stream();
  pending_timer_.cancel();
  stream_chunk_.clear();
  if (stream_chunked_) {
    if (!stream_bytes_.empty()) append_chunk(stream_chunk_, stream_bytes_);
    if (ended) stream_chunk_.append("0\r\n\r\n");
  } else {
    stream_chunk_.swap(stream_bytes_);
  }
  if (stream_chunk_.empty()) return on_stream_written(ended, {}, 0);
  stream_writing_ = true;
  set_idle_timeout();  // a client that stops reading does not pin the connection
  net::async_write(stream_, net::buffer(stream_chunk_),
                   beast::bind_front_handler(&HttpSession::on_stream_written, shared_from_this(), ended));
}

void HttpSession::arm_stream() {
  stream_.expires_never();  // the stream has its own lifetime
  const auto wait = streaming_->time_to_next_check();
  pending_timer_.expires_after(std::max(wait, std::chrono::milliseconds(0)));
  pending_timer_.async_wait(beast::bind_front_handler(&HttpSession::on_stream_timer, shared_from_this()));
  streaming_->set_waker([weak = weak_from_this()] {
    if (auto self = weak.lock()) {
      net::post(self->executor_, beast::bind_front_handler(&HttpSession::on_stream_wake, self));
    }
  });
}

void HttpSession::on_stream_timer(beast::error_code ec) {
  if (ec == net::error::operation_aborted) return;  // re-armed, written or gone
  pump_stream(stopping_);
}

void HttpSession::on_stream_wake() { pump_stream(stopping_); }

void HttpSession::on_stream_written(bool ended, beast::error_code ec, std::size_t) {
  stream_writing_ = false;
  if (!streaming_) return;  // aborted meanwhile
  if (ec) return abort_stream();
  if (!ended) return pump_stream(stopping_);
  // Ended normally: nothing to cancel. Stop the disconnect watch; its handler
  // resumes reading once it is back (one read at a time).
  streaming_.reset();
  stream_chunk_ = {};
  stream_bytes_ = {};
  phase_ = Phase::kWriting;
  if (stream_close_ != CloseMode::kKeepAlive || stopping_) {
    if (watching_) stream_.socket().cancel();
    return do_close(CloseMode::kClose);
  }
  if (watching_) {
    read_after_watch_ = true;
    stream_.socket().cancel();
    return;
  }
  do_read();
}

void HttpSession::abort_stream() {
  if (streaming_) streaming_->cancel();
  streaming_.reset();
  pending_timer_.cancel();
  do_close(CloseMode::kClose);
}

// ---- writing -------------------------------------------------------------------

void HttpSession::send_error(int status, const std::string& code, const std::string& message,
                             std::string_view request_content_type) {
  api::ApiResponse response;
  try {
    response = config_.dispatcher.transport_error(status, code, message, request_content_type);
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
    case Phase::kStreaming:
      pump_stream(true);  // ends it now; a write in flight ends it when done
      break;
    case Phase::kContinue:
    case Phase::kWriting:
    case Phase::kClosed:
      break;  // on_write closes
  }
}

}  // namespace shoal::server
