// SubscribeToShard through the Dispatcher on a manual clock, decoding the
// event stream with our own decoder: the initial response, records pushed
// when the waker fires, keep-alives every 5 s, the 5-minute end, the end of a
// closed shard, refusal and takeover, CBOR payloads, the slot freed on
// cancel, and records held back until the log says durable.
#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "api/common/base64.h"
#include "api/dispatcher.h"
#include "api/protocol/cbor_protocol.h"
#include "api/protocol/event_stream.h"
#include "storage/journal/journal_files.h"
#include "storage/random.h"

namespace shoal::api {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace es = event_stream;

ApiRequest kinesis(const std::string& action, const json& body, bool cbor = false) {
  ApiRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers = {{"x-amz-target", "Kinesis_20131202." + action},
               {"content-type", cbor ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1"}};
  r.body = cbor ? encode_cbor(body, nullptr) : body.dump();
  return r;
}

json call(Dispatcher& d, const std::string& action, const json& body) {
  auto out = d.handle(kinesis(action, body));
  REQUIRE(out.response);
  INFO(out.response->body);
  REQUIRE(out.response->status == 200);
  return out.response->body.empty() ? json::object() : json::parse(out.response->body);
}

// One event as the tests look at it.
struct Event {
  std::string message_type;
  std::string type;  // :event-type or :exception-type
  std::string content_type;
  std::string payload;
  json body() const { return json::parse(payload); }
};

// A subscription as a server would drive it: polls, and a waker flag.
struct Subscriber {
  std::unique_ptr<StreamingResponse> stream;
  es::Decoder decoder;
  bool ended = false;
  std::mutex mutex;
  std::condition_variable cv;
  int wakes = 0;

  std::vector<Event> poll(bool final = false) {
    std::string bytes;
    ended = stream->poll(final, bytes, 1 << 20);
    decoder.feed(bytes);
    std::vector<Event> out;
    while (auto item = decoder.next()) {
      REQUIRE(std::holds_alternative<es::Message>(*item));
      const auto& m = std::get<es::Message>(*item);
      Event e;
      e.message_type = std::string(m.string_header(":message-type").value_or(""));
      e.type =
          std::string(m.string_header(e.message_type == "exception" ? ":exception-type" : ":event-type").value_or(""));
      e.content_type = std::string(m.string_header(":content-type").value_or(""));
      e.payload = m.payload;
      out.push_back(std::move(e));
    }
    if (!ended) {
      stream->set_waker([this] {
        std::lock_guard lock(mutex);
        ++wakes;
        cv.notify_all();
      });
    }
    return out;
  }
  int woken() {
    std::lock_guard lock(mutex);
    return wakes;
  }
  // Waits for a waker call from another thread (the journal's), at most 10 s.
  bool wait_woken(int count) {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, 10s, [&] { return wakes >= count; });
  }
};

struct Fixture {
  explicit Fixture(std::optional<storage::durability::DurableOptions> durable = std::nullopt, bool throttle = false)
      : d(options(durable, throttle)) {
    call(d, "CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}});
    stream_arn = call(d, "DescribeStreamSummary", {{"StreamName", "s"}})["StreamDescriptionSummary"]["StreamARN"];
    consumer_arn = call(d, "RegisterStreamConsumer",
                        {{"StreamARN", stream_arn}, {"ConsumerName", "app"}})["Consumer"]["ConsumerARN"];
  }
  DispatcherOptions options(std::optional<storage::durability::DurableOptions> durable, bool throttle) {
    DispatcherOptions o;
    o.kinesis.limits.throughput.enabled = throttle;
    o.clock = &clock;
    o.durable = std::move(durable);
    o.durable_answer_async = false;  // call() wants answers at once
    return o;
  }
  Outcome subscribe(const json& position = {{"Type", "LATEST"}}, const std::string& shard = "shardId-000000000000",
                    bool cbor = false) {
    return d.handle(kinesis("SubscribeToShard",
                            {{"ConsumerARN", consumer_arn}, {"ShardId", shard}, {"StartingPosition", position}}, cbor));
  }
  std::unique_ptr<Subscriber> subscriber(const json& position = {{"Type", "LATEST"}}) {
    auto out = subscribe(position);
    if (out.response) FAIL(out.response->body);
    REQUIRE(out.stream);
    auto s = std::make_unique<Subscriber>();
    s->stream = std::move(out.stream);
    return s;
  }
  std::string put(const std::string& data, const std::string& key = "k") {
    return call(d, "PutRecord",
                {{"StreamName", "s"}, {"PartitionKey", key}, {"Data", base64_encode(data)}})["SequenceNumber"];
  }
  std::size_t active() {
    auto out = d.handle([] {
      ApiRequest r;
      r.method = "GET";
      r.path = "/_shoal/health";
      return r;
    }());
    return json::parse(out.response->body)["kinesis_subscriptions"];
  }

  storage::ManualClock clock{storage::TimePoint(1'700'000'000'000ms)};
  Dispatcher d;
  std::string stream_arn;
  std::string consumer_arn;
};

std::vector<std::string> datas(const json& event) {
  std::vector<std::string> out;
  for (const auto& r : event["Records"]) out.push_back(base64_decode(r["Data"].get<std::string>()).value_or("?"));
  return out;
}

}  // namespace

TEST_CASE("SubscribeToShard answers an event stream: initial response, then events as records are put") {
  Fixture f;
  auto out = f.subscribe();
  REQUIRE(out.stream);
  auto head = out.stream->head();
  CHECK(head.status == 200);
  CHECK(head.content_type == "application/vnd.amazon.eventstream");
  Subscriber s;
  s.stream = std::move(out.stream);
  auto first = s.poll();
  REQUIRE(first.size() == 2);
  CHECK(first[0].message_type == "event");
  CHECK(first[0].type == "initial-response");
  CHECK(first[0].content_type == "application/x-amz-json-1.1");
  CHECK(first[0].payload == "{}");
  CHECK(first[1].type == "SubscribeToShardEvent");
  CHECK(first[1].body()["Records"].empty());
  CHECK(first[1].body()["MillisBehindLatest"] == 0);
  const std::string continuation = first[1].body()["ContinuationSequenceNumber"];
  CHECK(f.active() == 1);

  // Nothing new: no bytes, and the waker is parked on the shard.
  CHECK(s.poll().empty());
  CHECK(s.woken() == 0);
  const auto a = f.put("a");
  const auto b = f.put("b");
  CHECK(s.woken() == 1);  // one-shot: the second put found no waker
  auto pushed = s.poll();
  REQUIRE(pushed.size() == 1);
  auto event = pushed[0].body();
  CHECK(datas(event) == std::vector<std::string>{"a", "b"});
  CHECK(event["Records"][0]["SequenceNumber"] == a);
  CHECK(event["Records"][0]["PartitionKey"] == "k");
  CHECK(event["Records"][0]["ApproximateArrivalTimestamp"].is_number());  // epoch seconds in JSON
  CHECK(event["ContinuationSequenceNumber"] == b);
  CHECK(event["MillisBehindLatest"] == 0);
  CHECK(continuation < a);
  CHECK(!s.ended);
}

TEST_CASE("an idle subscription gets an empty event every 5 s and ends after 5 minutes") {
  Fixture f;
  auto s = f.subscriber();
  REQUIRE(s->poll().size() == 2);
  CHECK(s->stream->time_to_next_check() <= 5000ms);
  f.clock.advance(4999ms);
  CHECK(s->poll().empty());
  f.clock.advance(1ms);
  auto keep_alive = s->poll();
  REQUIRE(keep_alive.size() == 1);
  CHECK(keep_alive[0].body()["Records"].empty());
  f.clock.advance(5min);
  CHECK(s->poll().empty());
  CHECK(s->ended);
  CHECK(f.active() == 0);
}

TEST_CASE("every StartingPosition type, and ContinuationSequenceNumber resumes with AFTER_SEQUENCE_NUMBER") {
  Fixture f;
  const auto a = f.put("a");
  f.clock.advance(2s);
  const auto t_b = f.clock.now();
  const auto b = f.put("b");
  f.put("c");
  auto first_records = [&](const json& position) {
    auto s = f.subscriber(position);
    auto events = s->poll();
    REQUIRE(events.size() == 2);
    s->stream->cancel();
    return datas(events[1].body());
  };
  using V = std::vector<std::string>;
  CHECK(first_records({{"Type", "TRIM_HORIZON"}}) == V{"a", "b", "c"});
  CHECK(first_records({{"Type", "LATEST"}}).empty());
  CHECK(first_records({{"Type", "AT_SEQUENCE_NUMBER"}, {"SequenceNumber", b}}) == V{"b", "c"});
  CHECK(first_records({{"Type", "AFTER_SEQUENCE_NUMBER"}, {"SequenceNumber", a}}) == V{"b", "c"});
  CHECK(first_records({{"Type", "AT_TIMESTAMP"}, {"Timestamp", storage::to_epoch_ms(t_b) / 1000.0}}) == V{"b", "c"});

  auto missing = f.subscribe({{"Type", "AT_SEQUENCE_NUMBER"}});
  REQUIRE(missing.response);
  CHECK(missing.response->status == 400);
  CHECK(json::parse(missing.response->body)["__type"] == "InvalidArgumentException");
  auto bad = f.subscribe({{"Type", "AFTER_SEQUENCE_NUMBER"}, {"SequenceNumber", "12345"}});
  REQUIRE(bad.response);
  CHECK(json::parse(bad.response->body)["__type"] == "InvalidArgumentException");
}

TEST_CASE("a second subscription within 5 s is ResourceInUseException; after it takes over") {
  Fixture f;
  auto first = f.subscriber();
  REQUIRE(first->poll().size() == 2);
  f.clock.advance(4s);
  auto refused = f.subscribe();
  REQUIRE(refused.response);
  CHECK(refused.response->status == 400);
  auto error = json::parse(refused.response->body);
  CHECK(error["__type"] == "ResourceInUseException");
  CHECK(error["message"] == "Another active subscription exists for this consumer: " + f.consumer_arn);

  f.clock.advance(1s);
  auto second = f.subscriber();
  CHECK(first->woken() >= 1);
  auto ended = first->poll();
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].message_type == "exception");
  CHECK(ended[0].type == "ResourceInUseException");
  CHECK(ended[0].body()["message"].get<std::string>().starts_with("Another active subscription exists"));
  CHECK(first->ended);
  CHECK(f.active() == 1);
  second->stream->cancel();
  CHECK(f.active() == 0);
}

