// Describe/UpdateAccountSettings: the account's minimum throughput billing
// commitment. As AWS documents it: a commitment lasts at least 24 hours; a
// disable before then is scheduled (ENABLED_UNTIL_EARLIEST_ALLOWED_END) and
// takes effect at EarliestAllowedEndAt; enabling again cancels it.
#include <chrono>

#include "api/kinesis/kinesis_action.h"

namespace shoal::api::kinesis {
namespace {

constexpr auto kMinimumCommitment = std::chrono::hours(24);
constexpr std::string_view kEnabled = "ENABLED";
constexpr std::string_view kDisabled = "DISABLED";
constexpr std::string_view kEnding = "ENABLED_UNTIL_EARLIEST_ALLOWED_END";

// The stored settings as of `now`: a scheduled disable whose time has come is done.
storage::AccountSettings current(storage::AccountSettings s, storage::TimePoint now) {
  if (s.billing_commitment_status == kEnding && s.earliest_allowed_end_at && now >= *s.earliest_allowed_end_at) {
    s.billing_commitment_status = std::string(kDisabled);
    s.ended_at = s.earliest_allowed_end_at;
  }
  return s;
}

nlohmann::json settings_value(const storage::AccountSettings& s) {
  nlohmann::json commitment = {{"Status", s.billing_commitment_status}};
  if (s.started_at) commitment["StartedAt"] = timestamp_value(*s.started_at);
  if (s.ended_at) commitment["EndedAt"] = timestamp_value(*s.ended_at);
  if (s.earliest_allowed_end_at) commitment["EarliestAllowedEndAt"] = timestamp_value(*s.earliest_allowed_end_at);
  return {{"MinimumThroughputBillingCommitment", std::move(commitment)}};
}

}  // namespace

ActionResult describe_account_settings(const KinesisCall& call) {
  return ActionResult::ok(settings_value(current(call.streams.account_settings(call.ctx.account), call.clock.now())));
}

ActionResult update_account_settings(const KinesisCall& call) {
  const auto now = call.clock.now();
  auto s = current(call.streams.account_settings(call.ctx.account), now);
  const auto* input = member(call.input, "MinimumThroughputBillingCommitment");
  const auto wanted = input ? string_member(*input, "Status").value_or("") : std::string();
  if (wanted == kEnabled) {
    if (s.billing_commitment_status == kDisabled) {
      s.started_at = now;
      s.earliest_allowed_end_at = now + kMinimumCommitment;
    }
    s.billing_commitment_status = std::string(kEnabled);
    s.ended_at.reset();
  } else if (wanted == kDisabled && s.billing_commitment_status == kEnabled) {
    if (s.earliest_allowed_end_at && now < *s.earliest_allowed_end_at) {
      s.billing_commitment_status = std::string(kEnding);  // EndedAt is set when it lapses
    } else {
      s.billing_commitment_status = std::string(kDisabled);
      s.ended_at = now;
    }
  }
  call.streams.set_account_settings(call.ctx.account, s);
  return ActionResult::ok(settings_value(s));
}

}  // namespace shoal::api::kinesis
