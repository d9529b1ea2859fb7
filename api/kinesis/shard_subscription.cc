#include "api/kinesis/shard_subscription.h"

#include <algorithm>

#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

using namespace std::chrono_literals;
constexpr std::string_view kEvent = "SubscribeToShardEvent";

std::chrono::milliseconds until(storage::TimePoint from, storage::TimePoint to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from);
}

}  // namespace

ShardSubscription::ShardSubscription(SubscriptionStart start, storage::StreamRegistry& streams,
                                     const storage::Clock& clock)
    : s_(std::move(start)),
      streams_(streams),
      clock_(clock),
      deadline_(s_.lease->started() + kLifetime),
      shard_id_(storage::shard_id_for_index(s_.shard_index)) {}

ShardSubscription::~ShardSubscription() { end(); }

bool ShardSubscription::keep_alive_due(storage::TimePoint now) const {
  if (!last_event_) return true;  // the first event goes out at once
  return now >= *last_event_ + kKeepAlive || std::chrono::steady_clock::now() >= last_event_wall_ + kKeepAlive;
}

bool ShardSubscription::poll(bool final, std::vector<StreamEvent>& out, std::size_t max_bytes) {
  if (ended_) return true;
  if (final) {  // the server shuts down: the stream just ends, as at its lifetime's end
    end();
    return true;
  }
  if (s_.lease->taken_over()) {
    return fail(out, resource_in_use("Another active subscription exists for this consumer: " + s_.consumer_arn +
                                     ". A newer SubscribeToShard call for shard " + shard_id_ +
                                     " took over this subscription."));
  }
  const auto now = clock_.now();
  if (now >= deadline_) {
    end();
    return true;
  }
  if (streams_.find(s_.key) != s_.stream) return fail(out, stream_not_found(s_.key.name, s_.key.account));
  const auto consumer = s_.stream->find_consumer(s_.consumer_name);
  if (!consumer || consumer->created != s_.consumer_created || consumer->status != storage::ConsumerStatus::kActive) {
    return fail(out, resource_not_found("Consumer " + s_.consumer_name + " under stream " + s_.key.name +
                                        " under account " + s_.key.account + " not found."));
  }

  storage::TokenBucket* budget = s_.lease->budget();
  throttled_ = budget != nullptr && !budget->has_credit(now);
  if (throttled_) return false;  // the timer comes back once the budget refills

  auto read = s_.stream->read_shard(s_.shard_index, s_.position,
                                    static_cast<std::int64_t>(std::max<std::size_t>(max_bytes, 1)));
  if (!read) {
    if (read.status().code() == storage::Status::Code::kNotFound && read.status().message().starts_with("shard ")) {
      return fail(out, shard_does_not_exist(shard_id_, s_.key));
    }
    return fail(out, stream_not_found(s_.key.name, s_.key.account));
  }
  if (budget != nullptr) budget->take(read->bytes);
  s_.position = read->next_counter;

  const bool end_of_shard = read->end_of_shard && read->records.empty();
  if (read->records.empty() && !end_of_shard && !keep_alive_due(now)) return false;

  StreamEvent event;
  event.type = kEvent;
  nlohmann::json records = nlohmann::json::array();
  records.get_ref<nlohmann::json::array_t&>().reserve(read->records.size());
  for (auto& r : read->records) records.push_back(record_json(r));
  event.payload["Records"] = std::move(records);
  if (end_of_shard) {
    // No ContinuationSequenceNumber: the KCL and the Java SDK take its absence
    // for the shard's end, then follow ChildShards.
    event.payload["MillisBehindLatest"] = 0;
    event.payload["ChildShards"] = child_shards_json(read->child_shards);
  } else {
    event.payload["ContinuationSequenceNumber"] = std::move(read->continuation);
    event.payload["MillisBehindLatest"] = read->millis_behind_latest;
  }
  out.push_back(std::move(event));
  last_event_ = now;
  last_event_wall_ = std::chrono::steady_clock::now();
  if (end_of_shard) {
    end();
    return true;
  }
  return false;
}

std::chrono::milliseconds ShardSubscription::time_to_next_check() const {
  if (ended_) return 0ms;
  const auto now = clock_.now();
  auto wait = until(now, deadline_);
  if (last_event_) {
    wait = std::min(wait, until(now, *last_event_ + kKeepAlive));
    wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(last_event_wall_ + kKeepAlive -
                                                                                std::chrono::steady_clock::now()));
  } else {
    wait = 0ms;
  }
  if (throttled_) {
    if (auto* budget = s_.lease->budget()) wait = std::min(wait, budget->time_to_credit(now));
  }
  return std::max(wait, 0ms);
}

void ShardSubscription::set_waker(std::function<void()> wake) {
  if (ended_) return;
  s_.lease->set_waker(wake);
  if (watch_id_ != 0) s_.stream->unwatch_shard(s_.shard_index, watch_id_);
  watch_id_ = 0;
  // Throttled: records are there but may not be read yet, so a watcher would
  // fire at once; the timer brings the next poll.
  if (!throttled_) watch_id_ = s_.stream->watch_shard(s_.shard_index, s_.position, std::move(wake));
}

void ShardSubscription::cancel() { end(); }

bool ShardSubscription::fail(std::vector<StreamEvent>& out, const AwsError& error) {
  StreamEvent event;
  event.type = error.code;
  event.exception = true;
  event.payload = {{"message", error.message}};
  out.push_back(std::move(event));
  end();
  return true;
}

void ShardSubscription::end() {
  if (ended_) return;
  ended_ = true;
  if (watch_id_ != 0) s_.stream->unwatch_shard(s_.shard_index, watch_id_);
  watch_id_ = 0;
  s_.lease->release();
}

}  // namespace shoal::api::kinesis
