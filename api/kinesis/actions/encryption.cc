// Start/StopStreamEncryption: server-side encryption of new records with a
// KMS key (the key id is recorded as given; there is no KMS to consult).
#include "api/kinesis/actions/control_plane.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

// Both actions name the encryption they start or stop; only KMS exists.
std::optional<AwsError> check_kms(const KinesisCall& call, std::string_view action) {
  const auto type = string_member(call.input, "EncryptionType").value_or("");
  if (type != "KMS") {
    return invalid_argument("EncryptionType " + type + " is not supported by " + std::string(action) +
                            "; use KMS.");
  }
  return std::nullopt;
}

}  // namespace

ActionResult start_stream_encryption(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  if (auto bad = check_kms(call, "StartStreamEncryption")) return ActionResult::fail(*bad);
  if (auto st = resolved.stream->start_encryption(string_member(call.input, "KeyId").value_or("")); !st) {
    return ActionResult::fail(change_error(st, *resolved.stream));
  }
  return ActionResult::ok(nlohmann::json::object());
}

ActionResult stop_stream_encryption(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  if (auto bad = check_kms(call, "StopStreamEncryption")) return ActionResult::fail(*bad);
  if (auto st = resolved.stream->stop_encryption(); !st) return ActionResult::fail(change_error(st, *resolved.stream));
  return ActionResult::ok(nlohmann::json::object());
}

}  // namespace shoal::api::kinesis
