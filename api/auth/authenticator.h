// Authenticator: strict SigV4 verification of a request (Authorization
// header or presigned query string) against the configured access keys, on
// the emulator's clock. Permissive mode (the default) checks nothing. It
// answers what failed and AWS's wording for it; auth_errors.h turns that into
// each service's error. Immutable after construction: thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "api/api_request.h"

namespace shoal::api::auth {

struct AccessKey {
  std::string id;
  std::string secret;
  std::string account;  // empty: the id if it is 12 digits, else 000000000000
};

struct AuthConfig {
  bool strict = false;
  std::vector<AccessKey> keys;
};

// The signing name in the credential scope and AWS's skew window: SQS
// answers "... - 15 min.", Kinesis "... - 5 min.".
enum class SignedService { kSqs, kKinesis };

enum class AuthFailureKind {
  kMissing,         // neither an Authorization header nor X-Amz-Algorithm
  kIncomplete,      // parts missing or malformed
  kUnknownKey,      // an access key we do not know
  kMismatch,        // the signature (or scope, or payload hash) is wrong
  kSkewed,          // X-Amz-Date too far from now
  kPresignExpired,  // past X-Amz-Date + X-Amz-Expires
};

struct AuthFailure {
  AuthFailureKind kind;
  std::string message;
};

class Authenticator {
 public:
  explicit Authenticator(AuthConfig config);

  bool strict() const { return strict_; }
  // The key that signed the request, or why it is refused.
  std::variant<const AccessKey*, AuthFailure> verify(const ApiRequest& request, SignedService service,
                                                     std::int64_t now_epoch_seconds) const;

 private:
  bool strict_;
  std::unordered_map<std::string, AccessKey> keys_;
};

}  // namespace shoal::api::auth
