#include "server/config_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/request_context.h"

namespace shoal::server {
namespace {

// Thrown inside the reader only, caught by parse_config_text: the first
// problem ends the read, and carries its line.
struct ConfigError {
  int line;  // 1-based; 0: no line
  std::string message;
};

[[noreturn]] void fail(const YAML::Node& at, std::string message) {
  throw ConfigError{at.Mark().is_null() ? 0 : at.Mark().line + 1, std::move(message)};
}

const char* kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    default:
      return "nothing";
  }
}

void expect(const YAML::Node& node, YAML::NodeType::value type, std::string_view what, std::string_view expected) {
  if (node.Type() != type) {
    fail(node, std::string(what) + ": expected " + std::string(expected) + ", found " + kind_of(node));
  }
}

std::string scalar(const YAML::Node& node, std::string_view what) {
  expect(node, YAML::NodeType::Scalar, what, "a single value");
  return node.Scalar();
}

int whole_number(const YAML::Node& node, std::string_view what, int min) {
  std::string text = scalar(node, what);
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min) {
    fail(node, std::string(what) + ": expected a whole number >= " + std::to_string(min) + ", found '" + text + "'");
  }
  return value;
}

// Rejects keys outside `allowed` (a typo would otherwise be silently ignored).
void check_keys(const YAML::Node& map, std::string_view what, std::initializer_list<std::string_view> allowed) {
  for (const auto& entry : map) {
    std::string key = scalar(entry.first, what);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(entry.first, std::string(what) + ": unknown key '" + key + "' (expected " + list + ")");
    }
  }
}

// A YAML subtree as JSON, for attributes whose value is a JSON document
// (Policy, RedrivePolicy, RedriveAllowPolicy) written as a mapping.
nlohmann::json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& entry : node) out[entry.first.Scalar()] = to_json(entry.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(to_json(item));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (node.Tag() == "!") return text;  // quoted: always a string
      if (text == "true" || text == "false") return text == "true";
      long long number = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) return number;
      return text;
    }
    default:
      return nullptr;
  }
}

StringPairs string_map(const YAML::Node& node, std::string_view what) {
  expect(node, YAML::NodeType::Map, what, "a mapping of names to values");
  StringPairs out;
  for (const auto& entry : node) {
    std::string key = scalar(entry.first, what);
    out.emplace_back(key, scalar(entry.second, std::string(what) + " '" + key + "'"));
  }
  return out;
}

class Reader {
 public:
  explicit Reader(std::string_view file) : file_(file) {}

  void scope(const YAML::Node& node, const std::string& account, const std::string& region, std::string_view what,
             StartupConfig& out) {
    if (const YAML::Node queues = node["queues"]) {
      expect(queues, YAML::NodeType::Sequence, std::string(what) + "queues", "a list of queues");
      for (const auto& q : queues) out.queues.push_back(queue(q, account, region));
    }
    if (const YAML::Node streams = node["streams"]) {
      expect(streams, YAML::NodeType::Sequence, std::string(what) + "streams", "a list of streams");
      for (const auto& s : streams) out.streams.push_back(stream(s, account, region));
    }
  }

  // auth: {mode: strict, keys: [{access_key_id, secret_access_key, account}]}
  void auth(const YAML::Node& node, StartupConfig& out) {
    expect(node, YAML::NodeType::Map, "auth", "a mapping with mode and keys");
    check_keys(node, "auth", {"mode", "keys"});
    if (const YAML::Node mode = node["mode"]) {
      std::string value = scalar(mode, "auth mode");
      if (value != "permissive" && value != "strict") {
        fail(mode, "auth mode: expected permissive or strict, found '" + value + "'");
      }
      out.auth_mode = value;
    }
    if (const YAML::Node keys = node["keys"]) {
      expect(keys, YAML::NodeType::Sequence, "auth keys", "a list of keys");
      for (const auto& k : keys) {
        expect(k, YAML::NodeType::Map, "auth key", "a mapping with access_key_id and secret_access_key");
        check_keys(k, "auth key", {"access_key_id", "secret_access_key", "account"});
        if (!k["access_key_id"]) fail(k, "auth key: 'access_key_id' is missing");
        if (!k["secret_access_key"]) fail(k, "auth key: 'secret_access_key' is missing");
        AuthKey key;
        key.id = scalar(k["access_key_id"], "auth key access_key_id");
        key.secret = scalar(k["secret_access_key"], "auth key secret_access_key");
        if (const YAML::Node account = k["account"]) {
          key.account = scalar(account, "auth key account");
          if (key.account.size() != 12 || key.account.find_first_not_of("0123456789") != std::string::npos) {
            fail(account, "auth key account: '" + key.account + "' is not a 12-digit account id (quote it)");
          }
        }
        if (key.id.empty() || key.secret.empty()) fail(k, "auth key: the id and the secret must not be empty");
        out.auth_keys.push_back(std::move(key));
      }
    }
  }

