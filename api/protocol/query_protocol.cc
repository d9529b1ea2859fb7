#include "api/protocol/query_protocol.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "api/common/base64.h"

namespace shoal::api {
namespace {

using model::Member;
using model::Shape;
using model::ShapeType;
using nlohmann::json;

// The parameters as a tree of dot-separated name segments:
// `Attribute.1.Name=x` is root -> "Attribute" -> "1" -> "Name" = x.
struct Node {
  std::optional<std::string> value;
  std::map<std::string, Node, std::less<>> children;

  const Node* child(std::string_view name) const {
    auto it = children.find(name);
    return it == children.end() ? nullptr : &it->second;
  }
};

Node build_tree(const FormParams& params) {
  Node root;
  for (const auto& param : params) {
    Node* node = &root;
    std::string_view rest = param.name;
    while (true) {
      auto dot = rest.find('.');
      node = &node->children[std::string(rest.substr(0, dot))];
      if (dot == std::string_view::npos) break;
      rest = rest.substr(dot + 1);
    }
    if (!node->value) node->value = param.value;  // the first of repeated names wins
  }
  return root;
}

// The children of a list or map node, by their positive decimal indexes
// ("1", "2", ...) in numeric order; `invalid` names the first child that is
// not such an index (AWS rejects `AttributeName.0`).
struct Indexed {
  std::vector<std::pair<std::uint64_t, const Node*>> items;
  std::optional<std::string> invalid;
};

Indexed indexed_children(const Node& node) {
  Indexed out;
  for (const auto& [name, child] : node.children) {
    std::uint64_t index = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), index);
    if (ec != std::errc{} || end != name.data() + name.size() || index == 0) {
      if (!out.invalid) out.invalid = name;
      continue;
    }
    out.items.emplace_back(index, &child);
  }
  std::sort(out.items.begin(), out.items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

bool is_flattened(const Member& member) { return member.flattened || (member.shape && member.shape->flattened); }

// The name a structure member has on the query wire and in XML. A flattened
// list whose elements carry a name repeats that name (botocore's rule).
std::string_view wire_name(const Member& member) {
  const Shape* shape = member.shape;
  if (shape != nullptr && shape->kind == ShapeType::kList && is_flattened(member) && shape->member != nullptr &&
      !shape->member->location_name.empty()) {
    return shape->member->location_name;
  }
  return member.location_name.empty() ? std::string_view(member.name) : std::string_view(member.location_name);
}

std::string_view element_name(const Member* element, std::string_view fallback) {
  return element == nullptr || element->location_name.empty() ? fallback : std::string_view(element->location_name);
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + len > text.size()) return false;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1fu) : len == 3 ? (c & 0x0fu) : (c & 0x07u);
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = cp << 6 | (cc & 0x3fu);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

class Decoder {
 public:
  std::optional<AwsError> error;

  json structure(const Shape& shape, const Node& node, const std::string& path) {
    json out = json::object();
    for (const auto& member : shape.members) {
      if (member.shape == nullptr) continue;
      auto name = wire_name(member);
      const Node* child = node.child(name);
      std::string child_path = path.empty() ? std::string(name) : path + "." + std::string(name);
      if (child == nullptr && member.shape->kind == ShapeType::kList) {
        // botocore sends an empty list as `<member name>=` with no index.
        auto plain = member.location_name.empty() ? std::string_view(member.name) : member.location_name;
        const Node* empty = node.child(plain);
        if (empty != nullptr && empty->value && empty->value->empty() && empty->children.empty()) {
          out[member.name] = json::array();
        }
        continue;
      }
      if (child == nullptr) continue;
      json value = decode(*member.shape, is_flattened(member), *child, child_path);
      if (error) return nullptr;
      if (!value.is_null()) out[member.name] = std::move(value);
    }
    return out;
  }

 private:
  json decode(const Shape& shape, bool flattened, const Node& node, const std::string& path) {
    switch (shape.kind) {
      case ShapeType::kStructure:
        return structure(shape, node, path);
      case ShapeType::kList:
        return list(shape, flattened, node, path);
      case ShapeType::kMap:
        return map(shape, flattened, node, path);
      default:
        return scalar(shape, node, path);
    }
  }

  json list(const Shape& shape, bool flattened, const Node& node, const std::string& path) {
    json out = json::array();
    if (shape.member == nullptr || shape.member->shape == nullptr) return out;
    const Node* items = flattened ? &node : node.child(element_name(shape.member, "member"));
    if (items == nullptr) return out;
    auto indexed = indexed_children(*items);
    if (indexed.invalid) return fail_index(*indexed.invalid);
    for (const auto& [index, child] : indexed.items) {
      json value = decode(*shape.member->shape, shape.member->flattened, *child, path + "." + std::to_string(index));
      if (error) return nullptr;
      if (!value.is_null()) out.push_back(std::move(value));
    }
    return out;
  }

