#include "server/http2_session.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <cstring>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>

#include "api/control/log.h"
#include "server/memory_release.h"
#include "server/session_registry.h"

namespace shoal::server {

namespace net = boost::asio;
namespace beast = boost::beast;
using namespace std::chrono_literals;

namespace {

// Streams one client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS).
// Together with the body limit it bounds what one connection can hold.
constexpr std::uint32_t kH2MaxConcurrentStreams = 100;
// Per-stream receive window: a 1 MiB PutRecords body goes out without
// waiting for WINDOW_UPDATEs; nghttp2 consumes (and re-opens) as it reads.
constexpr std::int32_t kH2StreamWindow = 1 << 20;
constexpr std::int32_t kH2ConnectionWindow = 16 << 20;
// Bytes taken from nghttp2 for one socket write: large enough to batch many
// small answers into one syscall, small enough to bound what waits on a slow
// client (nothing more is taken until the write is done).
constexpr std::size_t kH2WriteChunk = 64 * 1024;
// While a write is in flight and nghttp2 holds this many frames to send, the
// session stops reading: a client that sends but does not read gets TCP
// back-pressure instead of a growing queue.
constexpr std::size_t kH2MaxQueuedFrames = 256;
// Answer bytes not yet taken by nghttp2, over all streams, past which no
// further request is dispatched (nor read) until writes drain: a client that
// sends requests but does not read the answers stops being served instead of
// piling answers up in memory. One answer may exceed it.
constexpr std::size_t kH2MaxUnsentBytes = 8 << 20;
// How much of an event stream is pulled at a time. nghttp2 asks for it only
// when the client's flow-control window has room, so a reader that stops
// reading stops the producer.
constexpr std::size_t kH2StreamPollBytes = 64 * 1024;

void log_h2_internal_error(const char* where, const char* what) {
  api::log_line(api::LogLevel::kError, std::string("internal error ") + where + ": " + what);
}

// Headers HTTP/2 forbids (RFC 9113 8.2.2), and the length we set ourselves.
bool connection_specific(std::string_view lower_name) {
  return lower_name == "connection" || lower_name == "keep-alive" || lower_name == "transfer-encoding" ||
         lower_name == "upgrade" || lower_name == "proxy-connection" || lower_name == "content-length";
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

nghttp2_nv make_nv(const std::string& name, const std::string& value) {
  // nghttp2 copies names and values when the response is submitted.
  return {reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NONE};
}

}  // namespace

struct Http2Session::Stream {
  enum class Phase { kReceiving, kDelayed, kParked, kResponding, kStreaming };
  enum class Reject { kNone, kHeaders, kBody };

  Stream(std::int32_t stream_id, const SessionExecutor& executor) : id(stream_id), timer(executor) {}

  const std::int32_t id;
  Phase phase = Phase::kReceiving;
  api::ApiRequest request;
  std::string authority;
  std::size_t header_bytes = 0;
  Reject reject = Reject::kNone;
  bool head_method = false;   // HEAD: the answer's headers, no body
  bool request_done = false;  // END_STREAM received
  bool queued = false;        // in ready_ (or handled)

