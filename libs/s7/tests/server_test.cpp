// Tests for the Asio S7 server over loopback with raw socket clients (ports picked at run time).
#include "s7/server.hpp"

#include <gtest/gtest.h>

#include <asio.hpp>
#include <memory>
#include <sstream>

namespace {

using asio::ip::tcp;
using s7::Area;
using s7::AreaKey;
using s7::Bytes;
using namespace std::chrono_literals;

Bytes h(const std::string& hex) {
  Bytes out;
  std::istringstream in(hex);
  std::string byte;
  while (in >> byte) out.push_back(static_cast<std::uint8_t>(std::stoul(byte, nullptr, 16)));
  return out;
}

constexpr AreaKey kDb1{Area::db, 1};
const char* kCr = "03 00 00 16 11 E0 00 00 00 01 00 C0 01 0A C1 02 01 00 C2 02 01 01";
const char* kSetup = "03 00 00 19 02 F0 80 32 01 00 00 00 01 00 08 00 00 F0 00 00 01 00 01 01 E0";
// Read DB1 bytes 0..11, reference 2 (fact sheet 8.3); the answer is 37 bytes.
const char* kRead12 =
    "03 00 00 1F 02 F0 80 32 01 00 00 00 02 00 0E 00 00 04 01 12 0A 10 02 00 0C 00 01 84 00 00 00";
// Write INT 1234 to DB1.DBW4 (fact sheet 8.5).
const char* kWriteInt =
    "03 00 00 25 02 F0 80 32 01 00 00 00 04 00 0E 00 06 05 01 12 0A 10 05 00 01 00 01 84 00 00 20 "
    "00 05 00 10 04 D2";

// A blocking-style client on its own io_context; every wait is bounded.
class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  void send(const Bytes& b) { asio::write(socket_, asio::buffer(b)); }
  void send(const std::string& hex) { send(h(hex)); }
  // One TPKT frame, or nullopt on close/timeout.
  std::optional<Bytes> frame(std::chrono::milliseconds timeout = 5s) {
    auto head = read_n(4, timeout);
    if (!head) return std::nullopt;
    const std::size_t len = static_cast<std::size_t>(((*head)[2] << 8) | (*head)[3]);
    if (len < 4) return std::nullopt;
    auto body = read_n(len - 4, timeout);
    if (!body) return std::nullopt;
    head->insert(head->end(), body->begin(), body->end());
    return head;
  }
  // True when the server closed the connection (EOF or reset) within the timeout.
  bool closed(std::chrono::milliseconds timeout = 5s) {
    Bytes one(1);
    bool done = false;
    asio::error_code err;
    asio::async_read(socket_, asio::buffer(one), [&](const asio::error_code& ec, std::size_t) {
      done = true;
      err = ec;
    });
    run(timeout, done);
    return done && err;
  }
  bool connect_iso() {
    send(kCr);
    auto cc = frame();
    return cc && cc->size() == 22 && (*cc)[5] == 0xD0;
  }
  std::size_t available() { return socket_.available(); }

 private:
  std::optional<Bytes> read_n(std::size_t n, std::chrono::milliseconds timeout) {
    Bytes b(n);
    bool done = false;
    asio::error_code err;
    asio::async_read(socket_, asio::buffer(b), [&](const asio::error_code& ec, std::size_t) {
      done = true;
      err = ec;
    });
    run(timeout, done);
    if (!done || err) return std::nullopt;
    return b;
  }
  void run(std::chrono::milliseconds timeout, bool& done) {
    io_.restart();
    io_.run_for(timeout);
    if (!done) {
      asio::error_code ec;
      socket_.cancel(ec);
      io_.restart();
      io_.run();
    }
  }
  asio::io_context io_;
  tcp::socket socket_;
};

class TcpServer : public ::testing::Test {
 protected:
  TcpServer() {
    memory_.add_area(kDb1, 64);
    options_.port = 0;
    options_.threads = 2;
  }
  ~TcpServer() override {
    if (server_) server_->stop();
  }
  s7::Server& start() {
    server_ = std::make_unique<s7::Server>(memory_, options_, hooks_);
    auto r = server_->start();
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().what());
    EXPECT_NE(server_->port(), 0);
    return *server_;
  }
  std::uint16_t port() const { return server_->port(); }
  // Polls until `pred` holds (the server updates counters on its own threads).
  template <class Pred>
  bool eventually(Pred pred) {
    for (int i = 0; i < 500; ++i) {
      if (pred()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return pred();
  }

  s7::MemoryStore memory_;
  s7::ServerOptions options_;
  s7::ServerHooks hooks_;
  std::unique_ptr<s7::Server> server_;
};

TEST_F(TcpServer, ServesManyClientsAtOnce) {
  start();
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 24; ++i) {
    clients.push_back(std::make_unique<Client>(port()));
    ASSERT_TRUE(clients.back()->connect_iso());
  }
  EXPECT_TRUE(eventually([&] { return server_->connection_count() == 24; }));
  for (auto& c : clients) {
    c->send(kSetup);
    c->send(kRead12);
  }
  for (auto& c : clients) {
    auto setup = c->frame();
    ASSERT_TRUE(setup);
    EXPECT_EQ(setup->size(), 27u);
    auto read = c->frame();
    ASSERT_TRUE(read);
    EXPECT_EQ(read->size(), 37u);
  }
  EXPECT_EQ(server_->request_count(), 48u);
}