  json map(const Shape& shape, bool flattened, const Node& node, const std::string& path) {
    json out = json::object();
    if (shape.key == nullptr || shape.value == nullptr || shape.value->shape == nullptr) return out;
    const Node* entries = flattened ? &node : node.child("entry");
    if (entries == nullptr) return out;
    auto key_name = element_name(shape.key, "key");
    auto value_name = element_name(shape.value, "value");
    auto indexed = indexed_children(*entries);
    if (indexed.invalid) return fail_index(*indexed.invalid);
    for (const auto& [index, entry] : indexed.items) {
      const Node* key = entry->child(key_name);
      if (key == nullptr || !key->value) continue;
      if (!is_valid_utf8(*key->value)) {
        fail_utf8(path + "." + std::to_string(index) + "." + std::string(key_name));
        return nullptr;
      }
      const Node* value = entry->child(value_name);
      const Shape& value_shape = *shape.value->shape;
      json decoded;
      if (value != nullptr) {
        decoded = decode(value_shape, shape.value->flattened, *value,
                         path + "." + std::to_string(index) + "." + std::string(value_name));
        if (error) return nullptr;
      }
      // A name without a value still reaches the handler, which words the
      // error.
      if (decoded.is_null()) decoded = value_shape.kind == ShapeType::kStructure ? json::object() : json("");
      out[*key->value] = std::move(decoded);
    }
    return out;
  }

  json scalar(const Shape& shape, const Node& node, const std::string& path) {
    if (!node.value) return nullptr;
    const std::string& text = *node.value;
    switch (shape.kind) {
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        std::int64_t number = 0;
        const char* begin = text.data();
        const char* end = text.data() + text.size();
        if (begin != end && *begin == '+') ++begin;
        auto [at, ec] = std::from_chars(begin, end, number);
        if (begin == end || ec != std::errc{} || at != end) return fail(path, text, "Must be an integer.");
        // An Integer member is 32 bits: a bigger value is no integer of its
        // type, not one to truncate.
        if (shape.kind == ShapeType::kInteger &&
            (number < std::numeric_limits<std::int32_t>::min() || number > std::numeric_limits<std::int32_t>::max())) {
          return fail(path, text, "Must be an integer.");
        }
        return number;
      }
      case ShapeType::kBoolean:
        if (text == "true" || text == "True" || text == "TRUE") return true;
        if (text == "false" || text == "False" || text == "FALSE") return false;
        return fail(path, text, "Must be a boolean.");
      case ShapeType::kDouble:
      case ShapeType::kFloat: {
        double number = 0;
        auto [at, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (text.empty() || ec != std::errc{} || at != text.data() + text.size()) {
          return fail(path, text, "Must be a number.");
        }
        return number;
      }
      default:  // strings, blobs (base64 text, as JSON carries them), timestamps
        if (!is_valid_utf8(text)) {
          fail_utf8(path);
          return nullptr;
        }
        return text;
    }
  }

  json fail(const std::string& path, const std::string& text, std::string_view reason) {
    std::string shown = is_valid_utf8(text) ? text : std::string("(not UTF-8)");
    error = AwsError{"InvalidParameterValue", "", 400, true,
                     "Value " + shown + " for parameter " + path + " is invalid. Reason: " + std::string(reason)};
    return nullptr;
  }

  // AWS's answer to `AttributeName.0=All` (recorded by a client, rusoto#324).
  json fail_index(const std::string& name) {
    error = AwsError{"MalformedInput", "", 400, true, name + " is not a valid index"};
    return nullptr;
  }

  void fail_utf8(const std::string& path) {
    error = AwsError{"InvalidParameterValue", "", 400, true,
                     "Value for parameter " + path + " is invalid. Reason: Must be valid UTF-8."};
  }
};

// --- XML --------------------------------------------------------------------

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\r':
        out += "&#xD;";
        break;
      default:
        out.push_back(c);
    }
  }
}

void open_tag(std::string& out, std::string_view tag) {
  out.push_back('<');
  out += tag;
  out.push_back('>');
}

void close_tag(std::string& out, std::string_view tag) {
  out += "</";
  out += tag;
  out.push_back('>');
}

std::string scalar_text(const Shape* shape, const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_binary()) {
    const auto& bytes = value.get_binary();
    return base64_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  if (shape != nullptr && shape->kind == ShapeType::kTimestamp && value.is_number_integer()) {
    // Neutral timestamps are epoch milliseconds; the query protocol sends
    // seconds.
    auto ms = value.get<std::int64_t>();
    return std::to_string(ms / 1000) + (ms % 1000 != 0 ? "." + std::to_string(1000 + ms % 1000).substr(1) : "");
  }
  return value.dump();
}

