// PosixFileSystem: the real disk. Segments are synced with fdatasync (it also
// flushes a grown size); directories with fsync.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "storage/journal/journal_files.h"

namespace shoal::storage::journal {
namespace {

IoStatus errno_status(const char* what, const FileSystem::Path& path, int err) {
  return IoStatus::error(std::string(what) + " " + path.string() + ": " + std::strerror(err));
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(FileSystem::Path path, int fd, std::uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  ~PosixWritableFile() override { ::close(fd_); }
  PosixWritableFile(const PosixWritableFile&) = delete;
  PosixWritableFile& operator=(const PosixWritableFile&) = delete;

  IoStatus append(std::string_view data) override {
    while (!data.empty()) {
      const ssize_t n = ::pwrite(fd_, data.data(), data.size(), static_cast<off_t>(size_));
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_status("write", path_, errno);
      }
      data.remove_prefix(static_cast<std::size_t>(n));
      size_ += static_cast<std::uint64_t>(n);
    }
    return IoStatus::ok();
  }

  IoStatus sync() override {
    if (::fdatasync(fd_) != 0) return errno_status("fdatasync", path_, errno);
    return IoStatus::ok();
  }

  IoStatus truncate(std::uint64_t size) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0)
      return errno_status("truncate", path_, errno);
    size_ = size;
    return IoStatus::ok();
  }

  std::uint64_t size() const override { return size_; }

 private:
  FileSystem::Path path_;
  int fd_;
  std::uint64_t size_;
};

}  // namespace

PosixFileSystem& PosixFileSystem::instance() {
  static PosixFileSystem fs;
  return fs;
}

IoStatus PosixFileSystem::create_dir(const Path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoStatus::error("create directory " + dir.string() + ": " + ec.message());
  return IoStatus::ok();
}

IoResult<std::vector<std::string>> PosixFileSystem::list(const Path& dir) {
  std::error_code ec;
  std::vector<std::string> names;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) return IoStatus::error("list " + dir.string() + ": " + ec.message());
  return names;
}

IoResult<std::string> PosixFileSystem::read(const Path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_status("open", file, errno);
  std::string data;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) data.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return errno_status("read", file, err);
    }
    if (n == 0) break;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return data;
}

IoResult<std::unique_ptr<WritableFile>> PosixFileSystem::open_writable(const Path& file,
                                                                       bool truncate) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : 0);
  const int fd = ::open(file.c_str(), flags, 0644);
  if (fd < 0) return errno_status("open", file, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return errno_status("stat", file, err);
  }
  return std::unique_ptr<WritableFile>(
      std::make_unique<PosixWritableFile>(file, fd, static_cast<std::uint64_t>(st.st_size)));
}

IoStatus PosixFileSystem::truncate(const Path& file, std::uint64_t size) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno_status("open", file, errno);
  IoStatus status;
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
    status = errno_status("truncate", file, errno);
  } else if (::fsync(fd) != 0) {
    status = errno_status("fsync", file, errno);
  }
  ::close(fd);
  return status;
}

IoStatus PosixFileSystem::rename(const Path& from, const Path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return errno_status("rename", from, errno);
  return IoStatus::ok();
}

IoStatus PosixFileSystem::remove(const Path& file) {
  if (::unlink(file.c_str()) != 0) return errno_status("remove", file, errno);
  return IoStatus::ok();
}

IoStatus PosixFileSystem::sync_dir(const Path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status("open", dir, errno);
  IoStatus status;
  if (::fsync(fd) != 0) status = errno_status("fsync", dir, errno);
  ::close(fd);
  return status;
}

}  // namespace shoal::storage::journal
