// Helpers shared by the Kinesis control-plane actions in this folder: AWS's
// wording for a stream that is not ACTIVE, engine statuses of settings changes
// mapped to AWS errors, the tag character rules, and finding the stream or
// consumer a ResourceARN names. Pure functions over the engine; thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/aws_error.h"
#include "api/kinesis/kinesis_action.h"
#include "storage/status.h"
#include "storage/stream/stream.h"

namespace shoal::api::kinesis {

// "Stream <name> under account <account> not ACTIVE, instead in state <status>"
AwsError stream_not_active(const storage::StreamKey& key, std::string_view status);

// A refused stream settings change: kResourceInUse (stream not ACTIVE) in
// AWS's words, anything else through from_status.
AwsError change_error(const storage::Status& status, const storage::Stream& stream);

// "Consumer <name> under stream <stream> under account <account> not found."
AwsError consumer_not_found(const storage::StreamKey& key, std::string_view consumer);

// AWS's checks on tag keys and values (recorded in kinesalite's tests): the
// allowed characters, then '%'. `action` is "add tags to" or "remove tags from".
std::optional<AwsError> check_tag_text(const std::vector<std::string>& texts, std::string_view action,
                                       const storage::StreamKey& key);

// InvalidArgumentException for tags past the limit: "Failed to add tags to
// stream X under account A because a given stream cannot have more than N
// tags associated with it." (AWS's wording); for a consumer, the same about
// "consumer C of stream X".
AwsError too_many_tags(const KinesisCall& call, const storage::StreamKey& key, std::string_view consumer = {});

// Tags as AWS lists them: [{"Key", "Value"}] in key order.
nlohmann::json tag_list(const std::map<std::string, std::string>& tags);

// The stream or consumer that input ResourceARN names. Both must exist; a
// consumer ARN must match the consumer's current ARN exactly (its creation
// time included), so an ARN of a deregistered and re-registered consumer is
// unknown. `arn` is the canonical ARN (policies are stored under it).
struct ResolvedResource {
  std::shared_ptr<storage::Stream> stream;
  storage::StreamKey key;
  std::optional<storage::ConsumerInfo> consumer;
  std::string arn;
  std::optional<AwsError> error;
};
ResolvedResource resolve_resource(const KinesisCall& call);

// resolve_consumer plus the exact-ARN check above when ConsumerARN is given.
ResolvedConsumer resolve_current_consumer(const KinesisCall& call);

}  // namespace shoal::api::kinesis
