// GET /_shoal/metrics: Prometheus text format (version 0.0.4). Request
// counters and latency histograms come from Metrics; queue depths and stream
// sizes are read from the engines at scrape time (a scrape costs a walk over
// the queues and over every stream's retained records).
#include "api/control/control_call.h"

namespace shoal::api::control {

ApiResponse metrics(const ControlCall& call) {
  const auto& e = call.engines;
  std::string out = e.metrics.render();

  out +=
      "# HELP shoal_sqs_messages Messages in a queue by state.\n# TYPE "
      "shoal_sqs_messages gauge\n";
  for (const auto& queue : e.queues.all()) {
    const auto& k = queue->key();
    const auto counts = queue->counts();
    const std::string labels = "account=\"" + prometheus_label(k.account) + "\",region=\"" +
                               prometheus_label(k.region) + "\",queue=\"" + prometheus_label(k.name) + "\"";
    out += "shoal_sqs_messages{" + labels + ",state=\"visible\"} " + std::to_string(counts.visible) + "\n";
    out += "shoal_sqs_messages{" + labels + ",state=\"in_flight\"} " + std::to_string(counts.in_flight) + "\n";
    out += "shoal_sqs_messages{" + labels + ",state=\"delayed\"} " + std::to_string(counts.delayed) + "\n";
  }

  std::string records =
      "# HELP shoal_kinesis_records Records retained in a stream.\n"
      "# TYPE shoal_kinesis_records gauge\n";
  std::string bytes =
      "# HELP shoal_kinesis_bytes Bytes (data and partition "
      "keys) retained in a stream.\n"
      "# TYPE shoal_kinesis_bytes gauge\n";
  std::string shards =
      "# HELP shoal_kinesis_open_shards Open shards of a stream.\n"
      "# TYPE shoal_kinesis_open_shards gauge\n";
  for (const auto& stream : e.streams.all()) {
    const auto& k = stream->key();
    std::uint64_t n = 0;
    std::uint64_t size = 0;
    int open = 0;
    for (const auto& p : stream->shard_positions()) {
      n += p.records;
      size += p.bytes;
      if (p.shard.open()) ++open;
    }
    const std::string labels = "{account=\"" + prometheus_label(k.account) + "\",region=\"" +
                               prometheus_label(k.region) + "\",stream=\"" + prometheus_label(k.name) + "\"} ";
    records += "shoal_kinesis_records" + labels + std::to_string(n) + "\n";
    bytes += "shoal_kinesis_bytes" + labels + std::to_string(size) + "\n";
    shards += "shoal_kinesis_open_shards" + labels + std::to_string(open) + "\n";
  }
  out += records + bytes + shards;

  const auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - e.started).count();
  out +=
      "# HELP shoal_uptime_seconds Time since the server started.\n# TYPE "
      "shoal_uptime_seconds gauge\n";
  out += "shoal_uptime_seconds " + std::to_string(uptime) + "\n";
  out +=
      "# HELP shoal_parked_long_polls ReceiveMessage long polls waiting now.\n"
      "# TYPE shoal_parked_long_polls gauge\n";
  out += "shoal_parked_long_polls " + std::to_string(e.parked.size()) + "\n";
  out +=
      "# HELP shoal_kinesis_subscriptions SubscribeToShard subscriptions active now.\n"
      "# TYPE shoal_kinesis_subscriptions gauge\n";
  out += "shoal_kinesis_subscriptions " + std::to_string(e.streams.subscriptions().active()) + "\n";

  ApiResponse r;
  r.status = 200;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.headers.emplace_back("x-amzn-RequestId", call.ctx.request_id);
  r.body = std::move(out);
  return r;
}

}  // namespace shoal::api::control
