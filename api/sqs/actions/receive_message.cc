// ReceiveMessage: up to 10 visible messages with the requested system and
// message attributes. With a wait time (the request's or the queue's
// ReceiveMessageWaitTimeSeconds) and nothing visible, it becomes a long poll
// that the server parks until a message becomes visible or the wait ends.
// Messages past their queue's maxReceiveCount move to its dead-letter queue on
// the way (QueueRegistry::receive) and carry DeadLetterQueueSourceArn there.
#include <algorithm>
#include <mutex>
#include <utility>

#include "api/sqs/limits.h"
#include "api/sqs/message_md5.h"
#include "api/sqs/queue_address.h"
#include "api/sqs/sqs_action.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

struct ReceiveRequest {
  int max_messages = 1;
  std::optional<seconds> visibility_timeout;
  std::vector<std::string> system_attributes;   // "All" or names
  std::vector<std::string> message_attributes;  // "All", ".*", "prefix.*" or names
  std::string attempt_id;                       // ReceiveRequestAttemptId (FIFO), empty when absent
};

bool wants(const std::vector<std::string>& names, std::string_view name) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return n == "All" || n == name; });
}

bool wants_message_attribute(const std::vector<std::string>& filters, const std::string& name) {
  for (const auto& f : filters) {
    if (f == "All" || f == ".*" || f == "*" || f == name) return true;
    // "Hel.*" selects every name starting with "Hel".
    if (f.size() > 2 && f.ends_with(".*") && name.starts_with(std::string_view(f).substr(0, f.size() - 2))) {
      return true;
    }
  }
  return false;
}

nlohmann::json render_message(const storage::ReceivedMessage& received, const ReceiveRequest& request) {
  const auto& m = *received.message;
  nlohmann::json out = {{"MessageId", m.message_id()},
                        {"ReceiptHandle", received.receipt_handle},
                        {"MD5OfBody", m.md5_of_body()},
                        {"Body", m.body()}};
  const auto& names = request.system_attributes;
  if (!names.empty()) {
    nlohmann::json attributes = nlohmann::json::object();
    auto put = [&](std::string_view name, std::string_view value) {
      if (wants(names, name) && !value.empty()) attributes[std::string(name)] = value;
    };
    put("SenderId", m.sender_id());
    put("SentTimestamp", std::to_string(storage::to_epoch_ms(m.sent())));
    put("ApproximateReceiveCount", std::to_string(received.receive_count));
    put("ApproximateFirstReceiveTimestamp", std::to_string(storage::to_epoch_ms(received.first_receive)));
    put("AWSTraceHeader", m.trace_header());
    put("MessageGroupId", m.group_id());
    put("MessageDeduplicationId", m.deduplication_id());
    put("SequenceNumber", m.sequence_number());
    if (const auto* source = m.dead_letter_source()) put("DeadLetterQueueSourceArn", queue_arn(*source));
    if (!attributes.empty()) out["Attributes"] = std::move(attributes);
  }
  if (!request.message_attributes.empty() && m.has_attributes()) {
    const storage::MessageAttributes all = m.attributes();
    storage::MessageAttributes selected;
    nlohmann::json rendered = nlohmann::json::object();
    for (const auto& [name, attribute] : all) {
      if (!wants_message_attribute(request.message_attributes, name)) continue;
      selected.emplace(name, attribute);
      nlohmann::json value = {{"DataType", attribute.data_type}};
      if (attribute.data_type.starts_with("Binary")) {
        value["BinaryValue"] = nlohmann::json::binary(
            std::vector<std::uint8_t>(attribute.binary_value.begin(), attribute.binary_value.end()));
      } else {
        value["StringValue"] = attribute.string_value;
      }
      rendered[name] = std::move(value);
    }
    if (!selected.empty()) {
      out["MD5OfMessageAttributes"] =
          selected.size() == all.size() ? std::string(m.md5_of_attributes()) : md5_of_attributes(selected);
      out["MessageAttributes"] = std::move(rendered);
    }
  }
  return out;
}

// Through the registry, which moves messages past maxReceiveCount to the
// queue's dead-letter queue and catches up move tasks.
ActionResult receive_now(storage::QueueRegistry& queues, storage::Queue& queue, const ReceiveRequest& request) {
  auto received = queues.receive(queue, request.max_messages, request.visibility_timeout, request.attempt_id);
  nlohmann::json out = nlohmann::json::object();
  if (!received.empty()) {
    nlohmann::json messages = nlohmann::json::array();
    for (const auto& r : received) messages.push_back(render_message(r, request));
    out["Messages"] = std::move(messages);
  }
  return ActionResult::ok(std::move(out));
}

