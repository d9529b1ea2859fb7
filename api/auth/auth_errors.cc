#include "api/auth/auth_errors.h"

namespace shoal::api::auth {
namespace {

constexpr const char* kInvalidToken = "The security token included in the request is invalid.";

// The query protocol's code also goes into x-amzn-query-error, which is
// where boto3 reads an SQS JSON error's code from.
AwsError sqs_error(std::string code, int status, std::string message) {
  AwsError e;
  e.query_code = code;
  e.code = std::move(code);
  e.http_status = status;
  e.sender_fault = true;
  e.message = std::move(message);
  return e;
}

AwsError kinesis_error(std::string code, std::string message) {
  AwsError e;
  e.code = std::move(code);
  e.http_status = 400;
  e.sender_fault = true;
  e.message = std::move(message);
  return e;
}

}  // namespace

AwsError auth_error(const AuthFailure& failure, SignedService service) {
  if (service == SignedService::kSqs) {
    switch (failure.kind) {
      case AuthFailureKind::kMissing:
        return sqs_error("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
      case AuthFailureKind::kIncomplete:
        return sqs_error("IncompleteSignature", 400, failure.message);
      case AuthFailureKind::kUnknownKey:
        return sqs_error("InvalidClientTokenId", 403, kInvalidToken);
      case AuthFailureKind::kMismatch:
      case AuthFailureKind::kSkewed:
        return sqs_error("SignatureDoesNotMatch", 403, failure.message);
      case AuthFailureKind::kPresignExpired:
        return sqs_error("RequestExpired", 400, failure.message);
    }
  }
  switch (failure.kind) {
    case AuthFailureKind::kMissing:
      return kinesis_error("MissingAuthenticationTokenException", "Missing Authentication Token");
    case AuthFailureKind::kIncomplete:
      return kinesis_error("IncompleteSignatureException", failure.message);
    case AuthFailureKind::kUnknownKey:
      return kinesis_error("UnrecognizedClientException", kInvalidToken);
    case AuthFailureKind::kMismatch:
    case AuthFailureKind::kSkewed:
    case AuthFailureKind::kPresignExpired:
      break;
  }
  return kinesis_error("InvalidSignatureException", failure.message);
}

}  // namespace shoal::api::auth