void write_value(std::string& out, const Shape* shape, const json& value, std::string_view tag);

void write_member(std::string& out, const Member& member, const json& value) {
  const Shape* shape = member.shape;
  auto name = wire_name(member);
  if (shape != nullptr && shape->kind == ShapeType::kList && value.is_array()) {
    const Shape* element = shape->member != nullptr ? shape->member->shape : nullptr;
    if (is_flattened(member)) {
      for (const auto& item : value) write_value(out, element, item, name);
      return;
    }
    open_tag(out, name);
    for (const auto& item : value) write_value(out, element, item, element_name(shape->member, "member"));
    close_tag(out, name);
    return;
  }
  if (shape != nullptr && shape->kind == ShapeType::kMap && value.is_object()) {
    auto key_name = element_name(shape->key, "key");
    auto value_name = element_name(shape->value, "value");
    const Shape* value_shape = shape->value != nullptr ? shape->value->shape : nullptr;
    bool flat = is_flattened(member);
    if (!flat) open_tag(out, name);
    for (const auto& [key, item] : value.items()) {
      open_tag(out, flat ? name : std::string_view("entry"));
      open_tag(out, key_name);
      append_escaped(out, key);
      close_tag(out, key_name);
      write_value(out, value_shape, item, value_name);
      close_tag(out, flat ? name : std::string_view("entry"));
    }
    if (!flat) close_tag(out, name);
    return;
  }
  write_value(out, shape, value, name);
}

void write_structure_members(std::string& out, const Shape& shape, const json& value) {
  for (const auto& member : shape.members) {
    auto it = value.find(member.name);
    if (it == value.end() || it->is_null()) continue;
    write_member(out, member, *it);
  }
}

void write_value(std::string& out, const Shape* shape, const json& value, std::string_view tag) {
  if (value.is_null()) return;
  if (shape != nullptr && shape->kind == ShapeType::kStructure && value.is_object()) {
    std::string inner;
    write_structure_members(inner, *shape, value);
    if (inner.empty()) {
      out.push_back('<');
      out += tag;
      out += "/>";
      return;
    }
    open_tag(out, tag);
    out += inner;
    close_tag(out, tag);
    return;
  }
  if (value.is_object() || value.is_array()) return;  // no shape to name its parts: not rendered
  open_tag(out, tag);
  append_escaped(out, scalar_text(shape, value));
  close_tag(out, tag);
}

void write_prolog_and_open(std::string& out, std::string_view root, std::string_view xml_namespace) {
  out += "<?xml version=\"1.0\"?><";
  out += root;
  if (!xml_namespace.empty()) {
    out += " xmlns=\"";
    append_escaped(out, xml_namespace);
    out += "\"";
  }
  out += ">";
}

}  // namespace

std::variant<json, AwsError> decode_query_params(const Shape* input, const FormParams& params) {
  if (input == nullptr || input->kind != ShapeType::kStructure) return json::object();
  Node root = build_tree(params);
  Decoder decoder;
  json value = decoder.structure(*input, root, "");
  if (decoder.error) return *decoder.error;
  return value;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text);
  return out;
}

std::string render_query_result_xml(std::string_view action, const Shape* output_shape, const json& output,
                                    std::string_view xml_namespace, std::string_view request_id) {
  std::string response = std::string(action) + "Response";
  std::string out;
  write_prolog_and_open(out, response, xml_namespace);
  if (output_shape != nullptr) {
    std::string result = std::string(action) + "Result";
    write_value(out, output_shape, output.is_object() ? output : json::object(), result);
  }
  out += "<ResponseMetadata><RequestId>";
  append_escaped(out, request_id);
  out += "</RequestId></ResponseMetadata>";
  close_tag(out, response);
  return out;
}

std::string render_query_error_xml(const AwsError& error, std::string_view xml_namespace, std::string_view request_id) {
  std::string out;
  write_prolog_and_open(out, "ErrorResponse", xml_namespace);
  out += "<Error><Type>";
  out += error.sender_fault ? "Sender" : "Receiver";
  out += "</Type><Code>";
  append_escaped(out, error.legacy_code());
  out += "</Code>";
  if (!error.message.empty()) {
    out += "<Message>";
    append_escaped(out, error.message);
    out += "</Message>";
  }
  out += "<Detail/></Error><RequestId>";
  append_escaped(out, request_id);
  out += "</RequestId></ErrorResponse>";
  return out;
}

}  // namespace shoal::api
