// Service: one AWS service as the dispatcher sees it: a model and a way to
// run an action on a decoded request body. Implementations validate against
// the model, convert wire values to the neutral form and call the handler.
// Implementations are thread-safe.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "api/action_result.h"
#include "api/model/service_model.h"
#include "api/protocol/wire_values.h"
#include "api/request_context.h"

namespace shoal::api {

class Service {
 public:
  virtual ~Service() = default;
  virtual const model::ServiceModel& model() const = 0;
  // `input` is the decoded body; it may be rewritten in place.
  virtual ActionResult call(std::string_view action, nlohmann::json& input, WireFormat format,
                            const RequestContext& ctx) = 0;
};

}  // namespace shoal::api
