#include "api/control/control_router.h"

#include <array>

#include "api/protocol/json_reader.h"

namespace shoal::api::control {
namespace {

// Control calls carry a few parameters; a bigger body is a mistake or an
// attack, refused before it is decoded.
constexpr std::size_t kMaxControlBodyBytes = std::size_t{1} << 20;

using Handler = ApiResponse (*)(const ControlCall&);

struct Route {
  std::string_view prefix;   // path prefix under /_shoal; the rest goes to the handler
  std::string_view methods;  // space-separated
  Handler handler;
};

constexpr std::array kRoutes = {
    Route{"/health", "GET HEAD", health},
    Route{"/reset", "POST", reset},
    Route{"/clock", "GET POST", clock},
    Route{"/sqs/messages", "GET", sqs_peek},
    Route{"/kinesis/shards", "GET", kinesis_peek},
    Route{"/faults", "GET POST DELETE", faults},
    Route{"/metrics", "GET", metrics},
    Route{"/overview", "GET", overview},
    Route{"/kinesis/records", "GET", kinesis_records},
    Route{"/console", "GET HEAD", console},
};

// `path` equals `prefix` or continues it with '/'.
bool under(std::string_view path, std::string_view prefix) {
  return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

bool allows(std::string_view methods, std::string_view method) {
  while (!methods.empty()) {
    auto space = methods.find(' ');
    if (methods.substr(0, space) == method) return true;
    if (space == std::string_view::npos) break;
    methods.remove_prefix(space + 1);
  }
  return false;
}

}  // namespace

bool is_control_path(std::string_view path) {
  return under(path, kControlPrefix) || under(path, kLocalStackSqsMessages);
}

ApiResponse handle_control(const ApiRequest& request, const RequestContext& ctx, ControlEngines& engines) {
  auto query = parse_form(request.query);
  if (!query) {
    return control_error(400, "MalformedQueryString",
                         has_too_many_form_params(request.query) ? "The query string has too many parameters."
                                                                 : "The query string has a bad %-escape.",
                         ctx.request_id);
  }
  if (request.body.size() > kMaxControlBodyBytes) {
    return control_error(413, "RequestEntityTooLarge",
                         "Control requests take at most " + std::to_string(kMaxControlBodyBytes) + " bytes of body.",
                         ctx.request_id);
  }
  nlohmann::json body = nlohmann::json::object();
  const bool json_body = request.header("content-type").find("json") != std::string_view::npos ||
                         (!request.body.empty() && request.body.front() == '{');
  if (!request.body.empty() && json_body && !request.has_header("x-amz-target")) {
    auto parsed = read_json(request.body);
    if (!parsed || !parsed->is_object()) {
      return control_error(400, "InvalidJson", "The request body is not a JSON object.", ctx.request_id);
    }
    body = std::move(*parsed);
  }
  std::string_view path = request.path;
  if (under(path, kLocalStackSqsMessages)) {
    ControlCall call{
        request, ctx, engines, std::move(*query), std::move(body), path.substr(kLocalStackSqsMessages.size())};
    return localstack_sqs_messages(call);
  }
  path.remove_prefix(kControlPrefix.size());
  for (const Route& route : kRoutes) {
    if (!under(path, route.prefix)) continue;
    if (!allows(route.methods, request.method)) {
      return control_error(
          405, "MethodNotAllowed",
          std::string(kControlPrefix) + std::string(route.prefix) + " accepts " + std::string(route.methods) + ".",
          ctx.request_id);
    }
    ControlCall call{request, ctx, engines, std::move(*query), std::move(body), path.substr(route.prefix.size())};
    return route.handler(call);
  }
  return control_error(404, "NotFound",
                       "No control endpoint at " + request.path +
                           "; see /_shoal/health, /_shoal/reset, /_shoal/clock, "
                           "/_shoal/sqs/messages, "
                           "/_shoal/kinesis/shards, /_shoal/kinesis/records, /_shoal/faults, /_shoal/metrics, "
                           "/_shoal/overview, /_shoal/console.",
                       ctx.request_id);
}

}  // namespace shoal::api::control