  // The answer's body, handed to nghttp2 as it asks; for an event stream,
  // the bytes of the last poll not yet taken.
  std::string body;
  std::size_t offset = 0;
  std::unique_ptr<api::PendingResponse> pending;
  std::unique_ptr<api::StreamingResponse> streaming;
  bool stream_ended = false;
  bool deferred = false;  // nghttp2 waits for resume_data
  api::Outcome delayed;
  // The long poll's next check, the event stream's next check, or the
  // injected delay: a stream is in one phase at a time.
  net::steady_timer timer;
};

// ---- nghttp2 callbacks ---------------------------------------------------------
// They run inside nghttp2_session_mem_recv/mem_send, on the strand. They never
// call back into mem_recv/mem_send; requests they complete wait in ready_.

struct Http2Session::Callbacks {
  static Http2Session& self(void* user) { return *static_cast<Http2Session*>(user); }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    auto& s = self(user);
    if (s.closed_ || frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    auto stream = std::make_unique<Stream>(frame->hd.stream_id, s.executor_);
    stream->request.headers.reserve(16);
    s.streams_[frame->hd.stream_id] = std::move(stream);
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name, std::size_t name_length,
                       const std::uint8_t* value, std::size_t value_length, std::uint8_t, void* user) {
    auto& s = self(user);
    // Trailers (a second HEADERS) are accepted and ignored.
    if (s.closed_ || frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    Stream* stream = s.find(frame->hd.stream_id);
    if (stream == nullptr || stream->reject != Stream::Reject::kNone) return 0;
    // RFC 9113's accounting (name + value + 32), against the same limit as
    // HTTP/1.1's header bytes (advertised as SETTINGS_MAX_HEADER_LIST_SIZE).
    stream->header_bytes += name_length + value_length + 32;
    if (stream->header_bytes > s.config_.max_header_bytes) {
      stream->reject = Stream::Reject::kHeaders;
      stream->request.headers.clear();
      return 0;
    }
    const std::string_view n(reinterpret_cast<const char*>(name), name_length);
    const std::string_view v(reinterpret_cast<const char*>(value), value_length);
    auto& request = stream->request;
    if (n.starts_with(':')) {
      // nghttp2 has checked the pseudo-headers (present, once, before the rest).
      if (n == ":method") {
        request.method.assign(v);
      } else if (n == ":path") {
        const auto q = v.find('?');
        request.path.assign(v.substr(0, q));
        if (q != std::string_view::npos) request.query.assign(v.substr(q + 1));
      } else if (n == ":authority") {
        stream->authority.assign(v);
      }
      return 0;
    }
    // HTTP/2 header names are lower-case on the wire (nghttp2 rejects others).
    request.headers.emplace_back(std::string(n), std::string(v));
    return 0;
  }

  static int on_data_chunk(nghttp2_session*, std::uint8_t, std::int32_t stream_id, const std::uint8_t* data,
                           std::size_t length, void* user) {
    auto& s = self(user);
    if (s.closed_) return 0;
    Stream* stream = s.find(stream_id);
    if (stream == nullptr || stream->reject != Stream::Reject::kNone || stream->queued) return 0;
    if (stream->request.body.size() + length > s.config_.max_body_bytes) {
      // Answer 413 now; the rest of the body is dropped as it comes.
      stream->reject = Stream::Reject::kBody;
      std::string().swap(stream->request.body);
      stream->queued = true;
      s.ready_.push_back(stream_id);
      return 0;
    }
    stream->request.body.append(reinterpret_cast<const char*>(data), length);
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    auto& s = self(user);
    if (s.closed_) return 0;
    if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) return 0;
    Stream* stream = s.find(frame->hd.stream_id);
    if (stream == nullptr) return 0;
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
      auto& request = stream->request;
      if (!stream->authority.empty() && !request.has_header("host")) {
        request.headers.emplace_back("host", std::move(stream->authority));
      }
      if (stream->reject == Stream::Reject::kNone) {
        // A declared length past the limit is answered before its body comes.
        const auto length = request.header("content-length");
        std::uint64_t declared = 0;
        for (char c : length) declared = declared * 10 + static_cast<std::uint64_t>(c - '0');  // nghttp2 checked digits
        if (length.size() > 19 || declared > s.config_.max_body_bytes) {
          stream->reject = Stream::Reject::kBody;
        } else {
          request.body.reserve(static_cast<std::size_t>(declared));
        }
      }
      if (stream->reject != Stream::Reject::kNone && !stream->queued) {
        stream->queued = true;
        s.ready_.push_back(stream->id);
      }
    }
    if ((frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0) {
      stream->request_done = true;
      if (!stream->queued) {
        stream->queued = true;
        s.ready_.push_back(stream->id);
      }
    }
    return 0;
  }

