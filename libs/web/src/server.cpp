// LiveServer: our own small HTTP/1.1 layer for the live page, SSE stream, JSON API (with its index
// at /api) and Prometheus metrics, served through the ConnectionGate (whole requests, limits,
// pools), per (PLC, group), with a token beyond loopback.
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
#include "web/live_auth.hpp"
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
  std::optional<LiveGroupKey> key;  // the group of the last hello (none: the feed had none)
  std::uint64_t last_seq = 0;
  std::uint64_t tags_version = 0;
  Clock::time_point last_status{};
};

// JSON text of data that may hold what a client sent (names in an error): bytes that are not
// UTF-8 are replaced instead of throwing.
std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

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

// "press1/fast"; the plain config's group ("", "") is "(the only group)".
std::string group_name(const LiveGroupKey& k) {
  if (k.plc.empty() && k.group.empty()) return "(the only group)";
  return k.plc + "/" + k.group;
}

// The group a request names with ?plc= and ?group= (a parameter left out matches any; neither:
// the first group). Returns false after answering 404 in `res` when the feed holds no such group.
// `key` stays empty when the request names none and the feed holds none yet; `named` says whether
// the request named one (a stream then keeps to it instead of following the first group).
bool select_group(const LiveFeed& feed, const Request& req, Response& res,
                  std::optional<LiveGroupKey>& key, bool& named) {
  const auto plc = req.param("plc");
  const auto group = req.param("group");
  named = plc || group;
  const auto groups = feed.groups();
  for (const auto& g : groups) {
    if ((!plc || g.key.plc == *plc) && (!group || g.key.group == *group)) {
      key = g.key;
      return true;
    }
  }
  if (!named) return true;  // no group yet: an empty answer, as before the logger starts
  std::string known;
  auto list = nlohmann::json::array();
  for (const auto& g : groups) {
    known += (known.empty() ? "" : ", ") + group_name(g.key);
    list.push_back({{"plc", g.key.plc}, {"group", g.key.group}});
  }
  res.status = 404;
  res.set_content(
      json_text({{"error",
                  fmt::format("no group plc='{}' group='{}' here; known groups: {}",
                              plc.value_or("*").substr(0, 100), group.value_or("*").substr(0, 100),
                              known.empty() ? "none yet" : known)},
                 {"groups", std::move(list)}}),
      "application/json");
  return false;
}

const logger::NamedStats* find_named(const std::vector<const logger::NamedStats*>& list,
                                     const std::string& plc, const std::string& group) {
  for (const auto* n : list)
    if (n->plc == plc && n->group == group) return n;
  return nullptr;
}

// The counters of a PLC (the total when the view has none for it).
const logger::Stats& plc_stats(const LiveStatsView& view, const std::string& plc) {
  const auto* n = find_named(view.plc_list(), plc, "");
  return n ? n->stats : *view.total;
}

// [{"plc", "link"}] of the PLCs the feed has groups of, in the logger's order.
nlohmann::json plcs_json(const std::vector<LiveGroupInfo>& groups, const LiveStatsView& view) {
  std::vector<std::string> names;
  for (const auto* n : view.plc_list()) names.push_back(n->plc);
  for (const auto& g : groups)
    if (std::find(names.begin(), names.end(), g.key.plc) == names.end()) names.push_back(g.key.plc);
  auto out = nlohmann::json::array();
  for (const auto& name : names) {
    bool has_group = std::any_of(groups.begin(), groups.end(),
                                 [&](const LiveGroupInfo& g) { return g.key.plc == name; });
    if (!has_group) continue;
    out.push_back({{"plc", name}, {"link", logger::to_string(plc_stats(view, name).link.load())}});
  }
  return out;
}

}  // namespace

// The GET table: exact paths (as decoded) to handlers.
struct LiveServer::Routes {
  std::map<std::string, Handler, std::less<>> get;
};

