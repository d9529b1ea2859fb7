// KinesisService: runs one Kinesis action by name: looks up the handler,
// validates the input against the Kinesis model with AWS's wording, converts
// wire values to the neutral form, then calls the handler. Protocol-neutral
// (JSON 1.1 and CBOR 1.1 both land here). Thread-safe.
#pragma once

#include "api/service.h"
#include "storage/clock.h"
#include "storage/stream/stream_registry.h"

namespace shoal::api::kinesis {

class KinesisService final : public Service {
 public:
  KinesisService(storage::StreamRegistry& streams, const storage::Clock& clock) : streams_(streams), clock_(clock) {}

  const model::ServiceModel& model() const override;
  ActionResult call(std::string_view action, nlohmann::json& input, WireFormat format,
                    const RequestContext& ctx) override;

 private:
  storage::StreamRegistry& streams_;
  const storage::Clock& clock_;
};

}  // namespace shoal::api::kinesis
