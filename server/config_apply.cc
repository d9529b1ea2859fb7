#include "server/config_apply.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>
#include <type_traits>

#include "api/request_context.h"

namespace shoal::server {
namespace {

using nlohmann::json;

// A stream with status delays (--kinesis-*-delay-ms) is CREATING or UPDATING
// for a while; tags, retention and consumers wait for ACTIVE, up to this.
constexpr auto kActiveWait = std::chrono::minutes(2);
constexpr auto kActivePoll = std::chrono::milliseconds(10);

struct Answer {
  json body;         // the output on success
  std::string code;  // the AWS error code; empty on success
  std::string message;
  bool ok() const { return code.empty(); }
};

enum class Service { kSqs, kKinesis };

// One internal request, signed (unchecked, like every request) as the account
// and region the entry belongs to, in AWS JSON like a current SDK.
Answer call(api::Dispatcher& dispatcher, Service service, std::string_view action, const std::string& account,
            const std::string& region, const json& input) {
  const bool sqs = service == Service::kSqs;
  api::ApiRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers = {
      {"host", "localhost:4566"},
      {"content-type", sqs ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1"},
      {"x-amz-target", std::string(sqs ? "AmazonSQS." : "Kinesis_20131202.") + std::string(action)},
      {"authorization", "AWS4-HMAC-SHA256 Credential=" + account + "/20240101/" + region + "/" +
                            (sqs ? "sqs" : "kinesis") + "/aws4_request, SignedHeaders=host, Signature=0"},
  };
  request.body = input.dump();
  request.internal = true;  // not signed for real: strict authentication lets it through
  auto outcome = dispatcher.handle(std::move(request));
  // With --data-dir an answer waits for the log; final polling waits for it here.
  if (!outcome.response && outcome.pending) outcome.response = outcome.pending->poll(true);
  if (!outcome.response) return {json(), "InternalFailure", "the action did not answer at once"};
  json body = json::parse(outcome.response->body, nullptr, false);
  if (outcome.response->status == 200) return {body.is_discarded() ? json::object() : std::move(body), {}, {}};
  Answer error{json(), "InternalFailure", outcome.response->body};
  if (body.is_object()) {
    std::string type = body.value("__type", std::string("InternalFailure"));
    error.code = type.substr(type.find('#') + 1);  // "com.amazonaws.sqs#QueueNameExists"
    error.message = body.value("message", body.value("Message", std::string()));
  }
  return error;
}

json to_object(const StringPairs& pairs) {
  json out = json::object();
  for (const auto& [key, value] : pairs) out[key] = value;
  return out;
}

class Applier {
 public:
  explicit Applier(api::Dispatcher& dispatcher) : dispatcher_(dispatcher) {}

  // Each returns an error message, or empty.
  std::string queues(const std::vector<QueueSpec>& specs) {
    std::vector<std::string> urls;
    for (const QueueSpec& q : specs) {
      std::string url;
      if (auto error = create_queue(q, url); !error.empty()) return error;
      urls.push_back(std::move(url));
    }
    // Every queue exists now, so a RedrivePolicy may name any of them.
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const QueueSpec& q = specs[i];
      if (!q.redrive_policy) continue;
      json input{{"QueueUrl", urls[i]}, {"Attributes", {{"RedrivePolicy", *q.redrive_policy}}}};
      auto answer = sqs(q, "SetQueueAttributes", input);
      if (!answer.ok()) return failure(q, "SetQueueAttributes RedrivePolicy", answer);
    }
    return {};
  }

  std::string streams(const std::vector<StreamSpec>& specs) {
    for (const StreamSpec& s : specs) {
      if (auto error = stream(s); !error.empty()) return error;
    }
    return {};
  }

 private:
  std::string create_queue(const QueueSpec& q, std::string& url) {
    json input{{"QueueName", q.name}};
    if (!q.attributes.empty()) input["Attributes"] = to_object(q.attributes);
    if (!q.tags.empty()) input["tags"] = to_object(q.tags);
    auto created = sqs(q, "CreateQueue", input);
    if (created.ok()) {
      url = created.body.value("QueueUrl", std::string());
      return {};
    }
    if (created.code != "QueueNameExists") return failure(q, "CreateQueue", created);
    // It exists with other attributes (a restart with a data directory after
    // the file changed): the file wins, as a later SetQueueAttributes would.
    auto found = sqs(q, "GetQueueUrl", {{"QueueName", q.name}});
    if (!found.ok()) return failure(q, "GetQueueUrl", found);
    url = found.body.value("QueueUrl", std::string());
    StringPairs settable;
    for (const auto& attribute : q.attributes) {
      if (attribute.first != "FifoQueue") settable.push_back(attribute);  // fixed at creation
    }
    if (!settable.empty()) {
      auto set = sqs(q, "SetQueueAttributes", {{"QueueUrl", url}, {"Attributes", to_object(settable)}});
      if (!set.ok()) return failure(q, "SetQueueAttributes", set);
    }
    if (!q.tags.empty()) {
      auto tagged = sqs(q, "TagQueue", {{"QueueUrl", url}, {"Tags", to_object(q.tags)}});
      if (!tagged.ok()) return failure(q, "TagQueue", tagged);
    }
    return {};
  }

  std::string stream(const StreamSpec& s) {
    json input{{"StreamName", s.name}};
    if (s.mode == "ON_DEMAND") {
      input["StreamModeDetails"] = {{"StreamMode", "ON_DEMAND"}};
    } else {
      input["ShardCount"] = s.shard_count.value_or(1);
      if (!s.mode.empty()) input["StreamModeDetails"] = {{"StreamMode", s.mode}};
    }
    if (!s.tags.empty()) input["Tags"] = to_object(s.tags);
    auto created = kinesis(s, "CreateStream", input);
    const bool existed = !created.ok() && created.code == "ResourceInUseException";
    if (!created.ok() && !existed) return failure(s, "CreateStream", created);
    if (!existed && !s.retention_hours && s.consumers.empty()) return {};

    json summary;
    if (auto error = wait_active(s, summary); !error.empty()) return error;
    if (existed && !s.tags.empty()) {
      auto tagged = kinesis(s, "AddTagsToStream", {{"StreamName", s.name}, {"Tags", to_object(s.tags)}});
      if (!tagged.ok()) return failure(s, "AddTagsToStream", tagged);
    }
    if (s.retention_hours) {
      const int current = summary.value("RetentionPeriodHours", 24);
      if (*s.retention_hours != current) {
        const char* action =
            *s.retention_hours > current ? "IncreaseStreamRetentionPeriod" : "DecreaseStreamRetentionPeriod";
        auto changed = kinesis(s, action, {{"StreamName", s.name}, {"RetentionPeriodHours", *s.retention_hours}});
        if (!changed.ok()) return failure(s, action, changed);
        if (auto error = wait_active(s, summary); !error.empty()) return error;
      }
    }
    const std::string arn = summary.value("StreamARN", std::string());
    for (const std::string& consumer : s.consumers) {
      auto registered = kinesis(s, "RegisterStreamConsumer", {{"StreamARN", arn}, {"ConsumerName", consumer}});
      if (!registered.ok() && registered.code != "ResourceInUseException") {
        return failure(s, "RegisterStreamConsumer '" + consumer + "'", registered);
      }
    }
    return {};
  }

  // Fills `summary` with the stream's description once it is ACTIVE.
  std::string wait_active(const StreamSpec& s, json& summary) {
    const auto deadline = std::chrono::steady_clock::now() + kActiveWait;
    for (;;) {
      auto described = kinesis(s, "DescribeStreamSummary", {{"StreamName", s.name}});
      if (!described.ok()) return failure(s, "DescribeStreamSummary", described);
      summary = described.body.value("StreamDescriptionSummary", json::object());
      const std::string status = summary.value("StreamStatus", std::string());
      if (status == "ACTIVE") return {};
      if (std::chrono::steady_clock::now() > deadline) {
        return s.origin + ": stream '" + s.name + "' is still " + status + " after waiting to apply the config";
      }
      std::this_thread::sleep_for(kActivePoll);  // start-up only, before the server listens
    }
  }

  Answer sqs(const QueueSpec& q, std::string_view action, const json& input) {
    return call(dispatcher_, Service::kSqs, action, q.account, q.region, input);
  }
  Answer kinesis(const StreamSpec& s, std::string_view action, const json& input) {
    return call(dispatcher_, Service::kKinesis, action, s.account, s.region, input);
  }

  template <typename Spec>
  static std::string failure(const Spec& spec, std::string_view action, const Answer& answer) {
    const char* kind = std::is_same_v<Spec, QueueSpec> ? "queue" : "stream";
    std::string out = spec.origin + ": " + kind + " '" + spec.name + "'";
    if (spec.account != api::kDefaultAccount || spec.region != api::kDefaultRegion) {
      out += " (" + spec.account + ", " + spec.region + ")";
    }
    out += ": " + std::string(action) + " failed: " + answer.code;
    if (!answer.message.empty()) out += ": " + answer.message;
    return out;
  }

  api::Dispatcher& dispatcher_;
};

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

}  // namespace

ApplyResult apply_startup_config(api::Dispatcher& dispatcher, const StartupConfig& config) {
  Applier applier(dispatcher);
  if (auto error = applier.queues(config.queues); !error.empty()) return {false, error, {}};
  if (auto error = applier.streams(config.streams); !error.empty()) return {false, error, {}};
  return {true, {}, plural(config.queues.size(), "queue") + ", " + plural(config.streams.size(), "stream")};
}

}  // namespace shoal::server
