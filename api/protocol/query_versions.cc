#include "api/protocol/query_versions.h"

#include <algorithm>
#include <array>

namespace shoal::api {
namespace {

// ISO dates compare as text.
constexpr std::string_view kOriginal = "2009-02-01";
constexpr std::string_view kBatches = "2011-10-01";
constexpr std::string_view kCurrent = "2012-11-05";
constexpr std::array<std::string_view, 3> kVersions = {kOriginal, kBatches, kCurrent};

constexpr std::array<std::string_view, 11> kOriginalActions = {"AddPermission",     "ChangeMessageVisibility",
                                                               "CreateQueue",       "DeleteMessage",
                                                               "DeleteQueue",       "GetQueueAttributes",
                                                               "ListQueues",        "ReceiveMessage",
                                                               "RemovePermission",  "SendMessage",
                                                               "SetQueueAttributes"};
constexpr std::array<std::string_view, 4> kBatchActions = {"ChangeMessageVisibilityBatch", "DeleteMessageBatch",
                                                           "GetQueueUrl", "SendMessageBatch"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// The first version that has `action`; actions added since 2011 (PurgeQueue,
// tags, dead-letter sources, message move tasks) came within 2012-11-05.
std::string_view introduced_in(std::string_view action) {
  if (contains(kOriginalActions, action)) return kOriginal;
  if (contains(kBatchActions, action)) return kBatches;
  return kCurrent;
}

bool is_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return false;
  }
  return true;
}

}  // namespace

std::optional<AwsError> check_query_version(std::string_view action, const std::string* version) {
  std::string_view effective = kOriginal;
  if (version != nullptr) {
    if (!is_date(*version)) {
      return AwsError{"MalformedVersion", "", 400, true, "Version not well formed: " + *version + "."};
    }
    if (!contains(kVersions, *version)) {
      return AwsError{"NoSuchVersion", "", 400, true,
                      "The requested version (" + *version + ") of service AmazonSQS does not exist."};
    }
    effective = *version;
  }
  if (introduced_in(action) > effective) {
    return AwsError{"InvalidAction", "", 400, true,
                    "The action " + std::string(action) + " is not valid for this endpoint."};
  }
  return std::nullopt;
}

}  // namespace shoal::api
