// DecodeGuide: how the JSON and CBOR body readers follow an operation's input
// shape, so that no request builds more than a legal one could hold. Members
// the shape does not name are checked and skipped, not built; a container
// where a scalar (or the other container) belongs becomes an empty stand-in,
// since the validator words that type error from the kind alone; a list or
// map keeps at most one element past the model's max (enough for the
// validator to report the length), the rest is checked and skipped; and
// nesting follows the shape. Whatever the guide, every request builds at most
// kMaxDecodedValues values (a reader counts them in its ValueBudget).
// Immutable values over the immutable model:
// thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "api/aws_error.h"
#include "api/model/service_model.h"

namespace shoal::api {

// No AWS request comes near this (500 PutRecords entries are ~2,000 values,
// a full SendMessageBatch a few hundred); it caps what any body, however
// shaped, can cost: a few megabytes at worst.
inline constexpr std::size_t kMaxDecodedValues = 100'000;

// The values one body reader has built against kMaxDecodedValues.
class ValueBudget {
 public:
  // One more value; false (and the reader stops) past the budget.
  bool spend() {
    if (built_ < kMaxDecodedValues) {
      ++built_;
      return true;
    }
    exceeded_ = true;
    return false;
  }
  bool exceeded() const { return exceeded_; }

 private:
  std::size_t built_ = 0;
  bool exceeded_ = false;
};

// Why a body reader gave up.
enum class DecodeFailure { kMalformed, kTooManyValues };

// The SerializationException a JSON or CBOR body gets for it; `encoding`
// names the encoding ("JSON", "CBOR").
AwsError decode_error(DecodeFailure failure, std::string_view encoding);

class DecodeGuide {
 public:
  // Builds everything (within the value budget): callers with no model.
  static DecodeGuide unguided() { return DecodeGuide(Mode::kBuild, nullptr); }
  // Follows `input`; a null input (an unknown operation, or none) is an
  // object with nothing in it worth building, though all of it is checked.
  static DecodeGuide follow(const model::Shape* input);

  bool skips() const { return mode_ == Mode::kSkip; }
  // An object here is decoded member by member (true), or kept as `{}` and
  // its contents skipped (false).
  bool opens_object() const;
  // The same for an array.
  bool opens_array() const;
  // For an opened object: whether its keys are free (a map) or members.
  bool is_map() const;
  // The guide for the member named `key` of an opened object that is not a
  // map (AWS JSON names members by their model name; a locationName counts
  // too, as the validator reads it).
  DecodeGuide member(std::string_view key) const;
  // The guide for each list element or map value.
  DecodeGuide element() const;
  // How many list elements or distinct map keys are worth building.
  std::size_t keep() const;

 private:
  enum class Mode { kBuild, kFollow, kSkip };
  DecodeGuide(Mode mode, const model::Shape* shape) : mode_(mode), shape_(shape) {}
  static DecodeGuide of(const model::Member* member);

  Mode mode_;
  const model::Shape* shape_;
};

}  // namespace shoal::api
