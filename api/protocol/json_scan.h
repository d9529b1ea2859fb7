// skip_plain_json: the wide scan that json_reader and json_writer share for
// string contents: finds the next byte that is not printable ASCII or that
// JSON escapes (quote, backslash, control characters). Pure inline
// functions, thread-safe.
#pragma once

#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace shoal::api {

// True when none of the 8 bytes at p is a quote, a backslash, a control
// character or non-ASCII (SWAR; a false "no" only sends the caller to its
// byte-by-byte check).
inline bool plain_ascii_word(const char* p) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  auto has_zero_byte = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  return ((x | (x - kOnes * 0x20)) & kHigh) == 0 && !has_zero_byte(x ^ (kOnes * '"')) &&
         !has_zero_byte(x ^ (kOnes * '\\'));
}

// The first byte at or after p that is not plain (or a little before it:
// callers re-check byte by byte), 16 bytes per step with SSE2, then 8.
// Base64 record data, all plain, is most of a PutRecords request and of a
// GetRecords answer.
inline const char* skip_plain_json(const char* p, const char* end) {
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Signed compare: bytes >= 0x80 are negative, so "below 0x20" too.
    const __m128i bad =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)), _mm_cmplt_epi8(x, space));
    if (_mm_movemask_epi8(bad) != 0) break;
    p += 16;
  }
#endif
  while (end - p >= 8 && plain_ascii_word(p)) p += 8;
  return p;
}

}  // namespace shoal::api
