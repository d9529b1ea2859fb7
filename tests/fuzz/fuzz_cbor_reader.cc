// libFuzzer target: the CBOR body reader (api/protocol/cbor_protocol.h), as
// the JSON target: guided by any operation it accepts exactly what the
// unguided reader accepts; accepted values are validated, normalised and
// encoded back.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/model/validator.h"
#include "api/protocol/cbor_protocol.h"
#include "api/protocol/wire_values.h"
#include "tests/fuzz/fuzz_operations.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto pick = shoal::fuzz::pick_operation(data[0]);
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  using shoal::api::DecodeFailure;

  auto unguided = shoal::api::decode_cbor(body, shoal::api::DecodeGuide::unguided());
  auto guided = shoal::api::decode_cbor(body, shoal::api::DecodeGuide::follow(pick.operation->input));
  auto malformed = [](const auto& r) {
    return std::holds_alternative<DecodeFailure>(r) && std::get<DecodeFailure>(r) == DecodeFailure::kMalformed;
  };
  if (std::holds_alternative<nlohmann::json>(unguided) && malformed(guided)) __builtin_trap();
  if (std::holds_alternative<nlohmann::json>(guided) && malformed(unguided)) __builtin_trap();

  if (auto* value = std::get_if<nlohmann::json>(&unguided)) (void)shoal::api::encode_cbor(*value, nullptr);
  if (auto* value = std::get_if<nlohmann::json>(&guided); value != nullptr && value->is_object()) {
    if (!shoal::api::model::validate(*pick.operation, *value, pick.dialect)) {
      shoal::api::normalize_input(pick.operation->input, *value, shoal::api::WireFormat::kCbor);
      (void)shoal::api::encode_cbor(*value, pick.operation->input);
    }
  }
  return 0;
}
