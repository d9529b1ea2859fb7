// TEMPORARY while the actions are written: each answers InternalFailure.
// Delete a line (and finally this file) as the real handler lands.
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {
ActionResult pending() { return ActionResult::fail(error("InternalFailureException", "not implemented yet")); }
}  // namespace

ActionResult split_shard(const KinesisCall&) { return pending(); }
ActionResult merge_shards(const KinesisCall&) { return pending(); }
ActionResult update_shard_count(const KinesisCall&) { return pending(); }
ActionResult subscribe_to_shard(const KinesisCall&) { return pending(); }

}  // namespace shoal::api::kinesis
