// MemoryFileSystem: files as strings, with a crash model (see journal_files.h).
#include <algorithm>

#include "storage/journal/journal_files.h"

namespace shoal::storage::journal {
namespace {

std::string key(const FileSystem::Path& p) {
  std::string k = p.lexically_normal().string();
  if (k.size() > 1 && k.back() == '/') k.pop_back();
  return k;
}
std::string parent(const std::string& path) {
  return FileSystem::Path(path).parent_path().string();
}

}  // namespace

class MemoryFileSystem::File final : public WritableFile {
 public:
  File(MemoryFileSystem& fs, std::string path, std::shared_ptr<Inode> inode)
      : fs_(fs), path_(std::move(path)), inode_(std::move(inode)), generation_(fs.generation_) {}

  IoStatus append(std::string_view data) override {
    std::lock_guard lock(fs_.mu_);
    if (generation_ != fs_.generation_) return IoStatus::error("write " + path_ + ": stale handle");
    if (IoStatus s = fs_.begin_change("write " + path_); !s) return s;
    if (fs_.capacity_) {
      const std::uint64_t used = fs_.used_locked();
      const std::uint64_t room = *fs_.capacity_ > used ? *fs_.capacity_ - used : 0;
      if (data.size() > room) {
        inode_->data.append(data.substr(0, static_cast<std::size_t>(room)));
        return IoStatus::error("write " + path_ + ": No space left on device");
      }
    }
    inode_->data.append(data);
    return IoStatus::ok();
  }

  IoStatus truncate(std::uint64_t size) override {
    std::lock_guard lock(fs_.mu_);
    if (generation_ != fs_.generation_)
      return IoStatus::error("truncate " + path_ + ": stale handle");
    if (IoStatus s = fs_.begin_change("truncate " + path_); !s) return s;
    inode_->data.resize(static_cast<std::size_t>(size));
    inode_->synced = std::min<std::size_t>(inode_->synced, inode_->data.size());
    return IoStatus::ok();
  }

  IoStatus sync() override {
    std::shared_ptr<const std::function<void()>> hook;
    {
      std::lock_guard lock(fs_.mu_);
      hook = fs_.sync_hook_;
    }
    if (hook) (*hook)();
    std::lock_guard lock(fs_.mu_);
    if (generation_ != fs_.generation_) return IoStatus::error("sync " + path_ + ": stale handle");
    if (IoStatus s = fs_.begin_change("sync " + path_); !s) return s;
    inode_->synced = inode_->data.size();
    ++fs_.syncs_;
    return IoStatus::ok();
  }

  std::uint64_t size() const override {
    std::lock_guard lock(fs_.mu_);
    return inode_->data.size();
  }

 private:
  MemoryFileSystem& fs_;
  std::string path_;
  std::shared_ptr<Inode> inode_;
  std::uint64_t generation_;
};

IoStatus MemoryFileSystem::begin_change(const std::string& what) {
  if (changes_left_ == 0) return IoStatus::error(what + ": power is off");
  if (changes_left_ > 0) --changes_left_;
  ++changes_;
  return IoStatus::ok();
}

std::uint64_t MemoryFileSystem::used_locked() const {
  std::uint64_t used = 0;
  for (const auto& [path, inode] : entries_) used += inode->data.size();
  return used;
}

IoStatus MemoryFileSystem::create_dir(const Path& dir) {
  std::lock_guard lock(mu_);
  if (dirs_.count(key(dir)) != 0) return IoStatus::ok();
  if (IoStatus s = begin_change("mkdir " + key(dir)); !s) return s;
  dirs_.insert(key(dir));
  return IoStatus::ok();
}

IoResult<std::vector<std::string>> MemoryFileSystem::list(const Path& dir) {
  std::lock_guard lock(mu_);
  if (changes_left_ == 0) return IoStatus::error("list " + key(dir) + ": power is off");
  if (dirs_.count(key(dir)) == 0)
    return IoStatus::error("list " + key(dir) + ": no such directory");
  std::vector<std::string> out;
  for (const auto& [path, inode] : entries_) {
    if (parent(path) == key(dir)) out.push_back(Path(path).filename().string());
  }
  return out;
}

IoResult<std::string> MemoryFileSystem::read(const Path& file) {
  std::lock_guard lock(mu_);
  if (changes_left_ == 0) return IoStatus::error("read " + key(file) + ": power is off");
  const auto it = entries_.find(key(file));
  if (it == entries_.end()) return IoStatus::error("read " + key(file) + ": no such file");
  return it->second->data;
}

IoResult<std::unique_ptr<WritableFile>> MemoryFileSystem::open_writable(const Path& file,
                                                                        bool truncate) {
  std::lock_guard lock(mu_);
  const std::string k = key(file);
  if (dirs_.count(parent(k)) == 0) return IoStatus::error("open " + k + ": no such directory");
  auto it = entries_.find(k);
  if (it == entries_.end() || truncate) {
    if (IoStatus s = begin_change("open " + k); !s) return s;
  }
  if (it == entries_.end()) {
    it = entries_.emplace(k, std::make_shared<Inode>()).first;
  } else if (truncate) {
    it->second->data.clear();
    it->second->synced = 0;
  }
  return std::unique_ptr<WritableFile>(std::make_unique<File>(*this, k, it->second));
}

IoStatus MemoryFileSystem::truncate(const Path& file, std::uint64_t size) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(key(file));
  if (it == entries_.end()) return IoStatus::error("truncate " + key(file) + ": no such file");
  if (IoStatus s = begin_change("truncate " + key(file)); !s) return s;
  it->second->data.resize(static_cast<std::size_t>(size));
  it->second->synced = it->second->data.size();
  return IoStatus::ok();
}

