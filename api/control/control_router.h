// The control endpoints' entry point for the dispatcher: recognises their
// paths and routes a request to its family (see control_call.h for the list
// and README "Control endpoints" for the wire contract). Thread-safe.
#pragma once

#include <string_view>

#include "api/api_request.h"
#include "api/control/control_call.h"
#include "api/request_context.h"

namespace shoal::api::control {

inline constexpr std::string_view kControlPrefix = "/_shoal";
inline constexpr std::string_view kLocalStackSqsMessages = "/_aws/sqs/messages";

// "/_shoal", "/_shoal/...", "/_aws/sqs/messages" and "/_aws/sqs/messages/...".
bool is_control_path(std::string_view path);

ApiResponse handle_control(const ApiRequest& request, const RequestContext& ctx, ControlEngines& engines);

}  // namespace shoal::api::control
