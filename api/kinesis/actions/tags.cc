// Add/RemoveTags(ToStream|FromStream), ListTagsForStream and TagResource /
// UntagResource / ListTagsForResource: the tags of a stream (by name or ARN)
// or of a consumer (by its ARN; kept with the consumer, so they go when it is
// deregistered).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "api/kinesis/actions/control_plane.h"
#include "api/kinesis/kinesis_action.h"
#include "api/kinesis/kinesis_errors.h"

namespace shoal::api::kinesis {
namespace {

constexpr std::int64_t kDefaultListTagsLimit = 50;  // the model's maximum Limit

std::map<std::string, std::string> tags_of(const KinesisCall& call) {
  std::map<std::string, std::string> tags;
  if (const auto* t = member(call.input, "Tags")) {
    for (const auto& [k, v] : t->items()) tags[k] = v.is_string() ? v.get<std::string>() : std::string();
  }
  return tags;
}

std::vector<std::string> tag_keys_of(const KinesisCall& call) {
  std::vector<std::string> keys;
  if (const auto* k = member(call.input, "TagKeys")) {
    for (const auto& key : *k) keys.push_back(key.get<std::string>());
  }
  return keys;
}

// The checked tags of the request (TagResource / AddTagsToStream), or an error.
std::optional<AwsError> check_new_tags(const std::map<std::string, std::string>& tags, const storage::StreamKey& key) {
  std::vector<std::string> texts;
  for (const auto& [k, v] : tags) {
    texts.push_back(k);
    texts.push_back(v);
  }
  return check_tag_text(texts, "add tags to", key);
}

// `consumer` empty: the stream's own tags.
ActionResult add_tags(const KinesisCall& call, storage::Stream& stream, const std::string& consumer = {}) {
  const auto tags = tags_of(call);
  const auto& key = stream.key();
  if (auto bad = check_new_tags(tags, key)) return ActionResult::fail(*bad);
  auto st = consumer.empty() ? stream.add_tags(tags) : stream.add_consumer_tags(consumer, tags);
  if (!st) {
    // kInvalidArgument: a tag count over the limit (nothing changed).
    if (st.code() == storage::Status::Code::kInvalidArgument) {
      return ActionResult::fail(too_many_tags(call, key, consumer));
    }
    if (st.code() == storage::Status::Code::kNotFound && !consumer.empty()) {
      return ActionResult::fail(consumer_not_found(key, consumer));
    }
    return ActionResult::fail(from_status(st, key));
  }
  return ActionResult::ok(nlohmann::json::object());
}

ActionResult remove_tags(const KinesisCall& call, storage::Stream& stream, const std::string& consumer = {}) {
  const auto keys = tag_keys_of(call);
  const auto& key = stream.key();
  if (auto bad = check_tag_text(keys, "remove tags from", key)) return ActionResult::fail(*bad);
  if (consumer.empty()) {
    stream.remove_tags(keys);
  } else if (auto st = stream.remove_consumer_tags(consumer, keys); !st) {
    return ActionResult::fail(consumer_not_found(key, consumer));
  }
  return ActionResult::ok(nlohmann::json::object());
}

}  // namespace

ActionResult add_tags_to_stream(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  return add_tags(call, *resolved.stream);
}

ActionResult remove_tags_from_stream(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  return remove_tags(call, *resolved.stream);
}

ActionResult list_tags_for_stream(const KinesisCall& call) {
  auto resolved = resolve_stream(call);
  if (!resolved.stream) return ActionResult::fail(resolved.error);
  const auto tags = resolved.stream->tags();
  const auto limit = int_member(call.input, "Limit").value_or(kDefaultListTagsLimit);
  auto it = tags.begin();
  if (auto start = string_member(call.input, "ExclusiveStartTagKey")) it = tags.upper_bound(*start);
  nlohmann::json list = nlohmann::json::array();
  for (; it != tags.end() && static_cast<std::int64_t>(list.size()) < limit; ++it) {
    list.push_back({{"Key", it->first}, {"Value", it->second}});
  }
  return ActionResult::ok({{"Tags", std::move(list)}, {"HasMoreTags", it != tags.end()}});
}

ActionResult tag_resource(const KinesisCall& call) {
  auto resource = resolve_resource(call);
  if (resource.error) return ActionResult::fail(*resource.error);
  return add_tags(call, *resource.stream, resource.consumer ? resource.consumer->name : std::string());
}

ActionResult untag_resource(const KinesisCall& call) {
  auto resource = resolve_resource(call);
  if (resource.error) return ActionResult::fail(*resource.error);
  return remove_tags(call, *resource.stream, resource.consumer ? resource.consumer->name : std::string());
}

ActionResult list_tags_for_resource(const KinesisCall& call) {
  auto resource = resolve_resource(call);
  if (resource.error) return ActionResult::fail(*resource.error);
  const auto tags = resource.consumer ? resource.consumer->tags : resource.stream->tags();
  return ActionResult::ok({{"Tags", tag_list(tags)}});
}

}  // namespace shoal::api::kinesis