  static int on_frame_send(nghttp2_session* session, const nghttp2_frame* frame, void* user) {
    auto& s = self(user);
    if (s.closed_ || (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) == 0) return 0;
    if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) return 0;
    Stream* stream = s.find(frame->hd.stream_id);
    // Answered before the request was all in (413, 431): RFC 9113 8.1 lets
    // the server end the stream with NO_ERROR so the client stops sending.
    if (stream != nullptr && !stream->request_done) {
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream->id, NGHTTP2_NO_ERROR);
    }
    return 0;
  }

  static int on_stream_close(nghttp2_session*, std::int32_t stream_id, std::uint32_t, void* user) {
    auto& s = self(user);
    if (s.closed_) return 0;
    auto it = s.streams_.find(stream_id);
    if (it == s.streams_.end()) return 0;
    // Answered, or reset by the client mid-request or mid-stream: either way
    // its long poll or subscription is freed now.
    s.release(*it->second);
    s.streams_.erase(it);
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, std::int32_t stream_id, std::uint8_t* buffer, std::size_t length,
                           std::uint32_t* flags, nghttp2_data_source*, void* user) {
    auto& s = self(user);
    Stream* stream = s.closed_ ? nullptr : s.find(stream_id);
    if (stream == nullptr) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    if (stream->streaming && stream->offset == stream->body.size() && !stream->stream_ended) {
      stream->body.clear();
      stream->offset = 0;
      try {
        stream->stream_ended = stream->streaming->poll(s.stopping_, stream->body, kH2StreamPollBytes);
      } catch (const std::exception& e) {
        log_h2_internal_error("polling an event stream", e.what());
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // resets the stream
      } catch (...) {
        log_h2_internal_error("polling an event stream", "unknown exception");
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
      }
    }
    const std::size_t n = std::min(length, stream->body.size() - stream->offset);
    if (n > 0) std::memcpy(buffer, stream->body.data() + stream->offset, n);
    stream->offset += n;
    if (!stream->streaming) s.unsent_bytes_ -= n;
    if (stream->offset == stream->body.size()) {
      if (!stream->streaming || stream->stream_ended) {
        *flags |= NGHTTP2_DATA_FLAG_EOF;
        std::string().swap(stream->body);
        stream->offset = 0;
      } else if (n == 0) {
        // Nothing to send: wait for the waker or the next check.
        stream->deferred = true;
        s.arm_stream_timer(*stream, stream->streaming->time_to_next_check());
        stream->streaming->set_waker([weak = s.weak_from_this(), stream_id] {
          if (auto session = weak.lock()) {
            net::post(session->executor_, [session, stream_id] { session->on_stream_wake(stream_id); });
          }
        });
        return NGHTTP2_ERR_DEFERRED;
      }
    }
    return static_cast<ssize_t>(n);
  }
};

// ---- life cycle ------------------------------------------------------------------

Http2Session::Http2Session(SessionStream&& stream, const SessionConfig& config, beast::flat_buffer&& received)
    : config_(config),
      executor_(stream.get_executor()),
      stream_(std::move(stream)),
      received_(std::move(received)),
      idle_timer_(executor_) {}

Http2Session::~Http2Session() {
  for (auto& [id, stream] : streams_) release(*stream);
  closed_ = true;  // nghttp2_session_del must not reach our callbacks
  streams_.clear();
  if (session_ != nullptr) nghttp2_session_del(session_);
  config_.registry.remove(this);
}

void Http2Session::start() {
  net::dispatch(executor_, beast::bind_front_handler(&Http2Session::on_start, shared_from_this()));
  config_.registry.add(shared_from_this());
}

void Http2Session::shutdown() {
  net::post(executor_, beast::bind_front_handler(&Http2Session::on_shutdown, shared_from_this()));
}

