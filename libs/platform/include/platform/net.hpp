// platform/net.hpp: the socket calls s7log makes beside Asio (the S7 client's blocking fast path,
// the live page's connection gate, the MQTT output around libmosquitto), the same on POSIX and
// Windows. src/posix/net.cpp and src/win32/net.cpp implement it; nothing above libs/platform
// includes a system socket header.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>

namespace platform {

#ifdef _WIN32
using socket_handle = std::uintptr_t;  // SOCKET
#else
using socket_handle = int;
#endif
inline constexpr socket_handle kInvalidSocket = static_cast<socket_handle>(-1);

// Readiness for poll_sockets: `want` is kReadable and/or kWritable; `got` may also carry
// kFailed (error or hang-up: the next send/recv says which).
inline constexpr short kReadable = 1;
inline constexpr short kWritable = 2;
inline constexpr short kFailed = 4;

struct PollItem {
  socket_handle sock = kInvalidSocket;
  short want = 0;
  short got = 0;
};

// Waits until at least one item is ready or `timeout` passes (negative: no limit). Returns how
// many items are ready (0: timed out), or -1 with `ec` set. A signal interrupting the wait
// resumes it with the time that is left.
int poll_sockets(PollItem* items, std::size_t count, std::chrono::milliseconds timeout,
                 std::error_code& ec);

enum class Io { done, would_block, closed, failed };
struct IoResult {
  Io status = Io::failed;
  std::size_t bytes = 0;  // when done
  std::error_code error;  // when failed
};

// Makes a connected stream socket ready for send_some/recv_some. `recv_wait` (at least 1 ms) is
// the longest recv_some(..., true) waits. POSIX: the socket becomes blocking with SO_RCVTIMEO,
// so a waiting receive is one recv(2) (no poll first); Windows: the socket stays non-blocking and
// a waiting receive polls first.
void prepare_stream(socket_handle sock, std::chrono::milliseconds recv_wait);
// Makes a socket non-blocking (accepted sockets of the connection gate).
void set_nonblocking(socket_handle sock);

// Sends what fits now; never waits, never raises SIGPIPE.
IoResult send_some(socket_handle sock, const void* data, std::size_t size);
// Receives what has arrived. `wait`: wait up to the prepare_stream() time for something to
// arrive (would_block when nothing did); otherwise never waits.
IoResult recv_some(socket_handle sock, void* buf, std::size_t size, bool wait);

// The peer's (peer = true) or our own address of a connected socket, as text and port.
bool socket_address(socket_handle sock, bool peer, std::string& ip, int& port);
void close_socket(socket_handle sock);
// Shuts both directions of a connected socket down: a thread blocked reading it wakes with EOF.
void shutdown_socket(socket_handle sock);
// Shuts only our sending side down: the peer reads EOF after what was sent, and what it still
// sends arrives as before (so closing later need not reset the connection early).
void shutdown_send(socket_handle sock);
// Sets the listening-socket option that lets a restarted server bind at once but never lets a
// second server share the port (POSIX SO_REUSEADDR; Windows SO_EXCLUSIVEADDRUSE, because there
// SO_REUSEADDR lets two servers bind the same port). Call before bind.
void prepare_listener(socket_handle sock);

// Opens a TCP listener on host:port (port 0: any free port) with a full backlog. Returns the
// socket, or kInvalidSocket with `ec` set; `bound_port` is the port it got.
socket_handle listen_tcp(const std::string& host, std::uint16_t port, std::uint16_t& bound_port,
                         std::error_code& ec);
// Connects to host:port (blocking, at most `timeout`), with TCP_NODELAY. Returns the socket, or
// kInvalidSocket with `ec` set.
socket_handle connect_tcp(const std::string& host, std::uint16_t port,
                          std::chrono::milliseconds timeout, std::error_code& ec);
// Accepts one connection (the listener is polled readable first); kInvalidSocket when none.
socket_handle accept_socket(socket_handle listener);

// Sends the ACK of what was received at once instead of delaying it, and keeps doing so until
// the system goes back to delaying (Linux: TCP_QUICKACK, which the kernel clears again when it
// sees a request/response rhythm, so call it after each read). For a client whose peer holds its
// last small reply until our ACK of the previous one (Nagle on the peer, delayed ACK here: a
// ~40 ms stall). Other systems: nothing.
void quick_ack(socket_handle sock);

// Blocks SIGPIPE on this thread while it lives, for a library that writes to sockets with
// write(2) or send(2) without MSG_NOSIGNAL (libmosquitto): a write to a connection the peer
// closed then fails with EPIPE instead of killing the process. The destructor takes back a
// SIGPIPE raised meanwhile (one already pending at construction stays pending) and restores the
// thread's signal mask. Guards nest. Windows: nothing to do (no SIGPIPE).
class NoSigpipe {
 public:
  NoSigpipe();
  ~NoSigpipe();
  NoSigpipe(const NoSigpipe&) = delete;
  NoSigpipe& operator=(const NoSigpipe&) = delete;

 private:
  alignas(8) unsigned char old_mask_[128] = {};  // POSIX: the sigset_t to restore
  bool was_pending_ = false;
};

// This machine's host name ("localhost" when it has none).
std::string host_name();
// This process's id (a client id that two loggers on one machine do not share).
long process_id();
// The text of a name-resolution error code (getaddrinfo's EAI_*, as libraries that resolve host
// names themselves report it).
std::string resolve_error_text(int code);

// A handle poll_sockets can watch (kReadable) that another thread makes readable with wake():
// ends a poll loop's wait early. drain() reads the wake-ups so the next poll waits again.
class Waker {
 public:
  Waker();
  ~Waker();
  Waker(const Waker&) = delete;
  Waker& operator=(const Waker&) = delete;
  void wake();
  void drain();
  socket_handle handle() const { return read_; }

 private:
  socket_handle read_ = kInvalidSocket;
  socket_handle write_ = kInvalidSocket;
};

}  // namespace platform
