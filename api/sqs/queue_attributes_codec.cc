#include "api/sqs/queue_attributes_codec.h"

#include <array>
#include <charconv>
#include <functional>
#include <string_view>

#include "api/common/json_members.h"
#include "api/sqs/limits.h"
#include "api/sqs/queue_address.h"
#include "api/sqs/redrive_policy.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {
namespace {

using storage::QueueAttributes;
using std::chrono::seconds;

AwsError invalid_value(std::string_view name) {
  return invalid_attribute_value("Invalid value for the parameter " + std::string(name) + ".");
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

bool is_json_object(const std::string& text) {
  auto v = nlohmann::json::parse(text, nullptr, false);
  return !v.is_discarded() && v.is_object();
}

// One attribute: how to parse it into QueueAttributes and render it back.
struct AttributeCodec {
  std::string_view name;
  bool fifo_only;
  bool read_only;
  std::function<std::optional<AwsError>(const std::string&, QueueAttributes&)> parse;
  std::function<std::optional<std::string>(const storage::Queue&, const QueueAttributes&)> render;
};

std::function<std::optional<AwsError>(const std::string&, QueueAttributes&)> seconds_in(
    std::string_view name, std::int64_t lo, std::int64_t hi, seconds QueueAttributes::*field) {
  return [name, lo, hi, field](const std::string& text, QueueAttributes& a) -> std::optional<AwsError> {
    auto v = parse_int(text);
    if (!v || *v < lo || *v > hi) return invalid_value(name);
    a.*field = seconds(*v);
    return std::nullopt;
  };
}

std::function<std::optional<std::string>(const storage::Queue&, const QueueAttributes&)> render_seconds(
    seconds QueueAttributes::*field) {
  return [field](const storage::Queue&, const QueueAttributes& a) -> std::optional<std::string> {
    return std::to_string((a.*field).count());
  };
}

std::function<std::optional<AwsError>(const std::string&, QueueAttributes&)> json_policy(
    std::string_view name, std::string QueueAttributes::*field) {
  return [name, field](const std::string& text, QueueAttributes& a) -> std::optional<AwsError> {
    if (!text.empty() && !is_json_object(text)) return invalid_value(name);
    a.*field = text;
    return std::nullopt;
  };
}

std::function<std::optional<std::string>(const storage::Queue&, const QueueAttributes&)> render_if_set(
    std::string QueueAttributes::*field) {
  return [field](const storage::Queue&, const QueueAttributes& a) -> std::optional<std::string> {
    if ((a.*field).empty()) return std::nullopt;
    return a.*field;
  };
}

std::string epoch_seconds(storage::TimePoint t) { return std::to_string(storage::to_epoch_ms(t) / 1000); }

const std::vector<AttributeCodec>& codecs() {
  static const std::vector<AttributeCodec> kCodecs = {
      {"ApproximateNumberOfMessages", false, true, nullptr,
       [](const storage::Queue& q, const QueueAttributes&) -> std::optional<std::string> {
         return std::to_string(q.counts().visible);
       }},
      {"ApproximateNumberOfMessagesDelayed", false, true, nullptr,
       [](const storage::Queue& q, const QueueAttributes&) -> std::optional<std::string> {
         return std::to_string(q.counts().delayed);
       }},
      {"ApproximateNumberOfMessagesNotVisible", false, true, nullptr,
       [](const storage::Queue& q, const QueueAttributes&) -> std::optional<std::string> {
         return std::to_string(q.counts().in_flight);
       }},
      {"CreatedTimestamp", false, true, nullptr,
       [](const storage::Queue& q, const QueueAttributes&) -> std::optional<std::string> {
         return epoch_seconds(q.created());
       }},
      {"DelaySeconds", false, false, seconds_in("DelaySeconds", 0, limits::kMaxDelaySeconds, &QueueAttributes::delay),
       render_seconds(&QueueAttributes::delay)},
      {"LastModifiedTimestamp", false, true, nullptr,
       [](const storage::Queue& q, const QueueAttributes&) -> std::optional<std::string> {
         return epoch_seconds(q.last_modified());
       }},
      {"MaximumMessageSize", false, false,
       [](const std::string& text, QueueAttributes& a) -> std::optional<AwsError> {
         auto v = parse_int(text);
         if (!v || *v < limits::kMinMaximumMessageSize || *v > limits::kMaxMessageBytes) {
           return invalid_value("MaximumMessageSize");
         }
         a.maximum_message_size = *v;
         return std::nullopt;
       },
       [](const storage::Queue&, const QueueAttributes& a) -> std::optional<std::string> {
         return std::to_string(a.maximum_message_size);
       }},
      {"MessageRetentionPeriod", false, false,
       seconds_in("MessageRetentionPeriod", limits::kMinRetentionSeconds, limits::kMaxRetentionSeconds,
                  &QueueAttributes::message_retention),
       render_seconds(&QueueAttributes::message_retention)},
      {"Policy", false, false, json_policy("Policy", &QueueAttributes::policy), render_if_set(&QueueAttributes::policy)},
      {"QueueArn", false, true, nullptr,
       [](const storage::Queue& q, const QueueAttributes&) -> std::optional<std::string> { return queue_arn(q.key()); }},
      {"ReceiveMessageWaitTimeSeconds", false, false,
       seconds_in("ReceiveMessageWaitTimeSeconds", 0, limits::kMaxWaitTimeSeconds,
                  &QueueAttributes::receive_message_wait),
       render_seconds(&QueueAttributes::receive_message_wait)},
      {"RedrivePolicy", false, false, parse_redrive_policy, render_if_set(&QueueAttributes::redrive_policy)},
      {"RedriveAllowPolicy", false, false, parse_redrive_allow_policy,
       render_if_set(&QueueAttributes::redrive_allow_policy)},
      {"VisibilityTimeout", false, false,
       seconds_in("VisibilityTimeout", 0, limits::kMaxVisibilityTimeoutSeconds, &QueueAttributes::visibility_timeout),
       render_seconds(&QueueAttributes::visibility_timeout)},
      {"KmsMasterKeyId", false, false,
       [](const std::string& text, QueueAttributes& a) -> std::optional<AwsError> {
         a.kms_master_key_id = text;
         if (!text.empty()) a.sqs_managed_sse_enabled = false;
         return std::nullopt;
       },
       render_if_set(&QueueAttributes::kms_master_key_id)},
      {"KmsDataKeyReusePeriodSeconds", false, false,
       seconds_in("KmsDataKeyReusePeriodSeconds", limits::kMinKmsReuseSeconds, limits::kMaxKmsReuseSeconds,
                  &QueueAttributes::kms_data_key_reuse_period),
       [](const storage::Queue&, const QueueAttributes& a) -> std::optional<std::string> {
         if (a.kms_master_key_id.empty()) return std::nullopt;
         return std::to_string(a.kms_data_key_reuse_period.count());
       }},
      {"SqsManagedSseEnabled", false, false,
       [](const std::string& text, QueueAttributes& a) -> std::optional<AwsError> {
         auto v = parse_bool(text);
         if (!v) return invalid_value("SqsManagedSseEnabled");
         a.sqs_managed_sse_enabled = *v;
         if (*v) a.kms_master_key_id.clear();
         return std::nullopt;
       },
       [](const storage::Queue&, const QueueAttributes& a) -> std::optional<std::string> {
         return a.sqs_managed_sse_enabled ? "true" : "false";
       }},
      {"FifoQueue", true, false,
       [](const std::string& text, QueueAttributes& a) -> std::optional<AwsError> {
         auto v = parse_bool(text);
         if (!v) return invalid_value("FifoQueue");
         a.fifo = *v;
         return std::nullopt;
       },
       [](const storage::Queue&, const QueueAttributes& a) -> std::optional<std::string> {
         if (!a.fifo) return std::nullopt;
         return "true";
       }},
      {"ContentBasedDeduplication", true, false,
       [](const std::string& text, QueueAttributes& a) -> std::optional<AwsError> {
         auto v = parse_bool(text);
         if (!v) return invalid_value("ContentBasedDeduplication");
         a.content_based_deduplication = *v;
         return std::nullopt;
       },
       [](const storage::Queue&, const QueueAttributes& a) -> std::optional<std::string> {
         if (!a.fifo) return std::nullopt;
         return a.content_based_deduplication ? "true" : "false";
       }},
      {"DeduplicationScope", true, false,
       [](const std::string& text, QueueAttributes& a) -> std::optional<AwsError> {
         if (text != "queue" && text != "messageGroup") return invalid_value("DeduplicationScope");
         a.deduplication_scope = text;
         return std::nullopt;
       },
       [](const storage::Queue&, const QueueAttributes& a) -> std::optional<std::string> {
         if (!a.fifo) return std::nullopt;
         return a.deduplication_scope.empty() ? "queue" : a.deduplication_scope;
       }},
      {"FifoThroughputLimit", true, false,
       [](const std::string& text, QueueAttributes& a) -> std::optional<AwsError> {
         if (text != "perQueue" && text != "perMessageGroupId") return invalid_value("FifoThroughputLimit");
         a.fifo_throughput_limit = text;
         return std::nullopt;
       },
       [](const storage::Queue&, const QueueAttributes& a) -> std::optional<std::string> {
         if (!a.fifo) return std::nullopt;
         return a.fifo_throughput_limit.empty() ? "perQueue" : a.fifo_throughput_limit;
       }},
  };
  return kCodecs;
}

const AttributeCodec* find_codec(std::string_view name) {
  for (const auto& c : codecs()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

std::optional<AwsError> apply_queue_attributes(const nlohmann::json& attributes, AttributeUse use,
                                               QueueAttributes& target) {
  if (!attributes.is_object()) return std::nullopt;
  // FifoQueue decides what else is allowed, so it goes first.
  if (auto it = attributes.find("FifoQueue"); it != attributes.end()) {
    auto v = parse_bool(as_text(*it));
    if (use == AttributeUse::kSet) {
      if (!target.fifo) return invalid_attribute_name("Unknown Attribute FifoQueue.");
      if (!v || !*v) {
        return invalid_attribute_value(
            "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.");
      }
    } else {
      if (!v) return invalid_value("FifoQueue");
      // AWS only knows the attribute on FIFO queues, even set to false.
      if (!*v) return invalid_attribute_name("Unknown Attribute FifoQueue.");
      target.fifo = true;
    }
  }
  for (const auto& [name, value] : attributes.items()) {
    if (name == "FifoQueue") continue;
    const AttributeCodec* codec = find_codec(name);
    if (codec == nullptr || codec->read_only) return invalid_attribute_name("Unknown Attribute " + name + ".");
    if (codec->fifo_only && !target.fifo) {
      if (name == "ContentBasedDeduplication") return invalid_attribute_name("Unknown Attribute " + name + ".");
      return invalid_attribute_name("You can specify the " + name + " only when FifoQueue is set to true.");
    }
    if (auto error = codec->parse(as_text(value), target)) return error;
  }
  return std::nullopt;
}

nlohmann::json render_queue_attributes(const storage::Queue& queue, const std::vector<std::string>& requested) {
  QueueAttributes attributes = queue.attributes();
  bool all = false;
  for (const auto& name : requested) all = all || name == "All";
  nlohmann::json out = nlohmann::json::object();
  for (const auto& codec : codecs()) {
    bool wanted = all;
    for (const auto& name : requested) wanted = wanted || name == codec.name;
    if (!wanted) continue;
    if (auto value = codec.render(queue, attributes)) out[std::string(codec.name)] = *value;
  }
  return out;
}

std::optional<std::string> first_differing_attribute(const nlohmann::json& requested,
                                                     const QueueAttributes& existing) {
  if (!requested.is_object()) return std::nullopt;
  for (const auto& [name, value] : requested.items()) {
    const AttributeCodec* codec = find_codec(name);
    if (codec == nullptr || codec->read_only) continue;
    QueueAttributes wanted = existing;
    if (codec->parse(as_text(value), wanted)) return name;
    if (!(wanted == existing)) return name;
  }
  return std::nullopt;
}

}  // namespace shoal::api::sqs
