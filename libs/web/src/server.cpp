// LiveServer: cpp-httplib routes for the live page, SSE stream, JSON API (with its index at /api)
// and Prometheus metrics, served through the ConnectionGate (whole requests, limits, pools).
#include "web/server.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>

#include "connection_gate.hpp"
#include "web/assets.hpp"
#include "web/metrics.hpp"
#include "web/sample_json.hpp"

namespace web {

namespace {

static_assert(LiveServer::kMaxStreams == 16 && HttpLimits{}.max_streams == 16);

constexpr std::size_t kDefaultHistory = 60;
constexpr auto kStreamPoll = std::chrono::milliseconds(500);
constexpr auto kStatusEvery = std::chrono::seconds(2);
constexpr const char* kStreamPath = "/events";

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
  std::chrono::steady_clock::time_point last_status{};
};

int to_ms(std::chrono::milliseconds d) {
  return static_cast<int>(std::clamp<std::int64_t>(d.count(), 0, 3'600'000));
}

void address_of(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  if ((peer ? ::getpeername(fd, sa, &len) : ::getsockname(fd, sa, &len)) != 0) return;
  char host[NI_MAXHOST];
  char serv[NI_MAXSERV];
  if (::getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(serv);
  }
}

// httplib's view of one gated request: reads come from the bytes the gate collected (never from
// the socket, so no read can wait on the client), writes go to the socket. A plain answer must
// be written by `deadline`; each write waits at most `write_timeout` for room.
class GateStream final : public httplib::Stream {
 public:
  GateStream(GateConnection& conn, std::chrono::milliseconds write_timeout,
             std::optional<std::chrono::steady_clock::time_point> deadline)
      : conn_(conn), write_timeout_(write_timeout), deadline_(deadline) {}

  bool is_readable() const override { return pos_ < conn_.request_end; }
  bool is_writable() const override {
    int wait = to_ms(write_timeout_);
    if (deadline_) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline_ -
                                                               std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      wait = std::min(wait, to_ms(left));
    }
    pollfd p{conn_.fd, POLLOUT, 0};
    int n;
    do {
      n = ::poll(&p, 1, wait);  // a signal (SIGHUP reload) must not end a stream
    } while (n < 0 && errno == EINTR);
    return n > 0 && (p.revents & POLLOUT) != 0;
  }
  ssize_t read(char* ptr, std::size_t size) override {
    auto n = std::min(size, conn_.request_end - pos_);
    std::memcpy(ptr, conn_.buf.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, std::size_t size) override {
    if (!is_writable()) return -1;
    auto n = ::send(conn_.fd, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
    return n;
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address_of(conn_.fd, true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address_of(conn_.fd, false, ip, port);
  }
  socket_t socket() const override { return conn_.fd; }

 private:
  GateConnection& conn_;
  std::chrono::milliseconds write_timeout_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::size_t pos_ = 0;
};

// httplib's server with its per-connection loop replaced: an accepted socket goes to the gate,
// and the gate's workers run httplib's request processing on complete requests.
class GatedServer final : public httplib::Server {
 public:
  ConnectionGate* gate = nullptr;
  HttpLimits limits;

  // httplib listens with a backlog of 5, so a burst of connections (a page and its scripts, or
  // many clients at once) overflows it and waits a second per retried SYN. Linux lets listen()
  // be called again on the bound socket to enlarge the backlog.
  void enlarge_backlog() { ::listen(svr_sock_, SOMAXCONN); }

  bool serve(GateConnection& conn, bool last) {
    std::optional<std::chrono::steady_clock::time_point> deadline;
    if (!ConnectionGate::on_stream_worker())
      deadline = std::chrono::steady_clock::now() + limits.response_timeout;
    GateStream stream(conn, limits.write_timeout, deadline);
    bool closed = false;
    bool ok = process_request(stream, last, closed, nullptr);
    return ok && !closed;
  }

 private:
  // Called by httplib's accept loop (through GateQueue, on that thread) for each new socket.
  bool process_and_close_socket(socket_t sock) override {
    if (gate) {
      gate->admit(sock);
    } else {
      ::close(sock);
    }
    return true;
  }
};

// The task queue httplib's accept loop feeds: it hands each socket to the gate at once (no
// thread of httplib's own ever waits on a client) and stops the gate when the loop ends.
class GateQueue final : public httplib::TaskQueue {
 public:
  explicit GateQueue(ConnectionGate& gate) : gate_(gate) {}
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override { gate_.shutdown(); }

 private:
  ConnectionGate& gate_;
};

}  // namespace

LiveServer::LiveServer(LiveFeed& feed, const logger::Stats& stats, HttpLimits limits)
    : feed_(feed), stats_(stats), limits_(std::move(limits)) {
  auto gated = std::make_unique<GatedServer>();
  gated->limits = limits_;
  http_ = std::move(gated);
  // The gate enforces these; httplib only reports them (Keep-Alive header) or backs them up.
  auto whole_seconds = [](std::chrono::milliseconds d) {
    return static_cast<time_t>(
        std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(d).count()));
  };
  http_->set_keep_alive_timeout(whole_seconds(limits_.keep_alive_timeout));
  http_->set_keep_alive_max_count(std::max<std::size_t>(limits_.max_requests_per_connection, 1));
  http_->set_payload_max_length(limits_.max_body_bytes);
  http_->set_write_timeout(limits_.write_timeout);
  http_->set_default_headers({{"X-Content-Type-Options", "nosniff"}});
  // httplib's default also sets SO_REUSEPORT, which lets a second server bind the same port
  // silently; only SO_REUSEADDR (restart while old sockets linger) is wanted.
  http_->set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const char*>(&yes), sizeof(yes));
  });
  install_routes();
}

