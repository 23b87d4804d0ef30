// LiveServer: HTTP server of the live page, /events (SSE), /api/groups, /api/latest,
// /api/history, /metrics and the index of them all at /api; with a token beyond loopback.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "logger/stats.hpp"
#include "platform/net.hpp"
#include "s7/error.hpp"
#include "web/http_limits.hpp"
#include "web/listen_address.hpp"
#include "web/live_feed.hpp"
#include "web/live_stats.hpp"

namespace web {

class ConnectionGate;
struct GateConnection;

// Routes:
//   GET /                 the live page (HTML; uPlot and scripts from the binary)
//   GET /events           Server-Sent Events of one group: first `hello` {plc, group, columns,
//                         history[...]} with the recent samples, then one `sample` per new
//                         sample (id: seq), and a `status` event about every 2 s {link,
//                         samples_written, ..., plcs: [{plc, link}]}
//   GET /api/groups       {"groups": [{plc, group, tags, interval_ms, link, held}], "plcs":
//                         [{plc, link}]}
//   GET /api/latest       {"ts", "plc", "group", "values", "quality", ...} of the newest sample
//                         (ts null if none)
//   GET /api/history?last=N  {"plc", "group", "columns", "samples": [...]} newest N
//                         (1..capacity; default 60); 400 for a bad N
//   GET /metrics          Prometheus text format (totals, and per PLC and group)
//   GET /favicon.ico, /uplot.js, /uplot.css, /live.js, /chart.js, /page.css
//   GET /api, /api/       {"endpoints": [{"path", "method", "description"}]}: every route above
// /events, /api/latest and /api/history serve the group named by ?plc=&group= (a parameter left
// out matches any; neither: the first group opened); a group the feed does not hold: 404 with
// {"error", "groups"}. Anything else, and any method but GET and HEAD: 404 with "404 <path>".
// With a token (non-empty `token`), every request but /metrics must carry it, as ?token=, as
// "Authorization: Bearer <token>" or in the cookie s7log_token, which an answer to a right
// ?token= sets (HttpOnly; SameSite=Strict); otherwise 401 (checked after the Host check, before
// routing; compared in constant time).
// The HTTP/1.1 layer is our own (server.cpp): a thread accepts connections (platform/net.hpp),
// the gate collects each whole request, and a worker answers it: Content-Length for plain
// answers, chunked transfer coding for /events (HTTP/1.0: until the connection closes),
// keep-alive for HTTP/1.1 unless the client or the limits end the connection.
// Every request is read completely (under the deadlines and caps of HttpLimits) before a worker
// answers it; streams and plain requests have separate workers (src/connection_gate.hpp).
// Refused: a body over limits.max_body_bytes or any Transfer-Encoding (413, the body is not
// read), a head over max_head_bytes (431), a head or body not complete in time (408), an unknown
// Host (421, see host_allowed()). Every answer carries X-Content-Type-Options: nosniff and none
// carries CORS (Access-Control-*) headers.
// Thread-safety: start()/stop() from one thread; the feed and stats may change meanwhile.
class LiveServer {
 public:
  // At most this many SSE streams at once by default (HttpLimits::max_streams; more get 503).
  static constexpr int kMaxStreams = 16;

  // `stats` may be a logger::Stats alone (the one-PLC case). An empty `token`: no token asked.
  LiveServer(LiveFeed& feed, LiveStatsView stats, HttpLimits limits = {}, std::string token = {});
  ~LiveServer();  // stops
  LiveServer(const LiveServer&) = delete;
  LiveServer& operator=(const LiveServer&) = delete;

  // Binds and starts serving on a background thread; returns the bound port (useful for 0).
  // Errors: Errc::network_error naming host:port when binding fails.
  s7::Result<std::uint16_t> start(const std::string& host, std::uint16_t port);
  // Ends SSE streams promptly, stops listening and joins the thread. Idempotent.
  void stop();

  std::uint16_t port() const { return port_; }
  std::size_t stream_count() const { return streams_.load(); }
  const HttpLimits& limits() const { return limits_; }

 private:
  struct Routes;  // the GET table (server.cpp)

  void install_routes();
  void accept_loop();
  // Answers the complete request in conn (a gate worker); true if the connection may go on.
  bool serve(GateConnection& conn, bool last);

  LiveFeed& feed_;
  LiveStatsView stats_;
  HttpLimits limits_;
  std::string token_;
  std::unique_ptr<Routes> routes_;
  std::unique_ptr<ConnectionGate> gate_;
  std::unique_ptr<platform::Waker> waker_;  // ends the accept loop's wait
  platform::socket_handle listener_ = platform::kInvalidSocket;
  std::thread thread_;  // the accept loop
  std::atomic<bool> stopping_{false};
  std::atomic<int> streams_{0};
  std::uint16_t port_ = 0;
};

}  // namespace web
