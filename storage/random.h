// Fast non-cryptographic randomness for ids: a thread-local xoshiro256**
// generator seeded once per thread from std::random_device. Thread-safe (no
// shared state). Not for secrets: ids only need to be unique and unguessable
// enough for an emulator.
#pragma once

#include <cstdint>
#include <string>

namespace shoal::storage {

// 64 random bits from this thread's generator.
std::uint64_t random_u64();

// A random (version 4) UUID, lower-case, 8-4-4-4-12 hex digits.
std::string random_uuid();

}  // namespace shoal::storage
