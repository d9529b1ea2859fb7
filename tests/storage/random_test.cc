// Random ids: UUID shape and no repeats across threads.
#include "storage/random.h"

#include <doctest/doctest.h>

#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace shoal::storage {

TEST_CASE("random_uuid is a lower-case version 4 UUID") {
  for (int i = 0; i < 100; ++i) {
    const std::string u = random_uuid();
    REQUIRE(u.size() == 36);
    CHECK(u[8] == '-');
    CHECK(u[13] == '-');
    CHECK(u[18] == '-');
    CHECK(u[23] == '-');
    CHECK(u[14] == '4');
    CHECK(std::string("89ab").find(u[19]) != std::string::npos);
    CHECK(u.find_first_not_of("0123456789abcdef-") == std::string::npos);
  }
}

TEST_CASE("random_uuid does not repeat across threads") {
  std::mutex mu;
  std::set<std::string> all;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 5000; ++i) mine.push_back(random_uuid());
      std::lock_guard lock(mu);
      all.insert(mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  CHECK(all.size() == 20000);
}

}  // namespace shoal::storage