TEST_F(TcpServer, PipelinedJobsInOneSendAreAnsweredInOrder) {
  start();
  Client c(port());
  ASSERT_TRUE(c.connect_iso());
  Bytes three;
  for (std::uint8_t ref = 1; ref <= 3; ++ref) {
    Bytes job = h(kRead12);
    job[12] = ref;
    three.insert(three.end(), job.begin(), job.end());
  }
  c.send(three);
  for (std::uint8_t ref = 1; ref <= 3; ++ref) {
    auto a = c.frame();
    ASSERT_TRUE(a);
    EXPECT_EQ((*a)[12], ref);
  }
}

TEST_F(TcpServer, MalformedInputClosesOnlyThatConnection) {
  start();
  Client good(port());
  ASSERT_TRUE(good.connect_iso());
  Client bad(port());
  ASSERT_TRUE(bad.connect_iso());
  bad.send("03 00 00 0C 02 F0 80 33 33 33 33 33");
  EXPECT_TRUE(bad.closed());
  good.send(kRead12);
  auto a = good.frame();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->size(), 37u);
}

TEST_F(TcpServer, ConnectionsAboveMaximumAreClosedAtOnce) {
  options_.max_connections = 2;
  start();
  Client a(port()), b(port());
  ASSERT_TRUE(a.connect_iso());
  ASSERT_TRUE(b.connect_iso());
  Client c(port());
  EXPECT_TRUE(c.closed());
  EXPECT_EQ(server_->connection_count(), 2u);
}

TEST_F(TcpServer, RefuseConnectionsFault) {
  start();
  server_->control().refuse_connections = true;
  Client refused(port());
  EXPECT_TRUE(refused.closed());
  server_->control().refuse_connections = false;
  Client ok(port());
  EXPECT_TRUE(ok.connect_iso());
}

TEST_F(TcpServer, DropConnectionsClosesClientsButKeepsListening) {
  start();
  Client a(port()), b(port());
  ASSERT_TRUE(a.connect_iso());
  ASSERT_TRUE(b.connect_iso());
  server_->drop_connections();
  EXPECT_TRUE(a.closed());
  EXPECT_TRUE(b.closed());
  EXPECT_TRUE(eventually([&] { return server_->connection_count() == 0; }));
  Client c(port());
  EXPECT_TRUE(c.connect_iso());
}

TEST_F(TcpServer, DelayedAnswerDoesNotBlockOtherConnections) {
  start();
  Client slow(port()), fast(port());
  ASSERT_TRUE(slow.connect_iso());
  ASSERT_TRUE(fast.connect_iso());
  server_->control().delay_ms = 3000;
  slow.send(kRead12);
  ASSERT_TRUE(eventually([&] { return server_->request_count() == 1; }));
  server_->control().delay_ms = 0;
  fast.send(kRead12);
  auto quick = fast.frame();
  ASSERT_TRUE(quick);
  // The slow connection's answer is still held back by its timer...
  EXPECT_EQ(slow.available(), 0u);
  // ...and arrives later, intact.
  auto late = slow.frame(10s);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->size(), 37u);
}

TEST_F(TcpServer, EnforcedRackSlotClosesWrongTsapWithoutConnectConfirm) {
  options_.enforce_rack = 0;
  options_.enforce_slot = 2;
  start();
  Client wrong(port());
  wrong.send(kCr);  // slot 1
  EXPECT_TRUE(wrong.closed());
  Client right(port());
  right.send("03 00 00 16 11 E0 00 00 00 01 00 C0 01 0A C1 02 01 00 C2 02 01 02");
  auto cc = right.frame();
  ASSERT_TRUE(cc);
  EXPECT_EQ((*cc)[5], 0xD0);
}