void Http2Session::on_start() {
  nghttp2_session_callbacks* callbacks = nullptr;
  if (nghttp2_session_callbacks_new(&callbacks) != 0) {
    log_h2_internal_error("starting an HTTP/2 session", "out of memory");
    return close_now();
  }
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, &Callbacks::on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, &Callbacks::on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &Callbacks::on_data_chunk);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &Callbacks::on_frame_recv);
  nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, &Callbacks::on_frame_send);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &Callbacks::on_stream_close);
  const int rv = nghttp2_session_server_new(&session_, callbacks, this);
  nghttp2_session_callbacks_del(callbacks);
  if (rv != 0) {
    log_h2_internal_error("starting an HTTP/2 session", nghttp2_strerror(rv));
    session_ = nullptr;
    return close_now();
  }
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kH2MaxConcurrentStreams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<std::uint32_t>(kH2StreamWindow)},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, config_.max_header_bytes},
  };
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
  nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0, kH2ConnectionWindow);
  last_activity_ = std::chrono::steady_clock::now();
  arm_idle_timer();
  if (received_.size() > 0) {
    const auto data = received_.cdata();
    receive(static_cast<const std::uint8_t*>(data.data()), data.size());
    received_.clear();
    received_.shrink_to_fit();
  }
  if (stopping_) on_shutdown();
  do_write();
  do_read();
}

void Http2Session::on_shutdown() {
  stopping_ = true;
  if (closed_ || session_ == nullptr) return;  // on_start, if still to come, comes back here
  send_goaway();
  std::vector<std::int32_t> ids;
  ids.reserve(streams_.size());
  for (const auto& [id, stream] : streams_) ids.push_back(id);
  for (std::int32_t id : ids) {
    Stream* stream = find(id);
    if (stream == nullptr) continue;
    switch (stream->phase) {
      case Stream::Phase::kDelayed: {
        stream->timer.cancel();
        api::Outcome outcome = std::move(stream->delayed);
        stream->delayed = {};
        deliver(*stream, std::move(outcome));
        break;
      }
      case Stream::Phase::kParked:
        check_pending(*stream, true);
        break;
      case Stream::Phase::kStreaming:
        if (stream->deferred) resume(*stream);  // its next poll is the final one
        break;
      case Stream::Phase::kReceiving:
      case Stream::Phase::kResponding:
        break;
    }
  }
  do_write();
}

void Http2Session::send_goaway() {
  if (goaway_sent_) return;
  goaway_sent_ = true;
  // No new streams; those the client has begun finish.
  nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(session_),
                        NGHTTP2_NO_ERROR, nullptr, 0);
}

