#include "server/server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <boost/version.hpp>
#include <openssl/opensslv.h>

#include "api/control/log.h"
#include "server/client_hint.h"
#include "server/listener.h"
#include "server/tls_context.h"

namespace shoal::server {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

#ifdef OPENSSL_VERSION_STR
constexpr const char* kOpenSslVersion = OPENSSL_VERSION_STR;  // "3.0.11"
#else
constexpr const char* kOpenSslVersion = OPENSSL_VERSION_TEXT;
#endif

// Request headers past this get 431. SigV4 headers are a few hundred bytes;
// Beast's own default (8 KiB) is too tight for long presigned query strings.
constexpr std::uint32_t kMaxHeaderBytes = 64 * 1024;
// After SIGTERM, connections still busy (a slow client reading a big answer,
// a request arriving byte by byte) get this long before the process quits.
constexpr auto kShutdownGrace = std::chrono::seconds(10);

api::DispatcherOptions dispatcher_options(const Options& options) {
  api::DispatcherOptions out;
  out.advertised_host = options.advertised_host;
  out.auth.strict = options.auth_mode == "strict";
  for (const auto& key : options.auth_keys) out.auth.keys.push_back({key.id, key.secret, key.account});
  auto& delays = out.kinesis.delays;
  delays.create = options.kinesis_create_delay;
  delays.update = options.kinesis_update_delay;
  delays.remove = options.kinesis_delete_delay;
  delays.consumer_create = options.kinesis_consumer_delay;
  delays.consumer_remove = options.kinesis_consumer_delay;
  out.kinesis.limits.shard_limit = static_cast<int>(options.kinesis_shard_limit);
  out.kinesis.limits.throughput.enabled = options.kinesis_throttle;
  if (options.sqs_delay_recently_deleted.value_or(false)) out.sqs_recreate_delay = std::chrono::seconds(60);
  if (!options.data_dir.empty()) {
    storage::durability::DurableOptions durable;
    durable.journal.dir = options.data_dir;
    durable.journal.fsync = options.fsync == Options::Fsync::kAlways     ? storage::journal::FsyncPolicy::kAlways
                            : options.fsync == Options::Fsync::kInterval ? storage::journal::FsyncPolicy::kInterval
                                                                         : storage::journal::FsyncPolicy::kNever;
    durable.journal.fsync_interval_ms = static_cast<std::uint32_t>(options.fsync_interval.count());
    durable.journal.drop_damaged = options.drop_damaged_log;
    // A log that cannot be written (a full disk) refuses changes with 503
    // until it can again; reads go on. Said once per episode.
    durable.journal.on_stall = [](const std::string& failure) {
      api::log_line(api::LogLevel::kError, "the data log cannot be written (" + failure +
                                               "): changes answer 503 ServiceUnavailable, reads go on; "
                                               "retrying until it can");
    };
    durable.journal.on_resume = [] {
      api::log_line(api::LogLevel::kWarn, "the data log can be written again: changes are accepted");
    };
    out.durable = std::move(durable);
  }
  out.version = SHOAL_VERSION;
  out.storage_mode = options.data_dir.empty() ? "memory" : "durable";
  return out;
}

const char* fsync_name(Options::Fsync f) {
  switch (f) {
    case Options::Fsync::kAlways: return "always";
    case Options::Fsync::kInterval: return "interval";
    case Options::Fsync::kNever: break;
  }
  return "never";
}

// One io_context thread. Handlers should not throw (sessions catch at their
// boundary); if one does anyway, log it and keep the thread serving.
void run_io(net::io_context& ioc) {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      api::log_line(api::LogLevel::kError, std::string("internal error escaped a handler: ") + e.what());
    } catch (...) {
      api::log_line(api::LogLevel::kError, "internal error escaped a handler");
    }
  }
}

// Set before the dispatcher exists, so nothing logs at the default level first.
const Options& with_log_level(const Options& options) {
  api::set_log_level(api::parse_log_level(options.log_level).value_or(api::LogLevel::kInfo));
  return options;
}

}  // namespace

Server::Server(Options options)
    : options_(with_log_level(options)),
      dispatcher_(dispatcher_options(options_)),
      session_config_{dispatcher_, registry_, options_.max_body_bytes, kMaxHeaderBytes, options_.idle_timeout},
      ioc_(static_cast<int>(options_.threads)),
      strand_(net::make_strand(ioc_)),
      signals_(strand_, SIGINT, SIGTERM),
      grace_timer_(strand_) {}

Server::~Server() {
  if (!tls_generated_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(tls_generated_dir_, ignored);
  }
}