  void accounts(const YAML::Node& node, StartupConfig& out) {
    expect(node, YAML::NodeType::Map, "accounts", "a mapping of 12-digit account ids to regions");
    for (const auto& account_entry : node) {
      std::string account = scalar(account_entry.first, "accounts");
      if (account.size() != 12 || !std::all_of(account.begin(), account.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        fail(account_entry.first, "accounts: '" + account + "' is not a 12-digit account id (quote it so leading zeros stay)");
      }
      const std::string where = "account " + account;
      expect(account_entry.second, YAML::NodeType::Map, where, "a mapping of regions to {queues, streams}");
      for (const auto& region_entry : account_entry.second) {
        std::string region = scalar(region_entry.first, where);
        if (region.empty() || !std::all_of(region.begin(), region.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            })) {
          fail(region_entry.first, where + ": '" + region + "' is not a region name (like eu-west-1)");
        }
        const std::string scope_name = where + ", " + region;
        expect(region_entry.second, YAML::NodeType::Map, scope_name, "a mapping with queues and streams");
        check_keys(region_entry.second, scope_name, {"queues", "streams"});
        scope(region_entry.second, account, region, scope_name + ": ", out);
      }
    }
  }

 private:
  std::string origin(const YAML::Node& node) const { return file_ + ":" + std::to_string(node.Mark().line + 1); }

  QueueSpec queue(const YAML::Node& node, const std::string& account, const std::string& region) {
    if (node.IsScalar()) node_name_only(node);  // a bare name is not allowed: say so clearly
    expect(node, YAML::NodeType::Map, "queue", "a mapping with at least 'name'");
    check_keys(node, "queue", {"name", "attributes", "tags", "redrive"});
    QueueSpec q;
    q.origin = origin(node);
    q.account = account;
    q.region = region;
    if (!node["name"]) fail(node, "queue: 'name' is missing");
    q.name = scalar(node["name"], "queue name");
    const std::string what = "queue '" + q.name + "'";
    if (const YAML::Node attributes = node["attributes"]) {
      expect(attributes, YAML::NodeType::Map, what + " attributes", "a mapping of attribute names to values");
      for (const auto& entry : attributes) {
        std::string key = scalar(entry.first, what + " attributes");
        std::string value = entry.second.IsScalar() ? entry.second.Scalar() : "";
        if (entry.second.IsMap() || entry.second.IsSequence()) {
          value = to_json(entry.second).dump();  // a JSON document written as YAML
        } else if (!entry.second.IsScalar()) {
          fail(entry.first, what + " attribute " + key + ": the value is missing");
        }
        if (key == "RedrivePolicy") {
          q.redrive_policy = value;
        } else {
          q.attributes.emplace_back(key, value);
        }
      }
    }
    if (q.name.ends_with(".fifo") &&
        std::none_of(q.attributes.begin(), q.attributes.end(), [](const auto& a) { return a.first == "FifoQueue"; })) {
      q.attributes.emplace_back("FifoQueue", "true");  // the name already says so
    }
    if (const YAML::Node tags = node["tags"]) q.tags = string_map(tags, what + " tags");
    if (const YAML::Node redrive = node["redrive"]) {
      if (q.redrive_policy) fail(redrive, what + ": give either redrive or attributes.RedrivePolicy, not both");
      expect(redrive, YAML::NodeType::Map, what + " redrive", "{dead_letter_queue: NAME, max_receive_count: N}");
      check_keys(redrive, what + " redrive", {"dead_letter_queue", "max_receive_count"});
      if (!redrive["dead_letter_queue"]) fail(redrive, what + " redrive: 'dead_letter_queue' is missing");
      if (!redrive["max_receive_count"]) fail(redrive, what + " redrive: 'max_receive_count' is missing");
      std::string target = scalar(redrive["dead_letter_queue"], what + " redrive dead_letter_queue");
      if (!target.starts_with("arn:")) target = "arn:aws:sqs:" + region + ":" + account + ":" + target;
      int count = whole_number(redrive["max_receive_count"], what + " redrive max_receive_count", 1);
      q.redrive_policy = nlohmann::json{{"deadLetterTargetArn", target}, {"maxReceiveCount", count}}.dump();
    }
    return q;
  }

