// GET /_shoal/overview[?account=..&region=..]: everything the console shows
// at a glance, in one compact answer it polls once a second:
//   - server: version, uptime, storage mode, clock, parked long polls, fault
//     rules (as /_shoal/health and /_shoal/clock say them);
//   - regions: every account and region holding queues or streams;
//   - queues and streams of the account and region asked for (default: the
//     request's), with depths, totals, per-second rates, dead-letter links
//     and each dead-letter queue's latest move task; each stream's consumers
//     with their active SubscribeToShard subscriptions;
//   - actions: requests and errors by action, with their rates.
// Rates come from RateTracker, sampled only while someone polls. Costs
// O(queues + streams x shards + move tasks of dead-letter queues).

#include <map>

#include "api/control/control_call.h"
#include "api/control/rate_tracker.h"
#include "api/kinesis/kinesis_action.h"
#include "api/sqs/move_task_codec.h"
#include "api/sqs/queue_address.h"
#include "storage/stream/subscription_registry.h"

namespace shoal::api::control {
namespace {

struct RegionCount {
  std::size_t queues = 0;
  std::size_t streams = 0;
};
using RegionKey = std::pair<std::string, std::string>;  // account, region

struct QueueFacts {
  std::shared_ptr<storage::Queue> queue;
  storage::QueueCounts counts;
  storage::QueueTotals totals;
};

struct StreamFacts {
  std::shared_ptr<storage::Stream> stream;
  std::vector<storage::ShardPosition> shards;
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  std::uint64_t records_put = 0;
  int open = 0;
};

// Rate keys: one namespace per kind, fields separated by a byte no name has.
std::string rate_key(std::string_view kind, const std::string& account, const std::string& region,
                     const std::string& name, std::string_view what) {
  std::string out(kind);
  for (const auto* part : {&account, &region, &name}) {
    out += '\x1f';
    out += *part;
  }
  out += '\x1f';
  out += what;
  return out;
}

double rate_of(const RateTracker::Rates& rates, const std::string& key) {
  auto it = rates.find(key);
  return it == rates.end() ? 0.0 : it->second;
}

nlohmann::json render_queue(const ControlCall& call, const QueueFacts& f, const RateTracker::Rates& rates,
                            const std::map<storage::QueueKey, std::vector<std::string>>& sources) {
  const auto& k = f.queue->key();
  const auto attributes = f.queue->attributes();
  auto rate = [&](std::string_view what) { return rate_of(rates, rate_key("q", k.account, k.region, k.name, what)); };
  nlohmann::json out = {
      {"name", k.name},
      {"url", sqs::queue_url(call.ctx, k)},
      {"arn", sqs::queue_arn(k)},
      {"fifo", attributes.fifo},
      {"visible", f.counts.visible},
      {"in_flight", f.counts.in_flight},
      {"delayed", f.counts.delayed},
      {"sent", f.totals.sent},
      {"received", f.totals.received},
      {"deleted", f.totals.deleted},
      {"rates", {{"sent", rate("sent")}, {"received", rate("received")}, {"deleted", rate("deleted")}}},
      {"visibility_timeout_seconds", attributes.visibility_timeout.count()},
  };
  if (attributes.dead_letter) {
    const auto& target = attributes.dead_letter->queue;
    out["dead_letter"] = {{"name", target.name},
                          {"arn", sqs::queue_arn(target)},
                          {"max_receive_count", attributes.dead_letter->max_receive_count},
                          {"exists", call.engines.queues.find(target) != nullptr}};
  }
  if (auto it = sources.find(k); it != sources.end()) {
    out["dead_letter_sources"] = it->second;
    // list() catches running tasks up to now, as any SQS request would.
    auto tasks = call.engines.queues.move_tasks().list(k, 1);
    if (!tasks.empty()) out["move_task"] = sqs::render_move_task(tasks.front());
  }
  return out;
}

using Subscriptions = std::map<storage::StreamKey, std::vector<storage::SubscriptionRegistry::Active>>;

nlohmann::json render_stream_summary(const StreamFacts& f, const RateTracker::Rates& rates,
                                     const Subscriptions& subscriptions) {
  const auto& k = f.stream->key();
  nlohmann::json consumers = nlohmann::json::array();
  // Consumer name -> its subscriptions. A subscription of a consumer since
  // deregistered (another registration time) is not this consumer's.
  nlohmann::json by_consumer = nlohmann::json::object();
  const auto held = subscriptions.find(k);
  for (const auto& c : f.stream->consumers()) {
    consumers.push_back({{"name", c.name},
                         {"status", storage::to_string(c.status)},
                         {"arn", kinesis::consumer_arn(k, c)},
                         {"created_ms", storage::to_epoch_ms(c.created)}});
    nlohmann::json list = nlohmann::json::array();
    if (held != subscriptions.end()) {
      for (const auto& a : held->second) {
        if (a.key.consumer != c.name || a.key.consumer_created != c.created) continue;
        list.push_back({{"shard_id", storage::shard_id_for_index(a.key.shard)},
                        {"started_ms", storage::to_epoch_ms(a.started)}});
      }
    }
    by_consumer[c.name] = std::move(list);
  }
  return {{"name", k.name},
          {"arn", kinesis::stream_arn(k)},
          {"status", storage::to_string(f.stream->status())},
          {"mode", storage::to_string(f.stream->mode())},
          {"retention_hours", f.stream->retention_hours()},
          {"open_shards", f.open},
          {"shards", f.shards.size()},
          {"records", f.records},
          {"bytes", f.bytes},
          {"records_put", f.records_put},
          {"rates", {{"records_put", rate_of(rates, rate_key("s", k.account, k.region, k.name, "put"))}}},
          {"consumers", std::move(consumers)},
          {"subscriptions", std::move(by_consumer)}};
}

}  // namespace

ApiResponse overview(const ControlCall& call) {
  auto& e = call.engines;
  const auto account = call.account();
  const auto region = call.region();
  RateTracker::Counters counters;
  std::map<RegionKey, RegionCount> regions;

  std::vector<QueueFacts> queues;
  std::map<storage::QueueKey, std::vector<std::string>> sources;  // dead-letter queue -> its sources
  for (auto& queue : e.queues.all()) {
    const auto& k = queue->key();
    ++regions[{k.account, k.region}].queues;
    QueueFacts f{queue, queue->counts(), queue->totals()};
    counters[rate_key("q", k.account, k.region, k.name, "sent")] = f.totals.sent;
    counters[rate_key("q", k.account, k.region, k.name, "received")] = f.totals.received;
    counters[rate_key("q", k.account, k.region, k.name, "deleted")] = f.totals.deleted;
    if (k.account != account || k.region != region) continue;
    if (auto dlq = queue->dead_letter()) sources[dlq->queue].push_back(k.name);
    queues.push_back(std::move(f));
  }

  std::vector<StreamFacts> streams;
  for (auto& stream : e.streams.all()) {
    const auto& k = stream->key();
    ++regions[{k.account, k.region}].streams;
    StreamFacts f{stream, stream->shard_positions()};
    for (const auto& p : f.shards) {
      f.records += p.records;
      f.bytes += p.bytes;
      f.records_put += p.records_put;
      if (p.shard.open()) ++f.open;
    }
    counters[rate_key("s", k.account, k.region, k.name, "put")] = f.records_put;
    if (k.account == account && k.region == region) streams.push_back(std::move(f));
  }

  Subscriptions subscriptions;
  std::size_t subscription_count = 0;
  for (auto& a : e.streams.subscriptions().list()) {
    ++subscription_count;
    if (a.key.stream.account != account || a.key.stream.region != region) continue;
    auto stream = a.key.stream;
    subscriptions[stream].push_back(std::move(a));
  }

  const auto actions = e.metrics.totals();
  for (const auto& a : actions) {
    const std::string service(a.service);
    const std::string action(a.action);
    counters[rate_key("a", service, action, "", "requests")] = a.requests;
    counters[rate_key("a", service, action, "", "errors")] = a.client_errors + a.server_errors;
  }
  const auto rates = e.rates.update(std::chrono::steady_clock::now(), std::move(counters));

  nlohmann::json region_list = nlohmann::json::array();
  for (const auto& [key, count] : regions) {
    region_list.push_back({{"account", key.first}, {"region", key.second}, {"queues", count.queues},
                           {"streams", count.streams}});
  }
  nlohmann::json queue_list = nlohmann::json::array();
  for (const auto& f : queues) queue_list.push_back(render_queue(call, f, rates, sources));
  nlohmann::json stream_list = nlohmann::json::array();
  for (const auto& f : streams) stream_list.push_back(render_stream_summary(f, rates, subscriptions));
  nlohmann::json action_list = nlohmann::json::array();
  for (const auto& a : actions) {
    const std::string service(a.service);
    const std::string action(a.action);
    action_list.push_back({{"service", service},
                           {"action", action},
                           {"requests", a.requests},
                           {"client_errors", a.client_errors},
                           {"server_errors", a.server_errors},
                           {"mean_ms", static_cast<double>(a.latency_ns) / 1e6 / static_cast<double>(a.requests)},
                           {"rate", rate_of(rates, rate_key("a", service, action, "", "requests"))},
                           {"error_rate", rate_of(rates, rate_key("a", service, action, "", "errors"))}});
  }

  const auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - e.started).count();
  nlohmann::json out = {
      {"server",
       {{"version", e.version},
        {"uptime_seconds", uptime},
        {"storage", e.storage_mode},
        {"clock", clock_state(e)},
        {"parked_long_polls", e.parked.size()},
        {"kinesis_subscriptions", subscription_count},
        {"fault_rules", e.faults.list().size()},
        {"faults_injected", e.metrics.faults_injected()}}},
      {"account", account},
      {"region", region},
      {"regions", std::move(region_list)},
      {"queues", std::move(queue_list)},
      {"streams", std::move(stream_list)},
      {"actions", std::move(action_list)},
  };
  return json_response(200, out, call.ctx.request_id);
}

}  // namespace shoal::api::control
