// A small HTTP/1.1 test client on platform/net.hpp (so the tests build on Windows too): raw
// connections for hostile requests, and GET/HEAD/OPTIONS with Content-Length, chunked or
// close-delimited answers, streaming (SSE, read_events()) and kept-alive connections.
#pragma once

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/net.hpp"

namespace web::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

inline bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

struct Response {
  int status = 0;
  Headers headers;
  std::string body;
  // The first header called `name` (any case), "" when there is none.
  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (same_name(n, name)) return v;
    return {};
  }
  bool has_header(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(),
                       [&](const auto& h) { return same_name(h.first, name); });
  }
};

// One TCP connection to 127.0.0.1:port: send bytes, read what arrives.
class Connection {
 public:
  explicit Connection(std::uint16_t port) {
    std::error_code ec;
    sock_ = platform::connect_tcp("127.0.0.1", port, std::chrono::seconds(5), ec);
    if (sock_ != platform::kInvalidSocket) platform::set_nonblocking(sock_);
  }
  ~Connection() { platform::close_socket(sock_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool connected() const { return sock_ != platform::kInvalidSocket; }

  // Sends everything (waiting at most 10 s at a time for room); false when the server has
  // closed or reset the connection.
  bool send(std::string_view data) {
    while (!data.empty()) {
      auto r = platform::send_some(sock_, data.data(), data.size());
      if (r.status == platform::Io::done) {
        data.remove_prefix(r.bytes);
      } else if (r.status != platform::Io::would_block || !wait(platform::kWritable, kLong)) {
        return false;
      }
    }
    return true;
  }

  // Appends what arrives within `wait` (at least one byte, or nothing when the time is up or
  // the server closes: then closed_by_server). Returns whether something arrived.
  bool read_some(std::string& into, std::chrono::milliseconds wait_for) {
    if (closed_by_server || !connected()) return false;
    if (!wait(platform::kReadable, wait_for)) return false;
    char buf[16 * 1024];
    auto r = platform::recv_some(sock_, buf, sizeof buf, false);
    if (r.status == platform::Io::done) {
      into.append(buf, r.bytes);
      return true;
    }
    if (r.status != platform::Io::would_block) closed_by_server = true;  // EOF or reset
    return false;
  }

  // Reads what arrives within `wait` (less if the server closes); sets closed_by_server on EOF
  // or reset.
  std::string read(std::chrono::milliseconds wait_for) {
    std::string out;
    auto until = std::chrono::steady_clock::now() + wait_for;
    while (!closed_by_server) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      if (!read_some(out, left) && !closed_by_server) break;
    }
    return out;
  }
  // Reads until the server closes the connection, for at most `limit` (a generous bound, so a
  // server that never closes fails the test instead of hanging it).
  std::string read_to_close(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    return read(limit);
  }

  bool closed_by_server = false;

 private:
  static constexpr std::chrono::milliseconds kLong{10000};

  bool wait(short what, std::chrono::milliseconds timeout) {
    platform::PollItem item{sock_, what, 0};
    std::error_code ec;
    return platform::poll_sockets(&item, 1, timeout, ec) > 0;
  }

  platform::socket_handle sock_ = platform::kInvalidSocket;
};

// Requests to 127.0.0.1:port. Each request gets a connection of its own ("Connection: close")
// unless set_keep_alive(true), which keeps one connection for every request the server lets it.
class Client {
 public:
  // Called with the status and headers (no body yet); return false to stop reading.
  using OnHead = std::function<bool(const Response&)>;
  // Called with each piece of the body as it arrives; return false to stop reading.
  using OnData = std::function<bool(std::string_view)>;

  explicit Client(std::uint16_t port) : port_(port) {}

  void set_keep_alive(bool on) { keep_alive_ = on; }
  void set_read_timeout(std::chrono::milliseconds t) { read_timeout_ = t; }

  std::optional<Response> get(const std::string& path, const Headers& extra = {}) {
    return request("GET", path, extra);
  }
  std::optional<Response> options(const std::string& path, const Headers& extra = {}) {
    return request("OPTIONS", path, extra);
  }
  // The whole answer, or nullopt when there was none (connection failed, closed early, or
  // nothing arrived for the read timeout).
  std::optional<Response> request(const std::string& method, const std::string& path,
                                  const Headers& extra = {}, OnHead on_head = {},
                                  OnData on_data = {}) {
    // A kept-alive connection the server has closed meanwhile fails before any answer: once
    // more on a new connection.
    for (int attempt = 0; attempt < 2; ++attempt) {
      bool reused = conn_ != nullptr;
      if (!conn_) conn_ = std::make_unique<Connection>(port_);
      if (!conn_->connected()) {
        conn_.reset();
        return std::nullopt;
      }
      bool got_bytes = false;
      auto res = exchange(method, path, extra, on_head, on_data, got_bytes);
      if (res || got_bytes || !reused) return res;
      conn_.reset();
    }
    return std::nullopt;
  }

