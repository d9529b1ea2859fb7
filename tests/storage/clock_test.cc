// ControlledClock: follows the wall clock, advances, freezes and resumes
// without ever going backwards.
#include "storage/clock.h"

#include <doctest/doctest.h>

namespace shoal::storage {

using std::chrono::milliseconds;

TEST_CASE("a controlled clock starts at the wall clock") {
  ControlledClock clock;
  const auto wall = SystemClock().now();
  CHECK(clock.now() >= wall - milliseconds(5));
  CHECK(clock.now() <= wall + milliseconds(1000));
  CHECK_FALSE(clock.frozen());
}

TEST_CASE("advance moves a running clock forward by the amount") {
  ControlledClock clock;
  const auto before = clock.now();
  clock.advance(std::chrono::hours(12));
  CHECK(clock.now() - before >= std::chrono::hours(12));
  CHECK(clock.now() - before < std::chrono::hours(12) + milliseconds(1000));
  CHECK(clock.offset() == std::chrono::hours(12));
}

TEST_CASE("negative advances are ignored") {
  ControlledClock clock;
  clock.freeze();
  const auto at = clock.now();
  clock.advance(milliseconds(-5000));
  CHECK(clock.now() == at);
}

TEST_CASE("a frozen clock stands still, but still advances when told") {
  ControlledClock clock;
  clock.freeze();
  CHECK(clock.frozen());
  const auto at = clock.now();
  // Nothing but advance moves it, however long this takes.
  for (int i = 0; i < 1000; ++i) CHECK(clock.now() == at);
  clock.advance(milliseconds(30'000));
  CHECK(clock.now() == at + milliseconds(30'000));
}

TEST_CASE("resume runs on from the frozen instant") {
  ControlledClock clock;
  clock.freeze();
  clock.advance(std::chrono::seconds(60));
  const auto frozen_at = clock.now();
  clock.resume();
  CHECK_FALSE(clock.frozen());
  CHECK(clock.now() >= frozen_at);
  CHECK(clock.now() < frozen_at + milliseconds(1000));
}

}  // namespace shoal::storage
