// StreamRegistry and stream settings: status transitions on the manual clock,
// deletion and re-creation, consumers and their limit, tags, monitoring,
// encryption, modes, policies and account-level counts.
#include "storage/stream/stream_registry.h"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/storage/stream/stream_test_util.h"

namespace shoal::storage {
namespace {

using testing::iterator;
using testing::put;
using testing::read;
using testing::StreamFixture;

StreamRegistryOptions slow() {
  StreamRegistryOptions o;
  o.delays.create = std::chrono::milliseconds(500);
  o.delays.update = std::chrono::milliseconds(500);
  o.delays.remove = std::chrono::milliseconds(500);
  o.delays.consumer_create = std::chrono::milliseconds(500);
  o.delays.consumer_remove = std::chrono::milliseconds(500);
  return o;
}

}  // namespace

TEST_CASE("a stream is CREATING for the create delay, then ACTIVE and writable") {
  StreamFixture f(slow());
  auto stream = f.create(1);
  CHECK(stream->status() == StreamStatus::kCreating);
  CHECK(stream->put_record({"k", std::nullopt, "x", std::nullopt}).status().code() == Status::Code::kNotFound);
  CHECK(stream->increase_retention(48).code() == Status::Code::kResourceInUse);
  f.clock.advance(std::chrono::milliseconds(499));
  CHECK(stream->status() == StreamStatus::kCreating);
  f.clock.advance(std::chrono::milliseconds(1));
  CHECK(stream->status() == StreamStatus::kActive);
  CHECK(stream->put_record({"k", std::nullopt, "x", std::nullopt}).ok());
}

TEST_CASE("settings changes make the stream UPDATING for the update delay") {
  StreamFixture f(slow());
  auto stream = f.create(1);
  f.clock.advance(std::chrono::seconds(1));
  REQUIRE(stream->increase_retention(48).is_ok());
  CHECK(stream->status() == StreamStatus::kUpdating);
  CHECK(stream->describe().retention_hours == 48);
  CHECK(stream->put_record({"k", std::nullopt, "x", std::nullopt}).ok());  // writes continue
  f.clock.advance(std::chrono::milliseconds(500));
  CHECK(stream->status() == StreamStatus::kActive);
}

TEST_CASE("a deleted stream is DELETING for the delete delay, then gone and its name free") {
  StreamFixture f(slow());
  auto stream = f.create(1);
  f.clock.advance(std::chrono::seconds(1));
  const auto old_it = iterator(*stream, "shardId-000000000000");
  REQUIRE(f.registry.remove(StreamFixture::key(), false).is_ok());
  CHECK(stream->status() == StreamStatus::kDeleting);
  REQUIRE(f.registry.find(StreamFixture::key()));
  // Still there (DescribeStream shows it DELETING): deleting it again succeeds
  // and does not put off its end.
  f.clock.advance(std::chrono::milliseconds(300));
  CHECK(f.registry.remove(StreamFixture::key(), false).is_ok());
  CHECK(f.registry.create(StreamFixture::key(), {}).status().code() == Status::Code::kResourceInUse);
  f.clock.advance(std::chrono::milliseconds(200));
  CHECK_FALSE(f.registry.find(StreamFixture::key()));
  CHECK(f.registry.list("123456789012", "us-east-1").empty());
  CHECK(f.registry.remove(StreamFixture::key(), false).code() == Status::Code::kNotFound);
  // A new stream of the same name does not accept the old stream's iterators.
  auto again = f.registry.create(StreamFixture::key(), {});
  REQUIRE(again.ok());
  f.clock.advance(std::chrono::seconds(1));
  const auto stale = f.registry.get_records(old_it, 10);
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("GetRecords rejects expired, tampered and unknown iterators") {
  StreamFixture f;
  auto stream = f.create(1);
  const auto it = iterator(*stream, "shardId-000000000000");
  std::string tampered = it;
  tampered[10] = tampered[10] == 'x' ? 'y' : 'x';
  CHECK(f.registry.get_records(tampered, 10).status().code() == Status::Code::kInvalidArgument);
  CHECK(f.registry.get_records("garbage", 10).status().code() == Status::Code::kInvalidArgument);
  f.clock.advance(std::chrono::minutes(5));
  CHECK(f.registry.get_records(it, 10).status().code() == Status::Code::kHandleExpired);
}

TEST_CASE("streams are isolated by account and region and listed by name") {
  StreamFixture f;
  f.create(1, "b");
  f.create(1, "a");
  REQUIRE(f.registry.create({"123456789012", "eu-west-1", "c"}, {}).ok());
  REQUIRE(f.registry.create({"999999999999", "us-east-1", "d"}, {}).ok());
  std::vector<std::string> names;
  for (const auto& s : f.registry.list("123456789012", "us-east-1")) names.push_back(s->key().name);
  CHECK(names == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(f.registry.find({"999999999999", "us-east-1", "a"}));
  CHECK(f.registry.create(StreamFixture::key("a"), {}).status().code() == Status::Code::kResourceInUse);
  const auto a = f.registry.find(StreamFixture::key("a"));
  CHECK(f.registry.find_by_id("123456789012", "us-east-1", a->stream_id()) == a);
  CHECK_FALSE(f.registry.find_by_id("123456789012", "eu-west-1", a->stream_id()));
}

TEST_CASE("an ON_DEMAND stream starts with 4 shards and counts toward the on-demand limit") {
  StreamRegistryOptions options;
  options.limits.on_demand_stream_limit = 1;
  StreamFixture f(options);
  StreamConfig config;
  config.mode = StreamMode::kOnDemand;
  auto stream = f.registry.create(StreamFixture::key(), config);
  REQUIRE(stream.ok());
  CHECK((*stream)->describe().open_shard_count == 4);
  CHECK((*stream)->mode() == StreamMode::kOnDemand);
  CHECK(f.registry.create(StreamFixture::key("other"), config).status().code() == Status::Code::kLimitExceeded);
  const auto limits = f.registry.limits("123456789012", "us-east-1");
  CHECK(limits.on_demand_stream_count == 1);
  CHECK(limits.open_shard_count == 4);
  CHECK(limits.shard_limit == 500);
  REQUIRE((*stream)->update_stream_mode(StreamMode::kProvisioned).is_ok());
  CHECK((*stream)->describe().mode == StreamMode::kProvisioned);
}

TEST_CASE("consumers are CREATING, then ACTIVE; DELETING, then gone") {
  StreamFixture f(slow());
  auto stream = f.create(1);
  f.clock.advance(std::chrono::seconds(1));
  auto c = stream->register_consumer("app");
  REQUIRE(c.ok());
  CHECK(c->status == ConsumerStatus::kCreating);
  CHECK(c->created == f.clock.now());
  CHECK(stream->register_consumer("app").status().code() == Status::Code::kResourceInUse);
  f.clock.advance(std::chrono::milliseconds(500));
  CHECK(stream->find_consumer("app")->status == ConsumerStatus::kActive);
  REQUIRE(stream->deregister_consumer("app").is_ok());
  CHECK(stream->find_consumer("app")->status == ConsumerStatus::kDeleting);
  f.clock.advance(std::chrono::milliseconds(500));
  CHECK_FALSE(stream->find_consumer("app"));
  CHECK(stream->deregister_consumer("app").code() == Status::Code::kNotFound);
}

TEST_CASE("a stream takes at most 20 consumers") {
  StreamFixture f;
  auto stream = f.create(1);
  for (int i = 0; i < 20; ++i) REQUIRE(stream->register_consumer("c" + std::to_string(i)).ok());
  CHECK(stream->register_consumer("one-too-many").status().code() == Status::Code::kLimitExceeded);
  CHECK(stream->consumers().size() == 20);
  CHECK(stream->describe().consumer_count == 20);
}

TEST_CASE("deleting a stream with consumers needs EnforceConsumerDeletion") {
  StreamFixture f;
  auto stream = f.create(1);
  REQUIRE(stream->register_consumer("app").ok());
  CHECK(f.registry.remove(StreamFixture::key(), false).code() == Status::Code::kResourceInUse);
  CHECK(stream->status() == StreamStatus::kActive);
  REQUIRE(f.registry.remove(StreamFixture::key(), true).is_ok());
  CHECK_FALSE(f.registry.find(StreamFixture::key()));
}

TEST_CASE("tags merge, overwrite and stop at 50") {
  StreamFixture f;
  auto stream = f.create(1);
  std::map<std::string, std::string> tags;
  for (int i = 0; i < 50; ++i) tags["k" + std::to_string(i)] = "v";
  REQUIRE(stream->add_tags(tags).is_ok());
  CHECK(stream->add_tags({{"k0", "changed"}}).is_ok());
  CHECK(stream->tags().at("k0") == "changed");
  CHECK(stream->add_tags({{"new", "v"}}).code() == Status::Code::kInvalidArgument);
  stream->remove_tags({"k1", "absent"});
  CHECK(stream->add_tags({{"new", "v"}}).is_ok());
  CHECK(stream->tags().size() == 50);
}

TEST_CASE("enhanced monitoring reports current and desired metrics") {
  StreamFixture f;
  auto stream = f.create(1);
  auto on = stream->enable_monitoring({"IncomingBytes"});
  REQUIRE(on.ok());
  CHECK(on->current.empty());
  CHECK(on->desired == std::vector<std::string>{"IncomingBytes"});
  auto all = stream->enable_monitoring({"ALL"});
  REQUIRE(all.ok());
  CHECK(all->desired.size() == 7);
  auto off = stream->disable_monitoring({"IncomingBytes", "OutgoingBytes"});
  REQUIRE(off.ok());
  CHECK(off->current.size() == 7);
  CHECK(off->desired.size() == 5);
  CHECK(stream->describe().shard_level_metrics.size() == 5);
  CHECK(stream->enable_monitoring({"Bogus"}).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("records put while encryption is on come back marked KMS") {
  StreamFixture f;
  auto stream = f.create(1);
  CHECK(put(*stream, "k", "plain").encryption == EncryptionType::kNone);
  REQUIRE(stream->start_encryption("alias/aws/kinesis").is_ok());
  CHECK(stream->describe().key_id == "alias/aws/kinesis");
  CHECK(put(*stream, "k", "secret").encryption == EncryptionType::kKms);
  const auto got = read(f.registry, iterator(*stream, "shardId-000000000000"));
  REQUIRE(got.records.size() == 2);
  CHECK(got.records[0].encryption == EncryptionType::kNone);
  CHECK(got.records[1].encryption == EncryptionType::kKms);
  REQUIRE(stream->stop_encryption().is_ok());
  CHECK(stream->describe().encryption == EncryptionType::kNone);
}

TEST_CASE("warm throughput reports the target at once and the current after the update") {
  StreamFixture f(slow());
  auto stream = f.create(1);
  f.clock.advance(std::chrono::seconds(1));
  auto w = stream->update_warm_throughput(100);
  REQUIRE(w.ok());
  CHECK(w->target_mibps == 100);
  CHECK_FALSE(w->current_mibps);
  f.clock.advance(std::chrono::milliseconds(500));
  CHECK(stream->describe().warm_throughput.current_mibps == 100);
}

TEST_CASE("resource policies and account settings are kept as given") {
  StreamFixture f;
  const std::string arn = "arn:aws:kinesis:us-east-1:123456789012:stream/orders";
  CHECK_FALSE(f.registry.resource_policy(arn));
  f.registry.put_resource_policy(arn, "{\"Version\":\"2012-10-17\"}");
  CHECK(f.registry.resource_policy(arn) == "{\"Version\":\"2012-10-17\"}");
  REQUIRE(f.registry.delete_resource_policy(arn).is_ok());
  CHECK(f.registry.delete_resource_policy(arn).code() == Status::Code::kNotFound);
  CHECK(f.registry.account_settings("123456789012").billing_commitment_status == "DISABLED");
  AccountSettings s;
  s.billing_commitment_status = "ENABLED";
  s.started_at = f.clock.now();
  f.registry.set_account_settings("123456789012", s);
  CHECK(f.registry.account_settings("123456789012").started_at == f.clock.now());
}

}  // namespace shoal::storage

namespace shoal::storage {

TEST_CASE("clear forgets streams, policies and settings, per account when asked") {
  ManualClock clock;
  StreamRegistry registry(clock);
  StreamConfig config;
  config.shard_count = 2;
  REQUIRE(registry.create({"111111111111", "us-east-1", "a"}, config).ok());
  REQUIRE(registry.create({"222222222222", "us-east-1", "b"}, config).ok());
  registry.put_resource_policy("arn:aws:kinesis:us-east-1:111111111111:stream/a", "{}");
  registry.put_resource_policy("arn:aws:kinesis:us-east-1:222222222222:stream/b", "{}");
  AccountSettings settings;
  settings.billing_commitment_status = "ENABLED";
  registry.set_account_settings("111111111111", settings);
  CHECK(registry.all().size() == 2);

  CHECK(registry.clear(std::string("111111111111")) == 1);
  CHECK_FALSE(registry.find({"111111111111", "us-east-1", "a"}));
  CHECK(registry.find({"222222222222", "us-east-1", "b"}));
  CHECK_FALSE(registry.resource_policy("arn:aws:kinesis:us-east-1:111111111111:stream/a"));
  CHECK(registry.resource_policy("arn:aws:kinesis:us-east-1:222222222222:stream/b"));
  CHECK(registry.account_settings("111111111111").billing_commitment_status == "DISABLED");
  // The name is free again at once (no DELETING phase).
  CHECK(registry.create({"111111111111", "us-east-1", "a"}, config).ok());

  CHECK(registry.clear() == 2);
  CHECK(registry.all().empty());
  CHECK(registry.limits("222222222222", "us-east-1").open_shard_count == 0);
}

TEST_CASE("shard positions count retained records and bytes per shard") {
  ManualClock clock;
  StreamRegistry registry(clock);
  StreamConfig config;
  config.shard_count = 1;
  auto stream = registry.create({"000000000000", "us-east-1", "s"}, config);
  REQUIRE(stream.ok());
  auto positions = (*stream)->shard_positions();
  REQUIRE(positions.size() == 1);
  CHECK(positions[0].records == 0);
  CHECK_FALSE(positions[0].last_sequence_number);
  PutRecordInput record;
  record.partition_key = "pk";
  record.data = "12345";
  auto first = (*stream)->put_record(record);
  auto second = (*stream)->put_record(record);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  positions = (*stream)->shard_positions();
  CHECK(positions[0].records == 2);
  CHECK(positions[0].bytes == 14);
  CHECK(positions[0].first_sequence_number == first->sequence_number);
  CHECK(positions[0].last_sequence_number == second->sequence_number);
}

}  // namespace shoal::storage

namespace shoal::storage {

TEST_CASE("consumer tags: added at registration and later, removed, counted against the limit") {
  testing::StreamFixture f;
  auto stream = f.create(1);
  REQUIRE(stream->register_consumer("app", {{"team", "data"}}));
  REQUIRE(stream->add_consumer_tags("app", {{"env", "test"}}));
  stream->remove_tags({"env"});  // the stream's own tags are another set
  CHECK(stream->find_consumer("app")->tags == std::map<std::string, std::string>{{"env", "test"}, {"team", "data"}});
  REQUIRE(stream->remove_consumer_tags("app", {"team", "absent"}));
  CHECK(stream->find_consumer("app")->tags == std::map<std::string, std::string>{{"env", "test"}});
  CHECK(stream->tags().empty());
  CHECK(stream->add_consumer_tags("nobody", {{"a", "b"}}).code() == Status::Code::kNotFound);
  std::map<std::string, std::string> many;
  for (int i = 0; i < 50; ++i) many["k" + std::to_string(i)] = "v";
  CHECK(stream->add_consumer_tags("app", many).code() == Status::Code::kInvalidArgument);
  CHECK(stream->find_consumer("app")->tags.size() == 1);  // nothing changed
  CHECK(stream->register_consumer("crowded", many).ok());
  many["k50"] = "v";
  CHECK(stream->register_consumer("too-crowded", many).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("a stream's resource policies, and its consumers', can be dropped together") {
  testing::StreamFixture f;
  const std::string arn = "arn:aws:kinesis:us-east-1:123456789012:stream/orders";
  f.registry.put_resource_policy(arn, "{}");
  f.registry.put_resource_policy(arn + "/consumer/app:1700000000", "{}");
  f.registry.put_resource_policy(arn + "-archive", "{}");  // another stream whose name starts the same
  CHECK(f.registry.delete_resource_policies_under(arn) == 2);
  CHECK_FALSE(f.registry.resource_policy(arn));
  CHECK_FALSE(f.registry.resource_policy(arn + "/consumer/app:1700000000"));
  CHECK(f.registry.resource_policy(arn + "-archive"));
}

}  // namespace shoal::storage
