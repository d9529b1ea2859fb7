// HttpSession: one client connection. Reads a request, hands it to the
// dispatcher, writes the answer, reads the next (keep-alive, pipelining via
// the buffered bytes), parks long polls on a timer + engine waker, streams
// event-stream answers (chunked, one poll's bytes in flight). All its
// work runs on its own strand; only start() and shutdown() may be called from
// other threads. Owned by its pending completion handlers (shared_from_this).
// Fault injection reaches here as an Outcome's delay (a timer, never a
// blocked thread) or drop_connection (closed without an answer).
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/dispatcher.h"
#include "api/pending_response.h"
#include "api/streaming_response.h"
#include "server/request_parser.h"
#include "server/session.h"
#include "server/session_stream.h"

namespace shoal::server {

class SessionRegistry;

// What every session shares; owned by the Server, outlives all sessions.
struct SessionConfig {
  api::Dispatcher& dispatcher;
  SessionRegistry& registry;
  std::uint64_t max_body_bytes;
  std::uint32_t max_header_bytes;
  std::chrono::seconds idle_timeout;  // 0: none
};

class HttpSession : public Session, public std::enable_shared_from_this<HttpSession> {
 public:
  // The concrete strand type, not any_io_executor: type-erased executors were
  // copied, moved and destroyed several times per request in every composed
  // read and write.
  using Executor = SessionExecutor;

  // The stream's executor must be a strand dedicated to this connection.
  // `received`: bytes already read from it (while telling HTTP/1.1 from
  // HTTP/2), parsed first.
  HttpSession(SessionStream&& stream, const SessionConfig& config, boost::beast::flat_buffer&& received = {});
  ~HttpSession() override;
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void start();
  // Graceful: an idle connection closes now, a parked long poll is answered
  // now, an event stream ends now, a request in flight finishes and its
  // connection then closes.
  void shutdown() override;

 private:
  enum class Phase { kReading, kContinue, kDelayed, kParked, kStreaming, kWriting, kClosed };
  enum class CloseMode { kKeepAlive, kClose, kLinger };

  void do_read();
  void on_read_header(boost::beast::error_code ec, std::size_t bytes);
  void on_continue_written(boost::beast::error_code ec, std::size_t bytes);
  void do_read_body();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void on_read_error(boost::beast::error_code ec);
  void handle_request();
  // Writes the answer or parks the long poll (after any injected delay).
  void deliver(api::Outcome outcome);
  void on_delay(boost::beast::error_code ec);

  void park(std::unique_ptr<api::PendingResponse> pending);
  void arm_pending();
  void on_pending_timer(boost::beast::error_code ec);
  void on_wake();
  void check_pending(bool final);
  void start_watch();

  // Event streams (HTTP/1.1 chunked; HTTP/1.0: raw bytes, then close).
  void start_stream(std::unique_ptr<api::StreamingResponse> stream);
  void pump_stream(bool final);
  void arm_stream();
  void on_stream_timer(boost::beast::error_code ec);
  void on_stream_wake();
  void on_stream_written(bool ended, boost::beast::error_code ec, std::size_t bytes);
  void abort_stream();
  void on_watch(boost::beast::error_code ec, std::size_t bytes);

  // request_content_type: the failed request's, when its header was read, so
  // the error comes in the caller's encoding (CBOR for CBOR).
  void send_error(int status, const std::string& code, const std::string& message,
                  std::string_view request_content_type = {});
  void write(api::ApiResponse response, CloseMode mode);
  void on_write(CloseMode mode, boost::beast::error_code ec, std::size_t bytes);
  void do_close(CloseMode mode);
  void do_linger();
  void on_linger(boost::beast::error_code ec, std::size_t bytes);
  void on_shutdown();
  void set_idle_timeout();

  const SessionConfig& config_;
  // The connection's strand (copied from the socket before the stream takes
  // it): never changes, so other threads may post to it.
  const Executor executor_;
  SessionStream stream_;  // plain TCP or TLS
  boost::beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  // The answer being written: status line and headers, then the body.
  std::string response_head_;
  std::string response_body_;
  Phase phase_ = Phase::kReading;
  bool stopping_ = false;

  // The request being answered: its HTTP version and whether it keeps alive.
  unsigned version_ = 11;
  bool keep_alive_ = true;

  // An answer held back by an injected latency (phase kDelayed).
  api::Outcome delayed_;
  boost::asio::steady_timer delay_timer_;

  // A parked long poll (phase kParked).
  std::unique_ptr<api::PendingResponse> pending_;
  boost::asio::steady_timer pending_timer_;
  // While parked a read watches for the client going away; bytes it gets are
  // the next pipelined request and stay in buffer_.
  bool watching_ = false;
  bool read_after_watch_ = false;

  // An event stream being sent (phase kStreaming); pending_timer_ is its
  // check timer. At most one chunk is written at a time: a client that stops
  // reading stops the producer.
  std::unique_ptr<api::StreamingResponse> streaming_;
  std::string stream_bytes_;  // one poll's bytes
  std::string stream_chunk_;  // the chunk being written: size line, bytes, CRLF
  bool stream_writing_ = false;
  bool stream_chunked_ = true;
  CloseMode stream_close_ = CloseMode::kKeepAlive;  // after the last chunk
};

}  // namespace shoal::server
