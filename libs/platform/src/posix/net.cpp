// platform/net.hpp on POSIX: poll(2), send/recv with MSG_DONTWAIT|MSG_NOSIGNAL, a pipe as waker,
// a blocked SIGPIPE for libraries that write without MSG_NOSIGNAL.
#include "platform/net.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace platform {

namespace {

std::error_code last_error() {
  return {errno, std::system_category()};
}

IoResult from_errno() {
  const int err = errno;
  if (err == EAGAIN || err == EWOULDBLOCK) return {Io::would_block, 0, {}};
  return {Io::failed, 0, std::error_code(err, std::system_category())};
}

}  // namespace

int poll_sockets(PollItem* items, std::size_t count, std::chrono::milliseconds timeout,
                 std::error_code& ec) {
  std::vector<pollfd> fds(count);
  for (std::size_t i = 0; i < count; ++i) {
    short ev = 0;
    if (items[i].want & kReadable) ev = static_cast<short>(ev | POLLIN);
    if (items[i].want & kWritable) ev = static_cast<short>(ev | POLLOUT);
    fds[i] = pollfd{items[i].sock, ev, 0};
    items[i].got = 0;
  }
  const bool forever = timeout.count() < 0;
  const auto deadline = std::chrono::steady_clock::now() + std::max(timeout, {});
  for (;;) {
    int ms = -1;
    if (!forever) {
      auto left =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      ms = static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, 1 << 30));
    }
    const int n = ::poll(fds.data(), static_cast<nfds_t>(count), ms);
    if (n < 0) {
      if (errno == EINTR) continue;
      ec = last_error();
      return -1;
    }
    for (std::size_t i = 0; i < count; ++i) {
      short got = 0;
      if (fds[i].revents & POLLIN) got = static_cast<short>(got | kReadable);
      if (fds[i].revents & POLLOUT) got = static_cast<short>(got | kWritable);
      if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) got = static_cast<short>(got | kFailed);
      items[i].got = got;
    }
    return n;
  }
}

void prepare_stream(socket_handle sock, std::chrono::milliseconds recv_wait) {
  const int flags = ::fcntl(sock, F_GETFL, 0);
  if (flags >= 0) ::fcntl(sock, F_SETFL, flags & ~O_NONBLOCK);
  recv_wait = std::max(recv_wait, std::chrono::milliseconds(1));
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(recv_wait.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((recv_wait.count() % 1000) * 1000);
  ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

void set_nonblocking(socket_handle sock) {
  const int flags = ::fcntl(sock, F_GETFL, 0);
  if (flags >= 0) ::fcntl(sock, F_SETFL, flags | O_NONBLOCK);
}

IoResult send_some(socket_handle sock, const void* data, std::size_t size) {
  for (;;) {
    const ssize_t n = ::send(sock, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) return {Io::done, static_cast<std::size_t>(n), {}};
    if (errno != EINTR) return from_errno();
  }
}

IoResult recv_some(socket_handle sock, void* buf, std::size_t size, bool wait) {
  for (;;) {
    // Waiting: a blocking recv bounded by SO_RCVTIMEO (prepare_stream); a timeout is EAGAIN.
    const ssize_t n = ::recv(sock, buf, size, wait ? 0 : MSG_DONTWAIT);
    if (n > 0) return {Io::done, static_cast<std::size_t>(n), {}};
    if (n == 0) return {Io::closed, 0, {}};
    if (errno != EINTR) return from_errno();
  }
}

bool socket_address(socket_handle sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  if ((peer ? ::getpeername(sock, sa, &len) : ::getsockname(sock, sa, &len)) != 0) return false;
  char host[NI_MAXHOST];
  char serv[NI_MAXSERV];
  if (::getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return false;
  ip = host;
  port = std::atoi(serv);
  return true;
}

void close_socket(socket_handle sock) {
  if (sock >= 0) ::close(sock);
}

void shutdown_socket(socket_handle sock) {
  if (sock >= 0) ::shutdown(sock, SHUT_RDWR);
}

void shutdown_send(socket_handle sock) {
  if (sock >= 0) ::shutdown(sock, SHUT_WR);
}

void prepare_listener(socket_handle sock) {
  int yes = 1;
  ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

socket_handle listen_tcp(const std::string& host, std::uint16_t port, std::uint16_t& bound_port,
                         std::error_code& ec) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int rc =
          ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
      rc != 0) {
    ec = std::make_error_code(std::errc::address_not_available);
    return kInvalidSocket;
  }
  ec = std::make_error_code(std::errc::address_not_available);
  socket_handle out = kInvalidSocket;
  for (addrinfo* ai = found; ai && out == kInvalidSocket; ai = ai->ai_next) {
    const int s = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (s < 0) {
      ec = last_error();
      continue;
    }
    prepare_listener(s);
    set_nonblocking(s);  // accept_socket never waits (a client may go between poll and accept)
    if (::bind(s, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(s, SOMAXCONN) != 0) {
      ec = last_error();
      ::close(s);
      continue;
    }
    out = s;
  }
  ::freeaddrinfo(found);
  if (out == kInvalidSocket) return out;
  std::string ip;
  int p = 0;
  socket_address(out, false, ip, p);
  bound_port = static_cast<std::uint16_t>(p);
  ec.clear();
  return out;
}

socket_handle connect_tcp(const std::string& host, std::uint16_t port,
                          std::chrono::milliseconds timeout, std::error_code& ec) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || !found) {
    ec = std::make_error_code(std::errc::address_not_available);
    return kInvalidSocket;
  }
  socket_handle out = kInvalidSocket;
  ec = std::make_error_code(std::errc::address_not_available);
  for (addrinfo* ai = found; ai && out == kInvalidSocket; ai = ai->ai_next) {
    const socket_handle s =
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (s == kInvalidSocket) {
      ec = last_error();
      continue;
    }
    // Non-blocking connect, then wait for it at most `timeout`.
    set_nonblocking(s);
    if (::connect(s, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
      ec = last_error();
      close_socket(s);
      continue;
    }
    PollItem item{s, kWritable, 0};
    std::error_code pec;
    const int n = poll_sockets(&item, 1, timeout, pec);
    int err = 0;
    socklen_t len = sizeof err;
    if (n <= 0) {
      ec = n == 0 ? std::make_error_code(std::errc::timed_out) : pec;
    } else if (::getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&err), &len) != 0 ||
               err != 0) {
      ec = std::error_code(err, std::system_category());
    } else {
      out = s;
      break;
    }
    close_socket(s);
  }
  ::freeaddrinfo(found);
  if (out == kInvalidSocket) return out;
  const int flags = ::fcntl(out, F_GETFL, 0);
  if (flags >= 0) ::fcntl(out, F_SETFL, flags & ~O_NONBLOCK);
  int one = 1;
  ::setsockopt(out, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&one), sizeof one);
  ec.clear();
  return out;
}

