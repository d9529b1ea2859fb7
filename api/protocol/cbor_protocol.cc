#include "api/protocol/cbor_protocol.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>

#include "api/protocol/json_protocol.h"

namespace shoal::api {
namespace {

using model::Shape;
using model::ShapeType;

class CborWriter {
 public:
  std::string take() { return std::move(out_); }

  void write(const nlohmann::json& v, const Shape* shape) {
    if (shape != nullptr && shape->kind == ShapeType::kTimestamp && v.is_number()) {
      head(6, 1);  // tag 1: epoch time, in milliseconds as AWS sends it
      write_number(v);
      return;
    }
    switch (v.type()) {
      case nlohmann::json::value_t::object: {
        head(5, v.size());
        for (const auto& [key, element] : v.items()) {
          text(key);
          const Shape* child = nullptr;
          if (shape != nullptr && shape->kind == ShapeType::kStructure) {
            if (const auto* m = shape->find_member(key)) child = m->shape;
          } else if (shape != nullptr && shape->kind == ShapeType::kMap && shape->value != nullptr) {
            child = shape->value->shape;
          }
          write(element, child);
        }
        return;
      }
      case nlohmann::json::value_t::array: {
        head(4, v.size());
        const Shape* child = shape != nullptr && shape->member != nullptr ? shape->member->shape : nullptr;
        for (const auto& element : v) write(element, child);
        return;
      }
      case nlohmann::json::value_t::string:
        text(v.get_ref<const std::string&>());
        return;
      case nlohmann::json::value_t::binary: {
        const auto& b = v.get_binary();
        head(2, b.size());
        out_.append(reinterpret_cast<const char*>(b.data()), b.size());
        return;
      }
      case nlohmann::json::value_t::boolean:
        out_.push_back(v.get<bool>() ? '\xf5' : '\xf4');
        return;
      case nlohmann::json::value_t::null:
      case nlohmann::json::value_t::discarded:
        out_.push_back('\xf6');
        return;
      default:
        write_number(v);
    }
  }

 private:
  void write_number(const nlohmann::json& v) {
    if (v.is_number_unsigned()) {
      head(0, v.get<std::uint64_t>());
    } else if (v.is_number_integer()) {
      auto i = v.get<std::int64_t>();
      if (i >= 0) {
        head(0, static_cast<std::uint64_t>(i));
      } else {
        head(1, static_cast<std::uint64_t>(-(i + 1)));
      }
    } else {
      out_.push_back('\xfb');
      put_be(std::bit_cast<std::uint64_t>(v.get<double>()), 8);
    }
  }

  void text(const std::string& s) {
    head(3, s.size());
    out_.append(s);
  }

  void head(unsigned major, std::uint64_t n) {
    auto m = static_cast<char>(major << 5);
    if (n < 24) {
      out_.push_back(static_cast<char>(m | static_cast<char>(n)));
    } else if (n <= 0xff) {
      out_.push_back(static_cast<char>(m | 24));
      put_be(n, 1);
    } else if (n <= 0xffff) {
      out_.push_back(static_cast<char>(m | 25));
      put_be(n, 2);
    } else if (n <= 0xffffffffULL) {
      out_.push_back(static_cast<char>(m | 26));
      put_be(n, 4);
    } else {
      out_.push_back(static_cast<char>(m | 27));
      put_be(n, 8);
    }
  }

  void put_be(std::uint64_t n, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out_.push_back(static_cast<char>(n >> (8 * i) & 0xff));
  }

  std::string out_;
};

// A strict CBOR (RFC 8949) reader into nlohmann::json: byte strings become
// binary, tags are skipped (nlohmann's own reader rejects tags 0-5, and AWS
// clients send timestamps as tag 1), nesting is bounded. It follows a
// DecodeGuide: what the guide skips is checked by the same code with nothing
// kept, so a guide never changes which documents are well-formed.
class CborReader {
 public:
  explicit CborReader(std::string_view in) : in_(in) {}

  bool read_document(nlohmann::json& out, const DecodeGuide& guide) {
    return read(&out, guide, 0) && pos_ == in_.size();
  }

  bool over_budget() const { return budget_.exceeded(); }

 private:
  static constexpr int kMaxDepth = 256;


