// The journal's file layer: the few file operations the log needs, behind an
// interface so tests can crash the "disk". PosixFileSystem is the real one
// (open/write/fdatasync/rename/fsync of the directory). MemoryFileSystem keeps
// files in memory and models a crash: crash() keeps only bytes a sync() covered
// and (by default) only directory changes a sync_dir() covered; fail_after(n)
// cuts the power after n more changes so a test can crash at every step;
// set_capacity(n) fills the disk at n bytes (writes fail with ENOSPC's words
// after writing what fits, as a real short write does).
// Both are thread-safe; a WritableFile is used by one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shoal::storage::journal {

// Ok, or what failed (the message names the path and the system's reason).
class IoStatus {
 public:
  IoStatus() = default;
  static IoStatus ok() { return {}; }
  static IoStatus error(std::string message) { return IoStatus(std::move(message)); }
  bool is_ok() const { return !message_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const std::string& message() const { return *message_; }

 private:
  explicit IoStatus(std::string m) : message_(std::move(m)) {}
  std::optional<std::string> message_;
};

// A value or the IoStatus that kept it from being produced.
template <typename T>
class IoResult {
 public:
  IoResult(T value) : value_(std::move(value)) {}            // NOLINT: implicit by design
  IoResult(IoStatus status) : status_(std::move(status)) {}  // NOLINT: must not be ok()
  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const IoStatus& status() const { return status_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }

 private:
  IoStatus status_;
  std::optional<T> value_;
};

// A file open for appending at its end.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual IoStatus append(std::string_view data) = 0;
  virtual IoStatus sync() = 0;  // the file's data (and size) reach the disk
  // Cuts the file back to `size` (not synced): how a writer takes back the
  // part of a write that failed halfway before it writes it again.
  virtual IoStatus truncate(std::uint64_t size) = 0;
  virtual std::uint64_t size() const = 0;
};

class FileSystem {
 public:
  using Path = std::filesystem::path;
  virtual ~FileSystem() = default;

  virtual IoStatus create_dir(const Path& dir) = 0;                      // ok if it exists
  virtual IoResult<std::vector<std::string>> list(const Path& dir) = 0;  // names, unsorted
  virtual IoResult<std::string> read(const Path& file) = 0;
  // Opens `file` for appending, creating it if missing; truncate empties it.
  virtual IoResult<std::unique_ptr<WritableFile>> open_writable(const Path& file,
                                                                bool truncate) = 0;
  virtual IoStatus truncate(const Path& file, std::uint64_t size) = 0;  // and syncs it
  // Directory changes: durable only after sync_dir(parent).
  virtual IoStatus rename(const Path& from, const Path& to) = 0;
  virtual IoStatus remove(const Path& file) = 0;
  virtual IoStatus sync_dir(const Path& dir) = 0;
};

class PosixFileSystem final : public FileSystem {
 public:
  static PosixFileSystem& instance();

  IoStatus create_dir(const Path& dir) override;
  IoResult<std::vector<std::string>> list(const Path& dir) override;
  IoResult<std::string> read(const Path& file) override;
  IoResult<std::unique_ptr<WritableFile>> open_writable(const Path& file, bool truncate) override;
  IoStatus truncate(const Path& file, std::uint64_t size) override;
  IoStatus rename(const Path& from, const Path& to) override;
  IoStatus remove(const Path& file) override;
  IoStatus sync_dir(const Path& dir) override;
};

class MemoryFileSystem final : public FileSystem {
 public:
  enum class CrashKeeps {
    kSyncedOnly,        // unsynced bytes and unsynced directory changes are lost
    kDirectoryChanges,  // unsynced bytes lost; every directory change survived
  };

  IoStatus create_dir(const Path& dir) override;
  IoResult<std::vector<std::string>> list(const Path& dir) override;
  IoResult<std::string> read(const Path& file) override;
  IoResult<std::unique_ptr<WritableFile>> open_writable(const Path& file, bool truncate) override;
  IoStatus truncate(const Path& file, std::uint64_t size) override;
  IoStatus rename(const Path& from, const Path& to) override;
  IoStatus remove(const Path& file) override;
  IoStatus sync_dir(const Path& dir) override;

  // Fault injection. After `changes` more successful changes (appends, syncs,
  // creations, truncations, renames, removals, directory syncs) every
  // operation fails, as if the power went out. Negative: never.
  void fail_after(std::int64_t changes);
  void power_off() { fail_after(0); }
  // Reboots: drops what the disk would lose, powers back on, and makes every
  // WritableFile opened before the crash fail from now on.
  void crash(CrashKeeps keeps = CrashKeeps::kSyncedOnly);

  // Runs at the start of every WritableFile::sync(), outside the file system's
  // lock: a test can hold a sync "in flight" (a slow disk) while others append.
  void set_sync_hook(std::function<void()> hook);

  // A disk of `bytes` (the sum of every file's size); nullopt: unlimited.
  // An append past it writes what fits and fails with "No space left on
  // device"; shrinking or removing files frees room, as on a real disk.
  void set_capacity(std::optional<std::uint64_t> bytes);

  // Inspection and tampering for tests (bypass faults; tampering is durable).
  std::uint64_t sync_count() const;  // successful WritableFile::sync() calls
  std::uint64_t change_count() const;
  bool exists(const Path& file) const;
  std::string contents(const Path& file) const;
  void set_contents(const Path& file, std::string data);
  std::vector<std::string> names(const Path& dir) const;  // sorted

 private:
  class File;
  struct Inode {
    std::string data;
    std::size_t synced = 0;  // data[0, synced) survives a crash
  };
  using Entries = std::map<std::string, std::shared_ptr<Inode>>;  // path -> file

  IoStatus begin_change(const std::string& what);  // under mu_: counts or refuses
  std::uint64_t used_locked() const;               // bytes in the files the system sees
  void sync_dir_locked(const std::string& dir);

  mutable std::mutex mu_;
  Entries entries_;          // what the running system sees
  Entries durable_entries_;  // what a crash would leave
  std::set<std::string> dirs_;
  std::int64_t changes_left_ = -1;
  std::uint64_t generation_ = 0;  // bumped by crash(): older handles are dead
  std::uint64_t syncs_ = 0;
  std::uint64_t changes_ = 0;
  std::shared_ptr<const std::function<void()>> sync_hook_;
  std::optional<std::uint64_t> capacity_;
};

}  // namespace shoal::storage::journal
