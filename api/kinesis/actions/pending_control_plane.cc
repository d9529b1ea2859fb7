// TEMPORARY while the actions are written: each answers InternalFailure.
// Delete a line (and finally this file) as the real handler lands.
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {
ActionResult pending() { return ActionResult::fail(error("InternalFailureException", "not implemented yet")); }
}  // namespace

ActionResult start_stream_encryption(const KinesisCall&) { return pending(); }
ActionResult stop_stream_encryption(const KinesisCall&) { return pending(); }
ActionResult enable_enhanced_monitoring(const KinesisCall&) { return pending(); }
ActionResult disable_enhanced_monitoring(const KinesisCall&) { return pending(); }
ActionResult describe_limits(const KinesisCall&) { return pending(); }
ActionResult update_stream_mode(const KinesisCall&) { return pending(); }
ActionResult put_resource_policy(const KinesisCall&) { return pending(); }
ActionResult get_resource_policy(const KinesisCall&) { return pending(); }
ActionResult delete_resource_policy(const KinesisCall&) { return pending(); }
ActionResult describe_account_settings(const KinesisCall&) { return pending(); }
ActionResult update_account_settings(const KinesisCall&) { return pending(); }
ActionResult increase_stream_retention_period(const KinesisCall&) { return pending(); }
ActionResult decrease_stream_retention_period(const KinesisCall&) { return pending(); }
ActionResult update_max_record_size(const KinesisCall&) { return pending(); }
ActionResult update_stream_warm_throughput(const KinesisCall&) { return pending(); }

}  // namespace shoal::api::kinesis
