#include "api/sqs/sqs_action.h"

#include "api/sqs/queue_address.h"
#include "api/sqs/sqs_errors.h"

namespace shoal::api::sqs {

const nlohmann::json* member(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::string> string_member(const nlohmann::json& object, const char* name) {
  const auto* v = member(object, name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

std::optional<std::int64_t> int_member(const nlohmann::json& object, const char* name) {
  const auto* v = member(object, name);
  if (v == nullptr || !v->is_number_integer()) return std::nullopt;
  return v->get<std::int64_t>();
}

std::optional<std::string> blob_member(const nlohmann::json& object, const char* name) {
  const auto* v = member(object, name);
  if (v == nullptr || !v->is_binary()) return std::nullopt;
  const auto& bytes = v->get_binary();
  return std::string(bytes.begin(), bytes.end());
}

ResolvedQueue resolve_queue(const SqsCall& call) {
  auto url = string_member(call.input, "QueueUrl");
  if (!url) return {nullptr, missing_parameter("QueueUrl")};
  auto key = parse_queue_url(*url, call.ctx);
  if (!key) return {nullptr, queue_does_not_exist()};
  auto queue = call.queues.find(*key);
  if (!queue) return {nullptr, queue_does_not_exist()};
  return {std::move(queue), {}};
}

}  // namespace shoal::api::sqs
