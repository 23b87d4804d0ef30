// Bare TCP ping-pong on loopback with the seq workload's frame sizes (31-byte request, 37-byte
// answer): the ceiling any S7 client/server pair can reach with one request in flight.
// Usage: s7log_pingpong [seconds] [request_bytes] [answer_bytes] [thread|process]
//                       [server_cpu client_cpu]; prints one JSON line. "process" (the default) runs
//                       the server in a forked process, like a client and a
// PLC (or s7log bench and s7log fakeplc); "thread" keeps both ends in one process, where a
// switch between them skips the address-space change and is cheaper, notably in a VM.
// With CPU numbers, the server and the client are pinned to those CPUs (the same number: both on
// one core), so the ceiling is measured with the same placement as the S7 pair it is compared to.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

bool read_exact(int fd, std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    ssize_t r = ::recv(fd, p, n, 0);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

bool write_all(int fd, const std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    ssize_t r = ::send(fd, p, n, MSG_NOSIGNAL);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

void no_delay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Pins the calling thread to `cpu` (negative: leave it to the scheduler).
void pin(int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (::sched_setaffinity(0, sizeof set, &set) != 0) std::perror("pingpong: sched_setaffinity");
}

double percentile_us(const std::vector<std::uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto idx = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  idx = std::min(idx == 0 ? 0 : idx - 1, sorted.size() - 1);
  return std::round(sorted[idx] / 100.0) / 10.0;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  std::size_t req_size = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 31;
  std::size_t ans_size = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 37;
  const bool same_process = argc > 4 && std::string(argv[4]) == "thread";
  const int server_cpu = argc > 6 ? std::atoi(argv[5]) : -1;
  const int client_cpu = argc > 6 ? std::atoi(argv[6]) : -1;

  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // any free port
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener, 1) != 0) {
    std::perror("pingpong: bind/listen");
    return 1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);

  // Server: answers each request of req_size bytes with ans_size bytes.
  auto serve = [&] {
    pin(server_cpu);
    int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) return;
    no_delay(fd);
    std::vector<std::uint8_t> req(req_size), ans(ans_size, 0x5A);
    while (read_exact(fd, req.data(), req.size()) && write_all(fd, ans.data(), ans.size())) {
    }
    ::close(fd);
  };
  std::thread server;
  pid_t child = -1;
  if (same_process) {
    server = std::thread(serve);
  } else {
    child = ::fork();
    if (child < 0) {
      std::perror("pingpong: fork");
      return 1;
    }
    if (child == 0) {
      serve();
      ::_exit(0);
    }
  }

  pin(client_cpu);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::perror("pingpong: connect");
    return 1;
  }
  no_delay(fd);
  std::vector<std::uint8_t> req(req_size, 0x03), ans(ans_size);
  std::vector<std::uint32_t> lat;
  lat.reserve(1 << 20);
  auto start = Clock::now();
  auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  auto now = start;
  while (now < deadline) {
    auto t0 = now;
    if (!write_all(fd, req.data(), req.size()) || !read_exact(fd, ans.data(), ans.size())) break;
    now = Clock::now();
    lat.push_back(static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(now - t0).count()));
  }
  double elapsed = std::chrono::duration<double>(now - start).count();
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
  if (server.joinable()) server.join();
  if (child > 0) ::waitpid(child, nullptr, 0);
  ::close(listener);
  std::sort(lat.begin(), lat.end());
  std::printf(
      "{\"test\":\"pingpong\",\"mode\":\"%s\",\"server_cpu\":%d,\"client_cpu\":%d,"
      "\"request_bytes\":%zu,\"answer_bytes\":%zu,\"reads\":%zu,"
      "\"reads_per_s\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f}\n",
      same_process ? "thread" : "process", server_cpu, client_cpu, req_size, ans_size, lat.size(),
      static_cast<double>(lat.size()) / elapsed, percentile_us(lat, 0.5), percentile_us(lat, 0.99));
  return lat.empty() ? 1 : 0;
}