void Http2Session::close_now() {
  if (closed_) return;
  closed_ = true;
  for (auto& [id, stream] : streams_) release(*stream);
  streams_.clear();
  idle_timer_.cancel();
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

// ---- bytes in and out --------------------------------------------------------------

void Http2Session::do_read() {
  if (reading_ || closed_ || nghttp2_session_want_read(session_) == 0) return;
  if (!ready_.empty() || (writing_ && nghttp2_session_get_outbound_queue_size(session_) >= kH2MaxQueuedFrames)) {
    read_paused_ = true;
    return;
  }
  read_paused_ = false;
  reading_ = true;
  stream_.async_read_some(net::buffer(read_buffer_),
                          beast::bind_front_handler(&Http2Session::on_read, shared_from_this()));
}

void Http2Session::on_read(beast::error_code ec, std::size_t bytes) {
  reading_ = false;
  if (closed_) return;
  if (ec) return close_now();  // the client went away: its streams are freed
  last_activity_ = std::chrono::steady_clock::now();
  receive(read_buffer_.data(), bytes);
  do_write();
  do_read();
}

void Http2Session::receive(const std::uint8_t* data, std::size_t size) {
  const auto rv = nghttp2_session_mem_recv(session_, data, size);
  if (rv < 0) {
    // A broken preface, a flood, a frame nghttp2 cannot take: it has queued
    // GOAWAY where the protocol asks for one; send it and close.
    api::log_line(api::LogLevel::kDebug,
                  std::string("HTTP/2 connection error: ") + nghttp2_strerror(static_cast<int>(rv)));
    nghttp2_session_terminate_session(session_, NGHTTP2_PROTOCOL_ERROR);
    ready_.clear();
    return;
  }
  dispatch_ready();
}

void Http2Session::dispatch_ready() {
  while (!ready_.empty() && unsent_bytes_ < kH2MaxUnsentBytes && !closed_) {
    const std::int32_t id = ready_.front();
    ready_.pop_front();
    if (Stream* stream = find(id)) handle_request(*stream);
  }
}

void Http2Session::do_write() {
  if (writing_ || closed_) return;
  write_buffer_.clear();
  while (write_buffer_.size() < kH2WriteChunk) {
    const std::uint8_t* data = nullptr;
    const auto n = nghttp2_session_mem_send(session_, &data);
    if (n < 0) {
      api::log_line(api::LogLevel::kDebug, std::string("HTTP/2 send error: ") + nghttp2_strerror(static_cast<int>(n)));
      return close_now();
    }
    if (n == 0) break;
    write_buffer_.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
  }
  if (write_buffer_.empty()) {
    // After GOAWAY (shutdown, idle, a protocol error) with no stream left.
    if (nghttp2_session_want_read(session_) == 0 && nghttp2_session_want_write(session_) == 0) close_now();
    return;
  }
  writing_ = true;
  net::async_write(stream_, net::buffer(write_buffer_),
                   beast::bind_front_handler(&Http2Session::on_write, shared_from_this()));
}

void Http2Session::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (closed_) return;
  if (ec) return close_now();
  last_activity_ = std::chrono::steady_clock::now();
  if (write_buffer_.capacity() > 4 * kH2WriteChunk) std::string().swap(write_buffer_);
  if (!ready_.empty()) dispatch_ready();
  do_write();
  if (read_paused_) do_read();
}

// ---- idle and stalled connections ------------------------------------------------------

void Http2Session::arm_idle_timer() {
  if (config_.idle_timeout.count() <= 0 || closed_) return;
  auto next = last_activity_ + config_.idle_timeout;
  const auto now = std::chrono::steady_clock::now();
  if (next <= now) next = now + config_.idle_timeout;
  idle_timer_.expires_at(next);
  idle_timer_.async_wait(beast::bind_front_handler(&Http2Session::on_idle_timer, shared_from_this()));
}

void Http2Session::on_idle_timer(beast::error_code ec) {
  if (ec || closed_) return;
  const bool quiet = std::chrono::steady_clock::now() - last_activity_ >= config_.idle_timeout;
  // A write pending that long: the client stopped reading. Nothing open and
  // nothing said that long: idle. A parked long poll or a quiet event stream
  // is neither.
  if (quiet && writing_) return close_now();
  if (quiet && streams_.empty()) {
    stopping_ = true;
    send_goaway();
    do_write();
    if (closed_) return;
  }
  arm_idle_timer();
}

// ---- requests and answers ------------------------------------------------------------

Http2Session::Stream* Http2Session::find(std::int32_t id) {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : it->second.get();
}

void Http2Session::handle_request(Stream& stream) {
  if (stream.reject == Stream::Reject::kHeaders) {
    return respond_error(
        stream, 431, "RequestHeaderFieldsTooLarge",
        "Request headers are larger than the limit of " + std::to_string(config_.max_header_bytes) + " bytes");
  }
  if (stream.reject == Stream::Reject::kBody) {
    return respond_error(
        stream, 413, "RequestEntityTooLarge",
        "Request body is larger than the limit of " + std::to_string(config_.max_body_bytes) + " bytes");
  }
  stream.head_method = stream.request.method == "HEAD";
  stream.request.tls = stream_.is_tls();
  api::Outcome outcome;
  const std::size_t body_bytes = stream.request.body.size();
  try {
    outcome = config_.dispatcher.handle(std::move(stream.request));
  } catch (const std::exception& e) {
    log_h2_internal_error("handling a request", e.what());
    outcome = {};
  } catch (...) {
    log_h2_internal_error("handling a request", "unknown exception");
    outcome = {};
  }
  stream.request = {};
  release_after_request(body_bytes);
  if (outcome.drop_connection) return reset_stream(stream, NGHTTP2_INTERNAL_ERROR);
  if (outcome.delay.count() > 0 && !stopping_) {
    stream.phase = Stream::Phase::kDelayed;
    stream.delayed = std::move(outcome);
    arm_stream_timer(stream, stream.delayed.delay);
    return;
  }
  deliver(stream, std::move(outcome));
}