IoStatus MemoryFileSystem::rename(const Path& from, const Path& to) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(key(from));
  if (it == entries_.end()) return IoStatus::error("rename " + key(from) + ": no such file");
  if (IoStatus s = begin_change("rename " + key(from)); !s) return s;
  auto inode = it->second;
  entries_.erase(it);
  entries_[key(to)] = std::move(inode);
  return IoStatus::ok();
}

IoStatus MemoryFileSystem::remove(const Path& file) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(key(file));
  if (it == entries_.end()) return IoStatus::error("remove " + key(file) + ": no such file");
  if (IoStatus s = begin_change("remove " + key(file)); !s) return s;
  entries_.erase(it);
  return IoStatus::ok();
}

void MemoryFileSystem::sync_dir_locked(const std::string& dir) {
  for (auto it = durable_entries_.begin(); it != durable_entries_.end();) {
    it = parent(it->first) == dir ? durable_entries_.erase(it) : std::next(it);
  }
  for (const auto& [path, inode] : entries_) {
    if (parent(path) == dir) durable_entries_[path] = inode;
  }
}

IoStatus MemoryFileSystem::sync_dir(const Path& dir) {
  std::lock_guard lock(mu_);
  if (dirs_.count(key(dir)) == 0)
    return IoStatus::error("sync " + key(dir) + ": no such directory");
  if (IoStatus s = begin_change("sync " + key(dir)); !s) return s;
  sync_dir_locked(key(dir));
  return IoStatus::ok();
}

void MemoryFileSystem::fail_after(std::int64_t changes) {
  std::lock_guard lock(mu_);
  changes_left_ = changes < 0 ? -1 : changes;
}

void MemoryFileSystem::crash(CrashKeeps keeps) {
  std::lock_guard lock(mu_);
  if (keeps == CrashKeeps::kDirectoryChanges) durable_entries_ = entries_;
  entries_ = durable_entries_;
  for (auto& [path, inode] : entries_) inode->data.resize(inode->synced);
  ++generation_;
  changes_left_ = -1;
}

void MemoryFileSystem::set_sync_hook(std::function<void()> hook) {
  std::lock_guard lock(mu_);
  sync_hook_ = hook ? std::make_shared<const std::function<void()>>(std::move(hook)) : nullptr;
}

void MemoryFileSystem::set_capacity(std::optional<std::uint64_t> bytes) {
  std::lock_guard lock(mu_);
  capacity_ = bytes;
}

std::uint64_t MemoryFileSystem::sync_count() const {
  std::lock_guard lock(mu_);
  return syncs_;
}

std::uint64_t MemoryFileSystem::change_count() const {
  std::lock_guard lock(mu_);
  return changes_;
}

bool MemoryFileSystem::exists(const Path& file) const {
  std::lock_guard lock(mu_);
  return entries_.count(key(file)) != 0;
}

std::string MemoryFileSystem::contents(const Path& file) const {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(key(file));
  return it == entries_.end() ? std::string() : it->second->data;
}

void MemoryFileSystem::set_contents(const Path& file, std::string data) {
  std::lock_guard lock(mu_);
  const std::string k = key(file);
  auto inode = std::make_shared<Inode>();
  inode->data = std::move(data);
  inode->synced = inode->data.size();
  entries_[k] = inode;
  durable_entries_[k] = inode;
  dirs_.insert(parent(k));
}

std::vector<std::string> MemoryFileSystem::names(const Path& dir) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [path, inode] : entries_) {
    if (parent(path) == key(dir)) out.push_back(Path(path).filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace shoal::storage::journal
