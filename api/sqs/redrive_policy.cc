#include "api/sqs/redrive_policy.h"

#include <charconv>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/common/json_members.h"
#include "api/sqs/limits.h"
#include "api/sqs/queue_address.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {
namespace {

AwsError invalid_redrive(const std::string& text, std::string_view reason) {
  return invalid_parameter("RedrivePolicy", text, reason);
}

AwsError invalid_allow(const std::string& text, std::string_view reason) {
  return invalid_parameter("RedriveAllowPolicy", text,
                           "Amazon SQS can't create the redrive allow policy. " + std::string(reason));
}

AwsError unsupported_allow_format() {
  return invalid_parameter_value(
      "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow "
      "policy, as it\u2019s in an unsupported format.");
}

// maxReceiveCount as AWS reads it: a JSON integer or a string of digits.
std::optional<std::int64_t> receive_count(const nlohmann::json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<AwsError> parse_redrive_policy(const std::string& text, storage::QueueAttributes& target) {
  if (text.empty()) {
    target.redrive_policy.clear();
    target.dead_letter.reset();
    return std::nullopt;
  }
  auto policy = nlohmann::json::parse(text, nullptr, false);
  if (policy.is_discarded() || !policy.is_object()) {
    return invalid_parameter_value(
        "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.");
  }
  if (!policy.contains("maxReceiveCount")) {
    return invalid_redrive(text, "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
  }
  if (!policy.contains("deadLetterTargetArn")) {
    return invalid_redrive(text, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
  }
  const auto count = receive_count(policy["maxReceiveCount"]);
  if (!count || *count < limits::kMinMaxReceiveCount || *count > limits::kMaxMaxReceiveCount) {
    return invalid_redrive(text, "Invalid value for maxReceiveCount: " + as_text(policy["maxReceiveCount"]) +
                                     ", valid values are from 1 to 1000 both inclusive.");
  }
  const auto& arn = policy["deadLetterTargetArn"];
  auto key = arn.is_string() ? parse_queue_arn(arn.get<std::string>()) : std::nullopt;
  if (!key) return invalid_redrive(text, "Dead-letter target ARN should be fully qualified ARN.");
  if (policy.size() > 2) {
    return invalid_redrive(text, "Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].");
  }
  target.dead_letter = storage::DeadLetterTarget{*key, static_cast<int>(*count)};
  target.redrive_policy =
      nlohmann::json{{"deadLetterTargetArn", arn.get<std::string>()}, {"maxReceiveCount", *count}}.dump();
  return std::nullopt;
}

std::optional<AwsError> parse_redrive_allow_policy(const std::string& text, storage::QueueAttributes& target) {
  if (text.empty()) {
    target.redrive_allow_policy.clear();
    return std::nullopt;
  }
  auto policy = nlohmann::json::parse(text, nullptr, false);
  if (policy.is_discarded() || !policy.is_object()) return unsupported_allow_format();
  auto permission = policy.find("redrivePermission");
  if (permission == policy.end() || !permission->is_string()) return unsupported_allow_format();
  const auto& p = permission->get_ref<const std::string&>();
  if (p != "allowAll" && p != "denyAll" && p != "byQueue") return unsupported_allow_format();
  for (const auto& [name, value] : policy.items()) {
    if (name != "redrivePermission" && name != "sourceQueueArns") return unsupported_allow_format();
  }
  auto arns = policy.find("sourceQueueArns");
  if (arns != policy.end()) {
    if (!arns->is_array()) return unsupported_allow_format();
    for (const auto& a : *arns) {
      if (!a.is_string()) return unsupported_allow_format();
    }
    if (p != "byQueue") {
      return invalid_allow(text, "To specify one or more source queue ARNs, you must set redrivePermission to byQueue.");
    }
  }
  if (p == "byQueue" && (arns == policy.end() || arns->empty())) {
    return invalid_allow(text,
                         "When you specify the byQueue permission type, you must also specify one or more "
                         "sourceQueueArns values.");
  }
  if (arns != policy.end() && arns->size() > limits::kMaxRedriveSourceQueueArns) {
    return invalid_allow(text, "The maximum number of source queue ARNs you can specify is 10.");
  }
  target.redrive_allow_policy = text;
  return std::nullopt;
}

std::string requested_redrive_policy(const nlohmann::json* attributes) {
  if (attributes == nullptr || !attributes->is_object()) return {};
  auto it = attributes->find("RedrivePolicy");
  return it == attributes->end() ? std::string() : as_text(*it);
}

std::optional<AwsError> check_dead_letter_target(const storage::QueueRegistry& queues, const storage::QueueKey& source,
                                                 const storage::QueueAttributes& wanted,
                                                 const std::string& policy_text) {
  if (!wanted.dead_letter) return std::nullopt;
  const std::string& text = policy_text;
  const storage::QueueKey& key = wanted.dead_letter->queue;
  if (key.account != source.account) {
    return invalid_redrive(text, "Dead-letter target owner should be same as the source.");
  }
  auto dlq = key.region == source.region ? queues.find(key) : nullptr;
  if (!dlq) return invalid_redrive(text, "Dead letter target does not exist.");
  const auto attributes = dlq->attributes();
  if (attributes.fifo != wanted.fifo) {
    return invalid_redrive(text, "Dead-letter queue must be same type of queue as the source.");
  }
  if (attributes.redrive_allow_policy.empty()) return std::nullopt;
  auto allow = nlohmann::json::parse(attributes.redrive_allow_policy, nullptr, false);
  if (!allow.is_object()) return std::nullopt;
  const auto permission = allow.value("redrivePermission", std::string("allowAll"));
  bool allowed = permission == "allowAll";
  if (permission == "byQueue") {
    const std::string source_arn = queue_arn(source);
    for (const auto& a : allow.value("sourceQueueArns", nlohmann::json::array())) {
      allowed = allowed || (a.is_string() && a.get<std::string>() == source_arn);
    }
  }
  if (!allowed) {
    return invalid_redrive(text, "The dead-letter queue's RedriveAllowPolicy does not allow this source queue.");
  }
  return std::nullopt;
}

}  // namespace shoal::api::sqs
