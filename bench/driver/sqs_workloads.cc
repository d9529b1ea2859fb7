#include "bench/driver/sqs_workloads.h"

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "bench/driver/aws_client.h"
#include "bench/driver/workers.h"

namespace shoal::bench {
namespace {

using nlohmann::json;

constexpr int kBatch = 10;

Clock::time_point deadline_of(const Options& options) {
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.time_limit_s));
}

// Body "gGG:SSSSSSSSS:" + padding: the group and the sequence within it.
std::string numbered_body(int group, std::int64_t sequence, int size_bytes) {
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "g%02d:%09lld:", group, static_cast<long long>(sequence));
  return payload(prefix, size_bytes);
}

std::optional<std::pair<int, std::int64_t>> parse_numbered_body(const std::string& body) {
  int group = 0;
  long long sequence = 0;
  if (std::sscanf(body.c_str(), "g%d:%lld:", &group, &sequence) != 2) return std::nullopt;
  return std::pair{group, static_cast<std::int64_t>(sequence)};
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

Result sqs_fill(const Options& options) {
  const bool fifo = options.groups > 0;
  const int senders = fifo ? options.groups : options.connections;
  const auto deadline = deadline_of(options);
  Totals totals;
  Span span;
  run_threads(senders, [&](int index) {
    AwsClient client(options.host, options.port, Service::kSqs);
    Result part;
    part.items = 0;
    std::int64_t share = options.count / senders + (index < options.count % senders ? 1 : 0);
    std::int64_t sequence = 0;
    while (sequence < share && Clock::now() < deadline) {
      json entries = json::array();
      for (int i = 0; i < kBatch && sequence < share; ++i, ++sequence) {
        json entry = {{"Id", std::to_string(i)}, {"MessageBody", numbered_body(index, sequence, options.size_bytes)}};
        if (fifo) {
          entry["MessageGroupId"] = "g" + std::to_string(index);
          entry["MessageDeduplicationId"] = std::to_string(index) + "-" + std::to_string(sequence);
        }
        entries.push_back(std::move(entry));
      }
      const auto sent = entries.size();
      json request = {{"QueueUrl", options.queue_url}, {"Entries", std::move(entries)}};
      const auto start = Clock::now();
      HttpAnswer answer;
      try {
        answer = client.call("SendMessageBatch", request.dump());
      } catch (const std::exception&) {
        ++part.errors;
        continue;
      }
      const auto end = Clock::now();
      span.add(start, end);
      part.latency.add(end - start);
      ++part.calls;
      if (!answer.ok()) {
        log_error("SendMessageBatch", answer.status, answer.body);
        ++part.errors;
        continue;
      }
      auto failed = json::parse(answer.body).value("Failed", json::array()).size();
      part.errors += failed;
      part.items += static_cast<std::int64_t>(sent - failed);
    }
    totals.add(part);
  });
  totals.result.seconds = span.seconds();
  return std::move(totals.result);
}

Result sqs_drain(const Options& options) {
  const auto deadline = deadline_of(options);
  const bool fifo = options.groups > 0;
  std::atomic<std::int64_t> deleted{0};
  std::atomic<std::int64_t> last_progress_ns{Clock::now().time_since_epoch().count()};
  std::mutex order_mutex;
  std::map<int, std::int64_t> last_in_group;
  std::int64_t out_of_order = 0;
  Totals totals;
  Span span;
  const std::string receive = json{{"QueueUrl", options.queue_url}, {"MaxNumberOfMessages", kBatch}}.dump();

  run_threads(options.connections, [&](int) {
    AwsClient client(options.host, options.port, Service::kSqs);
    Result part;
    part.items = 0;
    while (deleted.load() < options.count && Clock::now() < deadline) {
      // Nobody moved anything for 5 s: the queue holds fewer than expected.
      if (Clock::now().time_since_epoch().count() - last_progress_ns.load() > 5'000'000'000LL) break;
      const auto start = Clock::now();
      json messages;
      try {
        HttpAnswer answer = client.call("ReceiveMessage", receive);
        if (!answer.ok()) {
          log_error("ReceiveMessage", answer.status, answer.body);
          ++part.errors;
          continue;
        }
        messages = json::parse(answer.body).value("Messages", json::array());
      } catch (const std::exception&) {
        ++part.errors;
        continue;
      }
      if (messages.empty()) {
        // FIFO: the remaining groups may be in flight with other connections.
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      if (fifo) {
        std::lock_guard lock(order_mutex);
        for (const auto& message : messages) {
          auto numbered = parse_numbered_body(message.value("Body", ""));
          if (!numbered) continue;
          auto [it, inserted] = last_in_group.try_emplace(numbered->first, numbered->second);
          if (!inserted) {
            if (numbered->second <= it->second) ++out_of_order;
            it->second = std::max(it->second, numbered->second);
          }
        }
      }
      json entries = json::array();
      for (std::size_t i = 0; i < messages.size(); ++i) {
        entries.push_back({{"Id", std::to_string(i)}, {"ReceiptHandle", messages[i].value("ReceiptHandle", "")}});
      }
      try {
        HttpAnswer answer =
            client.call("DeleteMessageBatch", json{{"QueueUrl", options.queue_url}, {"Entries", entries}}.dump());
        const auto end = Clock::now();
        span.add(start, end);
        part.latency.add(end - start);
        ++part.calls;
        if (!answer.ok()) {
          log_error("DeleteMessageBatch", answer.status, answer.body);
          ++part.errors;
          continue;
        }
        auto failed = json::parse(answer.body).value("Failed", json::array()).size();
        part.errors += failed;
        const auto moved = static_cast<std::int64_t>(messages.size() - failed);
        part.items += moved;
        deleted += moved;
        last_progress_ns = end.time_since_epoch().count();
      } catch (const std::exception&) {
        ++part.errors;
      }
    }
    totals.add(part);
  });
  totals.result.seconds = span.seconds();
  if (fifo) totals.result.extra.emplace_back("out_of_order", std::to_string(out_of_order));
  return std::move(totals.result);
}

Result sqs_long_poll(const Options& options) {
  const auto deadline = deadline_of(options);
  // Counters, not a phase flag: a flag can flip twice before the other thread
  // looks, and then both wait forever (or until the poll's 20 s run out).
  std::mutex mutex;
  std::condition_variable changed;
  int parked = 0;        // receives issued by the receiver
  int answered = 0;      // receives answered
  int acknowledged = 0;  // answers the sender has seen; the receiver parks again only after
  bool stop = false;
  Clock::time_point send_issued{};
  Result result;

  const std::string receive =
      json{{"QueueUrl", options.queue_url}, {"MaxNumberOfMessages", 1}, {"WaitTimeSeconds", 20}}.dump();
  const std::string send = json{{"QueueUrl", options.queue_url}, {"MessageBody", payload("wake", 256)}}.dump();
  const auto started = Clock::now();

  std::jthread receiver([&] {
    AwsClient client(options.host, options.port, Service::kSqs);
    while (true) {
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || acknowledged == answered; });
        if (stop) break;
        ++parked;  // the request leaves right after this
      }
      changed.notify_all();
      HttpAnswer answer;
      const auto issued = Clock::now();
      try {
        answer = client.call("ReceiveMessage", receive);
      } catch (const std::exception&) {
        answer.status = 0;
      }
      const auto done = Clock::now();
      if (!answer.ok()) log_error("ReceiveMessage", answer.status, answer.body);
      json messages = json::array();
      if (answer.ok()) messages = json::parse(answer.body).value("Messages", json::array());
      for (const auto& message : messages) {
        try {
          client.call(
              "DeleteMessage",
              json{{"QueueUrl", options.queue_url}, {"ReceiptHandle", message.value("ReceiptHandle", "")}}.dump());
        } catch (const std::exception&) {
        }
      }
      {
        std::lock_guard lock(mutex);
        if (messages.empty()) {
          ++result.errors;  // woken by nothing, or failed
          std::fprintf(stderr, "long poll %d answered no message after %.0f ms\n", answer.status,
                       std::chrono::duration<double, std::milli>(done - issued).count());
        } else {
          result.latency.add(done - send_issued);
          ++result.calls;
        }
        ++answered;
      }
      changed.notify_all();
    }
  });

  AwsClient sender(options.host, options.port, Service::kSqs);
  for (int round = 0;; ++round) {
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return parked > round; });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(options.pause_ms));
    {
      std::lock_guard lock(mutex);
      send_issued = Clock::now();
    }
    try {
      if (!sender.call("SendMessage", send).ok()) ++result.errors;
    } catch (const std::exception&) {
      ++result.errors;
    }
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return answered > round; });
      acknowledged = answered;
      if (round + 1 >= options.rounds || Clock::now() >= deadline) stop = true;
    }
    changed.notify_all();
    if (stop) break;
  }
  receiver.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return result;
}

}  // namespace shoal::bench
