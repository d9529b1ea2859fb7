#include "server/options.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <thread>

#include "api/control/log.h"

namespace shoal::server {
namespace {

// Returns an error message, or nullopt when the value was accepted.
using Setter = std::optional<std::string> (*)(Options&, std::string_view);
using Shower = std::string (*)(const Options&);

struct Flag {
  std::string_view name;     // "--port"
  std::string_view env;      // "SHOAL_PORT"
  std::string_view metavar;  // "PORT"
  std::string_view help;
  Shower show_default;
  Setter set;
};

std::optional<std::uint64_t> parse_uint(std::string_view text, std::uint64_t min, std::uint64_t max) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < min || value > max) return std::nullopt;
  return value;
}

std::string expected_range(std::uint64_t min, std::uint64_t max) {
  return "expected an integer in " + std::to_string(min) + ".." + std::to_string(max);
}

// A host name or address, optionally with :port; no scheme, path or spaces.
bool plausible_host(std::string_view text) {
  return !text.empty() && std::none_of(text.begin(), text.end(), [](char c) {
    return c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '@';
  });
}

// A Kinesis transition delay in milliseconds (0 .. 1 hour).
template <std::chrono::milliseconds Options::*Field>
std::optional<std::string> set_delay(Options& o, std::string_view v) {
  auto n = parse_uint(v, 0, 3'600'000);
  if (!n) return expected_range(0, 3'600'000);
  o.*Field = std::chrono::milliseconds(*n);
  return std::nullopt;
}

template <std::chrono::milliseconds Options::*Field>
std::string show_delay(const Options& o) {
  return std::to_string((o.*Field).count());
}

// true / 1 or false / 0.
template <bool Options::*Field>
std::optional<std::string> set_bool(Options& o, std::string_view v) {
  if (v == "true" || v == "1") {
    o.*Field = true;
  } else if (v == "false" || v == "0") {
    o.*Field = false;
  } else {
    return "expected true or false";
  }
  return std::nullopt;
}

