// GetQueueAttributes: the requested attributes ("All" for every one).
#include "api/sqs/queue_attributes_codec.h"
#include "api/sqs/sqs_action.h"

namespace shoal::api::sqs {

ActionResult get_queue_attributes(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  std::vector<std::string> names;
  if (const auto* list = member(call.input, "AttributeNames")) {
    for (const auto& n : *list) names.push_back(n.get<std::string>());
  }
  auto attributes = render_queue_attributes(*queue, names);
  nlohmann::json out = nlohmann::json::object();
  if (!attributes.empty()) out["Attributes"] = std::move(attributes);
  return ActionResult::ok(std::move(out));
}

}  // namespace shoal::api::sqs
