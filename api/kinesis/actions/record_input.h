// Reading a PutRecord / PutRecords entry into the engine's PutRecordInput,
// and AWS's answers for the record-level errors both actions share.
// Thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/aws_error.h"
#include "storage/status.h"
#include "storage/stream/stream_types.h"

namespace shoal::api::kinesis {

// Data (json::binary), PartitionKey and ExplicitHashKey of `entry` into `out`
// (data copied once). InvalidArgumentException with AWS's text for an
// ExplicitHashKey above 2^128-1.
std::optional<AwsError> read_record(const nlohmann::json& entry, storage::PutRecordInput& out);

// The engine refused a record as too large: AWS's ValidationException at
// `path` ("data", "records.3.member.data") with the stream's limit.
AwsError record_too_large(const storage::Status& status, const storage::PutRecordInput& record, std::string_view path);

}  // namespace shoal::api::kinesis
