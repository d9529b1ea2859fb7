// Helpers for journal tests: a journal on an in-memory disk, opened and
// replayed into a vector, and a tiny key-value "engine" whose records are
// idempotent (set/del), for compaction tests.
#pragma once

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/journal/journal.h"
#include "storage/journal/journal_files.h"

namespace shoal::storage::journal::testing {

inline Options memory_options(MemoryFileSystem& fs, FsyncPolicy fsync = FsyncPolicy::kAlways) {
  Options options;
  options.dir = "/data";
  options.files = &fs;
  options.fsync = fsync;
  return options;
}

struct Opened {
  std::unique_ptr<Journal> journal;
  std::vector<std::string> replayed;
  Recovery recovery;
  std::string error;
};

inline Opened open_journal(const Options& options) {
  Opened o;
  o.journal = Journal::open(
      options, [&o](std::string_view r) { o.replayed.emplace_back(r); }, &o.recovery, &o.error);
  return o;
}

inline std::string segment_path(std::uint64_t n) {
  char name[64];
  std::snprintf(name, sizeof name, "/data/segment-%020llu.log", static_cast<unsigned long long>(n));
  return name;
}

inline bool contains(const std::vector<std::string>& notes, const std::string& needle) {
  for (const auto& n : notes) {
    if (n.find(needle) != std::string::npos) return true;
  }
  return false;
}

// A key-value map whose changes are journal records "set k v" / "del k".
class KvModel {
 public:
  void apply(std::string_view record) {
    const std::string r(record);
    if (r.rfind("set ", 0) == 0) {
      const auto space = r.find(' ', 4);
      map_[r.substr(4, space - 4)] = r.substr(space + 1);
    } else if (r.rfind("del ", 0) == 0) {
      map_.erase(r.substr(4));
    } else {
      FAIL("unknown record " << r);
    }
  }
  // Applies and appends under one lock, as the journal contract asks.
  Lsn change(Journal& j, const std::string& record) {
    std::lock_guard lock(mu_);
    apply(record);
    return j.append(record);
  }
  void snapshot(const Journal::Emit& emit) {
    std::lock_guard lock(mu_);
    for (const auto& [k, v] : map_) emit("set " + k + " " + v);
  }
  std::map<std::string, std::string> state() {
    std::lock_guard lock(mu_);
    return map_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> map_;
};

inline std::map<std::string, std::string> replay_state(const std::vector<std::string>& records) {
  KvModel m;
  for (const auto& r : records) m.apply(r);
  return m.state();
}

}  // namespace shoal::storage::journal::testing