// A parked receive: retried when the queue wakes it or when the next delayed
// or in-flight message is due, answered empty at the deadline.
// WaitTimeSeconds ends at whichever comes first: the wait on the engine clock
// (so advancing the clock past it ends the poll, as the time would have
// passed), or the wait in real time (so a frozen clock never holds a client
// past its own socket timeout). With the clock running normally both agree.
class ReceivePoll final : public PendingAction {
 public:
  ReceivePoll(storage::QueueRegistry& queues, std::shared_ptr<storage::Queue> queue, ReceiveRequest request,
              const storage::Clock& clock, seconds wait)
      : queues_(queues),
        queue_(std::move(queue)),
        request_(std::move(request)),
        clock_(clock),
        deadline_(clock.now() + wait),
        real_deadline_(std::chrono::steady_clock::now() + wait) {}
  ~ReceivePoll() override { cancel(); }

  std::optional<ActionResult> poll(bool final) override {
    if (queue_->closed()) return ActionResult::ok(nlohmann::json::object());
    auto result = receive_now(queues_, *queue_, request_);
    if (final || result.output.contains("Messages") || clock_.now() >= deadline_ ||
        std::chrono::steady_clock::now() >= real_deadline_) {
      return result;
    }
    return std::nullopt;
  }

  milliseconds time_to_next_check() const override {
    const auto now = clock_.now();
    auto next = deadline_;
    if (auto change = queue_->next_change(); change && *change < next) next = *change;
    // A move task may be about to bring messages here.
    if (auto due = queues_.move_tasks().next_due(); due && *due < next) next = *due;
    const auto engine_wait = std::chrono::duration_cast<milliseconds>(next - now);
    const auto real_wait =
        std::chrono::ceil<milliseconds>(real_deadline_ - std::chrono::steady_clock::now());
    return std::max(milliseconds(0), std::min(engine_wait, real_wait));
  }

  // A message may have arrived between the last poll() and this call: check
  // after registering, so no send is missed. Wakes may be spurious.
  void set_waker(std::function<void()> wake) override {
    auto id = queue_->add_waiter(wake);
    std::optional<std::uint64_t> previous;
    {
      std::lock_guard lock(mutex_);
      previous = std::exchange(waiter_, id);
    }
    if (previous) queue_->remove_waiter(*previous);
    if (queue_->has_receivable()) wake();
  }

  void cancel() override {
    std::lock_guard lock(mutex_);
    if (waiter_) queue_->remove_waiter(*waiter_);
    waiter_.reset();
  }

 private:
  storage::QueueRegistry& queues_;
  std::shared_ptr<storage::Queue> queue_;
  ReceiveRequest request_;
  const storage::Clock& clock_;
  storage::TimePoint deadline_;
  std::chrono::steady_clock::time_point real_deadline_;
  std::mutex mutex_;
  std::optional<std::uint64_t> waiter_;
};

void append_strings(const nlohmann::json* list, std::vector<std::string>& out) {
  if (list == nullptr) return;
  for (const auto& v : *list) out.push_back(v.get<std::string>());
}

}  // namespace

ActionResult receive_message(const SqsCall& call) {
  auto [queue, error] = resolve_queue(call);
  if (!queue) return ActionResult::fail(error);

  ReceiveRequest request;
  if (auto max = int_member(call.input, "MaxNumberOfMessages")) {
    if (*max < limits::kMinReceiveMessages || *max > limits::kMaxReceiveMessages) {
      return ActionResult::fail(
          invalid_parameter("MaxNumberOfMessages", std::to_string(*max), "Must be between 1 and 10, if provided."));
    }
    request.max_messages = static_cast<int>(*max);
  }
  if (auto visibility = int_member(call.input, "VisibilityTimeout")) {
    if (*visibility < 0 || *visibility > limits::kMaxVisibilityTimeoutSeconds) {
      return ActionResult::fail(invalid_parameter("VisibilityTimeout", std::to_string(*visibility),
                                                  "Must be >= 0 and <= 43200, if provided."));
    }
    request.visibility_timeout = seconds(*visibility);
  }
  auto attributes = queue->attributes();
  seconds wait = attributes.receive_message_wait;
  if (auto w = int_member(call.input, "WaitTimeSeconds")) {
    if (*w < 0 || *w > limits::kMaxWaitTimeSeconds) {
      return ActionResult::fail(
          invalid_parameter("WaitTimeSeconds", std::to_string(*w), "Must be >= 0 and <= 20, if provided."));
    }
    wait = seconds(*w);
  }
  append_strings(member(call.input, "AttributeNames"), request.system_attributes);
  append_strings(member(call.input, "MessageSystemAttributeNames"), request.system_attributes);
  append_strings(member(call.input, "MessageAttributeNames"), request.message_attributes);
  request.attempt_id = string_member(call.input, "ReceiveRequestAttemptId").value_or("");

  auto result = receive_now(call.queues, *queue, request);
  if (wait.count() == 0 || result.output.contains("Messages")) return result;
  return ActionResult::wait(
      std::make_unique<ReceivePoll>(call.queues, std::move(queue), std::move(request), call.clock, wait));
}

}  // namespace shoal::api::sqs