TEST_F(TcpServer, IdleConnectionIsClosedAfterTimeout) {
  options_.idle_timeout = 200ms;
  start();
  Client idle(port());
  ASSERT_TRUE(idle.connect_iso());
  EXPECT_TRUE(idle.closed(10s));
  EXPECT_TRUE(eventually([&] { return server_->connection_count() == 0; }));
}

TEST_F(TcpServer, ConnectionsThatNeverFinishTheHandshakeAreClosed) {
  options_.handshake_timeout = 300ms;  // the idle timeout (10 min) would never fire here
  options_.max_connections = 3;
  start();
  Client silent(port());  // TCP only
  Client no_setup(port());
  ASSERT_TRUE(no_setup.connect_iso());  // COTP, but no setup communication
  Client healthy(port());
  ASSERT_TRUE(healthy.connect_iso());
  healthy.send(kSetup);
  ASSERT_TRUE(healthy.frame());
  EXPECT_TRUE(silent.closed(10s));
  EXPECT_TRUE(no_setup.closed(10s));
  // The slots are free again, and the client that finished its handshake is still served.
  EXPECT_TRUE(eventually([&] { return server_->connection_count() == 1; }));
  healthy.send(kRead12);
  auto answer = healthy.frame();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->size(), 37u);
}

TEST_F(TcpServer, AByteAtATimeHandshakeIsClosedToo) {
  options_.handshake_timeout = 300ms;
  start();
  Client slow(port());
  // The deadline is for the whole handshake: traffic does not extend it.
  const Bytes cr = h(kCr);
  bool closed = false;
  for (std::size_t i = 0; i < cr.size() && !closed; ++i) {
    slow.send(Bytes{cr[i]});
    closed = slow.closed(100ms);
  }
  EXPECT_TRUE(closed || slow.closed(10s));
  EXPECT_TRUE(eventually([&] { return server_->connection_count() == 0; }));
}

TEST_F(TcpServer, StateChangeHookNamesTheClientThatStoppedTheCpu) {
  std::mutex mu;
  std::vector<std::pair<std::string, s7::CpuState>> changes;
  hooks_.on_state_change = [&](const std::string& peer, s7::CpuState st) {
    std::lock_guard lock(mu);
    changes.emplace_back(peer, st);
  };
  start();
  Client c(port());
  ASSERT_TRUE(c.connect_iso());
  c.send(kSetup);
  ASSERT_TRUE(c.frame());
  c.send(
      "03 00 00 21 02 F0 80 32 01 00 00 00 0B 00 10 00 00 29 00 00 00 00 00 09 50 5F 50 52 4F 47 "
      "52 41 4D");
  ASSERT_TRUE(c.frame());
  c.send(
      "03 00 00 21 02 F0 80 32 01 00 00 00 0B 00 10 00 00 29 00 00 00 00 00 09 50 5F 50 52 4F 47 "
      "52 41 4D");  // stop again: no change, no second call
  ASSERT_TRUE(c.frame());
  std::lock_guard lock(mu);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].first.rfind("127.0.0.1:", 0), 0u);
  EXPECT_EQ(changes[0].second, s7::CpuState::stop);
}

TEST_F(TcpServer, WriteHookSeesPeerAndStoredValue) {
  std::mutex mu;
  std::vector<s7::WriteEvent> events;
  hooks_.on_write = [&](const s7::WriteEvent& e) {
    std::lock_guard lock(mu);
    events.push_back(e);
  };
  start();
  Client c(port());
  ASSERT_TRUE(c.connect_iso());
  c.send(kWriteInt);
  auto a = c.frame();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->back(), 0xFF);
  Bytes v(2);
  ASSERT_TRUE(memory_.peek(kDb1, 4, v));
  EXPECT_EQ(v, h("04 D2"));
  std::lock_guard lock(mu);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].peer.rfind("127.0.0.1:", 0), 0u);
  EXPECT_EQ(events[0].data, h("04 D2"));
}

TEST_F(TcpServer, StopClosesClientsAndFreesThePort) {
  start();
  const auto p = port();
  Client c(p);
  ASSERT_TRUE(c.connect_iso());
  server_->stop();
  EXPECT_TRUE(c.closed());
  asio::io_context io;
  tcp::socket s(io);
  asio::error_code ec;
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), p), ec);
  EXPECT_TRUE(ec);  // nobody listens any more
}

TEST_F(TcpServer, StartFailsOnUnusableAddress) {
  options_.host = "203.0.113.1";  // TEST-NET-3: not a local address
  s7::Server server(memory_, options_);
  auto r = server.start();
  EXPECT_FALSE(r.ok());
}

}  // namespace
