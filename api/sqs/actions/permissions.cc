// AddPermission / RemovePermission: statements in the queue's Policy
// attribute, one per label, as AWS writes them. AddPermission names only
// actions AWS shares across accounts (queue_access.h), which then enforces them.
#include "api/sqs/limits.h"
#include "api/sqs/queue_access.h"
#include "api/sqs/queue_address.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {
namespace {

nlohmann::json load_policy(const storage::Queue& queue) {
  auto text = queue.attributes().policy;
  auto policy = nlohmann::json::parse(text.empty() ? "{}" : text, nullptr, false);
  if (policy.is_discarded() || !policy.is_object()) policy = nlohmann::json::object();
  if (!policy.contains("Statement") || !policy["Statement"].is_array()) policy["Statement"] = nlohmann::json::array();
  return policy;
}

void store_policy(storage::Queue& queue, const nlohmann::json& policy) {
  auto attributes = queue.attributes();
  attributes.policy = policy["Statement"].empty() ? "" : policy.dump();
  queue.set_attributes(std::move(attributes));
}

bool has_label(const nlohmann::json& policy, const std::string& label) {
  for (const auto& s : policy["Statement"]) {
    if (s.value("Sid", "") == label) return true;
  }
  return false;
}

}  // namespace

ActionResult add_permission(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  auto label = string_member(call.input, "Label").value_or("");
  if (label.empty() || label.size() > limits::kMaxPermissionLabelLength) {
    return ActionResult::fail(invalid_parameter("Label", label,
                                                "Can only include alphanumeric characters, hyphens, or "
                                                "underscores. 1 to 80 in length"));
  }
  const auto* accounts = member(call.input, "AWSAccountIds");
  const auto* actions = member(call.input, "Actions");
  // AWS's order and wording (moto's AWS-checked tests): actions, principals,
  // the seven-action limit of a statement, then each action's name.
  if (actions == nullptr || actions->empty()) return ActionResult::fail(missing_parameter("Actions"));
  if (accounts == nullptr || accounts->empty()) {
    return ActionResult::fail(invalid_parameter("PrincipalId", "[]", "Unable to verify."));
  }
  if (actions->size() > limits::kMaxPermissionActions) {
    return ActionResult::fail(sqs::error("OverLimit", std::to_string(actions->size()) +
                                                          " Actions were found, maximum allowed is " +
                                                          std::to_string(limits::kMaxPermissionActions) + "."));
  }
  for (const auto& action : *actions) {
    const auto& name = action.get_ref<const std::string&>();
    if (auto refusal = add_permission_refusal(name)) {
      return ActionResult::fail(invalid_parameter("ActionName", "SQS:" + name, *refusal));
    }
  }

  auto policy = load_policy(*queue);
  if (has_label(policy, label)) return ActionResult::fail(invalid_parameter("Label", label, "Already exists."));
  nlohmann::json principals = nlohmann::json::array();
  for (const auto& account : *accounts) {
    principals.push_back("arn:aws:iam::" + account.get<std::string>() + ":root");
  }
  nlohmann::json verbs = nlohmann::json::array();
  for (const auto& action : *actions) verbs.push_back("SQS:" + action.get<std::string>());
  auto arn = queue_arn(queue->key());
  policy["Version"] = "2008-10-17";  // what AWS writes for AddPermission
  policy["Id"] = arn + "/SQSDefaultPolicy";
  policy["Statement"].push_back({{"Sid", label},
                                 {"Effect", "Allow"},
                                 {"Principal", {{"AWS", principals.size() == 1 ? principals[0] : principals}}},
                                 {"Action", verbs.size() == 1 ? verbs[0] : verbs},
                                 {"Resource", arn}});
  store_policy(*queue, policy);
  return ActionResult::ok(nlohmann::json::object());
}

ActionResult remove_permission(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);
  auto label = string_member(call.input, "Label").value_or("");
  auto policy = load_policy(*queue);
  if (!has_label(policy, label)) return ActionResult::fail(invalid_parameter("Label", label, "can't find label."));
  auto& statements = policy["Statement"];
  for (auto it = statements.begin(); it != statements.end(); ++it) {
    if (it->value("Sid", "") == label) {
      statements.erase(it);
      break;
    }
  }
  store_policy(*queue, policy);
  return ActionResult::ok(nlohmann::json::object());
}

}  // namespace shoal::api::sqs
