#include "storage/stream/stream_registry.h"

#include "storage/overloaded.h"

namespace shoal::storage {

StreamRegistry::StreamRegistry(const Clock& clock, StreamRegistryOptions options)
    : clock_(clock),
      options_(std::move(options)),
      iterators_(options_.iterator_key),
      subscriptions_(options_.limits.throughput) {}

StreamRegistry::~StreamRegistry() = default;

int StreamRegistry::open_shards_locked(const std::string& account, const std::string& region,
                                       const Stream* except) const {
  int total = 0;
  for (const auto& [key, stream] : streams_) {
    if (key.account != account || key.region != region || stream.get() == except || stream->gone()) continue;
    total += stream->open_shard_count();
  }
  return total;
}

void StreamRegistry::drop_gone_locked() {
  for (auto it = streams_.begin(); it != streams_.end();) {
    if (it->second->gone()) {
      by_id_.erase(it->second->durable_id());
      it = streams_.erase(it);
    } else {
      ++it;
    }
  }
}

Result<std::shared_ptr<Stream>> StreamRegistry::create(const StreamKey& key, const StreamConfig& config) {
  std::lock_guard limit_lock(limit_mutex_);
  std::unique_lock lock(mutex_);
  drop_gone_locked();
  if (streams_.count(key)) return Status::resource_in_use("stream " + key.name + " already exists");
  const auto& limits = options_.limits;
  const bool on_demand = config.mode == StreamMode::kOnDemand;
  if (!on_demand && config.shard_count < 1) return Status::invalid_argument("shard count must be at least 1");
  const int shards = on_demand ? limits.on_demand_shard_count : config.shard_count;
  const int open = open_shards_locked(key.account, key.region, nullptr);
  if (open + shards > limits.shard_limit) {
    return Status::limit_exceeded("shard limit " + std::to_string(limits.shard_limit) + ", current open shards " +
                                  std::to_string(open) + ", requested " + std::to_string(shards));
  }
  if (on_demand) {
    int count = 0;
    for (const auto& [k, s] : streams_) {
      if (k.account == key.account && k.region == key.region && s->mode() == StreamMode::kOnDemand) ++count;
    }
    if (count >= limits.on_demand_stream_limit) {
      return Status::limit_exceeded("on-demand stream limit " + std::to_string(limits.on_demand_stream_limit) +
                                    " reached");
    }
  }
  const std::uint64_t id = next_id_++;
  auto stream = std::make_shared<Stream>(key, config, options_.delays, options_.limits, iterators_, clock_,
                                         StreamHooks{observer_, id, std::nullopt, std::nullopt});
  streams_.emplace(key, stream);
  by_id_.emplace(id, stream);
  if (observer_ != nullptr) {
    observer_->on_change(StreamCreated{id, key, stream->created(), stream->stream_id(), config});
  }
  return stream;
}

std::shared_ptr<Stream> StreamRegistry::find(const StreamKey& key) const {
  std::shared_lock lock(mutex_);
  const auto it = streams_.find(key);
  if (it == streams_.end() || it->second->gone()) return nullptr;
  return it->second;
}

std::shared_ptr<Stream> StreamRegistry::find_by_id(const std::string& account, const std::string& region,
                                                   std::string_view stream_id) const {
  std::shared_lock lock(mutex_);
  for (const auto& [key, stream] : streams_) {
    if (key.account == account && key.region == region && stream->stream_id() == stream_id && !stream->gone()) {
      return stream;
    }
  }
  return nullptr;
}

Status StreamRegistry::remove(const StreamKey& key, bool enforce_consumer_deletion) {
  const auto stream = find(key);
  if (!stream) return Status::not_found("stream " + key.name + " not found");
  return stream->begin_delete(enforce_consumer_deletion);
}

std::vector<std::shared_ptr<Stream>> StreamRegistry::list(const std::string& account,
                                                          const std::string& region) const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<Stream>> out;
  for (auto it = streams_.lower_bound(StreamKey{account, region, ""});
       it != streams_.end() && it->first.account == account && it->first.region == region; ++it) {
    if (!it->second->gone()) out.push_back(it->second);
  }
  return out;
}

Status StreamRegistry::split_shard(const StreamKey& key, std::string_view shard_id,
                                   HashKey new_starting_hash_key) {
  std::lock_guard limit_lock(limit_mutex_);
  const auto stream = find(key);
  if (!stream) return Status::not_found("stream " + key.name + " not found");
  int others = 0;
  {
    std::shared_lock lock(mutex_);
    others = open_shards_locked(key.account, key.region, stream.get());
  }
  return stream->split_shard(shard_id, new_starting_hash_key, options_.limits.shard_limit - others);
}

Status StreamRegistry::merge_shards(const StreamKey& key, std::string_view shard_id,
                                    std::string_view adjacent_shard_id) {
  const auto stream = find(key);
  if (!stream) return Status::not_found("stream " + key.name + " not found");
  return stream->merge_shards(shard_id, adjacent_shard_id);
}

