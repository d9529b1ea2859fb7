// Add/RemoveTags(ToStream|FromStream), ListTagsForStream and TagResource /
// UntagResource / ListTagsForResource: a stream's tags, by name or by ARN.
// Consumers cannot hold tags in this engine: TagResource on a consumer ARN is
// refused, and a consumer's tag list is always empty.
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

ActionResult add_tags(const KinesisCall& call, storage::Stream& stream) {
  const auto tags = tags_of(call);
  std::vector<std::string> texts;
  for (const auto& [k, v] : tags) {
    texts.push_back(k);
    texts.push_back(v);
  }
  const auto& key = stream.key();
  if (auto bad = check_tag_text(texts, "add tags to", key)) return ActionResult::fail(*bad);
  if (auto st = stream.add_tags(tags); !st) {
    // The engine refuses only a tag count over its limit (nothing changes).
    if (st.code() != storage::Status::Code::kInvalidArgument) return ActionResult::fail(from_status(st, key));
    return ActionResult::fail(invalid_argument(
        "Failed to add tags to stream " + key.name + " under account " + key.account +
        " because a given stream cannot have more than " + std::to_string(call.streams.options().limits.max_tags) +
        " tags associated with it."));
  }
  return ActionResult::ok(nlohmann::json::object());
}

ActionResult remove_tags(const KinesisCall& call, storage::Stream& stream) {
  const auto keys = tag_keys_of(call);
  if (auto bad = check_tag_text(keys, "remove tags from", stream.key())) return ActionResult::fail(*bad);
  stream.remove_tags(keys);
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
  if (resource.consumer) {
    return ActionResult::fail(
        invalid_argument("Tags on stream consumers are not supported by this server: " + resource.arn));
  }
  return add_tags(call, *resource.stream);
}

ActionResult untag_resource(const KinesisCall& call) {
  auto resource = resolve_resource(call);
  if (resource.error) return ActionResult::fail(*resource.error);
  if (resource.consumer) {
    // A consumer never holds tags here, so there is nothing to remove; the
    // keys are still checked as AWS checks them.
    if (auto bad = check_tag_text(tag_keys_of(call), "remove tags from", resource.key)) {
      return ActionResult::fail(*bad);
    }
    return ActionResult::ok(nlohmann::json::object());
  }
  return remove_tags(call, *resource.stream);
}

ActionResult list_tags_for_resource(const KinesisCall& call) {
  auto resource = resolve_resource(call);
  if (resource.error) return ActionResult::fail(*resource.error);
  if (resource.consumer) return ActionResult::ok({{"Tags", nlohmann::json::array()}});
  return ActionResult::ok({{"Tags", tag_list(resource.stream->tags())}});
}

}  // namespace shoal::api::kinesis
