// ByteWriter / ByteReader: the primitives of the change encoding
// (change_codec.h): unsigned LEB128 varints, zigzag varints for signed
// values, length-prefixed byte strings, times as signed epoch milliseconds.
// A reader never reads past its input: a short or malformed input sets
// failed() and every later read returns zeros. Not thread-safe; values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/clock.h"
#include "storage/stream/hash_key.h"

namespace shoal::storage::durability {

class ByteWriter {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void svarint(std::int64_t v) {
    varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void boolean(bool v) { u8(v ? 1 : 0); }
  void bytes(std::string_view v) {
    varint(v.size());
    out_.append(v);
  }
  void time(TimePoint t) { svarint(to_epoch_ms(t)); }
  void opt_time(const std::optional<TimePoint>& t) {
    boolean(t.has_value());
    if (t) time(*t);
  }
  void u128(HashKey v) {
    varint(static_cast<std::uint64_t>(v >> 64));
    varint(static_cast<std::uint64_t>(v));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  bool failed() const { return failed_; }
  // A value read was out of its range: the record is malformed.
  void reject() { (void)fail<std::uint8_t>(); }
  bool done() const { return pos_ == in_.size(); }

  std::uint8_t u8() {
    if (pos_ >= in_.size()) return fail<std::uint8_t>();
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return fail<std::uint64_t>();
      const auto b = static_cast<std::uint8_t>(in_[pos_++]);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return fail<std::uint64_t>();
  }
  std::int64_t svarint() {
    const std::uint64_t v = varint();
    return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
  }
  bool boolean() { return u8() != 0; }
  std::string_view bytes() {
    const std::uint64_t n = varint();
    if (failed_ || n > in_.size() - pos_) return fail<std::string_view>();
    auto v = in_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  std::string str() { return std::string(bytes()); }
  TimePoint time() { return TimePoint(std::chrono::milliseconds(svarint())); }
  std::optional<TimePoint> opt_time() {
    if (!boolean()) return std::nullopt;
    return time();
  }
  HashKey u128() {
    const auto hi = static_cast<HashKey>(varint());
    return (hi << 64) | varint();
  }

 private:
  template <typename T>
  T fail() {
    failed_ = true;
    pos_ = in_.size();
    return T{};
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace shoal::storage::durability