  // Reads one data item into *out, or checks it without building when out is
  // null (or the guide skips it).
  bool read(nlohmann::json* out, const DecodeGuide& guide, int depth) {
    if (depth > kMaxDepth || pos_ >= in_.size()) return false;
    if (guide.skips()) out = nullptr;
    const auto initial = static_cast<unsigned char>(in_[pos_]);
    const unsigned major = initial >> 5;
    // A tag stands for the value it tags, which counts instead of it.
    if (out != nullptr && major != 6 && !budget_.spend()) return false;
    ++pos_;
    const unsigned info = initial & 0x1f;
    if (major == 7) return read_simple(out, info);
    if (info == 31) return read_indefinite(out, guide, major, depth);
    auto n = argument(info);
    if (!n) return false;
    switch (major) {
      case 0:
        if (out != nullptr) *out = *n;
        return true;
      case 1:
        if (*n > static_cast<std::uint64_t>(INT64_MAX)) return false;
        if (out != nullptr) *out = -1 - static_cast<std::int64_t>(*n);
        return true;
      case 2: {
        auto bytes = take(*n);
        if (!bytes) return false;
        if (out != nullptr) *out = nlohmann::json::binary(std::vector<std::uint8_t>(bytes->begin(), bytes->end()));
        return true;
      }
      case 3: {
        auto text = take(*n);
        if (!text) return false;
        if (out != nullptr) *out = std::string(*text);
        return true;
      }
      case 4:
        if (*n > in_.size() - pos_) return false;  // each element needs a byte
        return read_array(out, guide, depth, *n);
      case 5:
        if (*n > in_.size() - pos_) return false;
        return read_map(out, guide, depth, *n);
      default:  // 6: a tag; the tagged value stands for itself
        return read(out, guide, depth + 1);
    }
  }

  bool at_break() const { return pos_ < in_.size() && static_cast<unsigned char>(in_[pos_]) == 0xff; }

  // `count` elements, or until a break when nullopt.
  bool read_array(nlohmann::json* out, const DecodeGuide& guide, int depth, std::optional<std::uint64_t> count) {
    nlohmann::json::array_t* items = nullptr;
    if (out != nullptr) {
      *out = nlohmann::json::array();
      if (guide.opens_array()) items = &out->get_ref<nlohmann::json::array_t&>();
    }
    const DecodeGuide child = items != nullptr ? guide.element() : guide;
    const std::size_t keep = items != nullptr && !child.skips() ? guide.keep() : 0;
    for (std::uint64_t i = 0; count ? i < *count : !at_break(); ++i) {
      nlohmann::json* element = nullptr;
      if (items != nullptr && items->size() < keep) element = &items->emplace_back();
      if (!read(element, element != nullptr ? child : DecodeGuide::follow(nullptr), depth + 1)) return false;
    }
    if (!count) ++pos_;  // the break
    return true;
  }

  bool read_map(nlohmann::json* out, const DecodeGuide& guide, int depth, std::optional<std::uint64_t> count) {
    nlohmann::json::object_t* members = nullptr;
    if (out != nullptr) {
      *out = nlohmann::json::object();
      if (guide.opens_object()) members = &out->get_ref<nlohmann::json::object_t&>();
    }
    const bool map = guide.is_map();
    const std::size_t keep = guide.keep();
    for (std::uint64_t i = 0; count ? i < *count : !at_break(); ++i) {
      // Keys are text strings, read (and not counted) even when skipped.
      std::string name;
      if (!read_key(name, depth + 1)) return false;
      nlohmann::json* value = nullptr;
      DecodeGuide child = DecodeGuide::follow(nullptr);
      if (members != nullptr) {
        child = map ? guide.element() : guide.member(name);
        if (!child.skips() && (members->size() < keep || members->contains(name))) value = &(*members)[name];
      }
      if (!read(value, child, depth + 1)) return false;
    }
    if (!count) ++pos_;
    return true;
  }

  // A map key: a text string, possibly tagged or in chunks. Anything else
  // is refused before it is read.
  bool read_key(std::string& key, int depth) {
    for (;; ++depth) {
      if (depth > kMaxDepth || pos_ >= in_.size()) return false;
      const auto head = static_cast<unsigned char>(in_[pos_++]);
      const unsigned info = head & 0x1f;
      if (head >> 5 == 6) {  // a tag on the key
        if (!argument(info)) return false;
        continue;
      }
      if (head >> 5 != 3) return false;
      if (info == 31) {
        nlohmann::json text;
        if (!read_indefinite(&text, DecodeGuide::unguided(), 3, depth)) return false;
        key = std::move(text.get_ref<std::string&>());
        return true;
      }
      auto n = argument(info);
      if (!n) return false;
      auto text = take(*n);
      if (!text) return false;
      key.assign(*text);
      return true;
    }
  }

