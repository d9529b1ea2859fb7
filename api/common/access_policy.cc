#include "api/common/access_policy.h"

#include <cctype>

#include <nlohmann/json.hpp>

namespace shoal::api {
namespace {

using Json = nlohmann::json;

char fold(char c, bool ignore_case) {
  return ignore_case ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// IAM's wildcards: '*' any run of characters, '?' any one. Iterative, with
// one backtrack point per '*', so hostile patterns stay linear-ish.
bool glob_match(std::string_view pattern, std::string_view text, bool ignore_case) {
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() &&
               (pattern[p] == '?' || fold(pattern[p], ignore_case) == fold(text[t], ignore_case))) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Calls `fn` on each string of a string-or-list element; other values are ignored.
template <typename Fn>
bool any_string(const Json& value, Fn&& fn) {
  if (value.is_string()) return fn(value.get_ref<const std::string&>());
  if (value.is_array()) {
    for (const auto& v : value) {
      if (v.is_string() && fn(v.get_ref<const std::string&>())) return true;
    }
  }
  return false;
}

// "*", the bare account id, or an IAM/STS ARN of that account (root, a user,
// a role, an assumed role): the caller is known only by its account.
bool aws_principal_matches(std::string_view principal, std::string_view account) {
  if (principal == "*" || principal == account) return true;
  if (!principal.starts_with("arn:")) return false;
  std::string_view fields[5];
  std::string_view rest = principal;
  for (auto& field : fields) {
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return false;
    field = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  return fields[1].starts_with("aws") && (fields[2] == "iam" || fields[2] == "sts") && fields[4] == account;
}

bool principal_matches(const Json& principal, std::string_view account) {
  if (principal.is_string()) return principal.get_ref<const std::string&>() == "*";
  if (!principal.is_object()) return false;
  const auto aws = principal.find("AWS");
  if (aws == principal.end()) return false;  // Service, Federated...: never a client of this emulator
  return any_string(*aws, [&](const std::string& p) { return aws_principal_matches(p, account); });
}

// Principal/NotPrincipal, Action/NotAction, Resource/NotResource: the element
// if present, else the inverse of its Not form; `absent` when neither is.
template <typename Match>
bool element_matches(const Json& statement, const char* name, const char* not_name, bool absent, Match&& match) {
  if (const auto it = statement.find(name); it != statement.end()) return match(*it);
  if (const auto it = statement.find(not_name); it != statement.end()) return !match(*it);
  return absent;
}

bool statement_applies(const Json& statement, std::string_view account, std::string_view action,
                       std::string_view resource) {
  if (!statement.is_object()) return false;
  if (const auto condition = statement.find("Condition");
      condition != statement.end() && !(condition->is_object() && condition->empty())) {
    return false;
  }
  const bool principal_ok = element_matches(statement, "Principal", "NotPrincipal", false,
                                            [&](const Json& p) { return principal_matches(p, account); });
  const bool action_ok = element_matches(statement, "Action", "NotAction", false, [&](const Json& a) {
    return any_string(a, [&](const std::string& pattern) { return glob_match(pattern, action, true); });
  });
  // A resource policy may leave Resource out: it then names its own resource.
  const bool resource_ok = element_matches(statement, "Resource", "NotResource", true, [&](const Json& r) {
    return any_string(r, [&](const std::string& pattern) { return glob_match(pattern, resource, false); });
  });
  return principal_ok && action_ok && resource_ok;
}

}  // namespace

PolicyEffect evaluate_policy(std::string_view policy_json, std::string_view principal_account,
                             std::string_view action, std::string_view resource_arn) {
  if (policy_json.empty()) return PolicyEffect::kNone;
  const auto policy = Json::parse(policy_json, nullptr, false);
  if (policy.is_discarded() || !policy.is_object()) return PolicyEffect::kNone;
  const auto statements = policy.find("Statement");
  if (statements == policy.end()) return PolicyEffect::kNone;
  auto effect = PolicyEffect::kNone;
  auto consider = [&](const Json& statement) {
    if (!statement_applies(statement, principal_account, action, resource_arn)) return;
    const auto e = statement.find("Effect");
    if (e == statement.end() || !e->is_string()) return;
    if (*e == "Deny") effect = PolicyEffect::kDeny;
    if (*e == "Allow" && effect == PolicyEffect::kNone) effect = PolicyEffect::kAllow;
  };
  if (statements->is_array()) {
    for (const auto& s : *statements) {
      consider(s);
      if (effect == PolicyEffect::kDeny) break;
    }
  } else {
    consider(*statements);
  }
  return effect;
}

Access decide_access(std::string_view caller, std::string_view owner, bool shareable, std::string_view policy_json,
                     std::string_view action, std::string_view resource_arn) {
  if (caller == owner) return Access::kGranted;
  if (!shareable) return Access::kNotGranted;
  switch (evaluate_policy(policy_json, caller, action, resource_arn)) {
    case PolicyEffect::kAllow:
      return Access::kGranted;
    case PolicyEffect::kDeny:
      return Access::kExplicitlyDenied;
    case PolicyEffect::kNone:
      break;
  }
  return Access::kNotGranted;
}

std::string not_authorized_message(std::string_view caller, std::string_view action, std::string_view resource_arn,
                                   Access verdict) {
  std::string out = "User: arn:aws:iam::" + std::string(caller) + ":root is not authorized to perform: " +
                    std::string(action) + " on resource: " + std::string(resource_arn);
  if (verdict == Access::kExplicitlyDenied) return out + " with an explicit deny in a resource-based policy";
  return out + " because no resource-based policy allows the " + std::string(action) + " action";
}

}  // namespace shoal::api