socket_handle accept_socket(socket_handle listener) {
  for (;;) {
    const int s = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (s >= 0) {
      int one = 1;
      ::setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return s;
    }
    if (errno != EINTR) return kInvalidSocket;
  }
}

void quick_ack(socket_handle sock) {
#ifdef TCP_QUICKACK
  if (sock < 0) return;
  int one = 1;
  ::setsockopt(sock, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
  (void)sock;
#endif
}

namespace {

sigset_t only_sigpipe() {
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  return pipe;
}

bool sigpipe_pending() {
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

}  // namespace

NoSigpipe::NoSigpipe() {
  static_assert(sizeof(sigset_t) <= sizeof old_mask_);
  const sigset_t pipe = only_sigpipe();
  sigset_t old;
  sigemptyset(&old);
  pthread_sigmask(SIG_BLOCK, &pipe, &old);
  std::memcpy(old_mask_, &old, sizeof old);
  was_pending_ = sigpipe_pending();
}

NoSigpipe::~NoSigpipe() {
  if (!was_pending_ && sigpipe_pending()) {
    const sigset_t pipe = only_sigpipe();
    const timespec zero{};
    while (sigtimedwait(&pipe, nullptr, &zero) == -1 && errno == EINTR) {
    }
  }
  sigset_t old;
  std::memcpy(&old, old_mask_, sizeof old);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

long process_id() {
  return static_cast<long>(::getpid());
}

std::string resolve_error_text(int code) {
  return ::gai_strerror(code);
}

Waker::Waker() {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0) {
    read_ = fds[0];
    write_ = fds[1];
  }
}

Waker::~Waker() {
  close_socket(read_);
  close_socket(write_);
}

void Waker::wake() {
  if (write_ < 0) return;
  const char one = 1;
  [[maybe_unused]] auto n = ::write(write_, &one, 1);  // a full pipe already wakes
}

void Waker::drain() {
  if (read_ < 0) return;
  char buf[64];
  while (::read(read_, buf, sizeof buf) > 0) {
  }
}

}  // namespace platform
