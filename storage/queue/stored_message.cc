#include "storage/queue/stored_message.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace shoal::storage {
namespace {

// Attributes are packed as, per attribute in name order: name, data type,
// string value, binary value, each a 4-byte little-endian length and bytes.
void put_length_prefixed(std::string &out, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  const char len[4] = {static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff),
                       static_cast<char>((n >> 16) & 0xff), static_cast<char>((n >> 24) & 0xff)};
  out.append(len, 4);
  out.append(s);
}

std::string_view take_length_prefixed(std::string_view &in) {
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  const std::string_view s = in.substr(4, n);
  in.remove_prefix(4 + n);
  return s;
}

std::string encode_attributes(const MessageAttributes *attributes) {
  std::string out;
  if (attributes == nullptr) return out;
  for (const auto &[name, a] : *attributes) {
    put_length_prefixed(out, name);
    put_length_prefixed(out, a.data_type);
    put_length_prefixed(out, a.string_value);
    put_length_prefixed(out, a.binary_value);
  }
  return out;
}

}  // namespace

std::shared_ptr<const StoredMessage> StoredMessage::pack(const MessageParts &parts) {
  return pack(parts, encode_attributes(parts.attributes));
}

std::shared_ptr<const StoredMessage> StoredMessage::pack(const MessageParts &parts,
                                                         std::string_view encoded_attributes) {
  const std::array<std::string_view, kFieldCount> fields = {
      parts.message_id,   parts.body,      parts.md5_of_body, parts.md5_of_attributes, parts.md5_of_system_attributes,
      parts.trace_header, parts.sender_id, parts.group_id,    parts.deduplication_id,  parts.sequence_number,
      encoded_attributes};
  std::uint64_t total = 0;
  std::array<std::uint32_t, kFieldCount> ends{};
  for (std::size_t i = 0; i < fields.size(); ++i) {
    total += fields[i].size();
    if (total > UINT32_MAX) throw std::length_error("message fields pass 4 GiB");
    ends[i] = static_cast<std::uint32_t>(total);
  }
  std::unique_ptr<char[]> bytes;
  if (total > 0) {
    // new char[n], not make_unique: no zero-filling of bytes about to be
    // overwritten.
    bytes.reset(new char[total]);
    char *at = bytes.get();
    for (const auto &f : fields) {
      if (!f.empty()) std::memcpy(at, f.data(), f.size());
      at += f.size();
    }
  }
  return std::make_shared<const StoredMessage>(Token{}, std::move(bytes), ends, parts.sent, parts.dead_letter_source);
}

std::shared_ptr<const StoredMessage> StoredMessage::repack(std::string_view sequence_number,
                                                           std::shared_ptr<const QueueKey> dead_letter_source) const {
  MessageParts p;
  p.message_id = message_id();
  p.body = body();
  p.md5_of_body = md5_of_body();
  p.md5_of_attributes = md5_of_attributes();
  p.md5_of_system_attributes = md5_of_system_attributes();
  p.trace_header = trace_header();
  p.sender_id = sender_id();
  p.group_id = group_id();
  p.deduplication_id = deduplication_id();
  p.sequence_number = sequence_number;
  p.sent = sent_;
  p.dead_letter_source = std::move(dead_letter_source);
  return pack(p, field(kAttributes));
}

MessageAttributes StoredMessage::attributes() const {
  MessageAttributes out;
  std::string_view in = field(kAttributes);
  while (!in.empty()) {
    std::string name(take_length_prefixed(in));
    MessageAttribute a;
    a.data_type = take_length_prefixed(in);
    a.string_value = take_length_prefixed(in);
    a.binary_value = take_length_prefixed(in);
    out.emplace_hint(out.end(), std::move(name), std::move(a));
  }
  return out;
}

}  // namespace shoal::storage
