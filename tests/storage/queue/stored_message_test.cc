// StoredMessage: every field packed comes back unchanged, whatever its size
// or bytes; absent fields come back empty; repack changes only the sequence
// number and dead-letter source.
#include "storage/queue/stored_message.h"

#include <doctest/doctest.h>

#include <string>

namespace shoal::storage {
namespace {

TimePoint at(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

// Distinct content per field, so a field read from its neighbour's bytes fails.
struct Full {
  std::string message_id = "6f0a7c1e-0000-4000-8000-000000000001";
  std::string body = std::string("body \0 with \xff bytes", 19);
  MessageAttributes attributes = {
      {"alpha", {"String", "first", ""}},
      {"beta", {"Binary.custom", "", std::string("\x00\x01\x02", 3)}},
      {"gamma", {"Number", "-1.5e3", ""}},
  };
  std::string md5_of_body = "0123456789abcdef0123456789abcdef";
  std::string md5_of_attributes = "fedcba9876543210fedcba9876543210";
  std::string md5_of_system_attributes = "00112233445566778899aabbccddeeff";
  std::string trace_header = "Root=1-5759e988-bd862e3fe1be46a994272793";
  std::string sender_id = "AIDAIT2UOQQY3AUEKVGXU";
  std::string group_id = "group-7";
  std::string deduplication_id = "dedup-42";
  std::string sequence_number = "18779457000000000001";

  MessageParts parts() const {
    MessageParts p;
    p.message_id = message_id;
    p.body = body;
    p.attributes = &attributes;
    p.md5_of_body = md5_of_body;
    p.md5_of_attributes = md5_of_attributes;
    p.md5_of_system_attributes = md5_of_system_attributes;
    p.trace_header = trace_header;
    p.sender_id = sender_id;
    p.group_id = group_id;
    p.deduplication_id = deduplication_id;
    p.sequence_number = sequence_number;
    p.sent = at(1'700'000'000'123);
    return p;
  }
};

void check_same(const StoredMessage &m, const Full &f) {
  CHECK(m.message_id() == f.message_id);
  CHECK(m.body() == f.body);
  CHECK(m.md5_of_body() == f.md5_of_body);
  CHECK(m.md5_of_attributes() == f.md5_of_attributes);
  CHECK(m.md5_of_system_attributes() == f.md5_of_system_attributes);
  CHECK(m.trace_header() == f.trace_header);
  CHECK(m.sender_id() == f.sender_id);
  CHECK(m.group_id() == f.group_id);
  CHECK(m.deduplication_id() == f.deduplication_id);
  const MessageAttributes attributes = m.attributes();
  REQUIRE(attributes.size() == f.attributes.size());
  for (const auto &[name, a] : f.attributes) {
    REQUIRE(attributes.contains(name));
    CHECK(attributes.at(name).data_type == a.data_type);
    CHECK(attributes.at(name).string_value == a.string_value);
    CHECK(attributes.at(name).binary_value == a.binary_value);
  }
}

}  // namespace

TEST_CASE("every field packed comes back unchanged") {
  const Full f;
  auto m = StoredMessage::pack(f.parts());
  check_same(*m, f);
  CHECK(m->sequence_number() == f.sequence_number);
  CHECK(m->sent() == at(1'700'000'000'123));
  CHECK(m->has_attributes());
  CHECK(m->dead_letter_source() == nullptr);
}

TEST_CASE("the packed message owns its bytes: the parts may go away") {
  auto full = std::make_unique<Full>();
  auto m = StoredMessage::pack(full->parts());
  const Full copy = *full;
  full->body.assign(full->body.size(), 'x');
  full->attributes.clear();
  full.reset();
  check_same(*m, copy);
}

TEST_CASE("a message with nothing set packs to empty fields and no buffer bytes") {
  auto m = StoredMessage::pack(MessageParts{});
  CHECK(m->message_id().empty());
  CHECK(m->body().empty());
  CHECK(m->md5_of_body().empty());
  CHECK(m->md5_of_attributes().empty());
  CHECK(m->md5_of_system_attributes().empty());
  CHECK(m->trace_header().empty());
  CHECK(m->sender_id().empty());
  CHECK(m->group_id().empty());
  CHECK(m->deduplication_id().empty());
  CHECK(m->sequence_number().empty());
  CHECK_FALSE(m->has_attributes());
  CHECK(m->attributes().empty());
  CHECK(m->sent() == TimePoint{});
  CHECK(m->packed_size() == 0);
}

TEST_CASE("empty attribute values and an empty map round-trip") {
  const MessageAttributes none;
  MessageParts p;
  p.body = "b";
  p.attributes = &none;
  CHECK_FALSE(StoredMessage::pack(p)->has_attributes());

  const MessageAttributes blank = {{"k", {"String", "", ""}}};
  p.attributes = &blank;
  auto m = StoredMessage::pack(p);
  CHECK(m->has_attributes());
  REQUIRE(m->attributes().size() == 1);
  CHECK(m->attributes().at("k").data_type == "String");
  CHECK(m->attributes().at("k").string_value.empty());
  CHECK(m->body() == "b");
}

TEST_CASE(
    "maximal values: a 1 MiB body and 10 attributes of 1 KiB values with "
    "every byte") {
  Full f;
  f.body.clear();
  for (int i = 0; i < (1 << 20); ++i) f.body.push_back(static_cast<char>(i * 7));
  std::string every_byte;
  for (int i = 0; i < 1024; ++i) every_byte.push_back(static_cast<char>(i & 0xff));
  f.attributes.clear();
  for (int i = 0; i < 10; ++i) {
    const std::string name = std::string(256, static_cast<char>('a' + i));
    if (i % 2 == 0) {
      f.attributes[name] = {"Binary." + std::string(200, 'c'), "", every_byte};
    } else {
      f.attributes[name] = {"String", std::string(1024, static_cast<char>('0' + i)), ""};
    }
  }
  f.deduplication_id = std::string(128, 'd');
  f.group_id = std::string(128, 'g');
  auto m = StoredMessage::pack(f.parts());
  check_same(*m, f);
  CHECK(m->body().size() == (1u << 20));
}

TEST_CASE("repack changes the sequence number and dead-letter source, nothing else") {
  const Full f;
  auto m = StoredMessage::pack(f.parts());
  auto source = std::make_shared<const QueueKey>(QueueKey{"123456789012", "us-east-1", "orders"});
  auto moved = m->repack("18779457000000000099", source);
  check_same(*moved, f);
  CHECK(moved->sent() == m->sent());
  CHECK(moved->sequence_number() == "18779457000000000099");
  REQUIRE(moved->dead_letter_source() != nullptr);
  CHECK(*moved->dead_letter_source() == *source);
  // The original is untouched.
  CHECK(m->sequence_number() == f.sequence_number);
  CHECK(m->dead_letter_source() == nullptr);

  auto back = moved->repack({}, nullptr);
  check_same(*back, f);
  CHECK(back->sequence_number().empty());
  CHECK(back->dead_letter_source() == nullptr);
}

TEST_CASE("the packed buffer holds the fields and nothing more") {
  const Full f;
  auto m = StoredMessage::pack(f.parts());
  std::size_t fields = f.message_id.size() + f.body.size() + f.md5_of_body.size() + f.md5_of_attributes.size() +
                       f.md5_of_system_attributes.size() + f.trace_header.size() + f.sender_id.size() +
                       f.group_id.size() + f.deduplication_id.size() + f.sequence_number.size();
  for (const auto &[name, a] : f.attributes) {
    fields += 16 + name.size() + a.data_type.size() + a.string_value.size() + a.binary_value.size();
  }
  CHECK(m->packed_size() == fields);
}

}  // namespace shoal::storage
