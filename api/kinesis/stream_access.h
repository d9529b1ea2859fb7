// Who may call a Kinesis action on a stream or consumer: its owner always;
// another account only for the actions AWS lets a resource policy share, when
// the resource's policy (PutResourcePolicy) allows the caller and denies
// nothing. Consulted by the resolve helpers (kinesis_action.cc,
// control_plane.cc) and where an iterator or paging token names the stream
// (GetRecords, ListShards). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/aws_error.h"
#include "api/kinesis/kinesis_action.h"

namespace shoal::api::kinesis {

// nullopt when call.ctx's account may call call.action on `resource_arn` (a
// stream or consumer ARN) owned by `owner`; otherwise AccessDeniedException
// in AWS's words. A resource of another account that does not exist is
// refused the same way, so its existence does not leak.
std::optional<AwsError> check_stream_access(const KinesisCall& call, std::string_view owner,
                                            const std::string& resource_arn);

}  // namespace shoal::api::kinesis