 private:
  std::optional<Response> exchange(const std::string& method, const std::string& path,
                                   const Headers& extra, const OnHead& on_head,
                                   const OnData& on_data, bool& got_bytes) {
    std::string text = method + " " + path + " HTTP/1.1\r\n";
    bool host_given = std::any_of(extra.begin(), extra.end(),
                                  [](const auto& h) { return same_name(h.first, "Host"); });
    if (!host_given) text += "Host: 127.0.0.1:" + std::to_string(port_) + "\r\n";
    for (const auto& [name, value] : extra) text += name + ": " + value + "\r\n";
    if (!keep_alive_) text += "Connection: close\r\n";
    text += "\r\n";
    auto drop = [&]() -> std::optional<Response> {
      conn_.reset();
      return std::nullopt;
    };
    if (!conn_->send(text)) return drop();

    Response res;
    std::string buf;
    std::size_t head_end;
    while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
      if (!conn_->read_some(buf, read_timeout_)) return drop();
      got_bytes = true;
    }
    if (!parse_head(std::string_view(buf).substr(0, head_end + 2), res)) return drop();
    buf.erase(0, head_end + 4);
    if (on_head && !on_head(res)) {
      conn_.reset();  // the rest of the answer is not read: the connection cannot go on
      return res;
    }
    bool stop = false;
    auto deliver = [&](std::string_view data) {
      if (on_data) {
        stop = stop || !on_data(data);
      } else {
        res.body.append(data);
      }
    };
    bool server_closes = same_name(res.header("Connection"), "close");
    if (method == "HEAD" || res.status == 204 || res.status == 304 ||
        (res.status >= 100 && res.status < 200)) {
      // no body
    } else if (same_name(res.header("Transfer-Encoding"), "chunked")) {
      for (;;) {
        auto line_end = buf.find("\r\n");
        if (line_end == std::string::npos) {
          if (!conn_->read_some(buf, read_timeout_)) return drop();
          continue;
        }
        auto size = std::strtoull(buf.substr(0, line_end).c_str(), nullptr, 16);
        if (buf.size() < line_end + 2 + size + 2) {
          if (!conn_->read_some(buf, read_timeout_)) return drop();
          continue;
        }
        if (size == 0) break;
        deliver(std::string_view(buf).substr(line_end + 2, size));
        buf.erase(0, line_end + 2 + size + 2);
        if (stop) {
          conn_.reset();
          return res;
        }
      }
    } else if (res.has_header("Content-Length")) {
      auto length = std::strtoull(res.header("Content-Length").c_str(), nullptr, 10);
      while (buf.size() < length) {
        if (!conn_->read_some(buf, read_timeout_)) return drop();
      }
      deliver(std::string_view(buf).substr(0, length));
    } else {  // until the server closes
      server_closes = true;
      for (;;) {
        if (!buf.empty()) deliver(buf);
        buf.clear();
        if (stop) break;
        if (!conn_->read_some(buf, read_timeout_)) {
          if (!conn_->closed_by_server) return drop();  // nothing for the read timeout
          break;
        }
      }
    }
    if (!keep_alive_ || server_closes || stop) conn_.reset();
    return res;
  }

  static bool parse_head(std::string_view head, Response& res) {
    auto line_end = head.find("\r\n");
    auto status_line = head.substr(0, line_end);
    if (status_line.substr(0, 7) != "HTTP/1." || status_line.size() < 12) return false;
    res.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
    head.remove_prefix(line_end + 2);
    while (!head.empty()) {
      auto end = head.find("\r\n");
      auto line = head.substr(0, end);
      head.remove_prefix(end == std::string_view::npos ? head.size() : end + 2);
      auto colon = line.find(':');
      if (colon == std::string_view::npos) return false;
      auto value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      res.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    return res.status > 0;
  }

  std::uint16_t port_;
  bool keep_alive_ = false;
  std::chrono::milliseconds read_timeout_{10000};
  std::unique_ptr<Connection> conn_;
};

// Reads the SSE events of GET `path` ("event:" name, "data:" JSON) until `want` have arrived (or
// the stream ends, or nothing comes for 10 s). `got_first` is set once the first event arrived.
inline std::vector<std::pair<std::string, nlohmann::json>> read_events(
    std::uint16_t port, std::size_t want, std::atomic<bool>* got_first = nullptr,
    const std::string& path = "/events", const Headers& headers = {}) {
  Client c(port);
  c.set_read_timeout(std::chrono::seconds(10));
  std::string buf;
  std::vector<std::pair<std::string, nlohmann::json>> events;
  c.request("GET", path, headers, {}, [&](std::string_view data) {
    buf.append(data);
    std::size_t end;
    while ((end = buf.find("\n\n")) != std::string::npos) {
      std::string block = buf.substr(0, end);
      buf.erase(0, end + 2);
      std::string name, payload;
      std::size_t pos = 0;
      while (pos < block.size()) {
        auto nl = block.find('\n', pos);
        auto line = block.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        if (line.rfind("event: ", 0) == 0) name = line.substr(7);
        if (line.rfind("data: ", 0) == 0) payload = line.substr(6);
        pos = nl == std::string::npos ? block.size() : nl + 1;
      }
      if (!name.empty()) events.emplace_back(name, nlohmann::json::parse(payload));
      if (got_first && !events.empty()) *got_first = true;
    }
    return events.size() < want;
  });
  return events;
}

}  // namespace web::testing
