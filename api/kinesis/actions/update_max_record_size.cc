// UpdateMaxRecordSize: the largest record (data + partition key) a stream
// accepts, 1024..10240 KiB (the range itself is checked by the model).
#include "api/kinesis/actions/control_plane.h"
#include "api/kinesis/kinesis_action.h"

namespace shoal::api::kinesis {

ActionResult update_max_record_size(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto kib = int_member(call.input, "MaxRecordSizeInKiB").value_or(0);
  if (auto st = resolved.stream->update_max_record_size(static_cast<int>(kib)); !st) {
    return ActionResult::fail(change_error(st, *resolved.stream));
  }
  return ActionResult::ok(nlohmann::json::object());
}

}  // namespace shoal::api::kinesis
