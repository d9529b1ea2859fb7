// change_codec: every change type survives encode -> decode -> encode
// byte for byte; malformed records are refused, never half-read.
#include "storage/durability/change_codec.h"

#include <doctest/doctest.h>

#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace shoal::storage::durability {
namespace {

TimePoint at(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

std::shared_ptr<const StoredMessage> message() {
  const MessageAttributes attributes = {{"n", {"Number", "42", ""}},
                                        {"b", {"Binary.custom", "", std::string("\x00\x01", 2)}}};
  MessageParts p;
  p.message_id = "6f0a7c1e-0000-4000-8000-000000000001";
  p.body = std::string_view("body with \0 and \xff bytes", 24);
  p.attributes = &attributes;
  p.md5_of_body = "md5body";
  p.md5_of_attributes = "md5attrs";
  p.trace_header = "Root=1-abc";
  p.sender_id = "AIDA";
  p.group_id = "g1";
  p.deduplication_id = "d1";
  p.sequence_number = "18888888888888888888";
  p.sent = at(1'700'000'000'123);
  return StoredMessage::pack(p);
}

// A message a dead-letter move brought: it says where from.
std::shared_ptr<const StoredMessage> moved_message() {
  const auto m = message();
  return m->repack(m->sequence_number(),
                   std::make_shared<const QueueKey>(QueueKey{"123456789012", "eu-west-1", "orders.fifo"}));
}

MoveTask move_task() {
  MoveTask t;
  t.id = "2b8f0a8e-1111-4222-8333-444455556666";
  t.source = {"123456789012", "eu-west-1", "orders-dlq"};
  t.destination = QueueKey{"123456789012", "eu-west-1", "orders"};
  t.max_per_second = 5;
  t.started = at(1'700'000'000'000);
  t.status = MoveTaskStatus::kFailed;
  t.moved = 12;
  t.to_move = 40;
  t.failure_reason = "AWS.SimpleQueueService.NonExistentQueue";
  return t;
}

std::vector<QueueChange> queue_changes() {
  QueueAttributes attrs;
  attrs.fifo = true;
  attrs.visibility_timeout = std::chrono::seconds(7);
  attrs.redrive_policy = R"({"maxReceiveCount":3})";
  attrs.deduplication_scope = "messageGroup";
  QueueKey key{"123456789012", "eu-west-1", "orders.fifo"};
  return {
      QueueCreated{3, key, at(1), attrs, {{"team", "a"}}, 0xdeadbeefcafef00dULL, 42},
      QueueDeleted{3},
      QueueAttributesSet{3, 9, at(2), attrs},
      QueueTagsSet{3, 10, {{"k", "v"}, {"x", ""}}},
      MessageSent{3, 11, 77, message(), at(1'700'000'005'000), true},
      MessagesReceived{3, 12, at(5), at(35), {{77, 4}, {78, 5}}},
      VisibilityChanged{3, 13, at(6), 77, at(-6)},
      MessageDeleted{3, 14, at(7), 77},
      QueuePurged{3, 15, at(8)},
      QueueRegistryImage{4},
      QueueImage{3, 15, key, at(1), at(2), at(8), attrs, {{"t", "1"}}, 5, 6, 80, 9, 1234},
      MessageImage{3, 79, message(), at(3), at(4), at(50), 9, 2, 2, true},
      DedupImage{3, std::string("g\x01g1\x01" "d1"), "id", "1000", at(300'000)},
      MessagesMoved{5, 16, 3, at(9), {{77, 2, moved_message(), 3, at(4)}, {78, 3, message(), 0, {}}}, "task-1", 7},
      MoveTaskSet{move_task()},
      MoveTasksCleared{"123456789012"},
      MovedMessageImage{MessageImage{5, 2, moved_message(), at(3), at(4), at(50), 9, 3, 2, true}},
  };
}

std::vector<StreamChange> stream_changes() {
  StreamKey key{"123456789012", "us-east-1", "clicks"};
  StreamConfig config;
  config.mode = StreamMode::kOnDemand;
  config.shard_count = 3;
  config.tags = {{"a", "b"}};
  config.warm_throughput_mibps = 12;
  StreamOp op;
  op.stream = 2;
  op.version = 5;
  op.at = at(9);
  op.kind = StreamOpKind::kSplitShard;
  op.text = "shardId-000000000001";
  op.text2 = "shardId-000000000002";
  op.hash_key = kMaxHashKey - 5;
  op.names = {"IncomingBytes", "ALL"};
  op.tags = {{"x", "y"}};
  StreamImage image;
  image.stream = 2;
  image.version = 8;
  image.key = key;
  image.created = at(1);
  image.stream_id = "uuid";
  image.mode = StreamMode::kOnDemand;
  image.retention_hours = 48;
  image.encryption = EncryptionType::kKms;
  image.key_id = "alias/aws/kinesis";
  image.metrics = {"IncomingBytes"};
  image.tags = {{"a", "b"}};
  image.consumers = {{"c1", at(3), std::nullopt}, {"c2", at(4), at(5)}};
  image.deleting_since = at(100);
  image.updating_until = at(60);
  image.pending = PendingReshard{at(60), {0, 1}, {{{0, kMaxHashKey}, {0, 1}}}};
  image.next_shard_index = 4;
  image.max_record_size_kib = 2048;
  image.warm = {10, 20};
  static const std::string pk = "pk", data = std::string("\0\1\2", 3);
  return {
      StreamCreated{2, key, at(1), "uuid", config},
      RecordsPut{2, 4, at(2), {{0, pk, data}, {3, "", ""}}},
      op,
      ResourcePolicySet{"arn:aws:kinesis:us-east-1:123456789012:stream/clicks", "{}"},
      ResourcePolicySet{"arn:x", std::nullopt},
      AccountSettingsSet{"123456789012", "ENABLED", at(1), std::nullopt, at(3)},
      StreamRegistryImage{3},
      image,
      ShardImage{2, 1, {5, kMaxHashKey}, at(1), 1, {0}, at(50), 17, 49},
      ShardRecordsImage{2, 1, {{15, 40, EncryptionType::kKms, pk, data}, {16, 49, EncryptionType::kNone, "", ""}}},
      AccountSettingsCleared{"123456789012"},
      StreamDropped{2},
  };
}

}  // namespace

TEST_CASE("every queue change decodes to what was encoded") {
  const auto changes = queue_changes();
  CHECK(changes.size() == std::variant_size_v<QueueChange>);
  for (const auto& change : changes) {
    CAPTURE(change.index());
    const std::string bytes = encode_change(change);
    auto decoded = decode_change(bytes);
    REQUIRE(decoded);
    const auto* q = std::get_if<QueueChange>(&*decoded);
    REQUIRE(q != nullptr);
    CHECK(q->index() == change.index());
    CHECK(encode_change(*q) == bytes);
  }
}

TEST_CASE("every stream change decodes to what was encoded") {
  const auto changes = stream_changes();
  CHECK(changes.size() >= std::variant_size_v<StreamChange>);
  for (const auto& change : changes) {
    CAPTURE(change.index());
    const std::string bytes = encode_change(change);
    auto decoded = decode_change(bytes);
    REQUIRE(decoded);
    const auto* s = std::get_if<StreamChange>(&*decoded);
    REQUIRE(s != nullptr);
    CHECK(s->index() == change.index());
    CHECK(encode_change(*s) == bytes);
  }
}

TEST_CASE("decoded values keep their fields") {
  auto decoded = decode_change(encode_change(queue_changes()[4]));
  REQUIRE(decoded);
  const auto& sent = std::get<MessageSent>(std::get<QueueChange>(*decoded));
  CHECK(sent.seq == 77);
  CHECK(sent.message->body() == message()->body());
  CHECK(sent.message->attributes().at("b").binary_value == std::string("\x00\x01", 2));
  CHECK(sent.message->sent() == message()->sent());
  CHECK(sent.visible_at == at(1'700'000'005'000));
  CHECK(sent.dedup_per_group);

  auto op = decode_change(encode_change(stream_changes()[2]));
  REQUIRE(op);
  const auto& o = std::get<StreamOp>(std::get<StreamChange>(*op));
  CHECK(o.hash_key == kMaxHashKey - 5);
  CHECK(o.kind == StreamOpKind::kSplitShard);
  CHECK(o.names == std::vector<std::string>{"IncomingBytes", "ALL"});

  auto v = decode_change(encode_change(queue_changes()[6]));
  CHECK(std::get<VisibilityChanged>(std::get<QueueChange>(*v)).visible_at == at(-6));
}

TEST_CASE("a record's tag is fixed: logs written before new change types still read the same") {
  // Tag = base + index in the variant; appending alternatives must not move these.
  CHECK(encode_change(QueueChange{QueueCreated{}})[0] == 1);
  CHECK(encode_change(QueueChange{DedupImage{}})[0] == 13);
  CHECK(encode_change(QueueChange{MessagesMoved{}})[0] == 14);
  CHECK(encode_change(QueueChange{MoveTaskSet{}})[0] == 15);
  CHECK(encode_change(QueueChange{MoveTasksCleared{}})[0] == 16);
  MessageImage image;
  image.message = message();
  CHECK(encode_change(QueueChange{MovedMessageImage{image}})[0] == 17);
  CHECK(encode_change(StreamChange{StreamCreated{}})[0] == 64);
  CHECK(encode_change(StreamChange{ShardRecordsImage{}})[0] == 72);
  CHECK(encode_change(StreamChange{AccountSettingsCleared{}})[0] == 73);
  CHECK(encode_change(StreamChange{StreamDropped{}})[0] == 74);
}

TEST_CASE("moved messages keep where they came from, their receive count and their task's progress") {
  auto decoded = decode_change(encode_change(queue_changes()[13]));
  REQUIRE(decoded);
  const auto& moved = std::get<MessagesMoved>(std::get<QueueChange>(*decoded));
  CHECK(moved.queue == 5);
  CHECK(moved.from == 3);
  CHECK(moved.at == at(9));
  REQUIRE(moved.items.size() == 2);
  CHECK(moved.items[0].from_seq == 77);
  CHECK(moved.items[0].seq == 2);
  CHECK(moved.items[0].receive_count == 3);
  CHECK(moved.items[0].first_receive == at(4));
  REQUIRE(moved.items[0].message->dead_letter_source() != nullptr);
  CHECK(moved.items[0].message->dead_letter_source()->name == "orders.fifo");
  CHECK(moved.items[0].message->message_id() == message()->message_id());
  CHECK(moved.items[0].message->sent() == message()->sent());
  CHECK(moved.items[1].message->dead_letter_source() == nullptr);
  CHECK(moved.task_id == "task-1");
  CHECK(moved.task_moved == 7);

  auto image = decode_change(encode_change(queue_changes()[16]));
  REQUIRE(image);
  const auto& m = std::get<MovedMessageImage>(std::get<QueueChange>(*image)).image;
  CHECK(m.seq == 2);
  CHECK(m.receive_count == 3);
  REQUIRE(m.message->dead_letter_source() != nullptr);
  CHECK(m.message->dead_letter_source()->account == "123456789012");
}

TEST_CASE("a move task record keeps every field ListMessageMoveTasks shows") {
  auto decoded = decode_change(encode_change(queue_changes()[14]));
  REQUIRE(decoded);
  const MoveTask& t = std::get<MoveTaskSet>(std::get<QueueChange>(*decoded)).task;
  const MoveTask want = move_task();
  CHECK(t.id == want.id);
  CHECK(t.source == want.source);
  CHECK(t.destination == want.destination);
  CHECK(t.max_per_second == 5);
  CHECK(t.started == want.started);
  CHECK(t.status == MoveTaskStatus::kFailed);
  CHECK(t.moved == 12);
  CHECK(t.to_move == 40);
  CHECK(t.failure_reason == want.failure_reason);

  MoveTask plain;  // to each message's source, system-optimised rate
  plain.id = "t";
  auto back = decode_change(encode_change(QueueChange{MoveTaskSet{plain}}));
  REQUIRE(back);
  const MoveTask& p = std::get<MoveTaskSet>(std::get<QueueChange>(*back)).task;
  CHECK_FALSE(p.destination);
  CHECK_FALSE(p.max_per_second);
  CHECK(p.status == MoveTaskStatus::kRunning);

  // A status this build does not know is a malformed record, not a guess.
  std::string bytes = encode_change(QueueChange{MoveTaskSet{plain}});
  std::string unknown = bytes;
  const std::size_t status_at = bytes.size() - 4;  // status, moved 0, to_move 0, empty reason
  REQUIRE(bytes[status_at] == 0);
  unknown[status_at] = 9;
  CHECK_FALSE(decode_change(unknown));

  auto all = decode_change(encode_change(QueueChange{MoveTasksCleared{}}));
  REQUIRE(all);
  CHECK_FALSE(std::get<MoveTasksCleared>(std::get<QueueChange>(*all)).account);
}

TEST_CASE("truncated, extended or unknown records are refused") {
  for (const auto& change : queue_changes()) {
    const std::string bytes = encode_change(change);
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
      CAPTURE(cut);
      CHECK_FALSE(decode_change(std::string_view(bytes).substr(0, cut)));
    }
    CHECK_FALSE(decode_change(bytes + "x"));
  }
  CHECK_FALSE(decode_change(std::string("\x00", 1)));
  CHECK_FALSE(decode_change("\x3f"));
  CHECK_FALSE(decode_change("\x12"));  // one past the last queue change
  CHECK_FALSE(decode_change("\x4b"));  // one past the last stream change
  CHECK_FALSE(decode_change("\xc8"));
}

TEST_CASE("a record asking replay for more shards than any stream holds is refused") {
  // Found by tests/fuzz/fuzz_change_replay: replay allocated every shard a
  // damaged count asked for, 2^31 of them.
  const StreamKey key{"123456789012", "us-east-1", "clicks"};
  StreamConfig config;
  config.shard_count = kMaxShardsPerStream;
  CHECK(decode_change(encode_change(StreamChange{StreamCreated{2, key, at(1), "uuid", config}})));
  for (int count : {kMaxShardsPerStream + 1, std::numeric_limits<int>::max(), -1}) {
    CAPTURE(count);
    config.shard_count = count;
    CHECK_FALSE(decode_change(encode_change(StreamChange{StreamCreated{2, key, at(1), "uuid", config}})));
  }
  config.shard_count = 1;
  config.mode = static_cast<StreamMode>(7);
  CHECK_FALSE(decode_change(encode_change(StreamChange{StreamCreated{2, key, at(1), "uuid", config}})));

  StreamOp op;
  op.stream = 2;
  op.kind = StreamOpKind::kUpdateShardCount;
  for (std::int64_t target : {std::int64_t{0}, std::int64_t{kMaxShardsPerStream} + 1, std::int64_t{1} << 40}) {
    CAPTURE(target);
    op.number = target;
    CHECK_FALSE(decode_change(encode_change(StreamChange{op})));
  }
  op.number = kMaxShardsPerStream;
  CHECK(decode_change(encode_change(StreamChange{op})));
}

TEST_CASE("a stream image keeps its consumers' tags, and images from before consumer tags still read") {
  StreamImage image;
  image.stream = 3;
  image.key = {"123456789012", "us-east-1", "clicks"};
  image.consumers = {{"c1", at(3), std::nullopt, {{"team", "data"}, {"env", "prod"}}}, {"c2", at(4), at(5), {}}};
  auto decoded = decode_change(encode_change(StreamChange{image}));
  REQUIRE(decoded);
  const auto& back = std::get<StreamImage>(std::get<StreamChange>(*decoded));
  REQUIRE(back.consumers.size() == 2);
  CHECK(back.consumers[0].tags == image.consumers[0].tags);
  CHECK(back.consumers[1].tags.empty());

  // The older layout ends before the tags: one empty map (one byte) per consumer.
  image.consumers[0].tags.clear();
  const std::string bytes = encode_change(StreamChange{image});
  auto old = decode_change(std::string_view(bytes).substr(0, bytes.size() - image.consumers.size()));
  REQUIRE(old);
  const auto& old_image = std::get<StreamImage>(std::get<StreamChange>(*old));
  CHECK(old_image.consumers.size() == 2);
  CHECK(old_image.consumers[0].tags.empty());
}

}  // namespace shoal::storage::durability
