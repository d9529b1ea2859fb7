// Resource-based policies (an SQS queue's Policy attribute, a Kinesis
// stream's or consumer's resource policy) evaluated for one request, and the
// rule that decides whether a caller may act on another account's resource.
// The emulator knows a caller only by account, so any principal of that
// account matches it. Pure functions over the policy text; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace shoal::api {

enum class PolicyEffect {
  kNone,   // no statement applies: an implicit deny for another account
  kAllow,  // an Allow statement applies and no Deny does
  kDeny,   // a Deny statement applies: it wins over every Allow
};

// Evaluates `policy_json` (IAM policy grammar: Statement as an object or a
// list; Effect; Principal/NotPrincipal as "*" or {"AWS": "*" | account id |
// "arn:aws:iam::ACCOUNT:..." | list}; Action/NotAction and
// Resource/NotResource as a string or list with * and ? wildcards, actions
// case-insensitive) for `principal_account` doing `action` ("sqs:SendMessage")
// on `resource_arn`. A statement with a Condition never applies: the
// emulator cannot evaluate conditions, and the ones such policies carry
// (aws:SourceArn, aws:SecureTransport...) are not met by a plain client call.
// Malformed or empty text applies nothing.
PolicyEffect evaluate_policy(std::string_view policy_json, std::string_view principal_account,
                             std::string_view action, std::string_view resource_arn);

inline bool is_allowed(std::string_view policy_json, std::string_view principal_account, std::string_view action,
                       std::string_view resource_arn) {
  return evaluate_policy(policy_json, principal_account, action, resource_arn) == PolicyEffect::kAllow;
}

// The verdict on one call on a resource. `caller` and `owner` are account
// ids. The owner is always let through: its identity is the account's root,
// which AWS lets manage its own resources. Another account needs an Allow in
// the resource's policy, which only actions AWS shares across accounts
// (`shareable`) can use, and no Deny.
enum class Access { kGranted, kNotGranted, kExplicitlyDenied };
Access decide_access(std::string_view caller, std::string_view owner, bool shareable, std::string_view policy_json,
                     std::string_view action, std::string_view resource_arn);

// AWS's wording of a refusal: "User: arn:aws:iam::ACCOUNT:root is not
// authorized to perform: ACTION on resource: ARN because no resource-based
// policy allows the ACTION action" (or "with an explicit deny in a
// resource-based policy").
std::string not_authorized_message(std::string_view caller, std::string_view action, std::string_view resource_arn,
                                   Access verdict);

}  // namespace shoal::api