Result<UpdateShardCountOutcome> StreamRegistry::update_shard_count(const StreamKey& key, int target) {
  std::lock_guard limit_lock(limit_mutex_);
  const auto stream = find(key);
  if (!stream) return Status::not_found("stream " + key.name + " not found");
  int others = 0;
  {
    std::shared_lock lock(mutex_);
    others = open_shards_locked(key.account, key.region, stream.get());
  }
  return stream->update_shard_count(target, options_.limits.shard_limit - others);
}

Result<GetRecordsOutcome> StreamRegistry::get_records(std::string_view iterator, int limit) {
  auto state = iterators_.decode(iterator, clock_.now());
  if (!state) return state.status();
  const auto stream = find({state->account, state->region, state->stream_name});
  if (!stream) return Status::not_found("stream " + state->stream_name + " not found");
  return stream->get_records(*state, limit);
}

AccountLimits StreamRegistry::limits(const std::string& account, const std::string& region) const {
  std::shared_lock lock(mutex_);
  AccountLimits out;
  out.shard_limit = options_.limits.shard_limit;
  out.on_demand_stream_count_limit = options_.limits.on_demand_stream_limit;
  out.open_shard_count = open_shards_locked(account, region, nullptr);
  for (const auto& [key, stream] : streams_) {
    if (key.account == account && key.region == region && !stream->gone() &&
        stream->mode() == StreamMode::kOnDemand) {
      ++out.on_demand_stream_count;
    }
  }
  return out;
}

void StreamRegistry::put_resource_policy(const std::string& arn, std::string policy) {
  std::unique_lock lock(mutex_);
  if (observer_ != nullptr) observer_->on_change(ResourcePolicySet{arn, policy});
  policies_[arn] = std::move(policy);
}

std::optional<std::string> StreamRegistry::resource_policy(const std::string& arn) const {
  std::shared_lock lock(mutex_);
  const auto it = policies_.find(arn);
  if (it == policies_.end()) return std::nullopt;
  return it->second;
}

Status StreamRegistry::delete_resource_policy(const std::string& arn) {
  std::unique_lock lock(mutex_);
  if (policies_.erase(arn) == 0) return Status::not_found("no resource policy for " + arn);
  if (observer_ != nullptr) observer_->on_change(ResourcePolicySet{arn, std::nullopt});
  return Status::ok();
}

std::size_t StreamRegistry::delete_resource_policies_under(const std::string& arn) {
  std::unique_lock lock(mutex_);
  std::size_t dropped = 0;
  for (auto it = policies_.lower_bound(arn); it != policies_.end() && it->first.starts_with(arn);) {
    const std::string_view rest = std::string_view(it->first).substr(arn.size());
    if (!rest.empty() && rest.front() != '/') {  // another stream whose name starts the same
      ++it;
      continue;
    }
    if (observer_ != nullptr) observer_->on_change(ResourcePolicySet{it->first, std::nullopt});
    it = policies_.erase(it);
    ++dropped;
  }
  return dropped;
}

AccountSettings StreamRegistry::account_settings(const std::string& account) const {
  std::shared_lock lock(mutex_);
  const auto it = settings_.find(account);
  return it == settings_.end() ? AccountSettings{} : it->second;
}

void StreamRegistry::set_account_settings(const std::string& account, AccountSettings settings) {
  std::unique_lock lock(mutex_);
  if (observer_ != nullptr) {
    observer_->on_change(AccountSettingsSet{account, settings.billing_commitment_status, settings.started_at,
                                            settings.ended_at, settings.earliest_allowed_end_at});
  }
  settings_[account] = std::move(settings);
}

void StreamRegistry::set_observer(StreamObserver* observer) {
  std::unique_lock lock(mutex_);
  observer_ = observer;
  for (const auto& [id, stream] : by_id_) stream->set_observer(observer);
}

namespace {


}  // namespace

