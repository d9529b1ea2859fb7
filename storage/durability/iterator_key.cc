#include "storage/durability/iterator_key.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include <openssl/rand.h>

namespace shoal::storage::durability {
namespace {

constexpr std::size_t kKeyBytes = 32;
constexpr const char* kFileName = "iterator.key";

bool write_synced(const std::filesystem::path& path, const std::string& bytes, std::string* error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = "cannot create " + path.string() + ": " + std::strerror(errno);
    return false;
  }
  const bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) && ::fsync(fd) == 0;
  if (!ok) *error = "cannot write " + path.string() + ": " + std::strerror(errno);
  ::close(fd);
  return ok;
}

void sync_dir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::optional<std::string> load_or_create_iterator_key(const std::filesystem::path& dir, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = "cannot create data directory " + dir.string() + ": " + ec.message();
    return std::nullopt;
  }
  const auto path = dir / kFileName;
  if (std::filesystem::exists(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.bad() && key.size() == kKeyBytes) return key;
    *error = path.string() + " is not a " + std::to_string(kKeyBytes) +
             "-byte key; remove it to start with a new one (older shard iterators then stop working)";
    return std::nullopt;
  }
  std::string key(kKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    *error = "no randomness for a new iterator key";
    return std::nullopt;
  }
  const auto tmp = dir / (std::string(kFileName) + ".tmp");
  if (!write_synced(tmp, key, error)) return std::nullopt;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    *error = "cannot rename " + tmp.string() + ": " + ec.message();
    return std::nullopt;
  }
  sync_dir(dir);
  return key;
}

}  // namespace shoal::storage::durability
