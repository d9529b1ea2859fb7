#include "api/sqs/queue_address.h"

#include <doctest/doctest.h>

using namespace shoal::api;

TEST_CASE("queue URLs use the caller's host and parse back from any host") {
  RequestContext ctx;
  ctx.account = "123456789012";
  ctx.region = "eu-west-1";
  ctx.host = "localhost:4566";
  shoal::storage::QueueKey key{"123456789012", "eu-west-1", "orders"};
  CHECK(sqs::queue_url(ctx, key) == "http://localhost:4566/123456789012/orders");
  CHECK(sqs::queue_arn(key) == "arn:aws:sqs:eu-west-1:123456789012:orders");

  auto parsed = sqs::parse_queue_url("https://sqs.eu-west-1.amazonaws.com/123456789012/orders", ctx);
  REQUIRE(parsed);
  CHECK(*parsed == key);
  CHECK(sqs::parse_queue_url("http://h/000000000000/q/", ctx)->name == "q");
  CHECK_FALSE(sqs::parse_queue_url("http://h/notanaccount/q", ctx));
  // A bare name is the caller's own queue, as AWS accepts it.
  CHECK(*sqs::parse_queue_url("orders", ctx) == key);
  CHECK(sqs::parse_queue_url("jobs.fifo", ctx)->name == "jobs.fifo");
  CHECK_FALSE(sqs::parse_queue_url("not a name", ctx));
  CHECK_FALSE(sqs::parse_queue_url("", ctx));
}

TEST_CASE("queue names: 1-80 of [A-Za-z0-9_-], optional .fifo within the 80") {
  CHECK(sqs::is_valid_queue_name("a-b_C9"));
  CHECK(sqs::is_valid_queue_name("q.fifo"));
  CHECK(sqs::is_valid_queue_name(std::string(80, 'a')));
  CHECK_FALSE(sqs::is_valid_queue_name(std::string(81, 'a')));
  CHECK_FALSE(sqs::is_valid_queue_name(std::string(76, 'a') + ".fifo"));
  CHECK_FALSE(sqs::is_valid_queue_name(""));
  CHECK_FALSE(sqs::is_valid_queue_name(".fifo"));
  CHECK_FALSE(sqs::is_valid_queue_name("a b"));
  CHECK_FALSE(sqs::is_valid_queue_name("a.b"));
}
