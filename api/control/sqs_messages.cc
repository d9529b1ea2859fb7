// LocalStack's SQS developer endpoint, which users already script against:
//   GET
//   /_aws/sqs/messages?QueueUrl=<url>[&ShowInvisible=true][&ShowDelayed=true]
//   GET /_aws/sqs/messages/<region>/<account>/<queue>
// answers a ReceiveMessageResponse (XML; JSON in xmltodict's shape with
// Accept: application/json) listing the queue's messages without receiving
// them. An SDK pointed at http://host:port/_aws/sqs/messages may call
// ReceiveMessage (JSON or query protocol) and gets every message the same
// way; any other action answers InvalidRequest. Visible messages only unless
// ShowInvisible / ShowDelayed add the in-flight / delayed ones (marked by the
// IsVisible / IsDelayed attributes).
#include "api/control/control_call.h"
#include "api/control/peek_queue.h"
#include "api/model/service_model.h"
#include "api/protocol/codec.h"
#include "api/protocol/query_codec.h"

namespace shoal::api::control {
namespace {

// The receipt handle LocalStack gives peeked messages: not usable to delete.
constexpr std::string_view kPeekReceiptHandle = "SQS/BACKDOOR/ACCESS";
constexpr std::string_view kSqsTarget = "AmazonSQS.";

bool truthy(const std::optional<std::string>& v) { return v && (*v == "true" || *v == "True" || *v == "1"); }

struct Selection {
  bool show_invisible = false;
  bool show_delayed = false;
};

// Messages as ReceiveMessage's neutral output: {"Messages": [...]}.
nlohmann::json peek_output(storage::Queue& queue, Selection sel) {
  nlohmann::json messages = nlohmann::json::array();
  for (const auto& p : queue.peek()) {
    using State = storage::PeekedMessage::State;
    if (p.state == State::kInFlight && !sel.show_invisible) continue;
    if (p.state == State::kDelayed && !sel.show_delayed) continue;
    const auto& m = *p.message;
    nlohmann::json attributes = {{"SenderId", m.sender_id()},
                                 {"SentTimestamp", std::to_string(storage::to_epoch_ms(m.sent()))},
                                 {"ApproximateReceiveCount", std::to_string(p.receive_count)},
                                 {"ApproximateFirstReceiveTimestamp",
                                  std::to_string(p.first_receive ? storage::to_epoch_ms(*p.first_receive) : 0)}};
    if (!m.group_id().empty()) attributes["MessageGroupId"] = m.group_id();
    if (!m.deduplication_id().empty()) attributes["MessageDeduplicationId"] = m.deduplication_id();
    if (!m.sequence_number().empty()) attributes["SequenceNumber"] = m.sequence_number();
    if (sel.show_invisible) attributes["IsVisible"] = p.state == State::kInFlight ? "false" : "true";
    if (sel.show_delayed) attributes["IsDelayed"] = p.state == State::kDelayed ? "true" : "false";
    nlohmann::json out = {{"MessageId", m.message_id()},
                          {"ReceiptHandle", kPeekReceiptHandle},
                          {"MD5OfBody", m.md5_of_body()},
                          {"Body", m.body()},
                          {"Attributes", std::move(attributes)}};
    if (m.has_attributes()) {
      nlohmann::json rendered = nlohmann::json::object();
      for (const auto& [name, a] : m.attributes()) {
        nlohmann::json value = {{"DataType", a.data_type}};
        if (a.data_type.starts_with("Binary")) {
          value["BinaryValue"] =
              nlohmann::json::binary(std::vector<std::uint8_t>(a.binary_value.begin(), a.binary_value.end()));
        } else {
          value["StringValue"] = a.string_value;
        }
        rendered[name] = std::move(value);
      }
      out["MD5OfMessageAttributes"] = m.md5_of_attributes();
      out["MessageAttributes"] = std::move(rendered);
    }
    messages.push_back(std::move(out));
  }
  nlohmann::json result = nlohmann::json::object();
  if (!messages.empty()) result["Messages"] = std::move(messages);
  return result;
}

// xmltodict's reading of the XML answer: lists of one collapse to the item,
// an empty result is null.
nlohmann::json xmltodict_message(const nlohmann::json& m) {
  nlohmann::json out = {{"MessageId", m["MessageId"]},
                        {"ReceiptHandle", m["ReceiptHandle"]},
                        {"MD5OfBody", m["MD5OfBody"]},
                        {"Body", m["Body"]}};
  if (m.contains("MD5OfMessageAttributes")) out["MD5OfMessageAttributes"] = m["MD5OfMessageAttributes"];
  nlohmann::json attributes = nlohmann::json::array();
  for (const auto& [name, value] : m["Attributes"].items()) attributes.push_back({{"Name", name}, {"Value", value}});
  out["Attribute"] = std::move(attributes);
  if (m.contains("MessageAttributes")) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [name, value] : m["MessageAttributes"].items()) {
      nlohmann::json v = {{"DataType", value["DataType"]}};
      if (value.contains("StringValue")) v["StringValue"] = value["StringValue"];
      list.push_back({{"Name", name}, {"Value", std::move(v)}});
    }
    out["MessageAttribute"] = list.size() == 1 ? list[0] : list;
  }
  return out;
}

