// Http2Session: one HTTP/2 connection (h2c by prior knowledge, or TLS with
// ALPN h2). nghttp2 does the framing, HPACK and flow control; this class
// moves its bytes over the SessionStream and turns each stream into an
// api::ApiRequest for the dispatcher. Answers, long polls (parked per stream
// on a timer + engine waker), event streams (pulled only when nghttp2 has
// window for them) and injected delays run per stream, many at once. All its
// work runs on its connection's strand; only start() and shutdown() may be
// called from other threads. Owned by its pending completion handlers.
#pragma once

#include <array>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/dispatcher.h"
#include "server/http_session.h"
#include "server/session.h"
#include "server/session_stream.h"

struct nghttp2_session;

namespace shoal::server {

class Http2Session : public Session, public std::enable_shared_from_this<Http2Session> {
 public:
  // `received`: bytes already read from the stream (the start of the client
  // preface), fed to nghttp2 first.
  Http2Session(SessionStream&& stream, const SessionConfig& config, boost::beast::flat_buffer&& received);
  ~Http2Session() override;
  Http2Session(const Http2Session&) = delete;
  Http2Session& operator=(const Http2Session&) = delete;

  void start();
  // Graceful: GOAWAY (no new streams), parked long polls answered and event
  // streams ended now, streams in flight finish; then the connection closes.
  void shutdown() override;

 private:
  struct Stream;     // one request/response exchange (http2_session.cc)
  struct Callbacks;  // nghttp2's C callbacks, friends by nesting

  void on_start();
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  // Feeds bytes to nghttp2, then dispatches the requests they completed.
  void receive(const std::uint8_t* data, std::size_t size);
  // Hands complete requests to the dispatcher while answers are not piling up.
  void dispatch_ready();
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void send_goaway();
  void close_now();
  void on_shutdown();
  void arm_idle_timer();
  void on_idle_timer(boost::beast::error_code ec);

  Stream* find(std::int32_t id);
  void handle_request(Stream& stream);
  void deliver(Stream& stream, api::Outcome outcome);
  void respond(Stream& stream, api::ApiResponse response);
  void respond_error(Stream& stream, int status, const std::string& code, const std::string& message);
  void start_streaming(Stream& stream, std::unique_ptr<api::StreamingResponse> streaming);
  void park(Stream& stream);
  void arm_pending(Stream& stream);
  void check_pending(Stream& stream, bool final);
  void arm_stream_timer(Stream& stream, std::chrono::milliseconds wait);
  void on_stream_timer(std::int32_t id, boost::beast::error_code ec);
  void on_stream_wake(std::int32_t id);
  void resume(Stream& stream);
  void reset_stream(Stream& stream, std::uint32_t error_code);
  void release(Stream& stream);  // frees its long poll or event stream

  const SessionConfig& config_;
  const SessionExecutor executor_;
  SessionStream stream_;
  boost::beast::flat_buffer received_;
  nghttp2_session* session_ = nullptr;
  std::unordered_map<std::int32_t, std::unique_ptr<Stream>> streams_;
  // Streams whose request is complete, dispatched once nghttp2 returns.
  std::deque<std::int32_t> ready_;
  std::size_t unsent_bytes_ = 0;  // answer bytes nghttp2 has not taken yet

  std::array<std::uint8_t, 16 * 1024> read_buffer_;
  std::string write_buffer_;  // the bytes of the write in flight
  bool reading_ = false;
  bool writing_ = false;
  bool read_paused_ = false;  // by back-pressure: resumed when the write is done
  bool stopping_ = false;
  bool goaway_sent_ = false;
  bool closed_ = false;

  boost::asio::steady_timer idle_timer_;
  std::chrono::steady_clock::time_point last_activity_;
};

}  // namespace shoal::server
