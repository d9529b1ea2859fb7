#include "api/protocol/cbor_protocol.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>

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
// clients send timestamps as tag 1), nesting is bounded.
class CborReader {
 public:
  explicit CborReader(std::string_view in) : in_(in) {}

  std::optional<nlohmann::json> read_document() {
    auto v = read(0);
    if (!v || pos_ != in_.size()) return std::nullopt;
    return v;
  }

 private:
  static constexpr int kMaxDepth = 256;

  std::optional<nlohmann::json> read(int depth) {
    if (depth > kMaxDepth || pos_ >= in_.size()) return std::nullopt;
    auto initial = static_cast<unsigned char>(in_[pos_++]);
    unsigned major = initial >> 5;
    unsigned info = initial & 0x1f;
    if (major == 7) return read_simple(info);
    if (info == 31) return read_indefinite(major, depth);
    auto n = argument(info);
    if (!n) return std::nullopt;
    switch (major) {
      case 0:
        return nlohmann::json(*n);
      case 1:
        if (*n > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
        return nlohmann::json(-1 - static_cast<std::int64_t>(*n));
      case 2: {
        auto bytes = take(*n);
        if (!bytes) return std::nullopt;
        return nlohmann::json::binary(std::vector<std::uint8_t>(bytes->begin(), bytes->end()));
      }
      case 3: {
        auto text = take(*n);
        if (!text) return std::nullopt;
        return nlohmann::json(std::string(*text));
      }
      case 4: {
        if (*n > in_.size() - pos_) return std::nullopt;  // each element needs a byte
        auto array = nlohmann::json::array();
        for (std::uint64_t i = 0; i < *n; ++i) {
          auto element = read(depth + 1);
          if (!element) return std::nullopt;
          array.push_back(std::move(*element));
        }
        return array;
      }
      case 5: {
        if (*n > in_.size() - pos_) return std::nullopt;
        auto map = nlohmann::json::object();
        for (std::uint64_t i = 0; i < *n; ++i) {
          if (!read_entry(map, depth)) return std::nullopt;
        }
        return map;
      }
      default:  // 6: a tag; the tagged value stands for itself
        return read(depth + 1);
    }
  }

  bool read_entry(nlohmann::json& map, int depth) {
    auto key = read(depth + 1);
    if (!key || !key->is_string()) return false;
    auto value = read(depth + 1);
    if (!value) return false;
    map[key->get<std::string>()] = std::move(*value);
    return true;
  }

  std::optional<nlohmann::json> read_indefinite(unsigned major, int depth) {
    auto at_break = [&] { return pos_ < in_.size() && static_cast<unsigned char>(in_[pos_]) == 0xff; };
    if (major == 2 || major == 3) {
      std::string joined;
      while (!at_break()) {
        auto chunk = read(depth + 1);
        if (!chunk) return std::nullopt;
        if (major == 3 && chunk->is_string()) {
          joined += chunk->get<std::string>();
        } else if (major == 2 && chunk->is_binary()) {
          joined.append(chunk->get_binary().begin(), chunk->get_binary().end());
        } else {
          return std::nullopt;
        }
      }
      ++pos_;
      if (major == 3) return nlohmann::json(std::move(joined));
      return nlohmann::json::binary(std::vector<std::uint8_t>(joined.begin(), joined.end()));
    }
    if (major == 4) {
      auto array = nlohmann::json::array();
      while (!at_break()) {
        auto element = read(depth + 1);
        if (!element) return std::nullopt;
        array.push_back(std::move(*element));
      }
      ++pos_;
      return array;
    }
    if (major == 5) {
      auto map = nlohmann::json::object();
      while (!at_break()) {
        if (!read_entry(map, depth)) return std::nullopt;
      }
      ++pos_;
      return map;
    }
    return std::nullopt;
  }

  std::optional<nlohmann::json> read_simple(unsigned info) {
    switch (info) {
      case 20: return nlohmann::json(false);
      case 21: return nlohmann::json(true);
      case 22:
      case 23: return nlohmann::json(nullptr);
      case 25: {
        auto bits = argument(25);
        if (!bits) return std::nullopt;
        return nlohmann::json(half_to_double(static_cast<std::uint16_t>(*bits)));
      }
      case 26: {
        auto bits = argument(26);
        if (!bits) return std::nullopt;
        return nlohmann::json(static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(*bits))));
      }
      case 27: {
        auto bits = argument(27);
        if (!bits) return std::nullopt;
        return nlohmann::json(std::bit_cast<double>(*bits));
      }
      default:
        return std::nullopt;
    }
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
};

ApiResponse base(int status, const std::string& request_id) {
  ApiResponse r;
  r.status = status;
  r.content_type = std::string(kCborContentType);
  r.headers.emplace_back("x-amzn-RequestId", request_id);
  return r;
}

}  // namespace

std::variant<nlohmann::json, AwsError> parse_cbor_body(std::string_view body) {
  if (body.empty()) return nlohmann::json::object();
  auto value = CborReader(body).read_document();
  if (!value) {
    return AwsError{"SerializationException", "", 400, true, "Unable to parse the request body as CBOR."};
  }
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

ApiResponse render_cbor_error(const AwsError& error, const std::string& request_id) {
  auto r = base(error.http_status, request_id);
  r.headers.emplace_back("x-amzn-ErrorType", error.code);
  nlohmann::json body = {{"__type", error.code}};
  if (!error.message.empty()) body["message"] = error.message;
  r.body = encode_cbor(body, nullptr);
  return r;
}

}  // namespace shoal::api
