// What every Kinesis action handler receives (KinesisCall) and the helpers
// they share: ARNs, finding the stream a request names (StreamName or
// StreamARN), and mapping engine statuses to AWS errors. Handlers are free
// functions, one file each under api/kinesis/actions/ (closely related pairs
// may share one), listed in kinesis_service.cc. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/action_result.h"
#include "api/aws_error.h"
#include "api/common/json_members.h"
#include "api/request_context.h"
#include "storage/clock.h"
#include "storage/stream/stream_registry.h"

namespace shoal::api::kinesis {

struct KinesisCall {
  const RequestContext& ctx;
  // Validated against the model and neutral: blobs are json::binary,
  // timestamps integer epoch milliseconds (in output too).
  const nlohmann::json& input;
  storage::StreamRegistry& streams;
  const storage::Clock& clock;
  std::string_view action = {};  // the AWS action name, which access is checked for
};

// arn:aws:kinesis:<region>:<account>:stream/<name>
std::string stream_arn(const storage::StreamKey& key);
// <stream arn>/consumer/<name>:<creation epoch seconds>
std::string consumer_arn(const storage::StreamKey& key, const storage::ConsumerInfo& consumer);
// The stream an ARN names (any account and region in it); nullopt if malformed.
std::optional<storage::StreamKey> parse_stream_arn(std::string_view arn);

// The stream named by input StreamName and/or StreamARN (they must agree).
// `stream` is null when absent; `error` then says why (ResourceNotFound with
// AWS's text, InvalidArgument for a missing or mismatching name, or
// AccessDenied for another account's stream: stream_access.h).
struct ResolvedStream {
  std::shared_ptr<storage::Stream> stream;
  storage::StreamKey key;
  AwsError error;
};
ResolvedStream resolve_stream(const KinesisCall& call);
// The same for a consumer ARN (input ConsumerARN), or StreamARN + ConsumerName;
// another account's access is checked against the consumer's policy.
struct ResolvedConsumer {
  std::shared_ptr<storage::Stream> stream;
  storage::StreamKey key;
  std::optional<storage::ConsumerInfo> consumer;
  AwsError error;
};
ResolvedConsumer resolve_consumer(const KinesisCall& call);

// Maps a failed engine status to AWS's error for the stream `key`.
AwsError from_status(const storage::Status& status, const storage::StreamKey& key);

// Neutral output values.
nlohmann::json timestamp_value(storage::TimePoint t);  // epoch ms; codecs render it
nlohmann::json blob_value(std::string_view bytes);     // json::binary

// Handlers, by AWS action.
ActionResult add_tags_to_stream(const KinesisCall& call);
ActionResult create_stream(const KinesisCall& call);
ActionResult decrease_stream_retention_period(const KinesisCall& call);
ActionResult delete_resource_policy(const KinesisCall& call);
ActionResult delete_stream(const KinesisCall& call);
ActionResult deregister_stream_consumer(const KinesisCall& call);
ActionResult describe_account_settings(const KinesisCall& call);
ActionResult describe_limits(const KinesisCall& call);
ActionResult describe_stream(const KinesisCall& call);
ActionResult describe_stream_consumer(const KinesisCall& call);
ActionResult describe_stream_summary(const KinesisCall& call);
ActionResult disable_enhanced_monitoring(const KinesisCall& call);
ActionResult enable_enhanced_monitoring(const KinesisCall& call);
ActionResult get_records(const KinesisCall& call);
ActionResult get_resource_policy(const KinesisCall& call);
ActionResult get_shard_iterator(const KinesisCall& call);
ActionResult increase_stream_retention_period(const KinesisCall& call);
ActionResult list_shards(const KinesisCall& call);
ActionResult list_stream_consumers(const KinesisCall& call);
ActionResult list_streams(const KinesisCall& call);
ActionResult list_tags_for_resource(const KinesisCall& call);
ActionResult list_tags_for_stream(const KinesisCall& call);
ActionResult merge_shards(const KinesisCall& call);
ActionResult put_record(const KinesisCall& call);
ActionResult put_records(const KinesisCall& call);
ActionResult put_resource_policy(const KinesisCall& call);
ActionResult register_stream_consumer(const KinesisCall& call);
ActionResult remove_tags_from_stream(const KinesisCall& call);
ActionResult split_shard(const KinesisCall& call);
ActionResult start_stream_encryption(const KinesisCall& call);
ActionResult stop_stream_encryption(const KinesisCall& call);
ActionResult subscribe_to_shard(const KinesisCall& call);
ActionResult tag_resource(const KinesisCall& call);
ActionResult untag_resource(const KinesisCall& call);
ActionResult update_account_settings(const KinesisCall& call);
ActionResult update_max_record_size(const KinesisCall& call);
ActionResult update_shard_count(const KinesisCall& call);
ActionResult update_stream_mode(const KinesisCall& call);
ActionResult update_stream_warm_throughput(const KinesisCall& call);

}  // namespace shoal::api::kinesis
