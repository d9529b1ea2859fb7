// Turns an authentication failure into the error AWS answers it with, per
// service: SQS (JSON and query alike) speaks the Query API's common errors
// (InvalidClientTokenId, SignatureDoesNotMatch, ... mostly 403), Kinesis the
// Coral JSON ones (UnrecognizedClientException, InvalidSignatureException,
// ... all 400). The codec that decoded the request renders it. Pure.
#pragma once

#include "api/auth/authenticator.h"
#include "api/aws_error.h"

namespace shoal::api::auth {

AwsError auth_error(const AuthFailure& failure, SignedService service);

}  // namespace shoal::api::auth