  bool read_indefinite(nlohmann::json* out, const DecodeGuide& guide, unsigned major, int depth) {
    if (major == 2 || major == 3) {
      std::string joined;
      while (!at_break()) {
        if (pos_ >= in_.size()) return false;
        // Each chunk is a definite string of the same major type.
        const auto head = static_cast<unsigned char>(in_[pos_]);
        if (head >> 5 != major || (head & 0x1f) == 31) return false;
        ++pos_;
        auto n = argument(head & 0x1f);
        if (!n) return false;
        auto chunk = take(*n);
        if (!chunk) return false;
        if (out != nullptr) joined.append(*chunk);
      }
      ++pos_;
      if (out == nullptr) return true;
      if (major == 3) {
        *out = std::move(joined);
      } else {
        *out = nlohmann::json::binary(std::vector<std::uint8_t>(joined.begin(), joined.end()));
      }
      return true;
    }
    if (major == 4) return read_array(out, guide, depth, std::nullopt);
    if (major == 5) return read_map(out, guide, depth, std::nullopt);
    return false;
  }

  bool read_simple(nlohmann::json* out, unsigned info) {
    nlohmann::json value;
    switch (info) {
      case 20: value = false; break;
      case 21: value = true; break;
      case 22:
      case 23: value = nullptr; break;
      case 25: {
        auto bits = argument(25);
        if (!bits) return false;
        value = half_to_double(static_cast<std::uint16_t>(*bits));
        break;
      }
      case 26: {
        auto bits = argument(26);
        if (!bits) return false;
        value = static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(*bits)));
        break;
      }
      case 27: {
        auto bits = argument(27);
        if (!bits) return false;
        value = std::bit_cast<double>(*bits);
        break;
      }
      default:
        return false;
    }
    if (out != nullptr) *out = std::move(value);
    return true;
  }

  static double half_to_double(std::uint16_t h) {
    int exponent = (h >> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    double value = exponent == 0    ? std::ldexp(mantissa, -24)
                   : exponent == 31 ? (mantissa == 0 ? INFINITY : NAN)
                                    : std::ldexp(mantissa + 1024, exponent - 25);
    return (h & 0x8000) ? -value : value;
  }

  std::optional<std::uint64_t> argument(unsigned info) {
    if (info < 24) return info;
    int bytes = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
    if (bytes == 0 || in_.size() - pos_ < static_cast<std::size_t>(bytes)) return std::nullopt;
    std::uint64_t n = 0;
    for (int i = 0; i < bytes; ++i) n = n << 8 | static_cast<unsigned char>(in_[pos_++]);
    return n;
  }

  std::optional<std::string_view> take(std::uint64_t n) {
    if (n > in_.size() - pos_) return std::nullopt;
    auto out = in_.substr(pos_, n);
    pos_ += n;
    return out;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  ValueBudget budget_;
};

ApiResponse base(int status, const std::string& request_id) {
  ApiResponse r;
  r.status = status;
  r.content_type = std::string(kCborContentType);
  r.headers.emplace_back("x-amzn-RequestId", request_id);
  return r;
}

}  // namespace

std::variant<nlohmann::json, DecodeFailure> decode_cbor(std::string_view body, const DecodeGuide& guide) {
  nlohmann::json out;
  CborReader reader(body);
  if (!reader.read_document(out, guide)) {
    return reader.over_budget() ? DecodeFailure::kTooManyValues : DecodeFailure::kMalformed;
  }
  return out;
}

std::variant<nlohmann::json, AwsError> parse_cbor_body(std::string_view body, const DecodeGuide& guide) {
  if (body.empty()) return nlohmann::json::object();
  auto decoded = decode_cbor(body, guide);
  if (auto* failure = std::get_if<DecodeFailure>(&decoded)) return decode_error(*failure, "CBOR");
  auto* value = &std::get<nlohmann::json>(decoded);
  if (!value->is_object()) {
    return AwsError{"SerializationException", "", 400, true,
                    "Start of structure or map expected at the top level of the request body."};
  }
  return std::move(*value);
}

std::string encode_cbor(const nlohmann::json& value, const Shape* shape) {
  CborWriter writer;
  writer.write(value, shape);
  return writer.take();
}

ApiResponse render_cbor_result(const nlohmann::json& output, const Shape* shape, const std::string& request_id) {
  auto r = base(200, request_id);
  r.body = encode_cbor(output, shape);
  return r;
}

ApiResponse render_cbor_empty_result(const std::string& request_id) { return base(200, request_id); }

ApiResponse render_cbor_error(const AwsError& error, const std::string& request_id) {
  auto r = base(error.http_status, request_id);
  r.headers.emplace_back("x-amzn-ErrorType", error.code);
  nlohmann::json body = {{"__type", error.code}};
  if (!error.message.empty()) body[std::string(error_message_key(error.code))] = error.message;
  r.body = encode_cbor(body, nullptr);
  return r;
}

}  // namespace shoal::api
