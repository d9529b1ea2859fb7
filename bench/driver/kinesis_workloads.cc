#include "bench/driver/kinesis_workloads.h"

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>

#include "bench/driver/aws_client.h"
#include "bench/driver/workers.h"

namespace shoal::bench {
namespace {

using nlohmann::json;

constexpr int kPutRecordsBatch = 500;
constexpr int kGetRecordsLimit = 10000;

Clock::time_point deadline_of(const Options& options) {
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.time_limit_s));
}

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8 |
                 static_cast<unsigned char>(in[i + 2]);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], kAlphabet[v & 63]};
  }
  if (i + 1 == in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8;
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

// Binary data that does not compress to nothing, like real records.
std::string record_data(int size_bytes) {
  std::string raw(static_cast<std::size_t>(size_bytes), '\0');
  std::uint32_t x = 2463534242u;
  for (auto& c : raw) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    c = static_cast<char>(x & 0xff);
  }
  return base64(raw);
}

// GetRecords answers reach 10+ MB; a full JSON parse of them would make the
// driver, not the server, the bottleneck. The wire format is AWS JSON from a
// server we trust, so a scan for the few fields needed is enough.
struct GetRecordsSummary {
  std::int64_t records = 0;
  std::int64_t millis_behind = 0;
  std::string next_iterator;  // empty: the shard is closed
};

std::string_view after_key(std::string_view body, std::string_view key) {
  auto at = body.find(key);
  if (at == std::string_view::npos) return {};
  auto colon = body.find(':', at + key.size());
  if (colon == std::string_view::npos) return {};
  return body.substr(colon + 1);
}

GetRecordsSummary summarize_get_records(std::string_view body) {
  GetRecordsSummary out;
  for (auto at = body.find("\"SequenceNumber\""); at != std::string_view::npos;
       at = body.find("\"SequenceNumber\"", at + 16)) {
    ++out.records;
  }
  if (auto rest = after_key(body, "\"MillisBehindLatest\""); !rest.empty()) {
    out.millis_behind = std::atoll(std::string(rest.substr(0, rest.find_first_of(",}"))).c_str());
  }
  if (auto rest = after_key(body, "\"NextShardIterator\""); !rest.empty()) {
    // The iterator is opaque and may hold JSON escapes (moto's ends in "\n"):
    // find the closing quote past any escape, then let the JSON parser unescape.
    auto open = rest.find('"');
    auto close = open;
    while (close != std::string_view::npos && close + 1 < rest.size()) {
      ++close;
      if (rest[close] == '\\')
        ++close;
      else if (rest[close] == '"')
        break;
    }
    if (open != std::string_view::npos && close < rest.size() && rest[close] == '"') {
      out.next_iterator = json::parse(rest.substr(open, close - open + 1)).get<std::string>();
    }
  }
  return out;
}

struct Totals {
  std::mutex mutex;
  Result result;
  void add(Result& part) {
    std::lock_guard lock(mutex);
    result.calls += part.calls;
    result.errors += part.errors;
    result.items = std::max<std::int64_t>(result.items, 0) + std::max<std::int64_t>(part.items, 0);
    result.latency.merge(part.latency);
  }
};

}  // namespace

Result kinesis_fill(const Options& options) {
  const auto deadline = deadline_of(options);
  const std::string data = record_data(options.size_bytes);
  Totals totals;
  Span span;
  run_threads(options.connections, [&](int index) {
    AwsClient client(options.host, options.port, Service::kKinesis);
    Result part;
    part.items = 0;
    const std::int64_t share =
        options.count / options.connections + (index < options.count % options.connections ? 1 : 0);
    std::int64_t next = 0;
    while (next < share && Clock::now() < deadline) {
      json records = json::array();
      for (int i = 0; i < kPutRecordsBatch && next < share; ++i, ++next) {
        records.push_back(
            {{"Data", data}, {"PartitionKey", "pk-" + std::to_string(index) + "-" + std::to_string(next)}});
      }
      const auto sent = static_cast<std::int64_t>(records.size());
      std::string body = json{{"StreamName", options.stream}, {"Records", std::move(records)}}.dump();
      const auto start = Clock::now();
      HttpAnswer answer;
      try {
        answer = client.call("PutRecords", std::move(body));
      } catch (const std::exception&) {
        ++part.errors;
        continue;
      }
      const auto end = Clock::now();
      span.add(start, end);
      part.latency.add(end - start);
      ++part.calls;
      if (!answer.ok()) {
        log_error("PutRecords", answer.status, answer.body);
        ++part.errors;
        continue;
      }
      const auto failed = json::parse(answer.body).value("FailedRecordCount", std::int64_t{0});
      part.errors += static_cast<std::uint64_t>(failed);
      part.items += sent - failed;
    }
    totals.add(part);
  });
  totals.result.seconds = span.seconds();
  return std::move(totals.result);
}

Result kinesis_drain(const Options& options) {
  const auto deadline = deadline_of(options);
  std::vector<std::string> shards;
  {
    AwsClient client(options.host, options.port, Service::kKinesis);
    HttpAnswer answer = client.call("ListShards", json{{"StreamName", options.stream}}.dump());
    if (answer.ok()) {
      for (const auto& shard : json::parse(answer.body).value("Shards", json::array())) {
        shards.push_back(shard.value("ShardId", ""));
      }
    }
  }
  Result empty;
  if (shards.empty()) {
    empty.errors = 1;
    return empty;
  }
  std::atomic<std::int64_t> read{0};
  Totals totals;
  Span span;
  run_threads(static_cast<int>(shards.size()), [&](int index) {
    AwsClient client(options.host, options.port, Service::kKinesis);
    Result part;
    part.items = 0;
    std::string iterator;
    try {
      HttpAnswer answer = client.call("GetShardIterator", json{{"StreamName", options.stream},
                                                               {"ShardId", shards[static_cast<std::size_t>(index)]},
                                                               {"ShardIteratorType", "TRIM_HORIZON"}}
                                                              .dump());
      if (answer.ok()) iterator = json::parse(answer.body).value("ShardIterator", "");
    } catch (const std::exception&) {
    }
    if (iterator.empty()) ++part.errors;
    int failures_in_a_row = 0;
    while (!iterator.empty() && Clock::now() < deadline && failures_in_a_row < 5) {
      const auto start = Clock::now();
      HttpAnswer answer;
      try {
        answer = client.call("GetRecords", json{{"ShardIterator", iterator}, {"Limit", kGetRecordsLimit}}.dump());
      } catch (const std::exception&) {
        ++part.errors;
        ++failures_in_a_row;
        continue;
      }
      const auto end = Clock::now();
      ++part.calls;
      part.latency.add(end - start);
      span.add(start, end);
      if (!answer.ok()) {
        ++failures_in_a_row;
        log_error("GetRecords", answer.status, answer.body);
        ++part.errors;
        // Peers throttle GetRecords per shard like AWS (5 calls/s): back off.
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        continue;
      }
      failures_in_a_row = 0;
      auto summary = summarize_get_records(answer.body);
      part.items += summary.records;
      read += summary.records;
      iterator = std::move(summary.next_iterator);
      if (summary.records == 0 && (summary.millis_behind == 0 || read.load() >= options.count)) break;
    }
    totals.add(part);
  });
  totals.result.seconds = span.seconds();
  return std::move(totals.result);
}

}  // namespace shoal::bench
