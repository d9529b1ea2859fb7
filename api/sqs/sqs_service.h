// SqsService: runs one SQS action by name on a decoded request: looks up the
// handler, normalizes and validates the input against the SQS model, then
// calls the handler. Protocol-neutral. Thread-safe (state lives in the
// registry, which locks itself).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "api/service.h"
#include "storage/clock.h"
#include "storage/queue/queue_registry.h"

namespace shoal::api::sqs {

class SqsService final : public Service {
 public:
  SqsService(storage::QueueRegistry& queues, const storage::Clock& clock) : queues_(queues), clock_(clock) {}

  const model::ServiceModel& model() const override;
  ActionResult call(std::string_view action, nlohmann::json& input, WireFormat format,
                    const RequestContext& ctx) override;

 private:
  storage::QueueRegistry& queues_;
  const storage::Clock& clock_;
};

}  // namespace shoal::api::sqs