TEST_CASE("errors before the stream are ordinary answers: consumer not ACTIVE, unknown shard") {
  storage::ManualClock clock{storage::TimePoint(1'700'000'000'000ms)};
  DispatcherOptions o;
  o.clock = &clock;
  o.kinesis.delays.consumer_create = 500ms;
  Dispatcher d(o);
  call(d, "CreateStream", {{"StreamName", "s"}, {"ShardCount", 1}});
  const std::string stream_arn =
      call(d, "DescribeStreamSummary", {{"StreamName", "s"}})["StreamDescriptionSummary"]["StreamARN"];
  const std::string arn = call(d, "RegisterStreamConsumer",
                               {{"StreamARN", stream_arn}, {"ConsumerName", "app"}})["Consumer"]["ConsumerARN"];
  auto sub = [&](const std::string& shard) {
    auto out = d.handle(kinesis(
        "SubscribeToShard", {{"ConsumerARN", arn}, {"ShardId", shard}, {"StartingPosition", {{"Type", "LATEST"}}}}));
    REQUIRE(out.response);
    return *out.response;
  };
  auto creating = sub("shardId-000000000000");
  CHECK(creating.status == 400);
  CHECK(json::parse(creating.body)["__type"] == "ResourceInUseException");
  CHECK(json::parse(creating.body)["message"] == "Consumer " + arn +
                                                     " under account 000000000000 is not in ACTIVE state, instead in "
                                                     "state CREATING.");
  clock.advance(500ms);
  auto unknown = sub("shardId-000000000009");
  CHECK(json::parse(unknown.body)["__type"] == "ResourceNotFoundException");
}

