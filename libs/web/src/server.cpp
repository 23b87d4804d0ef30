// LiveServer: our own small HTTP/1.1 layer for the live page, SSE stream, JSON API (with its index
// at /api) and Prometheus metrics, served through the ConnectionGate (whole requests, limits,
// pools).
#include "web/server.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "connection_gate.hpp"
#include "web/assets.hpp"
#include "web/http_target.hpp"
#include "web/metrics.hpp"
#include "web/sample_json.hpp"

namespace web {

namespace {

static_assert(LiveServer::kMaxStreams == 16 && HttpLimits{}.max_streams == 16);

constexpr std::size_t kDefaultHistory = 60;
constexpr auto kStreamPoll = std::chrono::milliseconds(500);
constexpr auto kStatusEvery = std::chrono::seconds(2);
constexpr auto kAcceptPoll = std::chrono::milliseconds(500);  // only matters without a waker
constexpr const char* kStreamPath = "/events";

using Clock = std::chrono::steady_clock;

bool parse_u64(std::string_view s, std::uint64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// One SSE event (text/event-stream framing: "id:", "event:", "data:" lines, blank line).
std::string sse_event(std::string_view event, const nlohmann::json& data, std::uint64_t id = 0) {
  std::string out;
  if (id) out += fmt::format("id: {}\n", id);
  out += fmt::format("event: {}\ndata: {}\n\n", event, data.dump());
  return out;
}

struct StreamState {
  bool hello_sent = false;
  std::uint64_t last_seq = 0;
  std::uint64_t tags_version = 0;
  Clock::time_point last_status{};
};

// What a handler sees of a request (the gate has checked the head already).
struct Request {
  std::string method;
  std::string target;  // as sent: "/api/history?last=5"
  std::string path;    // decoded, without the query: "/api/history"
  std::optional<std::string> param(std::string_view name) const {
    return query_param(target, name);
  }
};

// A stream's body, produced on a stream worker: each call appends what is to be sent now to
// `out` (possibly nothing) and returns false once the stream is over.
using StreamSource = std::function<bool(std::string& out)>;

// What a handler answers: a status, a body (owned, or a view of a compiled-in asset) or a
// stream, and headers beyond the ones every answer gets.
struct Response {
  int status = 200;
  std::string content_type;
  std::string owned;
  std::string_view body;
  std::vector<std::pair<std::string, std::string>> headers;
  StreamSource stream;
  std::function<void()> on_end;  // after a stream (also when it is never started)

  void set_content(std::string text, std::string type) {
    owned = std::move(text);
    body = owned;
    content_type = std::move(type);
  }
  void set_static(std::string_view text, std::string type) {
    owned.clear();
    body = text;
    content_type = std::move(type);
  }
  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

using Handler = std::function<void(const Request&, Response&)>;

// Writes to a gated connection's (non-blocking) socket: each wait for room is at most
// `write_timeout`, and a plain answer as a whole must be out by `deadline`.
class Output {
 public:
  Output(platform::socket_handle sock, std::chrono::milliseconds write_timeout,
         std::optional<Clock::time_point> deadline)
      : sock_(sock), write_timeout_(write_timeout), deadline_(deadline) {}

  bool write(std::string_view data) {
    while (!data.empty()) {
      auto r = platform::send_some(sock_, data.data(), data.size());
      if (r.status == platform::Io::done) {
        data.remove_prefix(r.bytes);
        continue;
      }
      if (r.status != platform::Io::would_block || !wait_for_room()) return false;
    }
    return true;
  }

 private:
  bool wait_for_room() {
    auto wait = write_timeout_;
    if (deadline_) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline_ - Clock::now());
      if (left.count() <= 0) return false;
      wait = std::min(wait, left);
    }
    platform::PollItem item{sock_, platform::kWritable, 0};
    std::error_code ec;
    // A failed socket (kFailed) is reported by the next send.
    return platform::poll_sockets(&item, 1, wait, ec) > 0;
  }

  platform::socket_handle sock_;
  std::chrono::milliseconds write_timeout_;
  std::optional<Clock::time_point> deadline_;
};

std::string status_line(int status) {
  return fmt::format("HTTP/1.1 {} {}\r\n", status, http_reason(status));
}

}  // namespace

// The GET table: exact paths (as decoded) to handlers.
struct LiveServer::Routes {
  std::map<std::string, Handler, std::less<>> get;
};

LiveServer::LiveServer(LiveFeed& feed, const logger::Stats& stats, HttpLimits limits)
    : feed_(feed),
      stats_(stats),
      limits_(std::move(limits)),
      routes_(std::make_unique<Routes>()),
      waker_(std::make_unique<platform::Waker>()) {
  install_routes();
}

LiveServer::~LiveServer() {
  stop();
}

s7::Result<std::uint16_t> LiveServer::start(const std::string& host, std::uint16_t port) {
  if (thread_.joinable())
    return s7::Error(s7::Errc::invalid_argument, "live server already started");
  std::error_code ec;
  std::uint16_t bound = 0;
  auto listener = platform::listen_tcp(host, port, bound, ec);
  if (listener == platform::kInvalidSocket || bound == 0) {
    if (listener != platform::kInvalidSocket) platform::close_socket(listener);
    return s7::Error(s7::Errc::network_error,
                     fmt::format("cannot listen on {}:{} (address in use, or not an address of "
                                 "this machine)",
                                 host, port));
  }
  listener_ = listener;
  port_ = bound;
  stopping_ = false;
  waker_->drain();  // a wake-up left from an earlier stop()
  gate_ = std::make_unique<ConnectionGate>(
      limits_, host, kStreamPath,
      [this](GateConnection& conn, bool last) { return serve(conn, last); });
  thread_ = std::thread([this] { accept_loop(); });
  return port_;
}

void LiveServer::stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  feed_.wake_all();  // streams waiting for a sample see stopping_ and end
  waker_->wake();
  thread_.join();
  platform::close_socket(listener_);
  listener_ = platform::kInvalidSocket;
  gate_->shutdown();  // lets workers finish their answers, closes every connection
  gate_.reset();
}

