// platform/net.hpp on Windows: Winsock 2 (WSAPoll, non-blocking sockets, a loopback UDP waker).
#include "platform/net.hpp"

#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <vector>

namespace platform {

namespace {

// Winsock must be started once per process before the first call (Asio does it too; the gate
// may come first).
void startup() {
  static std::once_flag once;
  std::call_once(once, [] {
    WSADATA data;
    ::WSAStartup(MAKEWORD(2, 2), &data);
  });
}

SOCKET native(socket_handle s) {
  return static_cast<SOCKET>(s);
}

std::error_code last_error() {
  return {::WSAGetLastError(), std::system_category()};
}

IoResult from_last_error() {
  const int err = ::WSAGetLastError();
  if (err == WSAEWOULDBLOCK) return {Io::would_block, 0, {}};
  if (err == WSAECONNRESET || err == WSAECONNABORTED || err == WSAESHUTDOWN)
    return {Io::failed, 0, std::make_error_code(std::errc::connection_reset)};
  return {Io::failed, 0, std::error_code(err, std::system_category())};
}

// The receive wait of prepare_stream(), per socket (Windows has no SO_RCVTIMEO for
// non-blocking sockets).
std::mutex waits_mu;
std::vector<std::pair<socket_handle, std::chrono::milliseconds>> waits;

std::chrono::milliseconds recv_wait_of(socket_handle s) {
  std::lock_guard lock(waits_mu);
  for (const auto& [sock, wait] : waits)
    if (sock == s) return wait;
  return std::chrono::milliseconds(1);
}

void set_nonblocking_mode(socket_handle sock, bool nonblocking) {
  u_long mode = nonblocking ? 1 : 0;
  ::ioctlsocket(native(sock), FIONBIO, &mode);
}

}  // namespace

int poll_sockets(PollItem* items, std::size_t count, std::chrono::milliseconds timeout,
                 std::error_code& ec) {
  startup();
  std::vector<WSAPOLLFD> fds(count);
  for (std::size_t i = 0; i < count; ++i) {
    short ev = 0;
    if (items[i].want & kReadable) ev = static_cast<short>(ev | POLLRDNORM);
    if (items[i].want & kWritable) ev = static_cast<short>(ev | POLLWRNORM);
    fds[i] = WSAPOLLFD{native(items[i].sock), ev, 0};
    items[i].got = 0;
  }
  const int ms =
      timeout.count() < 0 ? -1 : static_cast<int>(std::min<std::int64_t>(timeout.count(), 1 << 30));
  const int n = ::WSAPoll(fds.data(), static_cast<ULONG>(count), ms);
  if (n == SOCKET_ERROR) {
    ec = last_error();
    return -1;
  }
  for (std::size_t i = 0; i < count; ++i) {
    short got = 0;
    if (fds[i].revents & (POLLRDNORM | POLLHUP)) got = static_cast<short>(got | kReadable);
    if (fds[i].revents & POLLWRNORM) got = static_cast<short>(got | kWritable);
    if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) got = static_cast<short>(got | kFailed);
    items[i].got = got;
  }
  return n;
}

void prepare_stream(socket_handle sock, std::chrono::milliseconds recv_wait) {
  set_nonblocking_mode(sock, true);
  recv_wait = std::max(recv_wait, std::chrono::milliseconds(1));
  std::lock_guard lock(waits_mu);
  for (auto& entry : waits) {
    if (entry.first == sock) {
      entry.second = recv_wait;
      return;
    }
  }
  waits.emplace_back(sock, recv_wait);
}

void set_nonblocking(socket_handle sock) {
  set_nonblocking_mode(sock, true);
}

IoResult send_some(socket_handle sock, const void* data, std::size_t size) {
  const int len = static_cast<int>(std::min<std::size_t>(size, 1 << 30));
  const int n = ::send(native(sock), static_cast<const char*>(data), len, 0);
  if (n != SOCKET_ERROR) return {Io::done, static_cast<std::size_t>(n), {}};
  return from_last_error();
}

IoResult recv_some(socket_handle sock, void* buf, std::size_t size, bool wait) {
  if (wait) {
    PollItem item{sock, kReadable, 0};
    std::error_code ec;
    const int n = poll_sockets(&item, 1, recv_wait_of(sock), ec);
    if (n < 0) return {Io::failed, 0, ec};
    if (n == 0) return {Io::would_block, 0, {}};
  }
  const int len = static_cast<int>(std::min<std::size_t>(size, 1 << 30));
  const int n = ::recv(native(sock), static_cast<char*>(buf), len, 0);
  if (n > 0) return {Io::done, static_cast<std::size_t>(n), {}};
  if (n == 0) return {Io::closed, 0, {}};
  return from_last_error();
}

