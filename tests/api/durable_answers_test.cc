// Answers with a data directory, through the Dispatcher on an in-memory disk:
// a change (a reset included) is answered only once its log record is
// durable; while the log cannot be written (a full disk) changes get AWS's
// 503 ServiceUnavailable in the caller's protocol, reads answer, and changes
// are taken again once the disk has room.
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "api/dispatcher.h"
#include "tests/api/api_requests.h"
#include "storage/journal/journal_files.h"

namespace shoal::api {
namespace {

using nlohmann::json;

// The iterator key lives on the real disk, the log on the in-memory one.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "shoal-answers-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

DispatcherOptions durable_options(const TempDir& dir, storage::journal::MemoryFileSystem& disk) {
  DispatcherOptions o;
  storage::durability::DurableOptions d;
  d.journal.dir = dir.path();
  d.journal.files = &disk;
  d.journal.retry_interval_ms = 1;
  o.durable = d;
  o.storage_mode = "durable";
  return o;
}

// The shared request builders under this file's short names.
constexpr auto sqs = test::sqs_request;
constexpr auto kinesis = test::kinesis_request;
constexpr auto control = test::control_request;

// The answer, waiting for a parked one the way the server does (woken by
// the journal's writer thread).
ApiResponse settle(Outcome out) {
  if (out.response) return *out.response;
  REQUIRE(out.pending);
  for (;;) {
    auto mu = std::make_shared<std::mutex>();
    auto cv = std::make_shared<std::condition_variable>();
    auto woken = std::make_shared<bool>(false);
    out.pending->set_waker([mu, cv, woken] {
      std::lock_guard lock(*mu);
      *woken = true;
      cv->notify_all();
    });
    if (auto r = out.pending->poll(false)) return *r;
    std::unique_lock lock(*mu);
    REQUIRE(cv->wait_for(lock, std::chrono::seconds(10), [&] { return *woken; }));
  }
}

ApiResponse call(Dispatcher& d, ApiRequest r) { return settle(d.handle(std::move(r))); }

std::string header(const ApiResponse& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

std::uint64_t used(const storage::journal::MemoryFileSystem& disk, const std::filesystem::path& dir) {
  std::uint64_t n = 0;
  for (const auto& name : disk.names(dir)) n += disk.contents(dir / name).size();
  return n;
}

}  // namespace

TEST_CASE("a reset is answered only once its log records are durable") {
  TempDir dir;
  storage::journal::MemoryFileSystem disk;
  Dispatcher d(durable_options(dir, disk));
  REQUIRE(call(d, sqs("CreateQueue", {{"QueueName", "gone"}})).status == 200);

  // Hold every fsync: a slow disk.
  std::mutex mu;
  std::condition_variable cv;
  bool hold = true;
  bool holding = false;
  disk.set_sync_hook([&] {
    std::unique_lock lock(mu);
    holding = true;
    cv.notify_all();
    cv.wait(lock, [&] { return !hold; });
  });
  auto out = d.handle(control("POST", "/_shoal/reset"));
  CHECK_FALSE(out.response);  // not before the log has the reset: a crash now must not undo it
  REQUIRE(out.pending);
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return holding; });
    hold = false;
    cv.notify_all();
  }
  const auto answer = settle(std::move(out));
  CHECK(answer.status == 200);
  CHECK(json::parse(answer.body)["sqs"]["queues_removed"] == 1);
  disk.set_sync_hook(nullptr);
}

TEST_CASE("a full disk: changes get 503 ServiceUnavailable in each protocol, reads answer, then it recovers") {
  TempDir dir;
  storage::journal::MemoryFileSystem disk;
  Dispatcher d(durable_options(dir, disk));
  const auto url = json::parse(call(d, sqs("CreateQueue", {{"QueueName", "q"}})).body)["QueueUrl"].get<std::string>();
  REQUIRE(call(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "acked"}})).status == 200);
  REQUIRE(call(d, kinesis("CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}})).status == 200);
  REQUIRE(call(d, kinesis("PutRecord", {{"StreamName", "s"}, {"Data", "eA=="}, {"PartitionKey", "k"}})).status == 200);
  disk.set_capacity(used(disk, dir.path()));

  // The first change after the disk filled is applied before its write fails:
  // it is not acknowledged (503), and it is kept for the log (see below).
  auto raced = call(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "raced"}}));
  CHECK(raced.status == 503);
  REQUIRE_FALSE(d.durable_store()->writable());
  // Later ones are refused before they change anything.
  auto refused = call(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "refused"}}));
  CHECK(refused.status == 503);
  CHECK(json::parse(refused.body)["__type"] == "com.amazonaws.sqs#ServiceUnavailable");
  CHECK(header(refused, "x-amzn-query-error") == "ServiceUnavailable;Receiver");
  CHECK(call(d, sqs("ReceiveMessage", {{"QueueUrl", url}})).status == 503);  // it changes visibility

  ApiRequest query;
  query.method = "POST";
  query.path = "/000000000000/q";
  query.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  query.body = "Action=SendMessage&MessageBody=x&Version=2012-11-05";
  auto xml = call(d, query);
  CHECK(xml.status == 503);
  CHECK(xml.body.find("<Code>ServiceUnavailable</Code>") != std::string::npos);
  CHECK(xml.body.find("<Type>Receiver</Type>") != std::string::npos);

  auto put = call(d, kinesis("PutRecord", {{"StreamName", "s"}, {"Data", "eA=="}, {"PartitionKey", "k"}}));
  CHECK(put.status == 503);
  CHECK(json::parse(put.body)["__type"] == "ServiceUnavailable");
  CHECK(call(d, control("POST", "/_shoal/reset")).status == 503);

  // Reads go on.
  auto attributes = call(d, sqs("GetQueueAttributes", {{"QueueUrl", url}, {"AttributeNames", {"All"}}}));
  REQUIRE(attributes.status == 200);
  CHECK(json::parse(attributes.body)["Attributes"]["ApproximateNumberOfMessages"] == "2");
  CHECK(call(d, sqs("ListQueues", json::object())).status == 200);
  auto iterator = call(
      d, kinesis("GetShardIterator",
                 {{"StreamName", "s"}, {"ShardId", "shardId-000000000000"}, {"ShardIteratorType", "TRIM_HORIZON"}}));
  REQUIRE(iterator.status == 200);
  auto records = call(d, kinesis("GetRecords", {{"ShardIterator", json::parse(iterator.body)["ShardIterator"]}}));
  REQUIRE(records.status == 200);
  CHECK(json::parse(records.body)["Records"].size() == 1);
  auto health = json::parse(call(d, control("GET", "/_shoal/health")).body);
  CHECK(health["data_log"]["writable"] == false);
  CHECK(health["data_log"]["failure"].get<std::string>().find("No space left on device") != std::string::npos);

  disk.set_capacity(std::nullopt);  // room again: the writer's next retry goes through
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!d.durable_store()->writable() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  REQUIRE(d.durable_store()->writable());
  CHECK(call(d, sqs("SendMessage", {{"QueueUrl", url}, {"MessageBody", "after"}})).status == 200);
  health = json::parse(call(d, control("GET", "/_shoal/health")).body);
  CHECK(health["data_log"]["writable"] == true);
}

}  // namespace shoal::api