// Hands each new connection to the gate at once: no thread here ever waits on a client.
void LiveServer::accept_loop() {
  const bool waker = waker_->handle() != platform::kInvalidSocket;
  while (!stopping_) {
    platform::PollItem items[2] = {{listener_, platform::kReadable, 0},
                                   {waker_->handle(), platform::kReadable, 0}};
    std::error_code ec;
    int n = platform::poll_sockets(items, waker ? 2 : 1,
                                   waker ? std::chrono::milliseconds(-1) : kAcceptPoll, ec);
    if (stopping_) break;
    if (n < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (waker && items[1].got) waker_->drain();
    if (!items[0].got) continue;
    bool accepted = false;
    for (;;) {
      auto sock = platform::accept_socket(listener_);
      if (sock == platform::kInvalidSocket) break;
      accepted = true;
      gate_->admit(sock);
    }
    // Readable but nothing accepted: out of descriptors or a transient error; don't spin.
    if (!accepted) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

bool LiveServer::serve(GateConnection& conn, bool last) {
  HttpRefusal refusal;
  auto head = parse_request_head(std::string_view(conn.buf).substr(0, conn.head_end), refusal);
  if (!head) return false;  // the gate parsed it already: not reached
  Request req{head->method, head->target, target_path(head->target)};
  const bool http10 = head->version == "HTTP/1.0";
  const bool head_only = req.method == "HEAD";
  bool keep = !last && !http10 && !head->connection_close && !stopping_;

  Response res;
  const Handler* handler = nullptr;
  if (req.method == "GET" || head_only) {
    if (auto it = routes_->get.find(req.path); it != routes_->get.end()) handler = &it->second;
  }
  if (!handler) {
    res.status = 404;
  } else {
    try {
      (*handler)(req, res);
    } catch (const std::exception&) {
      res = Response{};
      res.status = 500;
      keep = false;
    }
  }
  if (res.status >= 400 && res.body.empty() && !res.stream) {
    res.set_content(fmt::format("{} {}\n", res.status, req.path), "text/plain; charset=utf-8");
  }

  std::optional<Clock::time_point> deadline;
  if (!ConnectionGate::on_stream_worker()) deadline = Clock::now() + limits_.response_timeout;
  Output out(conn.sock, limits_.write_timeout, deadline);

  // A stream over HTTP/1.1 is chunked; HTTP/1.0 has no chunks, so there it ends with the
  // connection.
  const bool stream = static_cast<bool>(res.stream);
  const bool chunked = stream && !http10;
  if (stream && !chunked) keep = false;

  std::string text = status_line(res.status);
  if (!res.content_type.empty()) text += fmt::format("Content-Type: {}\r\n", res.content_type);
  if (chunked) {
    text += "Transfer-Encoding: chunked\r\n";
  } else if (!stream) {
    text += fmt::format("Content-Length: {}\r\n", res.body.size());
  }
  for (const auto& [name, value] : res.headers) text += fmt::format("{}: {}\r\n", name, value);
  text += "X-Content-Type-Options: nosniff\r\n";
  if (keep) {
    auto timeout = std::max<std::int64_t>(
        1, std::chrono::ceil<std::chrono::seconds>(limits_.keep_alive_timeout).count());
    auto left = limits_.max_requests_per_connection -
                std::min(conn.served, limits_.max_requests_per_connection);
    text += fmt::format("Keep-Alive: timeout={}, max={}\r\n", timeout, left);
  } else {
    text += "Connection: close\r\n";
  }
  text += "\r\n";

  if (!stream) {
    if (!head_only) text += res.body;
    return out.write(text) && keep;
  }
  bool ok = out.write(text);
  try {
    std::string chunk;
    bool more = !head_only;
    while (ok && more) {
      chunk.clear();
      more = res.stream(chunk);
      if (chunk.empty()) continue;
      ok = chunked ? out.write(fmt::format("{:x}\r\n{}\r\n", chunk.size(), chunk))
                   : out.write(chunk);
    }
    if (ok && chunked && !head_only) ok = out.write("0\r\n\r\n");
  } catch (const std::exception&) {
    ok = false;  // the answer is half out: only closing the connection ends it
  }
  if (res.on_end) res.on_end();
  return ok && keep;
}

void LiveServer::install_routes() {
  // Every route is a row of this table: the rows are registered below and GET /api lists them,
  // so the index cannot miss an endpoint.
  struct Route {
    const char* path;
    const char* description;
    Handler handler;
  };
  std::vector<Route> routes;
  auto get = [&routes](const char* path, const char* description, Handler handler) {
    routes.push_back({path, description, std::move(handler)});
  };
  auto asset = [&get](const char* path, const char* description, std::string_view body,
                      const char* type) {
    get(path, description, [body, type](const Request&, Response& res) {
      res.set_static(body, type);
      res.set_header("Cache-Control", "no-cache");
    });
  };
  asset("/", "the live page", assets::live_html, "text/html; charset=utf-8");

  // Filled once the table is complete (the index lists itself too).
  auto index = std::make_shared<std::string>();
  Handler serve_index = [index](const Request&, Response& res) {
    res.set_static(*index, "application/json");
  };
  get("/api", "this index of the endpoints (also at /api/)", serve_index);

  get("/api/latest", "the newest sample: ts, values, quality per tag (ts null before the first)",
      [this](const Request&, Response& res) {
        auto snap = feed_.recent(1);
        nlohmann::json body;
        if (snap.entries.empty()) {
          body = {{"ts", nullptr},
                  {"values", nlohmann::json::object()},
                  {"quality", nlohmann::json::object()}};
        } else {
          body = sample_json(snap.tags, snap.entries.back().sample);
          body["seq"] = snap.entries.back().seq;
        }
        res.set_header("Cache-Control", "no-store");
        res.set_content(body.dump(), "application/json");
      });

  get("/api/history",
      "the newest N samples, oldest first, with the columns: ?last=N, 1..capacity, default 60",
      [this](const Request& req, Response& res) {
        std::uint64_t last = kDefaultHistory;
        if (auto text = req.param("last")) {
          if (!parse_u64(*text, last) || last == 0 || last > feed_.capacity()) {
            res.status = 400;
            res.set_content(
                nlohmann::json{{"error", fmt::format("last must be a whole number from 1 "
                                                     "to {}, got '{}'",
                                                     feed_.capacity(), *text)}}
                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                "application/json");
            return;
          }
        }
        auto snap = feed_.recent(static_cast<std::size_t>(last));
        auto samples = nlohmann::json::array();
        for (const auto& e : snap.entries) samples.push_back(sample_json(snap.tags, e.sample));
        nlohmann::json body = {{"columns", columns_json(snap.tags)},
                               {"capacity", feed_.capacity()},
                               {"samples", std::move(samples)}};
        res.set_header("Cache-Control", "no-store");
        res.set_content(body.dump(), "application/json");
      });

  get("/metrics", "Prometheus metrics (text format)", [this](const Request&, Response& res) {
    WebGauges g;
    g.live_clients = static_cast<std::size_t>(streams_.load());
    g.live_buffered = feed_.size();
    g.live_capacity = feed_.capacity();
    res.set_content(render_metrics(stats_, g), "text/plain; version=0.0.4; charset=utf-8");
  });

  get(kStreamPath,
      "Server-Sent Events: hello with the history, then each sample, and a status every 2 s",
      [this](const Request&, Response& res) {
        // Only a stream worker (the gate gave this request a stream slot) may hold a stream:
        // the other workers are kept for plain requests.
        if (!ConnectionGate::on_stream_worker()) {
          res.status = 503;
          res.set_header("Retry-After", "5");
          res.set_content(
              fmt::format("too many live clients (at most {} streams)\n", limits_.max_streams),
              "text/plain");
          return;
        }
        streams_.fetch_add(1);
        res.content_type = "text/event-stream";
        res.set_header("Cache-Control", "no-cache");
        res.set_header("X-Accel-Buffering", "no");
        res.on_end = [this] { streams_.fetch_sub(1); };
        auto state = std::make_shared<StreamState>();
        res.stream = [this, state](std::string& out) {
          if (stopping_) return false;
          auto now = Clock::now();
          if (!state->hello_sent) {
            // A new or reconnecting browser first gets the recent history.
            auto snap = feed_.recent(feed_.capacity());
            auto history = nlohmann::json::array();
            for (const auto& e : snap.entries)
              history.push_back(sample_compact_json(e.seq, e.sample));
            out += "retry: 1000\n\n";
            out += sse_event("hello",
                             {{"columns", columns_json(snap.tags)},
                              {"capacity", feed_.capacity()},
                              {"history", std::move(history)}},
                             snap.last_seq);
            state->hello_sent = true;
            state->last_seq = snap.last_seq;
            state->tags_version = snap.tags_version;
          } else {
            feed_.wait_newer(state->last_seq, kStreamPoll, stopping_);
            if (stopping_) return false;
            auto snap = feed_.since(state->last_seq);
            if (snap.tags_version != state->tags_version) {
              state->hello_sent = false;  // tags changed (logger reopened): start over
              return true;
            }
            for (const auto& e : snap.entries) {
              out += sse_event("sample", sample_compact_json(e.seq, e.sample), e.seq);
              state->last_seq = e.seq;
            }
          }
          if (now - state->last_status >= kStatusEvery) {
            state->last_status = now;
            out += sse_event("status", {{"link", logger::to_string(stats_.link.load())},
                                        {"samples_written", stats_.samples_written.load()},
                                        {"read_errors", stats_.read_errors.load()},
                                        {"reconnects", stats_.reconnects.load()}});
          }
          return true;
        };
      });

  asset("/live.js", "the live page's script", assets::live_js, "text/javascript; charset=utf-8");
  asset("/chart.js", "the charts and time formats of the live page", assets::chart_js,
        "text/javascript; charset=utf-8");
  asset("/page.css", "the live page's styles", assets::page_css, "text/css; charset=utf-8");
  asset("/uplot.js", "uPlot, the chart library", assets::uplot_js,
        "text/javascript; charset=utf-8");
  asset("/uplot.css", "uPlot's styles", assets::uplot_css, "text/css; charset=utf-8");
  asset("/favicon.ico", "a 16x16 icon", assets::favicon_ico(), "image/x-icon");

  auto endpoints = nlohmann::ordered_json::array();
  for (const auto& r : routes) {
    endpoints.push_back({{"path", r.path}, {"method", "GET"}, {"description", r.description}});
  }
  *index = nlohmann::ordered_json{{"endpoints", std::move(endpoints)}}.dump(2);
  for (auto& r : routes) routes_->get.emplace(r.path, std::move(r.handler));
  routes_->get.emplace("/api/", serve_index);
}

}  // namespace web
