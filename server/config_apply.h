// Applies a StartupConfig through the api layer's own actions (CreateQueue,
// SetQueueAttributes, TagQueue, CreateStream, AddTagsToStream,
// RegisterStreamConsumer, ...) sent as internal requests to the dispatcher,
// so validation and AWS's error wording are the ones a client would get.
// Idempotent: an existing queue is brought to the config's attributes and
// tags, an existing stream or consumer is left as it is (tags and retention
// are applied). Called once at start-up, before the server listens.
#pragma once

#include <string>

#include "api/dispatcher.h"
#include "server/startup_config.h"

namespace shoal::server {

struct ApplyResult {
  bool ok = true;
  std::string error;    // "ORIGIN: queue 'q': Code: AWS message"
  std::string summary;  // "3 queues, 1 stream" on success
};

ApplyResult apply_startup_config(api::Dispatcher& dispatcher, const StartupConfig& config);

}  // namespace shoal::server