ApiResponse json_answer(const nlohmann::json& output, const std::string& request_id) {
  nlohmann::json result = nullptr;
  if (output.contains("Messages")) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : output["Messages"]) list.push_back(xmltodict_message(m));
    result = {{"Message", list.size() == 1 ? list[0] : list}};
  }
  return json_response(
      200,
      {{"ReceiveMessageResponse",
        {{"ReceiveMessageResult", std::move(result)}, {"ResponseMetadata", {{"RequestId", request_id}}}}}},
      request_id);
}

bool wants_json(const ApiRequest& request) {
  return request.header("accept").find("application/json") != std::string_view::npos;
}

ApiResponse error_answer(const ControlCall& call, const PeekQueue& found) {
  const auto& id = call.ctx.request_id;
  if (wants_json(call.request)) {
    return json_response(
        found.status,
        {{"ErrorResponse",
          {{"Error", {{"Type", "Sender"}, {"Code", found.code}, {"Message", found.message}}}, {"RequestId", id}}}},
        id);
  }
  return sqs_query_codec().error({found.code, found.code, found.status, true, found.message}, id);
}

const model::Shape* receive_output(const model::ServiceModel& model) {
  const auto* op = model.operation("ReceiveMessage");
  return op != nullptr ? op->output : nullptr;
}

// An SDK whose endpoint is .../_aws/sqs/messages, speaking AWS JSON.
ApiResponse sdk_json(const ControlCall& call) {
  const Codec& codec = json_codec(kSqsJson);
  const auto& id = call.ctx.request_id;
  auto target = call.request.header("x-amz-target");
  if (target.substr(kSqsTarget.size()) != "ReceiveMessage") {
    return codec.error(
        {"InvalidRequest", "InvalidRequest", 400, true, "This endpoint only accepts ReceiveMessage calls"}, id);
  }
  const auto* operation = model::ServiceModel::sqs().operation("ReceiveMessage");
  auto parsed = codec.parse(call.request.body, operation != nullptr ? operation->input : nullptr);
  if (auto* error = std::get_if<AwsError>(&parsed)) return codec.error(*error, id);
  const auto& input = std::get<nlohmann::json>(parsed);
  ControlCall inner{
      call.request, call.ctx, call.engines, call.query, input.is_object() ? input : nlohmann::json::object(),
      call.rest};
  auto found = find_peek_queue(inner);
  if (!found.queue) return codec.error({"QueueDoesNotExist", found.code, found.status, true, found.message}, id);
  return codec.action_result("ReceiveMessage", peek_output(*found.queue, {}),
                             receive_output(model::ServiceModel::sqs()), id);
}

// The same through the query protocol (form body or query string).
ApiResponse sdk_query(const ControlCall& call) {
  const Codec& codec = sqs_query_codec();
  const auto& id = call.ctx.request_id;
  auto action = query_action(call.request);
  if (auto* error = std::get_if<AwsError>(&action)) return codec.error(*error, id);
  if (std::get<std::string>(action) != "ReceiveMessage") {
    return codec.error(
        {"InvalidRequest", "InvalidRequest", 400, true, "This endpoint only accepts ReceiveMessage calls"}, id);
  }
  FormParams params = call.query;
  if (auto body = parse_form(call.request.body)) params.insert(params.end(), body->begin(), body->end());
  ControlCall inner{call.request, call.ctx, call.engines, std::move(params), call.body, call.rest};
  auto found = find_peek_queue(inner);
  if (!found.queue) return codec.error({found.code, found.code, found.status, true, found.message}, id);
  return codec.action_result("ReceiveMessage", peek_output(*found.queue, {}), receive_output(sqs_query_model()), id);
}

}  // namespace

ApiResponse localstack_sqs_messages(const ControlCall& call) {
  if (call.request.header("x-amz-target").starts_with(kSqsTarget)) return sdk_json(call);
  if (call.request.method == "POST" && is_query_request(call.request)) return sdk_query(call);
  if (call.request.method != "GET") {
    return control_error(405, "MethodNotAllowed", "GET /_aws/sqs/messages?QueueUrl=<url>", call.ctx.request_id);
  }
  auto found = call.rest.empty() || call.rest == "/" ? find_peek_queue(call) : find_peek_queue(call, call.rest);
  if (!found.queue) return error_answer(call, found);
  Selection sel{truthy(call.param("ShowInvisible")), truthy(call.param("ShowDelayed"))};
  auto output = peek_output(*found.queue, sel);
  if (wants_json(call.request)) return json_answer(output, call.ctx.request_id);
  return sqs_query_codec().action_result("ReceiveMessage", std::move(output), receive_output(sqs_query_model()),
                                         call.ctx.request_id);
}

}  // namespace shoal::api::control
