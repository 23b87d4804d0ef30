// ConnectionGate: reads every request of the live page's server completely before a worker
// thread sees it, and gives /events streams and plain requests separate, fixed sets of workers.
//
// Why: a worker that read its own request would wait on the client, with at best a per-read
// timeout and no limit on the body, so a client sending a byte a second could hold a worker for
// as long as it likes and a 1 GiB body would be read into memory. Here one reception thread
// watches all waiting connections with platform::poll_sockets(): it collects each request's head
// (deadline from the connection's first moment, size cap) and small body (deadline, size cap),
// refuses what breaks a limit with a canned answer (never reading a refused body), and hands only
// complete requests to a worker. Idle kept-alive connections also wait in the reception thread,
// not on a worker. The answers themselves (routing, headers, SSE) are the server's (server.cpp);
// all socket calls go through platform/net.hpp, so the gate is the same on POSIX and Windows.
//
// Thread-safety: admit() from any thread (the accept loop); shutdown() from one thread, once the
// accept loop has ended. Each GateConnection belongs to one thread at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "platform/net.hpp"
#include "web/http_limits.hpp"

namespace web {

// A client connection and the bytes received on it that are not answered yet.
struct GateConnection {
  using Clock = std::chrono::steady_clock;
  enum class State { idle, head, body, linger };

  platform::socket_handle sock = platform::kInvalidSocket;
  std::string buf;              // received bytes, the current request first
  std::size_t scanned = 0;      // buf[0, scanned) holds no end of head
  std::size_t head_end = 0;     // set once the head's CRLF CRLF is in buf
  std::size_t request_end = 0;  // buf[0, request_end) is the complete current request
  std::uint64_t body_length = 0;
  bool stream = false;       // the request asks for the stream path
  bool stream_slot = false;  // it holds one of the max_streams stream slots
  bool fresh = true;         // no request answered on it yet
  bool peer_closed = false;  // the client shut down its sending side
  std::size_t served = 0;
  State state = State::idle;
  Clock::time_point deadline{};
};

class ConnectionGate {
 public:
  // Answers the complete request in conn.buf[0, conn.request_end) on a worker thread. `last`:
  // the connection is closed afterwards whatever happens (say so in the answer). Returns true if
  // the connection may carry another request.
  using Serve = std::function<bool(GateConnection& conn, bool last)>;

  // `stream_path`: requests for this path go to the stream workers while a slot is free.
  ConnectionGate(HttpLimits limits, std::string bound_host, std::string stream_path, Serve serve);
  ~ConnectionGate();  // shutdown()
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // Takes ownership of an accepted socket (and makes it non-blocking).
  void admit(platform::socket_handle sock);
  // Stops taking requests, lets workers finish the ones they serve, closes every connection and
  // joins the threads. Idempotent.
  void shutdown();

  // True on a stream worker (a request that reached one holds a stream slot).
  static bool on_stream_worker();
  std::size_t open_connections() const { return open_.load(); }

 private:
  using ConnPtr = std::unique_ptr<GateConnection>;
  struct Pool {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<ConnPtr> jobs;
    std::vector<std::thread> threads;
  };

  void reception();
  void worker(Pool& pool, bool streams);
  // Looks at conn's buffer; returns true when the connection left the reception list
  // (dispatched to a worker, or closed).
  bool advance(ConnPtr& conn, GateConnection::Clock::time_point now);
  void refuse(GateConnection& conn, const HttpRefusal& refusal,
              GateConnection::Clock::time_point now);
  void dispatch(ConnPtr conn);
  void hand_back(ConnPtr conn);  // from a worker: wait for the next request
  void close(ConnPtr& conn);

  const HttpLimits limits_;
  const std::string bound_host_;
  const std::string stream_path_;
  const Serve serve_;

  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> open_{0};
  std::atomic<std::size_t> streams_busy_{0};
  platform::Waker waker_;

  std::mutex inbox_mu_;
  std::vector<ConnPtr> inbox_;  // new and handed-back connections for the reception thread

  Pool plain_;
  Pool streams_;
  std::thread reception_;
  bool shut_down_ = false;
};

}  // namespace web
