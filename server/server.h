// Server: owns the dispatcher, the io_context and its threads, the listener,
// the session registry and the SIGINT/SIGTERM handling (graceful shutdown).
// run() is called once, from the main thread, and blocks until shut down.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>
#include <memory>
#include <string>

#include "api/dispatcher.h"
#include "server/http_session.h"
#include "server/options.h"
#include "server/session_registry.h"

namespace boost::asio::ssl {
class context;
}

namespace shoal::server {

class Listener;

class Server {
 public:
  explicit Server(Options options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Returns the process exit code: 0 after a graceful shutdown, 1 when the
  // address cannot be bound.
  int run();

  // For the start-up configuration, applied before run() starts listening.
  api::Dispatcher& dispatcher() { return dispatcher_; }

 private:
  void wait_for_signal();
  void on_signal(boost::beast::error_code ec, int signal);
  void on_drained();

  // Declared (so built) before the io_context and destroyed after it: handlers
  // the io_context destroys own sessions, which use these.
  const Options options_;
  api::Dispatcher dispatcher_;
  SessionRegistry registry_;
  const SessionConfig session_config_;
  // --tls-port's context: connections use it, so it outlives the io_context.
  std::unique_ptr<boost::asio::ssl::context> tls_context_;
  std::string tls_generated_dir_;  // a generated certificate's directory, removed at exit

  boost::asio::io_context ioc_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;  // signals, grace timer
  boost::asio::signal_set signals_;
  boost::asio::steady_timer grace_timer_;
  std::shared_ptr<Listener> listener_;
  std::shared_ptr<Listener> tls_listener_;  // --tls-port
  bool shutting_down_ = false;
};

}  // namespace shoal::server