TEST_CASE("a closed shard ends the stream with ChildShards and no ContinuationSequenceNumber") {
  Fixture f;
  auto s = f.subscriber({{"Type", "TRIM_HORIZON"}});
  REQUIRE(s->poll().size() == 2);
  f.put("last");
  call(f.d, "SplitShard",
       {{"StreamName", "s"},
        {"ShardToSplit", "shardId-000000000000"},
        {"NewStartingHashKey", "170141183460469231731687303715884105728"}});
  CHECK(s->woken() >= 1);
  auto records = s->poll();
  REQUIRE(records.size() == 1);
  CHECK(datas(records[0].body()) == std::vector<std::string>{"last"});
  CHECK(records[0].body().contains("ContinuationSequenceNumber"));
  auto end = s->poll();
  REQUIRE(end.size() == 1);
  auto body = end[0].body();
  CHECK(body["Records"].empty());
  CHECK(!body.contains("ContinuationSequenceNumber"));
  REQUIRE(body["ChildShards"].size() == 2);
  CHECK(body["ChildShards"][0]["ShardId"] == "shardId-000000000001");
  CHECK(body["ChildShards"][0]["ParentShards"] == json::array({"shardId-000000000000"}));
  CHECK(body["ChildShards"][1]["HashKeyRange"]["StartingHashKey"] == "170141183460469231731687303715884105728");
  CHECK(s->ended);
  CHECK(f.active() == 0);
}

TEST_CASE("a deleted stream ends the stream with a ResourceNotFoundException event") {
  Fixture f;
  auto s = f.subscriber();
  REQUIRE(s->poll().size() == 2);
  call(f.d, "DeleteStream", {{"StreamName", "s"}, {"EnforceConsumerDeletion", true}});
  CHECK(s->woken() >= 1);
  auto events = s->poll();
  REQUIRE(events.size() == 1);
  CHECK(events[0].message_type == "exception");
  CHECK(events[0].type == "ResourceNotFoundException");
  CHECK(s->ended);
}