int Server::run() {
  beast::error_code ec;
  tcp::resolver resolver(ioc_);
  auto endpoints = resolver.resolve(options_.host, std::to_string(options_.port), tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) {
    std::fprintf(stderr, "shoal: cannot resolve host '%s': %s\n", options_.host.c_str(), ec.message().c_str());
    return 1;
  }
  listener_ = std::make_shared<Listener>(ioc_, session_config_);
  const tcp::endpoint wanted = endpoints.begin()->endpoint();
  if (auto listen_ec = listener_->listen(wanted)) {
    std::fprintf(stderr, "shoal: cannot listen on %s:%u: %s\n", options_.host.c_str(), unsigned{options_.port},
                 listen_ec.message().c_str());
    return 1;
  }
  const tcp::endpoint bound = listener_->local_endpoint();
  std::string address = bound.address().to_string();
  std::string tls_note;
  if (options_.tls_port) {
    auto tls = make_tls_context(options_.tls_cert, options_.tls_key);
    tls_generated_dir_ = tls.generated_dir;
    if (!tls.context) {
      std::fprintf(stderr, "shoal: %s\n", tls.error.c_str());
      return 1;
    }
    tls_context_ = std::move(tls.context);
    tls_listener_ = std::make_shared<Listener>(ioc_, session_config_, tls_context_.get());
    const tcp::endpoint tls_wanted(wanted.address(), *options_.tls_port);
    if (auto listen_ec = tls_listener_->listen(tls_wanted)) {
      std::fprintf(stderr, "shoal: cannot listen on %s:%u: %s\n", options_.host.c_str(), unsigned{*options_.tls_port},
                   listen_ec.message().c_str());
      return 1;
    }
    // "tls on ADDRESS:PORT" is read by scripts and tests, like the plain port.
    tls_note = "; tls on " + address + ":" + std::to_string(tls_listener_->local_endpoint().port()) +
               " (h2, http/1.1; certificate " + tls.cert_path + ")";
  }
  if (!options_.data_dir.empty()) {
    std::fprintf(stderr, "shoal: data dir %s: %s\n", options_.data_dir.c_str(), dispatcher_.recovery_summary().c_str());
  }
  const std::string storage =
      options_.data_dir.empty() ? std::string("in memory") : "data dir " + options_.data_dir + ", fsync " + fsync_name(options_.fsync);
  // Before the listening line, which tells tests the server is ready.
  if (options_.auth_mode == "strict") {
    std::fprintf(stderr, "shoal: strict SigV4 authentication: %zu access key%s\n", options_.auth_keys.size(),
                 options_.auth_keys.size() == 1 ? "" : "s");
  }
  // Always printed, whatever the log level: scripts and tests read the port
  // (and the storage mode and thread count in parentheses) from it.
  std::fprintf(stderr,
               "shoal %s listening on %s:%u (%s, %u thread%s); log level %s; Boost %d.%d.%d, OpenSSL %s; "
               "control endpoints under /_shoal/%s%s\n",
               SHOAL_VERSION, address.c_str(), unsigned{bound.port()}, storage.c_str(), options_.threads,
               options_.threads == 1 ? "" : "s", options_.log_level.c_str(), BOOST_VERSION / 100000,
               BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100, kOpenSslVersion,
               options_.kinesis_throttle ? "; Kinesis shard throughput limits on" : "", tls_note.c_str());
  // For a person: what to paste so SDKs and the CLI (v2) reach this server.
  std::fprintf(stderr, "shoal: %s\n",
               client_hint(options_.host, bound.port(), options_.advertised_host).c_str());
  std::fflush(stderr);

  listener_->start();
  if (tls_listener_) tls_listener_->start();
  wait_for_signal();

  std::vector<std::thread> threads;
  threads.reserve(options_.threads - 1);
  for (unsigned i = 1; i < options_.threads; ++i) threads.emplace_back([this] { run_io(ioc_); });
  run_io(ioc_);
  for (auto& t : threads) t.join();

  registry_.forget_on_empty();  // it posts to ioc_, which is about to go
  return 0;
}

void Server::wait_for_signal() {
  signals_.async_wait([this](beast::error_code ec, int signal) { on_signal(ec, signal); });
}

void Server::on_signal(beast::error_code ec, int signal) {
  if (ec) return;  // cancelled: drained
  if (shutting_down_) {
    api::log_line(api::LogLevel::kWarn, "second signal, stopping now");
    ioc_.stop();
    return;
  }
  shutting_down_ = true;
  api::log_line(api::LogLevel::kInfo, "signal " + std::to_string(signal) + ", shutting down (" +
                                         std::to_string(registry_.size()) + " connections open)");
  listener_->stop();
  if (tls_listener_) tls_listener_->stop();
  grace_timer_.expires_after(kShutdownGrace);
  grace_timer_.async_wait([this](beast::error_code timer_ec) {
    if (timer_ec) return;
    api::log_line(api::LogLevel::kWarn, std::to_string(registry_.size()) + " connections still busy after " +
                                            std::to_string(kShutdownGrace.count()) + "s, stopping");
    ioc_.stop();
  });
  wait_for_signal();  // a second signal cuts the wait short
  registry_.begin_shutdown([this] { net::post(strand_, [this] { on_drained(); }); });
}

void Server::on_drained() {
  // Nothing left but these two waits; cancelling them lets run() return.
  beast::error_code ignored;
  signals_.cancel(ignored);
  grace_timer_.cancel();
}

}  // namespace shoal::server
