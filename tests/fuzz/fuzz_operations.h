// For the decoder fuzz targets: one SQS or Kinesis operation chosen by a
// byte of the input, so each run exercises a different input shape.
#pragma once

#include <cstdint>
#include <vector>

#include "api/model/service_model.h"
#include "api/model/validator.h"

namespace shoal::fuzz {

struct PickedOperation {
  const api::model::Operation* operation;
  api::model::Dialect dialect;
};

inline PickedOperation pick_operation(std::uint8_t byte) {
  static const std::vector<PickedOperation> all = [] {
    std::vector<PickedOperation> out;
    for (const auto& [name, op] : api::model::ServiceModel::kinesis().operations()) {
      out.push_back({&op, api::model::Dialect::kKinesis});
    }
    for (const auto& [name, op] : api::model::ServiceModel::sqs().operations()) {
      out.push_back({&op, api::model::Dialect::kSqs});
    }
    return out;
  }();
  return all[byte % all.size()];
}

}  // namespace shoal::fuzz
