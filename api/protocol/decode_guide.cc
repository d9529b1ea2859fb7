#include "api/protocol/decode_guide.h"

#include <limits>
#include <string>

namespace shoal::api {

using model::ShapeType;

AwsError decode_error(DecodeFailure failure, std::string_view encoding) {
  if (failure == DecodeFailure::kTooManyValues) {
    return AwsError{"SerializationException", "", 400, true,
                    "The request body holds more than " + std::to_string(kMaxDecodedValues) +
                        " values, more than any request to this service can."};
  }
  return AwsError{"SerializationException", "", 400, true,
                  "Unable to parse the request body as " + std::string(encoding) + "."};
}

// A null shape in kFollow mode is a structure without members: the top of a
// request whose operation has no input (or is unknown), so the body is still
// an object but nothing in it is built.

DecodeGuide DecodeGuide::follow(const model::Shape* input) {
  // A shape the model leaves untyped has nothing to follow.
  if (input != nullptr && input->kind == ShapeType::kUnknown) return unguided();
  return DecodeGuide(Mode::kFollow, input);
}

DecodeGuide DecodeGuide::of(const model::Member* member) {
  if (member == nullptr || member->shape == nullptr) return unguided();
  return follow(member->shape);
}

bool DecodeGuide::opens_object() const {
  if (mode_ != Mode::kFollow) return mode_ == Mode::kBuild;
  return shape_ == nullptr || shape_->kind == ShapeType::kStructure || shape_->kind == ShapeType::kMap;
}

bool DecodeGuide::opens_array() const {
  if (mode_ != Mode::kFollow) return mode_ == Mode::kBuild;
  return shape_ != nullptr && shape_->kind == ShapeType::kList;
}

bool DecodeGuide::is_map() const {
  return mode_ != Mode::kFollow || (shape_ != nullptr && shape_->kind == ShapeType::kMap);
}

DecodeGuide DecodeGuide::member(std::string_view key) const {
  if (mode_ != Mode::kFollow) return *this;
  if (shape_ == nullptr) return DecodeGuide(Mode::kSkip, nullptr);
  for (const model::Member& m : shape_->members) {
    if (m.name == key || (!m.location_name.empty() && m.location_name == key)) return of(&m);
  }
  return DecodeGuide(Mode::kSkip, nullptr);
}

DecodeGuide DecodeGuide::element() const {
  if (mode_ != Mode::kFollow) return *this;
  if (shape_ == nullptr) return DecodeGuide(Mode::kSkip, nullptr);
  if (shape_->kind == ShapeType::kList) return of(shape_->member);
  if (shape_->kind == ShapeType::kMap) return of(shape_->value);
  return DecodeGuide(Mode::kSkip, nullptr);
}

std::size_t DecodeGuide::keep() const {
  if (mode_ == Mode::kFollow && shape_ != nullptr && shape_->max && *shape_->max >= 0) {
    return static_cast<std::size_t>(*shape_->max) + 1;
  }
  return std::numeric_limits<std::size_t>::max();
}

}  // namespace shoal::api
