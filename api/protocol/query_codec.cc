#include "api/protocol/query_codec.h"

#include <cctype>

#include "api/protocol/query_form.h"
#include "api/protocol/query_protocol.h"
#include "api/protocol/query_versions.h"

namespace shoal::embedded {
extern const std::string_view kSqsQueryModelJson;
}  // namespace shoal::embedded

namespace shoal::api {
namespace {

constexpr std::string_view kXmlContentType = "text/xml";
// JSON handlers word this one for AWS JSON; over the query protocol AWS still
// answers with its older wording (recorded in the [sqs_query] snapshots).
constexpr std::string_view kNoQueueJsonMessage = "The specified queue does not exist.";
constexpr std::string_view kNoQueueQueryMessage = "The specified queue does not exist for this wsdl version.";

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool has_form_body(const ApiRequest& request) {
  auto content_type = request.header("content-type");
  auto media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  return iequals(media, kFormContentType);
}

AwsError malformed_query() {
  // AWS's common errors list MalformedQueryString with HTTP 404.
  return AwsError{"MalformedQueryString", "", 404, true, "The query string contains a syntax error."};
}

AwsError too_many_params() {
  return AwsError{"MalformedQueryString", "", 404, true,
                  "The request has more than " + std::to_string(kMaxFormParams) + " parameters."};
}

// Why parse_form refused `text`.
AwsError form_error(std::string_view text) {
  return has_too_many_form_params(text) ? too_many_params() : malformed_query();
}

// Query-string parameters, then (for a form body) the body's.
std::variant<FormParams, AwsError> request_params(const ApiRequest& request) {
  auto params = parse_form(request.query);
  if (!params) return form_error(request.query);
  if (has_form_body(request)) {
    auto body = parse_form(request.body);
    if (!body) return form_error(request.body);
    if (params->size() + body->size() > kMaxFormParams) return too_many_params();
    params->insert(params->end(), std::make_move_iterator(body->begin()), std::make_move_iterator(body->end()));
  }
  return std::move(*params);
}

bool is_account_path_segment(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "/<12-digit account>/<queue name>" names a queue, as its URL does.
bool is_queue_path(std::string_view path) {
  if (path.size() < 2 || path[0] != '/') return false;
  auto rest = path.substr(1);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || !is_account_path_segment(rest.substr(0, slash))) return false;
  auto name = rest.substr(slash + 1);
  return !name.empty() && name.find('/') == std::string_view::npos;
}

AwsError invalid_action(std::string_view action) {
  return AwsError{"InvalidAction", "", 400, true,
                  "The action " + std::string(action) + " is not valid for this web service."};
}

ApiResponse xml_response(int status, std::string body, const std::string& request_id) {
  ApiResponse r;
  r.status = status;
  r.content_type = std::string(kXmlContentType);
  r.headers.emplace_back("x-amzn-RequestId", request_id);
  r.body = std::move(body);
  return r;
}

class QueryCodec final : public Codec {
 public:
  // Blobs arrive as base64 text, as in AWS JSON, so the JSON normalisation
  // applies.
  WireFormat format() const override { return WireFormat::kJson; }

  bool accepts_method(std::string_view method) const override { return method == "POST" || method == "GET"; }

  // The query protocol names its own shapes (sqs_query_model()): `input` is
  // not needed.
  std::variant<nlohmann::json, AwsError> parse(std::string_view body, const model::Shape*) const override {
    auto params = parse_form(body);
    if (!params) return form_error(body);
    const std::string* action = find_param(*params, "Action");
    return decode(action != nullptr ? *action : std::string_view{}, *params);
  }

  std::variant<nlohmann::json, AwsError> parse_request(const ApiRequest& request, std::string_view action,
                                                       const model::Shape*, const RequestContext& ctx) const override {
    auto params = request_params(request);
    if (auto* error = std::get_if<AwsError>(&params)) return *error;
    auto decoded = decode(action, std::get<FormParams>(params));
    auto* value = std::get_if<nlohmann::json>(&decoded);
    if (value != nullptr && !value->contains("QueueUrl") && is_queue_path(request.path)) {
      const auto* operation = sqs_query_model().operation(action);
      if (operation != nullptr && operation->input != nullptr && operation->input->find_member("QueueUrl")) {
        (*value)["QueueUrl"] = std::string(ctx.scheme) + "://" + ctx.host + request.path;
      }
    }
    return decoded;
  }

  ApiResponse result(nlohmann::json output, const model::Shape* shape, const std::string& request_id) const override {
    // Without the action there is no element name; the request path always
    // calls action_result.
    return xml_response(200, render_query_result_xml("", shape, output, kSqsXmlNamespace, request_id), request_id);
  }

  ApiResponse action_result(std::string_view action, nlohmann::json output, const model::Shape* shape,
                            const std::string& request_id) const override {
    const auto* operation = sqs_query_model().operation(action);
    const model::Shape* query_shape = operation != nullptr ? operation->output : shape;
    return xml_response(200, render_query_result_xml(action, query_shape, output, kSqsXmlNamespace, request_id),
                        request_id);
  }

  ApiResponse error(const AwsError& e, const std::string& request_id) const override {
    if (e.code == "QueueDoesNotExist" && e.message == kNoQueueJsonMessage) {
      AwsError worded = e;
      worded.message = std::string(kNoQueueQueryMessage);
      return xml_response(e.http_status, render_query_error_xml(worded, kSqsXmlNamespace, request_id), request_id);
    }
    return xml_response(e.http_status, render_query_error_xml(e, kSqsXmlNamespace, request_id), request_id);
  }

 private:
  static std::variant<nlohmann::json, AwsError> decode(std::string_view action, const FormParams& params) {
    const auto* operation = sqs_query_model().operation(action);
    if (operation == nullptr) return invalid_action(action);
    return decode_query_params(operation->input, params);
  }
};

}  // namespace

const model::ServiceModel& sqs_query_model() {
  static const model::ServiceModel model(embedded::kSqsQueryModelJson);
  return model;
}

const Codec& sqs_query_codec() {
  static const QueryCodec codec;
  return codec;
}

bool is_query_request(const ApiRequest& request) {
  if (has_form_body(request)) return true;
  auto params = parse_form(request.query);
  if (params) return find_param(*params, "Action") != nullptr;
  // A query string that names an Action but breaks the encoding elsewhere is
  // still a query request: it gets MalformedQueryString, as from AWS.
  std::string_view query = request.query;
  return query.starts_with("Action=") || query.find("&Action=") != std::string_view::npos;
}

std::variant<std::string, AwsError> query_action(const ApiRequest& request) {
  auto params = request_params(request);
  if (auto* error = std::get_if<AwsError>(&params)) return *error;
  const auto& list = std::get<FormParams>(params);
  const std::string* action = find_param(list, "Action");
  if (action == nullptr || action->empty()) {
    return AwsError{"MissingAction", "", 400, true, "The request must contain the parameter Action."};
  }
  if (sqs_query_model().operation(*action) == nullptr) return invalid_action(*action);
  if (auto error = check_query_version(*action, find_param(list, "Version"))) return *error;
  return *action;
}

}  // namespace shoal::api
