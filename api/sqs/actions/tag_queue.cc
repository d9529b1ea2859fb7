// TagQueue / UntagQueue / ListQueueTags: a queue's cost-allocation tags.
#include "api/sqs/limits.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

ActionResult tag_queue(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  std::map<std::string, std::string> tags;
  if (const auto* t = member(call.input, "Tags")) {
    for (const auto& [k, v] : t->items()) tags[k] = v.get<std::string>();
  }
  if (tags.empty()) return ActionResult::fail(missing_parameter("Tags"));
  auto merged = queue->tags();
  for (const auto& [k, v] : tags) merged[k] = v;
  if (merged.size() > limits::kMaxTagsPerQueue) {
    return ActionResult::fail(invalid_parameter_value("Too many tags added for queue " + queue->key().name + "."));
  }
  queue->tag(tags);
  return ActionResult::ok(nlohmann::json::object());
}

ActionResult untag_queue(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  std::vector<std::string> keys;
  if (const auto* k = member(call.input, "TagKeys")) {
    for (const auto& key : *k) keys.push_back(key.get<std::string>());
  }
  // AWS's answer to an empty list (moto's AWS-checked wording).
  if (keys.empty()) {
    return ActionResult::fail(invalid_parameter_value("Tag keys must be between 1 and 128 characters in length."));
  }
  queue->untag(keys);
  return ActionResult::ok(nlohmann::json::object());
}

ActionResult list_queue_tags(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  nlohmann::json out = nlohmann::json::object();
  auto tags = queue->tags();
  if (!tags.empty()) out["Tags"] = tags;
  return ActionResult::ok(std::move(out));
}

}  // namespace shoal::api::sqs
