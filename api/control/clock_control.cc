// The emulator's clock, which every engine reads (visibility timeouts,
// delays, retention, dedup windows, purge cool-down, iterator expiry, stream
// status transitions):
//   GET  /_shoal/clock                       the current engine time
//   POST /_shoal/clock/advance?seconds=N     (or milliseconds=N) move it
//   forward POST /_shoal/clock/freeze                stop it (advance still
//   moves it) POST /_shoal/clock/resume                run again from where it
//   stands
// It never moves backwards. After a change every parked long poll re-checks at
// once, so a waiting ReceiveMessage gets a message whose visibility just ran
// out.
#include <charconv>
#include <cmath>
#include <ctime>

#include "api/control/control_call.h"

namespace shoal::api::control {
namespace {

// A year: the longest AWS timer here is Kinesis's 365-day retention; more is
// likely a unit mix-up.
constexpr std::int64_t kMaxAdvanceMs = std::int64_t{365} * 24 * 3600 * 1000;

std::string iso8601(storage::TimePoint t) {
  const std::int64_t ms = storage::to_epoch_ms(t);
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return out;
}

std::optional<double> parse_number(const std::string& text) {
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

nlohmann::json describe(const ControlEngines& e, std::size_t woken) {
  nlohmann::json out = clock_state(e);
  if (woken > 0) out["long_polls_woken"] = woken;
  return out;
}

}  // namespace

nlohmann::json clock_state(const ControlEngines& e) {
  const auto now = e.clock.now();
  return {{"now_ms", storage::to_epoch_ms(now)},
          {"now", iso8601(now)},
          {"frozen", e.controlled != nullptr && e.controlled->frozen()},
          {"offset_ms", e.controlled != nullptr ? e.controlled->offset().count() : 0}};
}

ApiResponse clock(const ControlCall& call) {
  auto& e = call.engines;
  const auto& id = call.ctx.request_id;
  if (call.rest.empty() || call.rest == "/") {
    if (call.request.method != "GET") return control_error(405, "MethodNotAllowed", "Use GET /_shoal/clock.", id);
    return json_response(200, describe(e, 0), id);
  }
  if (call.request.method != "POST") {
    return control_error(405, "MethodNotAllowed", "Clock changes are POST requests.", id);
  }
  if (e.controlled == nullptr) {
    return control_error(409, "ClockNotControllable", "This server runs on an injected clock.", id);
  }
  if (call.rest == "/advance") {
    std::optional<double> ms;
    if (auto s = call.param("seconds")) {
      auto v = parse_number(*s);
      if (v) ms = *v * 1000.0;
    } else if (auto m = call.param("milliseconds")) {
      ms = parse_number(*m);
    } else {
      return control_error(400, "MissingParameter", "advance needs seconds=N or milliseconds=N.", id);
    }
    // NaN passes every comparison below, so it is refused first.
    if (!ms || !std::isfinite(*ms) || *ms < 0 || *ms > static_cast<double>(kMaxAdvanceMs)) {
      return control_error(400, "InvalidParameter",
                           "The clock moves forward only, by at most 365 days: "
                           "give a number of seconds "
                           "(or milliseconds) between 0 and 31536000.",
                           id);
    }
    e.controlled->advance(std::chrono::milliseconds(static_cast<std::int64_t>(*ms)));
  } else if (call.rest == "/freeze") {
    e.controlled->freeze();
  } else if (call.rest == "/resume") {
    e.controlled->resume();
  } else {
    return control_error(404, "NotFound", "Clock actions: advance, freeze, resume.", id);
  }
  return json_response(200, describe(e, e.parked.wake_all()), id);
}

}  // namespace shoal::api::control
