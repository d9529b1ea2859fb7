#include "api/control/metrics.h"

#include <cstdio>

#include "api/model/service_model.h"

namespace shoal::api {
namespace {

std::string format_double(double v) {
  char out[32];
  std::snprintf(out, sizeof out, "%.9g", v);
  return out;
}

}  // namespace

std::string prometheus_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

Metrics::Metrics() {
  for (const auto& [service, model] :
       {std::pair{"sqs", &model::ServiceModel::sqs()}, std::pair{"kinesis", &model::ServiceModel::kinesis()}}) {
    for (const auto& [name, operation] : model->operations()) add_slot(service, name);
    add_slot(service, "unknown");
  }
  add_slot("other", "unknown");
}

std::size_t Metrics::add_slot(const std::string& service, const std::string& action) {
  auto slot = std::make_unique<Slot>();
  slot->service = service;
  slot->action = action;
  slots_.push_back(std::move(slot));
  index_[service][action] = slots_.size() - 1;
  return slots_.size() - 1;
}

std::size_t Metrics::slot(std::string_view service, std::string_view action) const {
  auto s = index_.find(service);
  if (s == index_.end()) return index_.find("other")->second.find("unknown")->second;
  auto a = s->second.find(action);
  if (a == s->second.end()) return s->second.find("unknown")->second;
  return a->second;
}

void Metrics::record(std::size_t slot, int http_status, std::chrono::nanoseconds latency) {
  Slot& s = *slots_[slot];
  std::size_t status_index = kStatuses.size();
  for (std::size_t i = 0; i < kStatuses.size(); ++i) {
    if (kStatuses[i] == http_status) {
      status_index = i;
      break;
    }
  }
  s.statuses[status_index].fetch_add(1, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(latency).count();
  std::size_t bucket = kBuckets.size();
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      bucket = i;
      break;
    }
  }
  s.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  s.sum_ns.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(latency.count(), 0)), std::memory_order_relaxed);
  s.count.fetch_add(1, std::memory_order_relaxed);
}

std::vector<Metrics::ActionTotals> Metrics::totals() const {
  std::vector<ActionTotals> out;
  for (const auto& slot : slots_) {
    const auto count = slot->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    ActionTotals t{slot->service, slot->action, count, 0, 0, slot->sum_ns.load(std::memory_order_relaxed)};
    for (std::size_t i = 0; i < slot->statuses.size(); ++i) {
      const auto n = slot->statuses[i].load(std::memory_order_relaxed);
      const int status = i < kStatuses.size() ? kStatuses[i] : 0;  // "other" (dropped connections among them)
      if (status >= 400 && status < 500) {
        t.client_errors += n;
      } else if (status >= 500 || status == 0) {
        t.server_errors += n;
      }
    }
    out.push_back(t);
  }
  return out;
}

std::string Metrics::render() const {
  std::string out;
  out +=
      "# HELP shoal_requests_total AWS API requests answered, by service, "
      "action and HTTP status.\n";
  out += "# TYPE shoal_requests_total counter\n";
  for (const auto& slot : slots_) {
    for (std::size_t i = 0; i < slot->statuses.size(); ++i) {
      const auto n = slot->statuses[i].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += "shoal_requests_total{service=\"" + slot->service + "\",action=\"" + slot->action + "\",status=\"" +
             (i < kStatuses.size() ? std::to_string(kStatuses[i]) : std::string("other")) + "\"} " + std::to_string(n) +
             "\n";
    }
  }
  out +=
      "# HELP shoal_request_duration_seconds Time from a request's arrival "
      "in the api layer to its answer "
      "(long polls included).\n";
  out += "# TYPE shoal_request_duration_seconds histogram\n";
  for (const auto& slot : slots_) {
    const auto count = slot->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const std::string labels = "service=\"" + slot->service + "\",action=\"" + slot->action + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < slot->buckets.size(); ++i) {
      cumulative += slot->buckets[i].load(std::memory_order_relaxed);
      const std::string le = i < kBuckets.size() ? format_double(kBuckets[i]) : std::string("+Inf");
      out += "shoal_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " + std::to_string(cumulative) +
             "\n";
    }
    out += "shoal_request_duration_seconds_sum{" + labels + "} " +
           format_double(static_cast<double>(slot->sum_ns.load(std::memory_order_relaxed)) / 1e9) + "\n";
    out += "shoal_request_duration_seconds_count{" + labels + "} " + std::to_string(cumulative) + "\n";
  }
  out +=
      "# HELP shoal_faults_injected_total Requests a fault rule changed "
      "(error, latency or dropped connection).\n";
  out += "# TYPE shoal_faults_injected_total counter\n";
  out += "shoal_faults_injected_total " + std::to_string(faults_.load(std::memory_order_relaxed)) + "\n";
  return out;
}

}  // namespace shoal::api