void StreamRegistry::apply(const StreamChange& change) {
  auto stream_of = [this](std::uint64_t id) -> std::shared_ptr<Stream> {
    std::shared_lock lock(mutex_);
    const auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  };
  auto add = [this](std::uint64_t id, const StreamKey& key, const StreamConfig& config, TimePoint created,
                    const std::string& stream_id) -> std::shared_ptr<Stream> {
    std::unique_lock lock(mutex_);
    drop_gone_locked();
    if (by_id_.count(id)) return nullptr;
    if (auto it = streams_.find(key); it != streams_.end()) {  // an older incarnation the log saw deleted
      by_id_.erase(it->second->durable_id());
      streams_.erase(it);
    }
    auto stream = std::make_shared<Stream>(key, config, options_.delays, options_.limits, iterators_, clock_,
                                           StreamHooks{observer_, id, created, stream_id});
    streams_.emplace(key, stream);
    by_id_.emplace(id, stream);
    next_id_ = std::max(next_id_, id + 1);
    return stream;
  };
  std::visit(Overloaded{
                 [&](const StreamCreated& c) {
                   bool stale = false;
                   {
                     std::shared_lock lock(mutex_);
                     stale = c.stream < next_id_;
                   }
                   if (!stale) add(c.stream, c.key, c.config, c.created, c.stream_id);
                 },
                 [&](const RecordsPut& c) {
                   if (auto s = stream_of(c.stream)) s->apply(c);
                 },
                 [&](const StreamOp& c) {
                   if (auto s = stream_of(c.stream)) s->apply(c);
                 },
                 [&](const ResourcePolicySet& c) {
                   std::unique_lock lock(mutex_);
                   if (c.policy) {
                     policies_[c.arn] = *c.policy;
                   } else {
                     policies_.erase(c.arn);
                   }
                 },
                 [&](const AccountSettingsSet& c) {
                   std::unique_lock lock(mutex_);
                   settings_[c.account] =
                       AccountSettings{c.billing_commitment_status, c.started_at, c.ended_at, c.earliest_allowed_end_at};
                 },
                 [&](const AccountSettingsCleared& c) {
                   std::unique_lock lock(mutex_);
                   settings_.erase(c.account);
                 },
                 [&](const StreamDropped& c) {
                   std::unique_lock lock(mutex_);
                   const auto it = by_id_.find(c.stream);
                   if (it == by_id_.end()) return;
                   streams_.erase(it->second->key());
                   by_id_.erase(it);
                 },
                 [&](const StreamRegistryImage& c) {
                   std::unique_lock lock(mutex_);
                   next_id_ = std::max(next_id_, c.next_stream);
                 },
                 [&](const StreamImage& c) {
                   StreamConfig config;
                   config.mode = c.mode;
                   if (auto s = add(c.stream, c.key, config, c.created, c.stream_id)) s->restore(c);
                 },
                 [&](const ShardImage& c) {
                   if (auto s = stream_of(c.stream)) s->restore(c);
                 },
                 [&](const ShardRecordsImage& c) {
                   if (auto s = stream_of(c.stream)) s->restore(c);
                 },
             },
             change);
}

void StreamRegistry::snapshot(const StreamChangeSink& emit, const std::function<void()>& between) const {
  std::vector<std::shared_ptr<Stream>> streams;
  {
    std::shared_lock lock(mutex_);
    emit(StreamRegistryImage{next_id_});
    for (const auto& [arn, policy] : policies_) emit(ResourcePolicySet{arn, policy});
    for (const auto& [account, s] : settings_) {
      emit(AccountSettingsSet{account, s.billing_commitment_status, s.started_at, s.ended_at,
                              s.earliest_allowed_end_at});
    }
    for (const auto& [id, stream] : by_id_) streams.push_back(stream);
  }
  if (between) between();
  for (const auto& stream : streams) {
    if (!stream->gone()) stream->snapshot(emit);
    if (between) between();
  }
}

std::vector<std::shared_ptr<Stream>> StreamRegistry::all() const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<Stream>> out;
  for (const auto& [key, stream] : streams_) {
    if (!stream->gone()) out.push_back(stream);
  }
  return out;
}

std::size_t StreamRegistry::clear(const std::optional<std::string>& account) {
  std::vector<std::shared_ptr<Stream>> dropped;
  {
    std::lock_guard limit_lock(limit_mutex_);
    std::unique_lock lock(mutex_);
    for (auto it = streams_.begin(); it != streams_.end();) {
      if (account && it->first.account != *account) {
        ++it;
        continue;
      }
      if (!it->second->gone()) dropped.push_back(it->second);
      if (observer_ != nullptr) observer_->on_change(StreamDropped{it->second->durable_id()});
      by_id_.erase(it->second->durable_id());
      it = streams_.erase(it);
    }
    // Policies are keyed by ARN: arn:aws:kinesis:<region>:<account>:...
    const std::string needle = account ? ":" + *account + ":" : std::string();
    for (auto it = policies_.begin(); it != policies_.end();) {
      if (account && it->first.find(needle) == std::string::npos) {
        ++it;
        continue;
      }
      if (observer_ != nullptr) observer_->on_change(ResourcePolicySet{it->first, std::nullopt});
      it = policies_.erase(it);
    }
    for (auto it = settings_.begin(); it != settings_.end();) {
      if (account && it->first != *account) {
        ++it;
        continue;
      }
      if (observer_ != nullptr) observer_->on_change(AccountSettingsCleared{it->first});
      it = settings_.erase(it);
    }
  }
  // Requests that still hold a dropped stream see it deleting. (Logged too,
  // but replay no longer knows the stream: StreamDropped came first.)
  for (const auto& stream : dropped) (void)stream->begin_delete(true);
  return dropped.size();
}

}  // namespace shoal::storage
