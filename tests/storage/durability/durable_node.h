// DurableNode: one emulator's engines (queues, streams) behind a DurableStore
// over the real journal on an in-memory disk, as the durability tests start
// and crash it; state() is the engines' snapshot as encoded change records,
// for comparing a node with its restart. Test-only; header-only.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/durability/change_codec.h"
#include "storage/durability/durable_store.h"
#include "storage/journal/journal_files.h"

namespace shoal::storage::durability::testing {

struct DurableNode {
  DurableNode(const Clock& base, journal::MemoryFileSystem& disk)
      : clock(base), queues(clock), streams(clock, options()) {
    DurableOptions o;
    o.journal.dir = "/data";
    o.journal.files = &disk;
    o.journal.retry_interval_ms = 1;
    std::string error;
    store = DurableStore::open(o, queues, streams, &clock, &report, &error);
    REQUIRE_MESSAGE(store, error);
  }
  static StreamRegistryOptions options() {
    StreamRegistryOptions o;
    o.iterator_key = "kept in the data dir";
    return o;
  }
  // Like a request: make the change, then wait until it is durable.
  template <typename F>
  void acked(F&& change) {
    change();
    store->wait_durable(DurableStore::take_thread_lsn());
  }
  std::vector<std::string> state() {
    for (const auto& q : queues.all()) (void)q->counts();
    std::vector<std::string> out;
    queues.snapshot([&](const QueueChange& c) { out.push_back(encode_change(c)); });
    streams.snapshot([&](const StreamChange& c) { out.push_back(encode_change(c)); });
    return out;
  }

  ReplayClock clock;
  QueueRegistry queues;
  StreamRegistry streams;
  OpenReport report;
  std::unique_ptr<DurableStore> store;
};

inline NewMessage message_with_body(const std::string& body) {
  NewMessage m;
  m.body = body;
  return m;
}

}  // namespace shoal::storage::durability::testing
