// DurablePending: holds an answer back until the changes it acknowledges are
// in the log as durably as the fsync policy says (DurableStore::on_durable),
// without blocking a thread: the server parks it like a long poll and the
// journal's writer thread wakes it. It wraps either a rendered answer or a
// long poll whose eventual answer (a receive) must wait the same way.
// When the log cannot make the changes durable (a full disk) the answer is
// replaced by `unavailable()` (the caller's protocol's 503); with no
// `unavailable` (a read, which acknowledges nothing of its own) the answer is
// given anyway.
// Calls are serialized by the server (PendingResponse's contract); the
// journal's callback may come from any thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "api/aws_error.h"
#include "api/pending_response.h"
#include "storage/durability/durable_store.h"

namespace shoal::api {

// AWS's answer when a change cannot be made durable: ServiceUnavailable, 503.
AwsError log_unavailable_error();

class DurablePending final : public PendingResponse {
 public:
  using Unavailable = std::function<ApiResponse()>;

  // Answers `response` once `lsn` is durable.
  DurablePending(ApiResponse response, storage::journal::Lsn lsn, storage::durability::DurableStore& store,
                 Unavailable unavailable);
  // Runs the long poll; an answer it gives waits for the changes it logged.
  DurablePending(std::unique_ptr<PendingResponse> poll, storage::durability::DurableStore& store,
                 Unavailable unavailable);
  ~DurablePending() override;

  // True when `lsn` became durable (or never will be, for now) before this
  // returned: the caller may answer at once; otherwise the gate opens later.
  bool ready() const;

  std::optional<ApiResponse> poll(bool final) override;
  std::chrono::milliseconds time_to_next_check() const override;
  void set_waker(std::function<void()> wake) override;
  void cancel() override;

 private:
  struct Gate;
  void hold(ApiResponse response, storage::journal::Lsn lsn);
  ApiResponse give(bool durable);

  storage::durability::DurableStore& store_;
  Unavailable unavailable_;
  std::unique_ptr<PendingResponse> poll_;
  std::optional<ApiResponse> held_;
  storage::journal::Lsn held_lsn_ = 0;
  std::shared_ptr<Gate> gate_;
};

}  // namespace shoal::api
