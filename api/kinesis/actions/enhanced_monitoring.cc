// Enable/DisableEnhancedMonitoring: a stream's shard-level metrics ("ALL"
// meaning every one), answered with the metrics before and after the change.
#include <string>
#include <vector>

#include "api/kinesis/actions/control_plane.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

ActionResult change_monitoring(const KinesisCall& call, bool enable) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  std::vector<std::string> metrics;
  if (const auto* list = member(call.input, "ShardLevelMetrics")) {
    for (const auto& m : *list) metrics.push_back(m.get<std::string>());
  }
  auto change = enable ? resolved.stream->enable_monitoring(metrics) : resolved.stream->disable_monitoring(metrics);
  if (!change) return ActionResult::fail(change_error(change.status(), *resolved.stream));
  return ActionResult::ok({{"StreamName", resolved.key.name},
                           {"StreamARN", stream_arn(resolved.key)},
                           {"CurrentShardLevelMetrics", change->current},
                           {"DesiredShardLevelMetrics", change->desired}});
}

}  // namespace

ActionResult enable_enhanced_monitoring(const KinesisCall& call) { return change_monitoring(call, true); }
ActionResult disable_enhanced_monitoring(const KinesisCall& call) { return change_monitoring(call, false); }

}  // namespace shoal::api::kinesis
