// Session: what the SessionRegistry needs of a live connection, whatever it
// speaks (HttpSession, Http2Session, or a ConnectionStart still choosing):
// a graceful shutdown. shutdown() may be called from any thread; it only
// posts to the connection's strand.
#pragma once

namespace shoal::server {

class Session {
 public:
  virtual ~Session() = default;
  // Graceful: idle connections close, parked answers are given now, requests
  // in flight finish first.
  virtual void shutdown() = 0;
};

}  // namespace shoal::server
