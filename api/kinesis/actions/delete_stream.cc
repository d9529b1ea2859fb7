// DeleteStream: the stream turns DELETING and is gone after the delete delay;
// registered consumers block it unless EnforceConsumerDeletion is true. Its
// resource policies (and its consumers') go with it, so a stream created
// again under the same name starts without them. A stream already DELETING is
// still there (DescribeStream shows it): deleting it again succeeds.
#include "api/kinesis/actions/data_plane_helpers.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {

ActionResult delete_stream(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto& key = resolved.key;
  const bool enforce = bool_member(call.input, "EnforceConsumerDeletion").value_or(false);
  auto status = call.streams.remove(key, enforce);
  if (status) {
    call.streams.delete_resource_policies_under(stream_arn(key));
    return ActionResult::ok(nlohmann::json::object());
  }
  switch (status.code()) {
    case storage::Status::Code::kNotFound:
      return ActionResult::fail(stream_not_found(key.name, key.account));
    case storage::Status::Code::kResourceInUse:
      return ActionResult::fail(resource_in_use(
          "Stream " + key.name + " under account " + key.account +
          " has registered consumers. Deregister them or set EnforceConsumerDeletion to true to delete it."));
    default:
      return ActionResult::fail(from_status(status, key));
  }
}

}  // namespace shoal::api::kinesis