bool socket_address(socket_handle sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  int len = sizeof addr;
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  if ((peer ? ::getpeername(native(sock), sa, &len) : ::getsockname(native(sock), sa, &len)) != 0)
    return false;
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
  if (sock == kInvalidSocket) return;
  ::closesocket(native(sock));
  std::lock_guard lock(waits_mu);
  std::erase_if(waits, [sock](const auto& entry) { return entry.first == sock; });
}

void shutdown_socket(socket_handle sock) {
  if (sock != kInvalidSocket) ::shutdown(native(sock), SD_BOTH);
}

void shutdown_send(socket_handle sock) {
  if (sock != kInvalidSocket) ::shutdown(native(sock), SD_SEND);
}

void prepare_listener(socket_handle sock) {
  BOOL yes = TRUE;
  ::setsockopt(native(sock), SOL_SOCKET, SO_EXCLUSIVEADDRUSE, reinterpret_cast<const char*>(&yes),
               sizeof yes);
}

socket_handle listen_tcp(const std::string& host, std::uint16_t port, std::uint16_t& bound_port,
                         std::error_code& ec) {
  startup();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found) != 0) {
    ec = std::make_error_code(std::errc::address_not_available);
    return kInvalidSocket;
  }
  ec = std::make_error_code(std::errc::address_not_available);
  socket_handle out = kInvalidSocket;
  for (addrinfo* ai = found; ai && out == kInvalidSocket; ai = ai->ai_next) {
    SOCKET s = ::WSASocketW(ai->ai_family, ai->ai_socktype, ai->ai_protocol, nullptr, 0,
                            WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    if (s == INVALID_SOCKET) {
      ec = last_error();
      continue;
    }
    prepare_listener(static_cast<socket_handle>(s));
    set_nonblocking(static_cast<socket_handle>(s));
    if (::bind(s, ai->ai_addr, static_cast<int>(ai->ai_addrlen)) != 0 ||
        ::listen(s, SOMAXCONN) != 0) {
      ec = last_error();
      ::closesocket(s);
      continue;
    }
    out = static_cast<socket_handle>(s);
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
  startup();
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
        static_cast<socket_handle>(::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol));
    if (s == kInvalidSocket) {
      ec = last_error();
      continue;
    }
    // Non-blocking connect, then wait for it at most `timeout`.
    set_nonblocking(s);
    if (::connect(native(s), ai->ai_addr, static_cast<int>(ai->ai_addrlen)) != 0 &&
        ::WSAGetLastError() != WSAEWOULDBLOCK) {
      ec = last_error();
      close_socket(s);
      continue;
    }
    PollItem item{s, kWritable, 0};
    std::error_code pec;
    const int n = poll_sockets(&item, 1, timeout, pec);
    int err = 0;
    int len = sizeof err;
    if (n <= 0) {
      ec = n == 0 ? std::make_error_code(std::errc::timed_out) : pec;
    } else if (::getsockopt(native(s), SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&err), &len) !=
                   0 ||
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
  set_nonblocking_mode(out, false);
  int one = 1;
  ::setsockopt(native(out), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&one),
               sizeof one);
  ec.clear();
  return out;
}

socket_handle accept_socket(socket_handle listener) {
  SOCKET s = ::accept(native(listener), nullptr, nullptr);
  if (s == INVALID_SOCKET) return kInvalidSocket;
  BOOL one = TRUE;
  ::setsockopt(s, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&one), sizeof one);
  // An accepted socket inherits the listener's non-blocking mode; the caller decides.
  return static_cast<socket_handle>(s);
}

// Windows has no per-read quick ACK (SIO_TCP_SET_ACK_FREQUENCY is a socket-wide setting).
void quick_ack(socket_handle) {}

NoSigpipe::NoSigpipe() = default;  // no SIGPIPE on Windows
NoSigpipe::~NoSigpipe() = default;

std::string host_name() {
  startup();
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

long process_id() {
  return static_cast<long>(::GetCurrentProcessId());
}

std::string resolve_error_text(int code) {
  // getaddrinfo's EAI_* codes are Winsock error codes (WSAHOST_NOT_FOUND, ...).
  return std::system_category().message(code);
}

// One UDP socket on loopback connected to itself: wake() sends it a byte, which makes it
// readable for WSAPoll (which watches only sockets, not pipes).
Waker::Waker() {
  startup();
  SOCKET s = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (s == INVALID_SOCKET) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int len = sizeof addr;
  if (::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::closesocket(s);
    return;
  }
  read_ = write_ = static_cast<socket_handle>(s);
  set_nonblocking(read_);
}

Waker::~Waker() {
  close_socket(read_);
}

void Waker::wake() {
  if (write_ == kInvalidSocket) return;
  const char one = 1;
  ::send(native(write_), &one, 1, 0);  // a full buffer already wakes
}

void Waker::drain() {
  if (read_ == kInvalidSocket) return;
  char buf[64];
  while (::recv(native(read_), buf, sizeof buf, 0) > 0) {
  }
}

}  // namespace platform