LiveServer::LiveServer(LiveFeed& feed, LiveStatsView stats, HttpLimits limits, std::string token)
    : feed_(feed),
      stats_(std::move(stats)),
      limits_(std::move(limits)),
      token_(std::move(token)),
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
  bool authorized = true;
  if (!token_.empty() && req.path != "/metrics") {
    // Any of the three ways counts; a right ?token= also sets the cookie for the page's own
    // requests (unless the cookie holds it already).
    const auto query = req.param("token");
    const bool by_query = query && token_equal(*query, token_);
    const auto bearer = head->authorization ? bearer_token(*head->authorization) : std::nullopt;
    const auto cookie = cookie_value(head->cookie, kTokenCookie);
    const bool by_cookie = cookie && token_equal(*cookie, token_);
    authorized = by_query || by_cookie || (bearer && token_equal(*bearer, token_));
    if (by_query && !by_cookie) {
      res.set_header("Set-Cookie",
                     fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict", kTokenCookie, token_));
    }
  }
  if (!authorized) {
    res.status = 401;
    res.set_header("WWW-Authenticate", "Bearer realm=\"s7log live\"");
    res.set_header("Cache-Control", "no-store");
    res.set_content(
        "401 unauthorized: this page needs its token; open the URL s7log printed "
        "(...?token=...) or send 'Authorization: Bearer <token>' (see docs/live.md)\n",
        "text/plain; charset=utf-8");
  } else if (!handler) {
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

  get("/api/groups",
      "the groups: plc, group, tags, interval, link state of its PLC; and each PLC's link state",
      [this](const Request&, Response& res) {
        const auto groups = feed_.groups();
        auto list = nlohmann::json::array();
        for (const auto& g : groups) {
          nlohmann::json entry = {
              {"plc", g.key.plc},
              {"group", g.key.group},
              {"tags", columns_json(g.tags)},
              {"link", logger::to_string(plc_stats(stats_, g.key.plc).link.load())},
              {"held", g.held}};
          if (g.interval) {
            entry["interval_ms"] = std::chrono::duration<double, std::milli>(*g.interval).count();
          }
          list.push_back(std::move(entry));
        }
        res.set_header("Cache-Control", "no-store");
        res.set_content(
            json_text({{"groups", std::move(list)}, {"plcs", plcs_json(groups, stats_)}}),
            "application/json");
      });

  get("/api/latest",
      "the newest sample of a group (?plc=&group=, default the first): ts, values, quality per tag "
      "(ts null before the first)",
      [this](const Request& req, Response& res) {
        std::optional<LiveGroupKey> key;
        bool named = false;
        if (!select_group(feed_, req, res, key, named)) return;
        auto snap = key ? feed_.recent(*key, 1).value_or(LiveSnapshot{}) : LiveSnapshot{};
        nlohmann::json body;
        if (snap.entries.empty()) {
          body = {{"ts", nullptr},
                  {"plc", snap.key.plc},
                  {"group", snap.key.group},
                  {"values", nlohmann::json::object()},
                  {"quality", nlohmann::json::object()}};
        } else {
          body = sample_json(snap.tags, snap.entries.back().sample);
          body["seq"] = snap.entries.back().seq;
        }
        res.set_header("Cache-Control", "no-store");
        res.set_content(json_text(body), "application/json");
      });

  get("/api/history",
      "the newest N samples of a group, oldest first, with the columns: ?last=N, 1..capacity, "
      "default 60; ?plc=&group=, default the first group",
      [this](const Request& req, Response& res) {
        std::optional<LiveGroupKey> key;
        bool named = false;
        if (!select_group(feed_, req, res, key, named)) return;
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
        auto snap =
            key ? feed_.recent(*key, static_cast<std::size_t>(last)).value_or(LiveSnapshot{})
                : LiveSnapshot{};
        auto samples = nlohmann::json::array();
        for (const auto& e : snap.entries) samples.push_back(sample_json(snap.tags, e.sample));
        nlohmann::json body = {{"plc", snap.key.plc},
                               {"group", snap.key.group},
                               {"columns", columns_json(snap.tags)},
                               {"capacity", feed_.capacity()},
                               {"samples", std::move(samples)}};
        res.set_header("Cache-Control", "no-store");
        res.set_content(json_text(body), "application/json");
      });

  get("/metrics", "Prometheus metrics (text format): totals, and per PLC, group and output",
      [this](const Request&, Response& res) {
        WebGauges g;
        g.live_clients = static_cast<std::size_t>(streams_.load());
        g.live_buffered = feed_.size();
        g.live_capacity = feed_.capacity() * std::max<std::size_t>(feed_.groups().size(), 1);
        const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
        res.set_content(render_metrics(*stats_.total, g, stats_.plc_list(), stats_.group_list(),
                                       stats_.sink_list(), now_ms),
                        "text/plain; version=0.0.4; charset=utf-8");
      });

  get(kStreamPath,
      "Server-Sent Events of a group (?plc=&group=, default the first): hello with the history, "
      "then each sample, and a status every 2 s",
      [this](const Request& req, Response& res) {
        std::optional<LiveGroupKey> selected;
        bool named = false;
        if (!select_group(feed_, req, res, selected, named)) return;
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
        // A stream that named its group keeps to it (and ends when a reload drops it); one that
        // did not follows the first group.
        std::optional<LiveGroupKey> requested;
        if (named) requested = selected;
        res.stream = [this, state, requested](std::string& out) {
          if (stopping_) return false;
          auto now = Clock::now();
          auto key = requested ? requested : feed_.first_group();
          if (!state->hello_sent) {
            // A new or reconnecting browser first gets the recent history.
            LiveSnapshot snap;
            if (key) {
              auto held = feed_.recent(*key, feed_.capacity());
              if (!held) return false;  // the group was dropped (a reload removed it)
              snap = std::move(*held);
            }
            auto history = nlohmann::json::array();
            for (const auto& e : snap.entries)
              history.push_back(sample_compact_json(e.seq, e.sample));
            out += "retry: 1000\n\n";
            out += sse_event("hello",
                             {{"plc", snap.key.plc},
                              {"group", snap.key.group},
                              {"columns", columns_json(snap.tags)},
                              {"capacity", feed_.capacity()},
                              {"history", std::move(history)}},
                             snap.last_seq);
            state->hello_sent = true;
            state->key = key;
            state->last_seq = snap.last_seq;
            state->tags_version = snap.tags_version;
          } else if (key != state->key) {
            state->hello_sent = false;  // the first group is another one now: start over
            return true;
          } else if (!key) {
            // No group yet (the logger has not opened the feed): wait for one.
            feed_.wait_newer(0, kStreamPoll, stopping_);
            if (stopping_) return false;
            if (feed_.first_group()) state->hello_sent = false;
          } else {
            feed_.wait_newer(*key, state->last_seq, kStreamPoll, stopping_);
            if (stopping_) return false;
            auto snap = feed_.since(*key, state->last_seq);
            if (!snap) {
              if (requested) return false;  // its group was dropped
              state->hello_sent = false;
              return true;
            }
            if (snap->tags_version != state->tags_version) {
              state->hello_sent = false;  // tags changed (logger reopened): start over
              return true;
            }
            for (const auto& e : snap->entries) {
              out += sse_event("sample", sample_compact_json(e.seq, e.sample), e.seq);
              state->last_seq = e.seq;
            }
          }
          if (now - state->last_status >= kStatusEvery) {
            state->last_status = now;
            const std::string plc = key ? key->plc : std::string();
            const std::string group = key ? key->group : std::string();
            const logger::Stats& ps = plc_stats(stats_, plc);
            const auto* gs = find_named(stats_.group_list(), plc, group);
            const logger::Stats& written = gs ? gs->stats : *stats_.total;
            out += sse_event("status", {{"link", logger::to_string(ps.link.load())},
                                        {"samples_written", written.samples_written.load()},
                                        {"read_errors", ps.read_errors.load()},
                                        {"reconnects", ps.reconnects.load()},
                                        {"plcs", plcs_json(feed_.groups(), stats_)}});
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
