// platform/net.hpp: NoSigpipe (a write to a connection the peer closed neither kills the process
// nor leaves a SIGPIPE pending), quick_ack (Linux: the socket leaves delayed-ACK mode), and the
// host name / process id / resolver error text the MQTT output's client id and messages use.
#include "platform/net.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#ifndef _WIN32
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#endif

using namespace std::chrono_literals;

namespace {

// A connected loopback TCP pair made with the platform's own calls.
struct TcpPair {
  platform::socket_handle listener = platform::kInvalidSocket;
  platform::socket_handle client = platform::kInvalidSocket;
  platform::socket_handle server = platform::kInvalidSocket;

  TcpPair() {
    std::error_code ec;
    std::uint16_t port = 0;
    listener = platform::listen_tcp("127.0.0.1", 0, port, ec);
    if (listener == platform::kInvalidSocket) return;
    client = platform::connect_tcp("127.0.0.1", port, 5s, ec);
    if (client == platform::kInvalidSocket) return;
    platform::PollItem item{listener, platform::kReadable, 0};
    if (platform::poll_sockets(&item, 1, 5s, ec) == 1) server = platform::accept_socket(listener);
  }
  ~TcpPair() {
    platform::close_socket(server);
    platform::close_socket(client);
    platform::close_socket(listener);
  }
  bool ok() const { return server != platform::kInvalidSocket; }
};

TEST(QuickAck, TheConnectionStillCarriesDataBothWays) {
  TcpPair pair;
  ASSERT_TRUE(pair.ok());
  platform::quick_ack(pair.client);
  platform::quick_ack(platform::kInvalidSocket);  // harmless
  const char hello[] = "hello";
  ASSERT_EQ(platform::send_some(pair.client, hello, 5).status, platform::Io::done);
  platform::prepare_stream(pair.server, 2000ms);
  char buf[8] = {};
  const auto r = platform::recv_some(pair.server, buf, sizeof buf, true);
  ASSERT_EQ(r.status, platform::Io::done);
  EXPECT_EQ(std::string(buf, r.bytes), "hello");
  platform::quick_ack(pair.server);
  ASSERT_EQ(platform::send_some(pair.server, "ok", 2).status, platform::Io::done);
  platform::prepare_stream(pair.client, 2000ms);
  const auto back = platform::recv_some(pair.client, buf, sizeof buf, true);
  ASSERT_EQ(back.status, platform::Io::done);
  EXPECT_EQ(std::string(buf, back.bytes), "ok");
}

#ifdef TCP_QUICKACK
int quickack_of(platform::socket_handle s) {
  int v = -1;
  socklen_t len = sizeof v;
  if (::getsockopt(s, IPPROTO_TCP, TCP_QUICKACK, &v, &len) != 0) return -1;
  return v;
}

TEST(QuickAck, LeavesDelayedAckMode) {
  TcpPair pair;
  ASSERT_TRUE(pair.ok());
  int zero = 0;  // what the kernel does when it sees request/response traffic: delay ACKs
  ASSERT_EQ(::setsockopt(pair.client, IPPROTO_TCP, TCP_QUICKACK, &zero, sizeof zero), 0);
  ASSERT_EQ(quickack_of(pair.client), 0);
  platform::quick_ack(pair.client);
  EXPECT_EQ(quickack_of(pair.client), 1);
}
#endif

TEST(NoSigpipe, NestsAndCanBeMadeAnywhere) {
  platform::NoSigpipe outer;
  { platform::NoSigpipe inner; }
  SUCCEED();
}

#ifndef _WIN32

bool sigpipe_pending() {
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

bool sigpipe_blocked() {
  sigset_t mask;
  sigemptyset(&mask);
  pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  return sigismember(&mask, SIGPIPE) == 1;
}

// A socket whose peer has closed: write(2) on it raises SIGPIPE (what libmosquitto does).
struct ClosedPeer {
  int fds[2] = {-1, -1};
  ClosedPeer() {
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0) {
      ::close(fds[1]);
      fds[1] = -1;
    }
  }
  ~ClosedPeer() {
    if (fds[0] >= 0) ::close(fds[0]);
  }
  ssize_t write() const { return ::write(fds[0], "x", 1); }
};

using NoSigpipeDeathTest = ::testing::Test;

TEST_F(NoSigpipeDeathTest, WithoutItTheWriteKillsTheProcess) {
  // The premise of the tests below: the write really raises SIGPIPE.
  EXPECT_EXIT(
      {
        ::signal(SIGPIPE, SIG_DFL);
        ClosedPeer peer;
        (void)peer.write();
        std::_Exit(0);
      },
      ::testing::KilledBySignal(SIGPIPE), "");
}

TEST_F(NoSigpipeDeathTest, WithItTheWriteFailsWithEpipeAndTheProcessLives) {
  EXPECT_EXIT(
      {
        ::signal(SIGPIPE, SIG_DFL);
        ClosedPeer peer;
        int err = 0;
        ssize_t n = 0;
        {
          platform::NoSigpipe guard;
          n = peer.write();
          err = errno;
        }
        // Gone with the guard: nothing pending, and SIGPIPE unblocked again (a pending one
        // would kill us here).
        std::_Exit(n == -1 && err == EPIPE && !sigpipe_pending() && !sigpipe_blocked() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(NoSigpipe, TakesBackTheSigpipeItsWriteRaisedAndRestoresTheMask) {
  ASSERT_FALSE(sigpipe_blocked());
  ASSERT_FALSE(sigpipe_pending());
  ClosedPeer peer;
  {
    platform::NoSigpipe outer;
    EXPECT_TRUE(sigpipe_blocked());
    {
      platform::NoSigpipe inner;  // nested (drop() inside connect_session()): takes its own back
      EXPECT_EQ(peer.write(), -1);
      EXPECT_EQ(errno, EPIPE);
      EXPECT_TRUE(sigpipe_pending());
    }
    EXPECT_FALSE(sigpipe_pending());
    EXPECT_TRUE(sigpipe_blocked());  // still inside the outer guard
    EXPECT_EQ(peer.write(), -1);
    EXPECT_TRUE(sigpipe_pending());
  }
  EXPECT_FALSE(sigpipe_pending());
  EXPECT_FALSE(sigpipe_blocked());
}

TEST(NoSigpipe, LeavesASigpipePendingBeforeItAlone) {
  // Someone else's SIGPIPE (pending while this thread blocks it) is not ours to take.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  sigset_t old;
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &pipe, &old), 0);
  ASSERT_EQ(::raise(SIGPIPE), 0);
  ASSERT_TRUE(sigpipe_pending());
  { platform::NoSigpipe guard; }
  EXPECT_TRUE(sigpipe_pending());
  EXPECT_TRUE(sigpipe_blocked());  // the mask it found
  const timespec zero{};
  EXPECT_EQ(sigtimedwait(&pipe, nullptr, &zero), SIGPIPE);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  EXPECT_FALSE(sigpipe_pending());
}

TEST(NetNames, ResolveErrorTextIsTheResolversText) {
  EXPECT_EQ(platform::resolve_error_text(EAI_NONAME), std::string(::gai_strerror(EAI_NONAME)));
}

TEST(NetNames, ProcessIdIsGetpid) {
  EXPECT_EQ(platform::process_id(), static_cast<long>(::getpid()));
}

#endif  // !_WIN32

TEST(NetNames, HostNameIsNeverEmpty) {
  const std::string name = platform::host_name();
  EXPECT_FALSE(name.empty());
  EXPECT_EQ(name.find('\0'), std::string::npos);
  EXPECT_GT(platform::process_id(), 0);
}

}  // namespace
