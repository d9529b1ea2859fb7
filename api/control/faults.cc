// Fault injection rules:
//   GET    /_shoal/faults          the rules, with how often each matched and
//   fired POST   /_shoal/faults          add one (JSON body or query
//   parameters):
//          service, action, resource (queue or stream name): what it matches
//          (absent: any) error (an AWS code, e.g.
//          ProvisionedThroughputExceededException), status, message probability
//          (0..1, default 1), count (fire for the next N matching calls only)
//          latency_ms (0..60000), drop_connection (true: close without
//          answering) seed (the rule's generator seed: same seed, same choices)
//   DELETE /_shoal/faults[/<id>]   remove every rule, or one
#include <charconv>
#include <variant>

#include "api/control/control_call.h"

namespace shoal::api::control {
namespace {

constexpr std::int64_t kMaxLatencyMs = 60'000;
// AWS's own codes are under 60 characters and messages a few hundred; the
// bounds keep an injected answer within what clients expect of a header and
// an error body.
constexpr std::size_t kMaxErrorCodeLength = 256;
constexpr std::size_t kMaxMessageLength = 1024;

// An error code goes out in a header (x-amzn-ErrorType, or SQS's
// x-amzn-query-error) and the query XML
// <Code>: letters, digits and the punctuation AWS codes use.
bool is_error_code(std::string_view code) {
  for (char c : code) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-' || c == ':' || c == '#';
    if (!ok) return false;
  }
  return true;
}

// Printable text (any UTF-8 above U+001F, and tab): a message lands in JSON,
// CBOR and XML bodies.
bool is_message_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
      ++i;
      continue;
    }
    const std::size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + len > text.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// Characters, counting each UTF-8 sequence once.
std::size_t characters(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

template <typename T>
std::optional<T> parse_as(const std::string& text) {
  T value{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

nlohmann::json render(const FaultRule& r) {
  nlohmann::json out = {{"id", r.id},
                        {"service", r.service},
                        {"action", r.action},
                        {"resource", r.resource},
                        {"probability", r.probability},
                        {"latency_ms", r.latency.count()},
                        {"drop_connection", r.drop_connection},
                        {"seed", r.seed},
                        {"matched", r.matched},
                        {"fired", r.fired}};
  if (!r.error.empty()) out["error"] = r.error;
  if (r.status) out["status"] = *r.status;
  if (!r.message.empty()) out["message"] = r.message;
  if (r.remaining) out["remaining"] = *r.remaining;
  return out;
}

// The rule a POST describes, or an error message.
std::variant<FaultRule, std::string> parse_rule(const ControlCall& call) {
  FaultRule r;
  r.service = call.param("service").value_or("");
  if (!r.service.empty() && r.service != "sqs" && r.service != "kinesis") {
    return std::string("service must be sqs or kinesis (absent: both)");
  }
  r.action = call.param("action").value_or("");
  r.resource = call.param("resource").value_or("");
  r.error = call.param("error").value_or("");
  if (r.error.size() > kMaxErrorCodeLength || !is_error_code(r.error)) {
    return "error must be an AWS error code: at most " + std::to_string(kMaxErrorCodeLength) +
           " letters, digits and . _ - : #";
  }
  r.message = call.param("message").value_or("");
  if (!is_message_text(r.message) || characters(r.message) > kMaxMessageLength) {
    return "message must be printable UTF-8 text of at most " + std::to_string(kMaxMessageLength) + " characters";
  }
  if (auto s = call.param("status")) {
    auto v = parse_as<int>(*s);
    if (!v || *v < 400 || *v > 599) return std::string("status must be an HTTP error status, 400..599");
    r.status = *v;
  }
  if (auto p = call.param("probability")) {
    auto v = parse_as<double>(*p);
    if (!v || !(*v >= 0.0 && *v <= 1.0)) return std::string("probability must be a number from 0 to 1");
    r.probability = *v;
  }
  if (auto c = call.param("count")) {
    auto v = parse_as<std::uint64_t>(*c);
    if (!v || *v == 0) return std::string("count must be a positive integer");
    r.remaining = *v;
  }
  if (auto l = call.param("latency_ms")) {
    auto v = parse_as<std::int64_t>(*l);
    if (!v || *v < 0 || *v > kMaxLatencyMs) return std::string("latency_ms must be an integer from 0 to 60000");
    r.latency = std::chrono::milliseconds(*v);
  }
  if (auto d = call.param("drop_connection")) r.drop_connection = *d == "true" || *d == "1";
  if (auto s = call.param("seed")) {
    auto v = parse_as<std::uint64_t>(*s);
    if (!v) return std::string("seed must be a non-negative integer");
    r.seed = *v == 0 ? 1 : *v;  // 0 means "pick one" inside FaultRules
  }
  if (r.error.empty() && r.latency.count() == 0 && !r.drop_connection) {
    return std::string("a rule needs an effect: error, latency_ms or drop_connection");
  }
  return r;
}

}  // namespace

ApiResponse faults(const ControlCall& call) {
  auto& rules = call.engines.faults;
  const auto& id = call.ctx.request_id;
  const std::string_view method = call.request.method;
  if (method == "GET") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : rules.list()) list.push_back(render(r));
    return json_response(200, {{"rules", std::move(list)}}, id);
  }
  if (method == "DELETE") {
    if (call.rest.empty() || call.rest == "/") return json_response(200, {{"removed", rules.clear()}}, id);
    auto rule_id = parse_as<std::uint64_t>(std::string(call.rest.substr(1)));
    if (!rule_id || !rules.remove(*rule_id)) {
      return control_error(404, "NotFound", "No fault rule " + std::string(call.rest.substr(1)) + ".", id);
    }
    return json_response(200, {{"removed", 1}}, id);
  }
  if (!call.rest.empty() && call.rest != "/") return control_error(404, "NotFound", "POST /_shoal/faults", id);
  auto parsed = parse_rule(call);
  if (auto* message = std::get_if<std::string>(&parsed)) return control_error(400, "InvalidParameter", *message, id);
  auto rule = std::get<FaultRule>(std::move(parsed));
  const auto rule_id = rules.add(rule);
  for (const auto& r : rules.list()) {
    if (r.id == rule_id) return json_response(200, {{"rule", render(r)}}, id);
  }
  return json_response(200, {{"rule", {{"id", rule_id}}}}, id);
}

}  // namespace shoal::api::control
