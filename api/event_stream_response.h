// EventStreamResponse: adapts a protocol-neutral StreamingAction to the
// server's StreamingResponse. It answers 200 application/vnd.amazon.eventstream
// and frames every event (api/protocol/event_stream.h): first AWS's
// `initial-response` event, then the action's events, each payload rendered
// by the request's codec (JSON or CBOR) from the event stream shape of the
// operation's output. Its waker is also kept in ParkedPolls, so a clock change
// makes it look again (keep-alive and lifetime run on the engine clock).
// With durable storage, bytes an action produced are held back until every
// change logged before they were read is durable (DurableStore::last_lsn):
// a subscriber never sees a record a crash could still take back.
// Calls are serialized by the server (StreamingResponse's contract); the
// journal's callback may come from any thread.
#pragma once

#include <memory>
#include <string>

#include "api/action_result.h"
#include "api/control/parked_polls.h"
#include "api/model/service_model.h"
#include "api/protocol/codec.h"
#include "api/streaming_response.h"
#include "storage/durability/durable_store.h"

namespace shoal::api {

inline constexpr std::string_view kEventStreamContentType = "application/vnd.amazon.eventstream";

class EventStreamResponse final : public StreamingResponse {
 public:
  // stream_shape: the output's event stream member shape (its members are
  // the event and exception shapes), e.g. SubscribeToShardEventStream.
  EventStreamResponse(std::unique_ptr<StreamingAction> action, const Codec& codec, const model::Shape* stream_shape,
                      std::string request_id, ParkedPolls& parked, storage::durability::DurableStore* store = nullptr);
  ~EventStreamResponse() override;

  ApiResponse head() override;
  bool poll(bool final, std::string& out, std::size_t max_bytes) override;
  std::chrono::milliseconds time_to_next_check() const override;
  void set_waker(std::function<void()> wake) override;
  void cancel() override;

  // One event framed as the request's protocol renders it (for tests too).
  static void append_event(const StreamEvent& event, const Codec& codec, const model::Shape* stream_shape,
                           std::string& out);
  static void append_initial_response(const Codec& codec, std::string& out);

 private:
  struct Gate;
  void stop();
  // Moves held bytes to `out` once durable (or, final, after waiting).
  bool release_held(bool final, std::string& out);

  std::unique_ptr<StreamingAction> action_;
  const Codec& codec_;
  const model::Shape* stream_shape_;
  std::string request_id_;
  ParkedPolls& parked_;
  std::uint64_t parked_id_ = 0;
  bool started_ = false;
  bool ended_ = false;
  std::vector<StreamEvent> events_;  // reused between polls
  storage::durability::DurableStore* store_;
  std::string held_;            // rendered, waiting for the log
  std::shared_ptr<Gate> gate_;  // set while held_ waits
  bool action_ended_ = false;   // the held bytes end the stream
};

}  // namespace shoal::api
