// Metrics: counters by service, action and status; cumulative histogram
// buckets; unknown actions share a slot; Prometheus label escaping.
#include "api/control/metrics.h"

#include <doctest/doctest.h>

namespace shoal::api {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST_CASE("requests are counted by service, action and status") {
  Metrics m;
  const auto send = m.slot("sqs", "SendMessage");
  m.record(send, 200, microseconds(50));
  m.record(send, 200, microseconds(50));
  m.record(send, 400, microseconds(50));
  m.record(m.slot("kinesis", "PutRecord"), 500, milliseconds(3));
  m.record(m.slot("kinesis", "PutRecord"), 418, milliseconds(3));
  const auto text = m.render();
  CHECK(text.find("shoal_requests_total{service=\"sqs\",action=\"SendMessage\","
                  "status=\"200\"} 2\n") != std::string::npos);
  CHECK(text.find("shoal_requests_total{service=\"sqs\",action=\"SendMessage\","
                  "status=\"400\"} 1\n") != std::string::npos);
  CHECK(text.find("shoal_requests_total{service=\"kinesis\",action="
                  "\"PutRecord\",status=\"500\"} 1\n") != std::string::npos);
  CHECK(text.find("shoal_requests_total{service=\"kinesis\",action="
                  "\"PutRecord\",status=\"other\"} 1\n") != std::string::npos);
  // Untouched actions are not rendered.
  CHECK(text.find("action=\"DeleteQueue\"") == std::string::npos);
}

TEST_CASE("latency buckets are cumulative and end with +Inf and the count") {
  Metrics m;
  const auto s = m.slot("sqs", "ReceiveMessage");
  m.record(s, 200, microseconds(80));          // <= 0.0001
  m.record(s, 200, milliseconds(7));           // <= 0.01
  m.record(s, 200, std::chrono::seconds(30));  // only +Inf
  const auto text = m.render();
  const std::string labels = "service=\"sqs\",action=\"ReceiveMessage\"";
  CHECK(text.find("shoal_request_duration_seconds_bucket{" + labels + ",le=\"0.0001\"} 1\n") != std::string::npos);
  CHECK(text.find("shoal_request_duration_seconds_bucket{" + labels + ",le=\"0.005\"} 1\n") != std::string::npos);
  CHECK(text.find("shoal_request_duration_seconds_bucket{" + labels + ",le=\"0.01\"} 2\n") != std::string::npos);
  CHECK(text.find("shoal_request_duration_seconds_bucket{" + labels + ",le=\"21\"} 2\n") != std::string::npos);
  CHECK(text.find("shoal_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 3\n") != std::string::npos);
  CHECK(text.find("shoal_request_duration_seconds_count{" + labels + "} 3\n") != std::string::npos);
}

TEST_CASE("unknown actions and services share fallback slots") {
  Metrics m;
  CHECK(m.slot("sqs", "NoSuchAction") == m.slot("sqs", "unknown"));
  CHECK(m.slot("nope", "x") == m.slot("other", "unknown"));
  CHECK(m.slot("sqs", "SendMessage") != m.slot("sqs", "unknown"));
}

TEST_CASE("label values are escaped") { CHECK(prometheus_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd"); }

}  // namespace shoal::api
