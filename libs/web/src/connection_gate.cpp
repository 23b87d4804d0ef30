// ConnectionGate: a poll_sockets() reception thread that collects whole requests under deadlines
// and size caps, and two fixed worker pools, one for /events streams and one for everything else.
#include "connection_gate.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "web/http_target.hpp"

namespace web {

namespace {

using Clock = GateConnection::Clock;

thread_local bool tl_stream_worker = false;

std::chrono::milliseconds poll_timeout(Clock::time_point next, Clock::time_point now) {
  if (next <= now) return std::chrono::milliseconds(0);
  return std::min<std::chrono::milliseconds>(
      std::chrono::ceil<std::chrono::milliseconds>(next - now), std::chrono::seconds(1));
}

std::string seconds_text(std::chrono::milliseconds d) {
  return fmt::format("{:g} s", static_cast<double>(d.count()) / 1000.0);
}

}  // namespace

ConnectionGate::ConnectionGate(HttpLimits limits, std::string bound_host, std::string stream_path,
                               Serve serve)
    : limits_(std::move(limits)),
      bound_host_(std::move(bound_host)),
      stream_path_(std::move(stream_path)),
      serve_(std::move(serve)) {
  // Without a waker (handle() invalid) the reception thread still notices new work within its
  // 1 s poll.
  for (std::size_t i = 0; i < std::max<std::size_t>(limits_.plain_workers, 1); ++i)
    plain_.threads.emplace_back([this] { worker(plain_, false); });
  for (std::size_t i = 0; i < limits_.max_streams; ++i)
    streams_.threads.emplace_back([this] { worker(streams_, true); });
  reception_ = std::thread([this] { reception(); });
}

ConnectionGate::~ConnectionGate() {
  shutdown();
}

bool ConnectionGate::on_stream_worker() {
  return tl_stream_worker;
}

void ConnectionGate::admit(platform::socket_handle sock) {
  if (stopping_) {
    platform::close_socket(sock);
    return;
  }
  platform::set_nonblocking(sock);
  auto conn = std::make_unique<GateConnection>();
  conn->sock = sock;
  conn->deadline = Clock::now() + limits_.head_timeout;  // the whole head, from now
  ++open_;
  {
    std::lock_guard lock(inbox_mu_);
    inbox_.push_back(std::move(conn));
  }
  waker_.wake();
}

void ConnectionGate::close(ConnPtr& conn) {
  if (!conn) return;
  platform::close_socket(conn->sock);
  --open_;
  conn.reset();
}

void ConnectionGate::refuse(GateConnection& conn, const HttpRefusal& refusal,
                            Clock::time_point now) {
  // The answer is small and the connection has nothing else in flight, so it fits the socket
  // buffer; a client that does not read is not waited for. Then our side is shut, nothing more
  // is read (a refused body stays unread), and the socket is closed when the client closes
  // or after `linger`, which leaves time to read the answer before the close resets.
  auto text = refusal_response(refusal);
  [[maybe_unused]] auto sent = platform::send_some(conn.sock, text.data(), text.size());
  platform::shutdown_send(conn.sock);
  conn.state = GateConnection::State::linger;
  conn.deadline = now + limits_.linger;
  std::string().swap(conn.buf);
}

bool ConnectionGate::advance(ConnPtr& conn, Clock::time_point now) {
  auto& c = *conn;
  using State = GateConnection::State;
  if (c.state == State::idle) {
    if (c.buf.empty()) return false;
    c.state = State::head;
    if (!c.fresh) c.deadline = now + limits_.head_timeout;  // kept alive: from its first byte
  }
  if (c.state == State::head) {
    auto end = c.buf.find("\r\n\r\n", c.scanned);
    if (end == std::string::npos || end + 4 > limits_.max_head_bytes) {
      if (c.buf.size() >= limits_.max_head_bytes) {
        refuse(c, {431, fmt::format("request head larger than {} bytes", limits_.max_head_bytes)},
               now);
      } else {
        c.scanned = c.buf.size() >= 3 ? c.buf.size() - 3 : 0;
      }
      return false;
    }
    c.head_end = end + 4;
    HttpRefusal refusal;
    auto head = parse_request_head(std::string_view(c.buf).substr(0, c.head_end), refusal);
    if (!head) {
      refuse(c, refusal, now);
      return false;
    }
    if (auto r = refuse_request(*head, limits_, bound_host_)) {
      refuse(c, *r, now);
      return false;
    }
    c.body_length = head->content_length;                  // at most max_body_bytes here
    c.stream = target_path(head->target) == stream_path_;  // as the server routes it
    c.state = State::body;
    c.deadline = now + limits_.body_timeout;
  }
  if (c.state == State::body && c.buf.size() >= c.head_end + c.body_length) {
    c.request_end = c.head_end + static_cast<std::size_t>(c.body_length);
    dispatch(std::move(conn));
    return true;
  }
  return false;
}

void ConnectionGate::dispatch(ConnPtr conn) {
  // Only this (the reception) thread takes stream slots, so check-then-increment is safe.
  Pool* pool = &plain_;
  if (conn->stream && streams_busy_.load() < limits_.max_streams) {
    ++streams_busy_;
    conn->stream_slot = true;
    pool = &streams_;
  }
  {
    std::lock_guard lock(pool->mu);
    pool->jobs.push_back(std::move(conn));
  }
  pool->cv.notify_one();
}

void ConnectionGate::hand_back(ConnPtr conn) {
  auto& c = *conn;
  c.buf.erase(0, c.request_end);
  c.scanned = c.head_end = c.request_end = 0;
  c.body_length = 0;
  c.stream = false;
  c.fresh = false;
  c.state = GateConnection::State::idle;
  c.deadline = Clock::now() + limits_.keep_alive_timeout;
  {
    std::lock_guard lock(inbox_mu_);
    inbox_.push_back(std::move(conn));
  }
  waker_.wake();
}

void ConnectionGate::worker(Pool& pool, bool streams) {
  tl_stream_worker = streams;
  for (;;) {
    ConnPtr conn;
    {
      std::unique_lock lock(pool.mu);
      pool.cv.wait(lock, [&] { return !pool.jobs.empty() || stopping_.load(); });
      if (pool.jobs.empty()) return;
      conn = std::move(pool.jobs.front());
      pool.jobs.pop_front();
    }
    bool keep = false;
    if (!stopping_) {
      bool last = conn->peer_closed || conn->served + 1 >= limits_.max_requests_per_connection;
      try {
        keep = serve_(*conn, last) && !last;
      } catch (...) {
        keep =
            false;  // the server answers handler exceptions itself; anything else ends the socket
      }
      ++conn->served;
    }
    if (conn->stream_slot) {
      conn->stream_slot = false;
      --streams_busy_;
    }
    if (keep && !stopping_) {
      hand_back(std::move(conn));
    } else {
      close(conn);
    }
  }
}

void ConnectionGate::reception() {
  using State = GateConnection::State;
  std::vector<ConnPtr> conns;
  std::vector<ConnPtr> incoming;
  std::vector<platform::PollItem> items;
  const std::size_t cap = limits_.max_head_bytes + limits_.max_body_bytes;
  std::vector<char> chunk(16 * 1024);
  while (!stopping_) {
    auto now = Clock::now();
    {
      std::lock_guard lock(inbox_mu_);
      incoming.swap(inbox_);
    }
    for (auto& c : incoming) {
      if (!advance(c, now)) conns.push_back(std::move(c));  // pipelined bytes may be complete
    }
    incoming.clear();
    // Too many connections: the ones waiting longest here go first (a slow client's head is
    // older than a new client's).
    std::size_t evict = 0;
    while (open_.load() > limits_.max_connections && evict < conns.size()) close(conns[evict++]);
    if (evict) conns.erase(conns.begin(), conns.begin() + static_cast<std::ptrdiff_t>(evict));

    items.clear();
    const bool waker = waker_.handle() != platform::kInvalidSocket;
    if (waker) items.push_back({waker_.handle(), platform::kReadable, 0});
    const std::size_t first = waker ? 1 : 0;
    auto next = now + std::chrono::seconds(1);
    for (const auto& c : conns) {
      // A refused connection is not read from; poll only reports its hang-up or error.
      items.push_back({c->sock, c->state == State::linger ? short{0} : platform::kReadable, 0});
      next = std::min(next, c->deadline);
    }
    std::error_code ec;
    int n = 0;
    if (items.empty()) {
      std::this_thread::sleep_for(poll_timeout(next, now));  // WSAPoll takes no empty list
    } else {
      n = platform::poll_sockets(items.data(), items.size(), poll_timeout(next, now), ec);
      if (n < 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (n > 0 && waker && items[0].got != 0) waker_.drain();
    now = Clock::now();
    for (std::size_t i = 0; i < conns.size(); ++i) {
      auto& c = conns[i];
      auto got = n > 0 ? items[first + i].got : 0;
      if (c->state == State::linger) {
        if (got || now >= c->deadline) close(c);
        continue;
      }
      if (got) {
        bool failed = false;
        while (c->buf.size() < cap) {
          auto want = std::min(chunk.size(), cap - c->buf.size());
          auto r = platform::recv_some(c->sock, chunk.data(), want, false);
          if (r.status == platform::Io::done) {
            c->buf.append(chunk.data(), r.bytes);
          } else if (r.status == platform::Io::closed) {
            c->peer_closed = true;
            break;
          } else {
            failed = r.status == platform::Io::failed;
            break;
          }
        }
        if (failed) {
          close(c);
          continue;
        }
        if (advance(c, now)) continue;  // complete: handed to a worker
        if (c->peer_closed && c->state != State::linger) {
          close(c);  // the client stopped sending before its request was complete
          continue;
        }
      }
      if (c && now >= c->deadline) {
        if (c->state == State::idle) {
          close(c);  // an idle connection (no byte of a request yet) just ends
        } else if (c->state == State::head) {
          refuse(*c,
                 {408, fmt::format("request head not complete within {}",
                                   seconds_text(limits_.head_timeout))},
                 now);
        } else if (c->state == State::body) {
          refuse(*c,
                 {408, fmt::format("request body not complete within {}",
                                   seconds_text(limits_.body_timeout))},
                 now);
        }
      }
    }
    conns.erase(std::remove(conns.begin(), conns.end(), nullptr), conns.end());
  }
  for (auto& c : conns) close(c);
}

void ConnectionGate::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  // Workers finish the request they serve (streams end through the server's own stop flag), then
  // the reception thread closes what waits; whatever was queued in between is closed last.
  for (Pool* pool : {&plain_, &streams_}) {
    {
      std::lock_guard lock(pool->mu);
      stopping_ = true;
    }
    pool->cv.notify_all();
  }
  for (Pool* pool : {&plain_, &streams_}) {
    for (auto& t : pool->threads) t.join();
  }
  waker_.wake();
  if (reception_.joinable()) reception_.join();
  for (Pool* pool : {&plain_, &streams_}) {
    for (auto& c : pool->jobs) close(c);
    pool->jobs.clear();
  }
  {
    std::lock_guard lock(inbox_mu_);
    for (auto& c : inbox_) close(c);
    inbox_.clear();
  }
}

}  // namespace web
