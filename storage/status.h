// Status: the cheap result of an engine operation (leveldb's idea). Expected
// failures are values, never exceptions. The message is for logs and for the
// api layer's error mapping; it is not an AWS error string.
#pragma once

#include <string>
#include <utility>

namespace shoal::storage {

class Status {
 public:
  enum class Code {
    kOk,
    kNotFound,             // queue (or stream) does not exist
    kAlreadyExists,        // same name, different attributes; message names the attribute
    kInvalidHandle,        // receipt handle cannot be decoded / belongs elsewhere
    kHandleExpired,        // receipt handle no longer current (FIFO)
    kNotInflight,          // message is not in flight
    kPurgeInProgress,      // purge within the cool-down
    kInvalidArgument,      // a value the engine refuses; message says which
    kLimitExceeded,
    kResourceInUse,        // exists, or not in a state that allows the change (Kinesis)
    kThrottled,            // over a throughput limit; retrying later succeeds
  };

  Status() = default;
  static Status ok() { return {}; }
  static Status not_found(std::string m = {}) { return {Code::kNotFound, std::move(m)}; }
  static Status already_exists(std::string m = {}) { return {Code::kAlreadyExists, std::move(m)}; }
  static Status invalid_handle(std::string m = {}) { return {Code::kInvalidHandle, std::move(m)}; }
  static Status handle_expired(std::string m = {}) { return {Code::kHandleExpired, std::move(m)}; }
  static Status not_inflight(std::string m = {}) { return {Code::kNotInflight, std::move(m)}; }
  static Status purge_in_progress(std::string m = {}) { return {Code::kPurgeInProgress, std::move(m)}; }
  static Status invalid_argument(std::string m = {}) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status limit_exceeded(std::string m = {}) { return {Code::kLimitExceeded, std::move(m)}; }
  static Status resource_in_use(std::string m = {}) { return {Code::kResourceInUse, std::move(m)}; }
  static Status throttled(std::string m = {}) { return {Code::kThrottled, std::move(m)}; }

  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace shoal::storage