const std::array kFlags{
    Flag{"--host", "SHOAL_HOST", "ADDRESS", "address to listen on (0.0.0.0: all interfaces)",
         [](const Options& o) { return o.host; },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           if (!plausible_host(v)) return "expected a host name or IP address";
           o.host = v;
           return std::nullopt;
         }},
    Flag{"--port", "SHOAL_PORT", "PORT", "TCP port to listen on (0: pick a free one and print it)",
         [](const Options& o) { return std::to_string(o.port); },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           auto n = parse_uint(v, 0, 65535);
           if (!n) return expected_range(0, 65535);
           o.port = static_cast<std::uint16_t>(*n);
           return std::nullopt;
         }},
    Flag{"--tls-port", "SHOAL_TLS_PORT", "PORT",
         "also serve TLS (HTTP/2 or HTTP/1.1 by ALPN) on this port (0: pick a free one and print it)",
         [](const Options& o) { return o.tls_port ? std::to_string(*o.tls_port) : std::string("(off)"); },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           auto n = parse_uint(v, 0, 65535);
           if (!n) return expected_range(0, 65535);
           o.tls_port = static_cast<std::uint16_t>(*n);
           return std::nullopt;
         }},
    Flag{"--tls-cert", "SHOAL_TLS_CERT", "FILE",
         "with --tls-port: the certificate chain (PEM); with --tls-key. Neither: a self-signed certificate for "
         "localhost and 127.0.0.1 is generated at start-up and its path printed",
         [](const Options& o) { return o.tls_cert.empty() ? std::string("(generated)") : o.tls_cert; },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           o.tls_cert = v;
           return std::nullopt;
         }},
    Flag{"--tls-key", "SHOAL_TLS_KEY", "FILE", "with --tls-cert: its private key (PEM)",
         [](const Options& o) { return o.tls_key.empty() ? std::string("(generated)") : o.tls_key; },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           o.tls_key = v;
           return std::nullopt;
         }},
    Flag{"--threads", "SHOAL_THREADS", "N", "I/O threads serving connections",
         [](const Options& o) { return std::to_string(o.threads) + " (hardware concurrency)"; },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           auto n = parse_uint(v, 1, 1024);
           if (!n) return expected_range(1, 1024);
           o.threads = static_cast<unsigned>(*n);
           return std::nullopt;
         }},
    Flag{"--max-body-bytes", "SHOAL_MAX_BODY_BYTES", "BYTES",
         "largest request body accepted; bigger ones get 413 and the connection is closed",
         [](const Options& o) { return std::to_string(o.max_body_bytes) + " (16 MiB)"; },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           auto n = parse_uint(v, 1, 1ull << 32);
           if (!n) return expected_range(1, 1ull << 32);
           o.max_body_bytes = *n;
           return std::nullopt;
         }},
    Flag{"--idle-timeout-seconds", "SHOAL_IDLE_TIMEOUT_SECONDS", "SECONDS",
         "close a connection idle (or stalled mid-request) this long; 0: never",
         [](const Options& o) { return std::to_string(o.idle_timeout.count()); },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           auto n = parse_uint(v, 0, 86400);
           if (!n) return expected_range(0, 86400);
           o.idle_timeout = std::chrono::seconds(*n);
           return std::nullopt;
         }},
    Flag{"--advertised-host", "SHOAL_ADVERTISED_HOST", "HOST[:PORT]",
         "host written into queue URLs (empty: the request's Host header)",
         [](const Options& o) { return o.advertised_host.empty() ? std::string("(empty)") : o.advertised_host; },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           if (!v.empty() && !plausible_host(v)) return "expected host or host:port, without scheme or path";
           o.advertised_host = v;
           return std::nullopt;
         }},
    Flag{"--kinesis-create-delay-ms", "SHOAL_KINESIS_CREATE_DELAY_MS", "MS",
         "time a new Kinesis stream stays CREATING (0: ACTIVE at once)",
         show_delay<&Options::kinesis_create_delay>, set_delay<&Options::kinesis_create_delay>},
    Flag{"--kinesis-update-delay-ms", "SHOAL_KINESIS_UPDATE_DELAY_MS", "MS",
         "time a stream stays UPDATING after a reshard or settings change",
         show_delay<&Options::kinesis_update_delay>, set_delay<&Options::kinesis_update_delay>},
    Flag{"--kinesis-delete-delay-ms", "SHOAL_KINESIS_DELETE_DELAY_MS", "MS",
         "time a deleted stream stays DELETING before it is gone",
         show_delay<&Options::kinesis_delete_delay>, set_delay<&Options::kinesis_delete_delay>},
    Flag{"--kinesis-consumer-delay-ms", "SHOAL_KINESIS_CONSUMER_DELAY_MS", "MS",
         "time a stream consumer stays CREATING (and DELETING)",
         show_delay<&Options::kinesis_consumer_delay>, set_delay<&Options::kinesis_consumer_delay>},
    Flag{"--kinesis-shard-limit", "SHOAL_KINESIS_SHARD_LIMIT", "N",
         "open Kinesis shards allowed per account and region (AWS's LimitExceededException past it)",
         [](const Options& o) { return std::to_string(o.kinesis_shard_limit); },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           auto n = parse_uint(v, 1, 100'000);
           if (!n) return expected_range(1, 100'000);
           o.kinesis_shard_limit = static_cast<unsigned>(*n);
           return std::nullopt;
         }},
    Flag{"--kinesis-throttle", "KINESIS_THROTTLE", "BOOL",
         "true: enforce AWS's per-shard limits (writes 1 MiB/s and 1,000 records/s, reads 5 calls/s and "
         "2 MiB/s) with ProvisionedThroughputExceededException, on the emulator's clock",
         [](const Options& o) { return std::string(o.kinesis_throttle ? "true" : "false"); },
         set_bool<&Options::kinesis_throttle>},
    Flag{"--sqs-delay-recently-deleted", "SQS_DELAY_RECENTLY_DELETED", "BOOL",
         "true: CreateQueue refuses a name deleted less than 60 s before (AWS's QueueDeletedRecently), on the "
         "emulator's clock; off by default, as fixtures recreate queues at once",
         [](const Options& o) {
           return std::string(!o.sqs_delay_recently_deleted ? "false (or the --config file's)"
                                                            : *o.sqs_delay_recently_deleted ? "true" : "false");
         },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           if (v != "true" && v != "1" && v != "false" && v != "0") return "expected true or false";
           o.sqs_delay_recently_deleted = v == "true" || v == "1";
           return std::nullopt;
         }},
    Flag{"--config", "SHOAL_CONFIG", "FILE",
         "YAML or JSON file of queues and streams to create at start-up (idempotent; see README)",
         [](const Options& o) { return o.config_file.empty() ? std::string("(none)") : o.config_file; },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           o.config_file = v;
           return std::nullopt;
         }},
    Flag{"--sqs-queues", "SQS_QUEUES", "NAME[,NAME]...",
         "queues to create at start-up in account 000000000000, us-east-1 (a name ending .fifo is FIFO)",
         [](const Options& o) { return o.sqs_queues.empty() ? std::string("(none)") : o.sqs_queues; },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           o.sqs_queues = v;
           return std::nullopt;
         }},
    Flag{"--kinesis-streams", "KINESIS_STREAMS", "NAME[:SHARDS][,...]",
         "streams to create at start-up in account 000000000000, us-east-1 (default 1 shard)",
         [](const Options& o) { return o.kinesis_streams.empty() ? std::string("(none)") : o.kinesis_streams; },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           o.kinesis_streams = v;
           return std::nullopt;
         }},
    Flag{"--data-dir", "SHOAL_DATA_DIR", "DIR",
         "keep queues, messages, streams and records in DIR so they survive restarts and crashes "
         "(empty: in memory only)",
         [](const Options& o) { return o.data_dir.empty() ? std::string("(empty)") : o.data_dir; },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           o.data_dir = v;
           return std::nullopt;
         }},
    Flag{"--fsync", "SHOAL_FSYNC", "POLICY",
         "with --data-dir: always, interval or never: when a write is synced to disk before it is acknowledged "
         "(always: every answer "
         "waits for an fsync shared by concurrent requests; interval: at most --fsync-interval-ms of "
         "acknowledged writes can be lost in a machine crash; never: left to the OS)",
         [](const Options& o) {
           return std::string(o.fsync == Options::Fsync::kAlways     ? "always"
                              : o.fsync == Options::Fsync::kInterval ? "interval"
                                                                     : "never");
         },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           if (v == "always") {
             o.fsync = Options::Fsync::kAlways;
           } else if (v == "interval") {
             o.fsync = Options::Fsync::kInterval;
           } else if (v == "never") {
             o.fsync = Options::Fsync::kNever;
           } else {
             return "expected always, interval or never";
           }
           return std::nullopt;
         }},
    Flag{"--fsync-interval-ms", "SHOAL_FSYNC_INTERVAL_MS", "MS", "with --fsync interval: time between syncs",
         [](const Options& o) { return std::to_string(o.fsync_interval.count()); },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           auto n = parse_uint(v, 1, 60'000);
           if (!n) return expected_range(1, 60'000);
           o.fsync_interval = std::chrono::milliseconds(*n);
           return std::nullopt;
         }},
    Flag{"--drop-damaged-log", "SHOAL_DROP_DAMAGED_LOG", "BOOL",
         "with --data-dir: true starts even when the log is damaged before its tail, dropping everything from the "
         "damage on (start-up reports what was dropped); false: refuse to start and say where the damage is",
         [](const Options& o) { return std::string(o.drop_damaged_log ? "true" : "false"); },
         set_bool<&Options::drop_damaged_log>},
    Flag{"--auth", "SHOAL_AUTH", "MODE",
         "permissive: signatures are not checked (any credentials work); strict: every SQS and Kinesis request "
         "must carry a valid SigV4 signature (header or presigned URL) by a key of --auth-keys, within AWS's "
         "clock-skew window on the emulator's clock. Unset: the --config file's auth.mode",
         [](const Options& o) { return o.auth_mode.value_or("permissive"); },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           if (v != "permissive" && v != "strict") return "expected permissive or strict";
           o.auth_mode = std::string(v);
           return std::nullopt;
         }},
    Flag{"--auth-keys", "SHOAL_AUTH_KEYS", "AKID:SECRET[:ACCOUNT][,...]",
         "access keys strict authentication accepts (the config file's auth.keys add to them); ACCOUNT: the "
         "12-digit account the key acts as (default: the key id if it is 12 digits, else 000000000000)",
         [](const Options& o) { return o.auth_keys.empty() ? std::string("(none)") : std::to_string(o.auth_keys.size()) + " keys"; },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           std::string error;
           auto keys = parse_auth_keys(v, &error);
           if (!keys) return error;
           o.auth_keys = std::move(*keys);
           return std::nullopt;
         }},
    Flag{"--log-level", "SHOAL_LOG_LEVEL", "LEVEL",
         "error | warn | info | debug (debug: one line per request: action, queue/stream, status, latency)",
         [](const Options& o) { return o.log_level; },
         [](Options& o, std::string_view v) -> std::optional<std::string> {
           if (!api::parse_log_level(v)) return "expected error, warn, info or debug";
           o.log_level = v;
           return std::nullopt;
         }},
};