void Http2Session::deliver(Stream& stream, api::Outcome outcome) {
  if (outcome.stream) return start_streaming(stream, std::move(outcome.stream));
  if (outcome.pending) {
    stream.pending = std::move(outcome.pending);
    return park(stream);
  }
  if (!outcome.response) {
    outcome.response = config_.dispatcher.transport_error(500, "InternalFailure", "The server hit an internal error.");
  }
  respond(stream, std::move(*outcome.response));
}

namespace {

// The response's header block: :status first, then lower-case names.
struct HeaderBlock {
  std::vector<std::string> storage;
  std::vector<nghttp2_nv> nv;

  HeaderBlock(const api::ApiResponse& response, std::optional<std::size_t> content_length) {
    storage.reserve(2 * (response.headers.size() + 3));
    add(":status", std::to_string(response.status));
    if (!response.content_type.empty()) add("content-type", response.content_type);
    for (const auto& [name, value] : response.headers) {
      std::string name_lower = to_lower(name);
      if (!connection_specific(name_lower)) add(std::move(name_lower), value);
    }
    if (content_length) add("content-length", std::to_string(*content_length));
    nv.reserve(storage.size() / 2);
    for (std::size_t i = 0; i < storage.size(); i += 2) nv.push_back(make_nv(storage[i], storage[i + 1]));
  }

  void add(std::string name, std::string value) {
    storage.push_back(std::move(name));
    storage.push_back(std::move(value));
  }
};

}  // namespace

void Http2Session::respond(Stream& stream, api::ApiResponse response) {
  stream.phase = Stream::Phase::kResponding;
  const HeaderBlock block(response, response.body.size());
  if (stream.head_method) response.body.clear();
  stream.body = std::move(response.body);
  stream.offset = 0;
  unsent_bytes_ += stream.body.size();
  nghttp2_data_provider provider{};
  provider.read_callback = &Callbacks::read_body;
  const int rv = nghttp2_submit_response(session_, stream.id, block.nv.data(), block.nv.size(),
                                         stream.body.empty() ? nullptr : &provider);
  if (rv != 0) {
    api::log_line(api::LogLevel::kDebug, std::string("HTTP/2 response not submitted: ") + nghttp2_strerror(rv));
    reset_stream(stream, NGHTTP2_INTERNAL_ERROR);
  }
}

void Http2Session::respond_error(Stream& stream, int status, const std::string& code, const std::string& message) {
  api::ApiResponse response;
  try {
    response = config_.dispatcher.transport_error(status, code, message, stream.request.header("content-type"));
  } catch (const std::exception& e) {
    log_h2_internal_error("rendering a transport error", e.what());
    return reset_stream(stream, NGHTTP2_INTERNAL_ERROR);
  }
  respond(stream, std::move(response));
}

void Http2Session::start_streaming(Stream& stream, std::unique_ptr<api::StreamingResponse> streaming) {
  api::ApiResponse head;
  try {
    head = streaming->head();
  } catch (const std::exception& e) {
    log_h2_internal_error("starting an event stream", e.what());
    streaming->cancel();
    return respond_error(stream, 500, "InternalFailure", "The server hit an internal error.");
  }
  stream.phase = Stream::Phase::kStreaming;
  stream.streaming = std::move(streaming);
  const HeaderBlock block(head, std::nullopt);
  nghttp2_data_provider provider{};
  provider.read_callback = &Callbacks::read_body;
  const int rv = nghttp2_submit_response(session_, stream.id, block.nv.data(), block.nv.size(), &provider);
  if (rv != 0) reset_stream(stream, NGHTTP2_INTERNAL_ERROR);
}

