// The shard-iterator signing key of a data directory. Iterators handed out
// before a restart must still verify after it (for their 5 minutes), so the
// key lives in DIR/iterator.key: 32 random bytes, created once (written to a
// temporary file, synced, renamed) and read back on every later start.
// Not thread-safe (called once at start-up).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace shoal::storage::durability {

// The key, or nullopt with *error set when the file cannot be read or made.
std::optional<std::string> load_or_create_iterator_key(const std::filesystem::path& dir, std::string* error);

}  // namespace shoal::storage::durability