std::string usage() {
  const Options defaults = default_options();
  std::string out =
      "usage: shoal [FLAG VALUE | FLAG=VALUE]...\n"
      "Local emulator of Amazon SQS and Amazon Kinesis Data Streams.\n"
      "Every flag can also be set by its environment variable; the flag wins.\n\n";
  for (const Flag& f : kFlags) {
    out += "  ";
    out += f.name;
    out += ' ';
    out += f.metavar;
    out += "\n      ";
    out += f.help;
    out += "\n      env ";
    out += f.env;
    out += ", default ";
    out += f.show_default(defaults);
    out += '\n';
  }
  out += "  --healthcheck\n      ask the server at --host/--port whether it is healthy; exit 0 if so, else 1\n";
  out += "  --help\n      print this and exit\n";
  return out;
}

ParseResult failure(std::string message) {
  return {std::nullopt, 2, "shoal: " + std::move(message) + "\nrun 'shoal --help' for the flags\n"};
}

const Flag* find_flag(std::string_view name) {
  for (const Flag& f : kFlags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool twelve_digits(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::vector<AuthKey>> parse_auth_keys(std::string_view list, std::string* error) {
  std::vector<AuthKey> keys;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) continue;
    auto first = item.find(':');
    auto second = first == std::string_view::npos ? first : item.find(':', first + 1);
    AuthKey key;
    key.id = item.substr(0, first);
    if (first != std::string_view::npos) key.secret = item.substr(first + 1, second - first - 1);
    if (second != std::string_view::npos) key.account = item.substr(second + 1);
    if (key.id.empty() || key.secret.empty() || (second != std::string_view::npos && !twelve_digits(key.account))) {
      // The secret stays out of the message: it may end up in a log.
      *error = "expected AKID:SECRET or AKID:SECRET:ACCOUNT (a 12-digit account) for key '" + key.id + "'";
      return std::nullopt;
    }
    keys.push_back(std::move(key));
  }
  if (keys.empty()) {
    *error = "expected AKID:SECRET[:ACCOUNT] items separated by commas";
    return std::nullopt;
  }
  return keys;
}

Options default_options() {
  Options o;
  o.threads = std::max(1u, std::thread::hardware_concurrency());
  return o;
}

ParseResult parse_options(std::span<const std::string_view> args, const EnvLookup& env) {
  // Flags first, so a flag overrides (and excuses a bad value in) its variable.
  std::array<std::optional<std::string>, kFlags.size()> values;
  bool healthcheck = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") return {std::nullopt, 0, usage()};
    if (arg == "--healthcheck") {
      healthcheck = true;
      continue;
    }
    std::string_view name = arg;
    std::optional<std::string_view> value;
    if (auto eq = arg.find('='); eq != std::string_view::npos && arg.starts_with("--")) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    const Flag* flag = find_flag(name);
    if (flag == nullptr) return failure("unknown flag '" + std::string(arg) + "'");
    if (!value) {
      if (i + 1 >= args.size()) {
        return failure(std::string(name) + " needs a value (" + std::string(flag->metavar) + ")");
      }
      value = args[++i];
    }
    values[static_cast<std::size_t>(flag - kFlags.data())] = std::string(*value);
  }

  Options options = default_options();
  options.healthcheck = healthcheck;
  for (std::size_t i = 0; i < kFlags.size(); ++i) {
    const Flag& f = kFlags[i];
    std::string source = std::string(f.name);
    std::optional<std::string> value = values[i];
    if (!value) {
      value = env(f.env);
      if (!value || value->empty()) continue;  // an empty variable counts as unset
      source = f.env;
    }
    if (auto error = f.set(options, *value)) {
      // A value holding secrets is not echoed: the message may reach a log.
      const bool secret = f.name == "--auth-keys";
      return failure(source + (secret ? "" : " '" + *value + "'") + ": " + *error);
    }
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return failure("--tls-cert (SHOAL_TLS_CERT) and --tls-key (SHOAL_TLS_KEY) go together");
  }
  if (!options.tls_cert.empty() && !options.tls_port) {
    return failure("--tls-cert and --tls-key need --tls-port (SHOAL_TLS_PORT)");
  }
  return {std::move(options), 0, {}};
}

}  // namespace shoal::server