  StreamSpec stream(const YAML::Node& node, const std::string& account, const std::string& region) {
    if (node.IsScalar()) node_name_only(node);
    expect(node, YAML::NodeType::Map, "stream", "a mapping with at least 'name'");
    check_keys(node, "stream", {"name", "shards", "mode", "retention_hours", "tags", "consumers"});
    StreamSpec s;
    s.origin = origin(node);
    s.account = account;
    s.region = region;
    if (!node["name"]) fail(node, "stream: 'name' is missing");
    s.name = scalar(node["name"], "stream name");
    const std::string what = "stream '" + s.name + "'";
    if (const YAML::Node mode = node["mode"]) {
      s.mode = scalar(mode, what + " mode");
      if (s.mode != "PROVISIONED" && s.mode != "ON_DEMAND") {
        fail(mode, what + " mode: expected PROVISIONED or ON_DEMAND, found '" + s.mode + "'");
      }
    }
    if (const YAML::Node shards = node["shards"]) {
      if (s.mode == "ON_DEMAND") fail(shards, what + ": an ON_DEMAND stream takes no shard count");
      s.shard_count = whole_number(shards, what + " shards", 1);
    }
    if (const YAML::Node hours = node["retention_hours"]) s.retention_hours = whole_number(hours, what + " retention_hours", 1);
    if (const YAML::Node tags = node["tags"]) s.tags = string_map(tags, what + " tags");
    if (const YAML::Node consumers = node["consumers"]) {
      expect(consumers, YAML::NodeType::Sequence, what + " consumers", "a list of consumer names");
      for (const auto& c : consumers) s.consumers.push_back(scalar(c, what + " consumer"));
    }
    return s;
  }

  [[noreturn]] void node_name_only(const YAML::Node& node) {
    fail(node, "'" + node.Scalar() + "': each entry is a mapping; write {name: " + node.Scalar() + "}");
  }

  std::string file_;
};

}  // namespace

ConfigResult parse_config_text(const std::string& text, std::string_view file_name) {
  const std::string file(file_name);
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) {
      if (root.IsNull()) return {std::nullopt, file + ": the file is empty; expected queues, streams or accounts"};
      fail(root, std::string("expected a mapping with queues, streams or accounts, found ") + kind_of(root));
    }
    check_keys(root, "top level", {"queues", "streams", "accounts", "auth", "sqs_delay_recently_deleted"});
    Reader reader(file);
    StartupConfig config;
    if (const YAML::Node auth = root["auth"]) reader.auth(auth, config);
    if (const YAML::Node delay = root["sqs_delay_recently_deleted"]) {
      const std::string value = delay.IsScalar() ? delay.Scalar() : "";
      if (value != "true" && value != "false") fail(delay, "sqs_delay_recently_deleted: expected true or false");
      config.sqs_delay_recently_deleted = value == "true";
    }
    reader.scope(root, std::string(api::kDefaultAccount), std::string(api::kDefaultRegion), "", config);
    if (const YAML::Node accounts = root["accounts"]) reader.accounts(accounts, config);
    return {std::move(config), {}};
  } catch (const ConfigError& e) {
    return {std::nullopt, file + (e.line > 0 ? ":" + std::to_string(e.line) : std::string()) + ": " + e.message};
  } catch (const YAML::Exception& e) {
    // Syntax errors: yaml-cpp's own mark and message, without its prefix.
    std::string where = file;
    if (!e.mark.is_null()) where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    return {std::nullopt, where + ": not valid YAML or JSON: " + e.msg};
  }
}

ConfigResult read_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {std::nullopt, path + ": cannot open the config file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return {std::nullopt, path + ": cannot read the config file"};
  return parse_config_text(text.str(), path);
}

}  // namespace shoal::server