void Http2Session::reset_stream(Stream& stream, std::uint32_t error_code) {
  nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream.id, error_code);
}

void Http2Session::release(Stream& stream) {
  if (!stream.streaming) unsent_bytes_ -= stream.body.size() - stream.offset;
  std::string().swap(stream.body);
  stream.offset = 0;
  stream.timer.cancel();
  if (stream.pending) {
    stream.pending->cancel();
    stream.pending.reset();
  }
  if (stream.streaming) {
    // An event stream that ended (its last poll said so) has nothing to free.
    if (!stream.stream_ended) stream.streaming->cancel();
    stream.streaming.reset();
  }
}

// ---- long polls and event streams ------------------------------------------------------

void Http2Session::park(Stream& stream) {
  stream.phase = Stream::Phase::kParked;
  if (stopping_) return check_pending(stream, true);
  arm_pending(stream);
}

void Http2Session::arm_pending(Stream& stream) {
  arm_stream_timer(stream, stream.pending->time_to_next_check());
  // Called from any thread, maybe after this session is gone: hold it weakly
  // and hop onto its strand.
  stream.pending->set_waker([weak = weak_from_this(), id = stream.id] {
    if (auto self = weak.lock()) net::post(self->executor_, [self, id] { self->on_stream_wake(id); });
  });
}

void Http2Session::check_pending(Stream& stream, bool final) {
  std::optional<api::ApiResponse> response;
  try {
    response = stream.pending->poll(final);
    if (!response && stream.pending->time_to_next_check() <= 0ms) response = stream.pending->poll(true);
  } catch (const std::exception& e) {
    log_h2_internal_error("completing a long poll", e.what());
    response = config_.dispatcher.transport_error(500, "InternalFailure", "The server hit an internal error.");
  } catch (...) {
    log_h2_internal_error("completing a long poll", "unknown exception");
    response = config_.dispatcher.transport_error(500, "InternalFailure", "The server hit an internal error.");
  }
  if (response) {
    stream.timer.cancel();
    stream.pending->cancel();
    stream.pending.reset();
    return respond(stream, std::move(*response));
  }
  arm_pending(stream);
}

void Http2Session::arm_stream_timer(Stream& stream, std::chrono::milliseconds wait) {
  stream.timer.expires_after(std::max(wait, 0ms));
  stream.timer.async_wait(
      [self = shared_from_this(), id = stream.id](beast::error_code ec) { self->on_stream_timer(id, ec); });
}

void Http2Session::on_stream_timer(std::int32_t id, beast::error_code ec) {
  if (ec == net::error::operation_aborted || closed_) return;  // re-armed, answered or gone
  Stream* stream = find(id);
  if (stream == nullptr) return;
  switch (stream->phase) {
    case Stream::Phase::kDelayed: {
      api::Outcome outcome = std::move(stream->delayed);
      stream->delayed = {};
      deliver(*stream, std::move(outcome));
      break;
    }
    case Stream::Phase::kParked:
      if (stream->pending) check_pending(*stream, false);
      break;
    case Stream::Phase::kStreaming:
      if (stream->deferred) resume(*stream);
      break;
    case Stream::Phase::kReceiving:
    case Stream::Phase::kResponding:
      break;
  }
  do_write();
}

void Http2Session::on_stream_wake(std::int32_t id) {
  if (closed_) return;
  Stream* stream = find(id);
  if (stream == nullptr) return;
  if (stream->phase == Stream::Phase::kParked && stream->pending) {
    check_pending(*stream, false);
  } else if (stream->phase == Stream::Phase::kStreaming && stream->deferred) {
    resume(*stream);
  }
  do_write();
}

void Http2Session::resume(Stream& stream) {
  stream.deferred = false;
  stream.timer.cancel();
  nghttp2_session_resume_data(session_, stream.id);
}

}  // namespace shoal::server
