// libFuzzer target: the JSON body reader (api/protocol/json_reader.h).
// Unguided, it must agree with nlohmann on every document it accepts; guided
// by any SQS or Kinesis operation (picked by the first byte), it must accept
// exactly what the unguided reader accepts, and its value then goes through
// the validator and the wire normalisation as a request's would.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/model/validator.h"
#include "api/protocol/json_reader.h"
#include "api/protocol/wire_values.h"
#include "tests/fuzz/fuzz_operations.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto pick = shoal::fuzz::pick_operation(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  auto unguided = shoal::api::decode_json(text, shoal::api::DecodeGuide::unguided());
  if (auto* value = std::get_if<nlohmann::json>(&unguided)) {
    auto reference = nlohmann::json::parse(text, nullptr, false);
    if (reference.is_discarded() || reference != *value) __builtin_trap();
  }

  auto guided = shoal::api::decode_json(text, shoal::api::DecodeGuide::follow(pick.operation->input));
  const bool unguided_malformed =
      std::holds_alternative<shoal::api::DecodeFailure>(unguided) &&
      std::get<shoal::api::DecodeFailure>(unguided) == shoal::api::DecodeFailure::kMalformed;
  const bool guided_malformed = std::holds_alternative<shoal::api::DecodeFailure>(guided) &&
                                std::get<shoal::api::DecodeFailure>(guided) == shoal::api::DecodeFailure::kMalformed;
  // A budget overrun may hide a later syntax error on either side, so only
  // complete reads are compared.
  if (std::holds_alternative<nlohmann::json>(unguided) && guided_malformed) __builtin_trap();
  if (std::holds_alternative<nlohmann::json>(guided) && unguided_malformed) __builtin_trap();

  if (auto* value = std::get_if<nlohmann::json>(&guided); value != nullptr && value->is_object()) {
    if (!shoal::api::model::validate(*pick.operation, *value, pick.dialect)) {
      shoal::api::normalize_input(pick.operation->input, *value, shoal::api::WireFormat::kJson);
    }
  }
  return 0;
}
