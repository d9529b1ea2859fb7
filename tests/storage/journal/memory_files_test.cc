// The in-memory file layer's crash model, which every crash test relies on.
#include <doctest/doctest.h>

#include "storage/journal/journal_files.h"

namespace shoal::storage::journal {

using Keeps = MemoryFileSystem::CrashKeeps;

TEST_CASE("a crash keeps synced bytes of a linked file and drops the rest") {
  MemoryFileSystem fs;
  REQUIRE(fs.create_dir("/d"));
  auto f = fs.open_writable("/d/a", false).value();
  REQUIRE(f->append("synced"));
  REQUIRE(f->sync());
  REQUIRE(fs.sync_dir("/d"));
  REQUIRE(f->append("+lost"));
  CHECK(fs.contents("/d/a") == "synced+lost");
  fs.crash();
  CHECK(fs.contents("/d/a") == "synced");
  CHECK_FALSE(f->append("x"));  // handles from before the crash are dead
}

TEST_CASE("a new file whose directory was never synced vanishes in a crash") {
  MemoryFileSystem fs;
  REQUIRE(fs.create_dir("/d"));
  auto f = fs.open_writable("/d/a", false).value();
  REQUIRE(f->append("data"));
  REQUIRE(f->sync());
  fs.crash();
  CHECK_FALSE(fs.exists("/d/a"));
}

TEST_CASE("unsynced renames and removals are undone by a crash unless the crash keeps them") {
  for (Keeps keeps : {Keeps::kSyncedOnly, Keeps::kDirectoryChanges}) {
    MemoryFileSystem fs;
    fs.set_contents("/d/a", "A");
    fs.set_contents("/d/b", "B");
    REQUIRE(fs.rename("/d/a", "/d/c"));
    REQUIRE(fs.remove("/d/b"));
    fs.crash(keeps);
    if (keeps == Keeps::kSyncedOnly) {
      CHECK(fs.names("/d") == std::vector<std::string>{"a", "b"});
    } else {
      CHECK(fs.names("/d") == std::vector<std::string>{"c"});
      CHECK(fs.contents("/d/c") == "A");
    }
  }
}

TEST_CASE("fail_after lets exactly n changes through, then everything fails until the crash") {
  MemoryFileSystem fs;
  fs.set_contents("/d/a", "");
  auto f = fs.open_writable("/d/a", false).value();
  fs.fail_after(2);
  CHECK(f->append("1"));
  CHECK(f->sync());
  CHECK_FALSE(f->append("2"));
  CHECK_FALSE(fs.sync_dir("/d"));
  CHECK_FALSE(fs.read("/d/a"));
  fs.crash();
  CHECK(fs.read("/d/a").value() == "1");
}

}  // namespace shoal::storage::journal