TEST_CASE("a CBOR request gets CBOR payloads") {
  Fixture f;
  f.put("binary\x01");
  auto out = f.subscribe({{"Type", "TRIM_HORIZON"}}, "shardId-000000000000", true);
  REQUIRE(out.stream);
  Subscriber s;
  s.stream = std::move(out.stream);
  auto events = s.poll();
  REQUIRE(events.size() == 2);
  CHECK(events[0].content_type == "application/x-amz-cbor-1.1");
  CHECK(events[0].payload == "\xa0");  // an empty map
  CHECK(events[1].content_type == "application/x-amz-cbor-1.1");
  auto body = std::get<json>(parse_cbor_body(events[1].payload, DecodeGuide::unguided()));
  REQUIRE(body["Records"].size() == 1);
  const auto& data = body["Records"][0]["Data"];
  REQUIRE(data.is_binary());
  CHECK(std::string(data.get_binary().begin(), data.get_binary().end()) == "binary\x01");
  // Timestamps are CBOR tag 1 epoch milliseconds (the tag dropped on reading).
  CHECK(body["Records"][0]["ApproximateArrivalTimestamp"] == 1'700'000'000'000);
}

TEST_CASE("cancel frees the slot at once; a final poll ends the stream") {
  Fixture f;
  auto s = f.subscriber();
  CHECK(f.active() == 1);
  s->stream->cancel();
  CHECK(f.active() == 0);
  auto again = f.subscriber();
  REQUIRE(again->poll().size() == 2);
  CHECK(again->poll(true).empty());
  CHECK(again->ended);
  CHECK(f.active() == 0);
}

TEST_CASE("with throughput limits a subscription reads 2 MiB/s; the timer brings it back when refilled") {
  Fixture f(std::nullopt, true);
  const std::string mb(1'000'000, 'x');
  for (int i = 0; i < 4; ++i) {
    f.put(std::to_string(i) + mb);  // each put fills the shard's 1 MiB/s write limit
    f.clock.advance(1s);
  }
  auto s = f.subscriber({{"Type", "TRIM_HORIZON"}});
  auto count = [](const std::vector<Event>& events) {
    std::size_t n = 0;
    for (const auto& e : events) {
      if (e.type == "SubscribeToShardEvent") n += e.body()["Records"].size();
    }
    return n;
  };
  auto first = s->poll();  // one record per poll: the poll's 1 MiB
  CHECK(count(first) == 1);
  CHECK(first.back().body()["MillisBehindLatest"] > 0);
  CHECK(count(s->poll()) == 1);
  CHECK(count(s->poll()) == 1);  // the last credit is overdrawn
  const int woken = s->woken();  // so far each poll left more to read: woken at once
  CHECK(s->poll().empty());      // no credit left: nothing, however long the records wait
  CHECK(s->woken() == woken);    // and no watcher that would fire at once
  const auto wait = s->stream->time_to_next_check();
  CHECK(wait > 0ms);
  CHECK(wait < 500ms);
  f.clock.advance(wait);
  CHECK(count(s->poll()) == 1);
  s->stream->cancel();
}

TEST_CASE("with a data directory, a record is pushed only once the log says it is durable") {
  // A disk whose syncs wait until the test lets them go.
  storage::journal::MemoryFileSystem files;
  std::mutex disk_mutex;
  std::condition_variable disk_cv;
  bool disk_held = false;
  files.set_sync_hook([&] {
    std::unique_lock lock(disk_mutex);
    disk_cv.wait(lock, [&] { return !disk_held; });
  });
  auto release_disk = [&] {
    {
      std::lock_guard lock(disk_mutex);
      disk_held = false;
    }
    disk_cv.notify_all();
  };
  storage::durability::DurableOptions durable;
  durable.journal.dir = "/data";
  durable.journal.files = &files;
  Fixture f(durable);
  // Destroyed before f: a failed check must not leave the log waiting forever.
  struct Release {
    std::function<void()> run;
    ~Release() { run(); }
  } release_on_exit{release_disk};
  auto s = f.subscriber();
  REQUIRE(s->poll().size() == 2);

  {
    std::lock_guard lock(disk_mutex);
    disk_held = true;
  }
  // The put's answer waits for the log too (the fixture answers synchronously).
  std::thread putter([&] { f.put("a"); });
  REQUIRE(s->wait_woken(1));  // the shard's watcher: a record was put
  CHECK(s->poll().empty());   // read, but held back: not durable yet
  CHECK(s->stream->time_to_next_check() > 1000ms);
  release_disk();
  putter.join();
  REQUIRE(s->wait_woken(2));  // the journal's writer opens the gate
  auto events = s->poll();
  REQUIRE(events.size() == 1);
  CHECK(datas(events[0].body()) == std::vector<std::string>{"a"});
  s->stream->cancel();
}

}  // namespace shoal::api
