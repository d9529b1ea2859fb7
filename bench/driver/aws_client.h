// One HTTP/1.1 keep-alive connection that speaks to an AWS JSON endpoint the
// way current SDKs do: X-Amz-Target, the JSON content type of the service, a
// SigV4-shaped Authorization, X-Amz-Date, User-Agent and amz-sdk-* headers.
// Synchronous (Boost.Beast); one client per thread, never shared. A request
// that fails on a reused connection is sent once more on a fresh one.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace shoal::bench {

enum class Service { kSqs, kKinesis };

struct HttpAnswer {
  int status = 0;
  std::string body;
  bool ok() const { return status >= 200 && status < 300; }
};

class AwsClient {
 public:
  AwsClient(const std::string& host, std::uint16_t port, Service service);

  // Sends `action` (e.g. "SendMessage") with a JSON body; throws
  // boost::system::system_error when the server cannot be reached.
  HttpAnswer call(std::string_view action, std::string body);

 private:
  void connect();

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::endpoint endpoint_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  bool connected_ = false;
  Service service_;
  std::string host_header_;
  std::string authorization_;
  std::string amz_date_;
  std::uint64_t invocation_ = 0;
};

}  // namespace shoal::bench
