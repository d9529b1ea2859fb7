// Put/Get/DeleteResourcePolicy: the resource-based policy of a stream or a
// consumer, stored as given under the resource's canonical ARN (not enforced).
#include "api/kinesis/actions/control_plane.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {

ActionResult put_resource_policy(const KinesisCall& call) {
  auto resource = resolve_resource(call);
  if (resource.error) return ActionResult::fail(*resource.error);
  auto policy = string_member(call.input, "Policy").value_or("");
  const auto parsed = nlohmann::json::parse(policy, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return ActionResult::fail(invalid_argument("The policy for " + resource.arn + " is not a valid JSON document."));
  }
  call.streams.put_resource_policy(resource.arn, std::move(policy));
  return ActionResult::ok(nlohmann::json::object());
}

ActionResult get_resource_policy(const KinesisCall& call) {
  auto resource = resolve_resource(call);
  if (resource.error) return ActionResult::fail(*resource.error);
  // With no policy AWS answers an empty policy document (recorded by LocalStack).
  return ActionResult::ok({{"Policy", call.streams.resource_policy(resource.arn).value_or("{}")}});
}

ActionResult delete_resource_policy(const KinesisCall& call) {
  auto resource = resolve_resource(call);
  if (resource.error) return ActionResult::fail(*resource.error);
  if (auto st = call.streams.delete_resource_policy(resource.arn); !st) {
    return ActionResult::fail(resource_not_found("No resource policy found for resource " + resource.arn + "."));
  }
  return ActionResult::ok(nlohmann::json::object());
}

}  // namespace shoal::api::kinesis
