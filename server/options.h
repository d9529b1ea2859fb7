// Options: the server's command-line flags and their SHOAL_* environment
// twins, parsed from one table (options.cc) so a new flag is one row there.
// A flag wins over its variable, a variable over the default. Pure functions
// over values: no globals are read here, callers pass argv and an env lookup.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shoal::server {

// One access key strict authentication accepts. An empty account: the key
// id if it is 12 digits, else 000000000000 (as permissive mode maps keys).
struct AuthKey {
  std::string id;
  std::string secret;
  std::string account;
};

// "AKID:SECRET[:ACCOUNT],..." -> keys, or nullopt with *error saying why.
std::optional<std::vector<AuthKey>> parse_auth_keys(std::string_view list, std::string* error);

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4566;  // 0: the kernel picks a free port
  // A second port speaking TLS (ALPN h2 or http/1.1); none: off. The
  // certificate and key are PEM files; both empty: a self-signed certificate
  // for localhost is generated at start-up and its path printed.
  std::optional<std::uint16_t> tls_port;
  std::string tls_cert;
  std::string tls_key;
  unsigned threads = 1;       // default_options() uses the hardware concurrency
  // 16 MiB: an SQS batch of 10 x 1 MiB messages plus JSON escaping and
  // attributes fits with room to spare; anything bigger is a client bug.
  std::uint64_t max_body_bytes = 16ull << 20;
  std::chrono::seconds idle_timeout{60};  // 0: connections never time out
  std::string advertised_host;            // empty: the request's Host header
  // Kinesis status transitions. 0 (the default) makes them immediate, so SDK
  // waiters that poll every 10 s never wait; raise them for realism.
  std::chrono::milliseconds kinesis_create_delay{0};    // CREATING -> ACTIVE
  std::chrono::milliseconds kinesis_update_delay{0};    // UPDATING -> ACTIVE
  std::chrono::milliseconds kinesis_delete_delay{0};    // DELETING -> gone
  std::chrono::milliseconds kinesis_consumer_delay{0};  // consumer CREATING -> ACTIVE, DELETING -> gone
  unsigned kinesis_shard_limit = 500;                   // open shards per account and region
  // AWS's per-shard throughput limits (1 MiB/s and 1,000 records/s written,
  // 5 GetRecords/s and 2 MiB/s read), on the emulator's clock. Off: every
  // call passes, as tests usually want.
  bool kinesis_throttle = false;
  // AWS's QueueDeletedRecently: a deleted queue's name is refused to
  // CreateQueue for 60 s. nullopt: as the --config file says, else off
  // (fixtures delete and recreate queues all the time).
  std::optional<bool> sqs_delay_recently_deleted;
  // Start-up configuration (server/startup_config.h): queues and streams
  // created before the server listens. Empty: none.
  std::string config_file;      // YAML or JSON
  std::string sqs_queues;       // "a,b.fifo"
  std::string kinesis_streams;  // "s1:4,s2"
  // --healthcheck: probe a running server on host:port and exit 0 or 1
  // instead of serving (the Docker HEALTHCHECK; distroless has no curl).
  bool healthcheck = false;
  // Durable storage: empty keeps everything in memory (the default).
  std::string data_dir;
  // always: an answer waits for an fsync covering its change (shared by all
  // concurrent requests: group commit); interval: written at once, synced
  // every fsync_interval; never: written, synced by the OS when it likes.
  // Default always: the point of a data directory is that an acknowledged
  // write survives a crash of the machine too, and group commit keeps it fast.
  enum class Fsync { kAlways, kInterval, kNever };
  Fsync fsync = Fsync::kAlways;
  std::chrono::milliseconds fsync_interval{100};
  bool drop_damaged_log = false;  // start even if the log is damaged before its tail
  // permissive: signatures are not checked (any credentials work; the
  // access key only picks the account); strict: SigV4 verified against
  // auth_keys. Unset: the --config file's auth.mode, else permissive.
  std::optional<std::string> auth_mode;
  std::vector<AuthKey> auth_keys;  // --auth-keys, then the config file's
  // error | warn | info | debug; debug adds one line per request.
  std::string log_level = "info";
};

// Options with the machine-dependent defaults filled in.
Options default_options();

// Returns the value of an environment variable, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

struct ParseResult {
  std::optional<Options> options;  // set: run the server
  int exit_code = 0;               // otherwise exit with this code...
  std::string output;              // ...after printing this (stdout when 0, else stderr)
};

// args excludes the program name.
ParseResult parse_options(std::span<const std::string_view> args, const EnvLookup& env);

}  // namespace shoal::server
