#include "bench/driver/aws_client.h"

#include <boost/asio/connect.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace shoal::bench {
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

// What boto3 1.43 sends; servers must not care, but the bytes on the wire match.
constexpr std::string_view kUserAgent =
    "Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux md/arch#x86_64 lang/python#3.11.7 "
    "md/pyimpl#CPython m/ shoal-bench";

std::string utc_now(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char out[32];
  std::strftime(out, sizeof out, format, &tm);
  return out;
}

}  // namespace

AwsClient::AwsClient(const std::string& host, std::uint16_t port, Service service)
    : endpoint_(boost::asio::ip::make_address(host), port),
      socket_(ioc_),
      service_(service),
      host_header_(host + ":" + std::to_string(port)),
      amz_date_(utc_now("%Y%m%dT%H%M%SZ")) {
  // moto routes a request by the service in the credential scope.
  const char* scope = service == Service::kSqs ? "sqs" : "kinesis";
  authorization_ =
      "AWS4-HMAC-SHA256 Credential=test/" + amz_date_.substr(0, 8) + "/us-east-1/" + scope +
      "/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + std::string(64, '0');
  invocation_ = std::random_device{}();
}

void AwsClient::connect() {
  socket_ = tcp::socket(ioc_);
  socket_.connect(endpoint_);
  socket_.set_option(tcp::no_delay(true));
  buffer_.clear();
  connected_ = true;
}

HttpAnswer AwsClient::call(std::string_view action, std::string body) {
  const bool sqs = service_ == Service::kSqs;
  http::request<http::string_body> request{http::verb::post, "/", 11};
  request.set(http::field::host, host_header_);
  request.set("X-Amz-Target", std::string(sqs ? "AmazonSQS." : "Kinesis_20131202.") + std::string(action));
  request.set(http::field::content_type, sqs ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1");
  if (sqs) request.set("x-amzn-query-mode", "true");
  request.set(http::field::user_agent, kUserAgent);
  request.set("X-Amz-Date", amz_date_);
  request.set(http::field::authorization, authorization_);
  char invocation[40];
  ++invocation_;
  std::snprintf(invocation, sizeof invocation, "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(invocation_ & 0xffffffffffffULL));
  request.set("amz-sdk-invocation-id", invocation);
  request.set("amz-sdk-request", "attempt=1");
  request.body() = std::move(body);
  request.prepare_payload();

  for (int attempt = 0;; ++attempt) {
    const bool reused = connected_;
    try {
      if (!connected_) connect();
      http::write(socket_, request);
      http::response_parser<http::string_body> parser;
      parser.body_limit(boost::none);  // GetRecords answers run to tens of MB
      http::read(socket_, buffer_, parser);
      auto response = parser.release();
      if (!response.keep_alive()) connected_ = false;
      return {static_cast<int>(response.result_int()), std::move(response.body())};
    } catch (const boost::system::system_error&) {
      connected_ = false;
      if (!reused || attempt > 0) throw;
    }
  }
}

}  // namespace shoal::bench
