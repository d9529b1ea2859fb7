// What every control endpoint (health, reset, clock, peek, faults, metrics,
// the console's overview, record tail and assets) receives, and the helpers
// they share for reading parameters and answering in JSON. Control endpoints
// live under /_shoal/ (plus LocalStack's /_aws/sqs/messages), paths no AWS
// request uses: SQS queue paths start with a 12-digit account, everything
// else is POST /. One file per family, routed by control_router.cc.
// Thread-safe: a call is per request and the engines lock themselves.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_request.h"
#include "api/control/fault_rules.h"
#include "api/control/metrics.h"
#include "api/control/parked_polls.h"
#include "api/control/rate_tracker.h"
#include "api/protocol/query_form.h"
#include "api/request_context.h"
#include "storage/clock.h"
#include "storage/queue/queue_registry.h"
#include "storage/stream/stream_registry.h"

namespace shoal::api::control {

// Everything the control endpoints act on; owned by the dispatcher.
struct ControlEngines {
  storage::QueueRegistry& queues;
  storage::StreamRegistry& streams;
  const storage::Clock& clock;           // engine time
  storage::ControlledClock* controlled;  // nullptr: an injected clock the endpoints must not move
  FaultRules& faults;
  Metrics& metrics;
  ParkedPolls& parked;
  RateTracker& rates;  // the overview's rates, shared by every console
  std::string version;
  std::string storage_mode;
  std::chrono::steady_clock::time_point started;
  // With a data directory: why its log cannot be written ("" when it can).
  std::function<std::string()> log_failure;
};

struct ControlCall {
  const ApiRequest& request;
  const RequestContext& ctx;
  ControlEngines& engines;
  FormParams query;       // the query string, decoded
  nlohmann::json body;    // a JSON object body, or an empty object
  std::string_view rest;  // the path after the family's prefix, e.g. "/advance"

  // A query parameter, else a member of the JSON body (numbers and booleans
  // as text); nullopt when neither has it.
  std::optional<std::string> param(std::string_view name) const;
  // The account and region the call is about: the account / region
  // parameters, else the request's signature (000000000000, us-east-1).
  std::string account() const;
  std::string region() const;
};

ApiResponse json_response(int status, const nlohmann::json& body, const std::string& request_id);
// {"error": {"code": ..., "message": ...}}
ApiResponse control_error(int status, std::string_view code, std::string_view message, const std::string& request_id);

// The endpoint families (one file each).
ApiResponse health(const ControlCall& call);                   // health.cc
ApiResponse reset(const ControlCall& call);                    // reset.cc
ApiResponse clock(const ControlCall& call);                    // clock_control.cc
ApiResponse sqs_peek(const ControlCall& call);                 // peek.cc
ApiResponse kinesis_peek(const ControlCall& call);             // peek.cc
ApiResponse faults(const ControlCall& call);                   // faults.cc
ApiResponse metrics(const ControlCall& call);                  // metrics_endpoint.cc
ApiResponse localstack_sqs_messages(const ControlCall& call);  // sqs_messages.cc
ApiResponse overview(const ControlCall& call);                 // overview.cc
ApiResponse kinesis_records(const ControlCall& call);          // record_tail.cc
ApiResponse console(const ControlCall& call);                  // console_assets.cc

// {"now_ms", "now" (ISO 8601), "frozen", "offset_ms"}: GET /_shoal/clock's
// answer, in the overview too (clock_control.cc).
nlohmann::json clock_state(const ControlEngines& engines);

}  // namespace shoal::api::control
