// DescribeLimits: the account's shard limit and open shards, and its
// on-demand stream count and limit, in the caller's region.
#include "api/kinesis/kinesis_action.h"

namespace shoal::api::kinesis {

ActionResult describe_limits(const KinesisCall& call) {
  const auto limits = call.streams.limits(call.ctx.account, call.ctx.region);
  return ActionResult::ok({{"ShardLimit", limits.shard_limit},
                           {"OpenShardCount", limits.open_shard_count},
                           {"OnDemandStreamCount", limits.on_demand_stream_count},
                           {"OnDemandStreamCountLimit", limits.on_demand_stream_count_limit}});
}

}  // namespace shoal::api::kinesis
