#include "api/kinesis/kinesis_service.h"

#include <map>

#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"
#include "api/model/validator.h"

namespace shoal::api::kinesis {
namespace {

using Handler = ActionResult (*)(const KinesisCall&);

const std::map<std::string_view, Handler, std::less<>>& handlers() {
  static const std::map<std::string_view, Handler, std::less<>> kHandlers = {
      {"AddTagsToStream", add_tags_to_stream},
      {"CreateStream", create_stream},
      {"DecreaseStreamRetentionPeriod", decrease_stream_retention_period},
      {"DeleteResourcePolicy", delete_resource_policy},
      {"DeleteStream", delete_stream},
      {"DeregisterStreamConsumer", deregister_stream_consumer},
      {"DescribeAccountSettings", describe_account_settings},
      {"DescribeLimits", describe_limits},
      {"DescribeStream", describe_stream},
      {"DescribeStreamConsumer", describe_stream_consumer},
      {"DescribeStreamSummary", describe_stream_summary},
      {"DisableEnhancedMonitoring", disable_enhanced_monitoring},
      {"EnableEnhancedMonitoring", enable_enhanced_monitoring},
      {"GetRecords", get_records},
      {"GetResourcePolicy", get_resource_policy},
      {"GetShardIterator", get_shard_iterator},
      {"IncreaseStreamRetentionPeriod", increase_stream_retention_period},
      {"ListShards", list_shards},
      {"ListStreamConsumers", list_stream_consumers},
      {"ListStreams", list_streams},
      {"ListTagsForResource", list_tags_for_resource},
      {"ListTagsForStream", list_tags_for_stream},
      {"MergeShards", merge_shards},
      {"PutRecord", put_record},
      {"PutRecords", put_records},
      {"PutResourcePolicy", put_resource_policy},
      {"RegisterStreamConsumer", register_stream_consumer},
      {"RemoveTagsFromStream", remove_tags_from_stream},
      {"SplitShard", split_shard},
      {"StartStreamEncryption", start_stream_encryption},
      {"StopStreamEncryption", stop_stream_encryption},
      {"SubscribeToShard", subscribe_to_shard},
      {"TagResource", tag_resource},
      {"UntagResource", untag_resource},
      {"UpdateAccountSettings", update_account_settings},
      {"UpdateMaxRecordSize", update_max_record_size},
      {"UpdateShardCount", update_shard_count},
      {"UpdateStreamMode", update_stream_mode},
      {"UpdateStreamWarmThroughput", update_stream_warm_throughput},
  };
  return kHandlers;
}

}  // namespace

const model::ServiceModel& KinesisService::model() const { return model::ServiceModel::kinesis(); }

ActionResult KinesisService::call(std::string_view action, nlohmann::json& input, WireFormat format,
                                  const RequestContext& ctx) {
  auto handler = handlers().find(action);
  const auto* operation = model().operation(action);
  if (handler == handlers().end() || operation == nullptr) return ActionResult::fail(unknown_operation());
  if (auto invalid = model::validate(*operation, input, model::Dialect::kKinesis)) {
    return ActionResult::fail(*invalid);
  }
  normalize_input(operation->input, input, format);
  return handler->second(KinesisCall{ctx, input, streams_, clock_, action});
}

}  // namespace shoal::api::kinesis