LiveServer::~LiveServer() {
  stop();
}

s7::Result<std::uint16_t> LiveServer::start(const std::string& host, std::uint16_t port) {
  if (thread_.joinable())
    return s7::Error(s7::Errc::invalid_argument, "live server already started");
  int bound = -1;
  if (port == 0) {
    bound = http_->bind_to_any_port(host);
  } else if (http_->bind_to_port(host, port)) {
    bound = port;
  }
  if (bound <= 0) {
    return s7::Error(s7::Errc::network_error,
                     fmt::format("cannot listen on {}:{} (address in use, or not an address of "
                                 "this machine)",
                                 host, port));
  }
  port_ = static_cast<std::uint16_t>(bound);
  stopping_ = false;
  auto& gated = static_cast<GatedServer&>(*http_);
  gated.enlarge_backlog();
  gate_ = std::make_unique<ConnectionGate>(
      limits_, host, kStreamPath,
      [&gated](GateConnection& conn, bool last) { return gated.serve(conn, last); });
  gated.gate = gate_.get();
  http_->new_task_queue = [this] { return new GateQueue(*gate_); };
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  // httplib's stop() does nothing before the listen loop runs: wait for it so stop() can't hang.
  while (!http_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return port_;
}

void LiveServer::stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  feed_.wake_all();  // SSE providers waiting for a sample see stopping_ and end their stream
  http_->stop();
  thread_.join();
  static_cast<GatedServer&>(*http_).gate = nullptr;
  gate_.reset();  // already shut down by the accept loop's end; this joins if it never ran
}

void LiveServer::install_routes() {
  // Every route is a row of this table: the rows are registered below and GET /api lists them,
  // so the index cannot miss an endpoint.
  struct Route {
    const char* path;
    const char* description;
    httplib::Server::Handler handler;
  };
  std::vector<Route> routes;
  auto get = [&routes](const char* path, const char* description,
                       httplib::Server::Handler handler) {
    routes.push_back({path, description, std::move(handler)});
  };
  auto asset = [&get](const char* path, const char* description, std::string_view body,
                      const char* type) {
    get(path, description, [body, type](const httplib::Request&, httplib::Response& res) {
      res.set_content(body.data(), body.size(), type);
      res.set_header("Cache-Control", "no-cache");
    });
  };
  asset("/", "the live page", assets::live_html, "text/html; charset=utf-8");

  // Filled once the table is complete (the index lists itself too).
  auto index = std::make_shared<std::string>();
  httplib::Server::Handler serve_index = [index](const httplib::Request&, httplib::Response& res) {
    res.set_content(*index, "application/json");
  };
  get("/api", "this index of the endpoints (also at /api/)", serve_index);

  get("/api/latest", "the newest sample: ts, values, quality per tag (ts null before the first)",
      [this](const httplib::Request&, httplib::Response& res) {
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
      [this](const httplib::Request& req, httplib::Response& res) {
        std::uint64_t last = kDefaultHistory;
        if (req.has_param("last")) {
          auto text = req.get_param_value("last");
          if (!parse_u64(text, last) || last == 0 || last > feed_.capacity()) {
            res.status = 400;
            res.set_content(
                nlohmann::json{{"error", fmt::format("last must be a whole number from 1 "
                                                     "to {}, got '{}'",
                                                     feed_.capacity(), text)}}
                    .dump(),
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

  get("/metrics", "Prometheus metrics (text format)",
      [this](const httplib::Request&, httplib::Response& res) {
        WebGauges g;
        g.live_clients = static_cast<std::size_t>(streams_.load());
        g.live_buffered = feed_.size();
        g.live_capacity = feed_.capacity();
        res.set_content(render_metrics(stats_, g), "text/plain; version=0.0.4; charset=utf-8");
      });

  get(kStreamPath,
      "Server-Sent Events: hello with the history, then each sample, and a status every 2 s",
      [this](const httplib::Request&, httplib::Response& res) {
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
        res.set_header("Cache-Control", "no-cache");
        res.set_header("X-Accel-Buffering", "no");
        auto state = std::make_shared<StreamState>();
        res.set_chunked_content_provider(
            "text/event-stream",
            [this, state](std::size_t, httplib::DataSink& sink) {
              if (stopping_) {
                sink.done();
                return true;
              }
              std::string out;
              auto now = std::chrono::steady_clock::now();
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
                if (stopping_) {
                  sink.done();
                  return true;
                }
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
              if (out.empty()) return true;
              return sink.write(out.data(), out.size());
            },
            [this](bool) { streams_.fetch_sub(1); });
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
  auto& s = *http_;
  for (auto& r : routes) s.Get(r.path, std::move(r.handler));
  s.Get("/api/", serve_index);

  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.body.empty()) {
      res.set_content(fmt::format("{} {}\n", res.status, req.path), "text/plain; charset=utf-8");
    }
  });
}

}  // namespace web
