// Answers with a data directory, through the Dispatcher on an in-memory disk:
// a change (a reset included) is answered only once its log record is
// durable.
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
  o.durable = d;
  o.storage_mode = "durable";
  return o;
}

ApiRequest sqs(const std::string& action, const json& body) {
  ApiRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers = {{"x-amz-target", "AmazonSQS." + action},
               {"content-type", "application/x-amz-json-1.0"},
               {"host", "localhost:4566"}};
  r.body = body.dump();
  return r;
}

ApiRequest kinesis(const std::string& action, const json& body) {
  ApiRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers = {{"x-amz-target", "Kinesis_20131202." + action}, {"content-type", "application/x-amz-json-1.1"}};
  r.body = body.dump();
  return r;
}

ApiRequest control(const std::string& method, const std::string& path) {
  ApiRequest r;
  r.method = method;
  r.path = path;
  return r;
}

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

}  // namespace shoal::api
