// Asio TCP server: accepts clients and moves bytes between sockets and ServerSessions.
#include "s7/server.hpp"

#include "platform/net.hpp"

#include <algorithm>
#include <array>
#include <asio.hpp>
#include <thread>
#include <unordered_map>

namespace s7 {

namespace {

using asio::ip::tcp;

std::string endpoint_text(const tcp::endpoint& ep) {
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

struct Server::Impl {
  class Connection;

  Impl(MemoryStore& m, ServerOptions o, ServerHooks h)
      : memory(m), options(std::move(o)), hooks(std::move(h)) {}

  void accept();
  void add(const std::shared_ptr<Connection>& c);
  void remove(Connection* c);
  void close_all();
  void log(const std::string& line) const {
    if (hooks.on_log) hooks.on_log(line);
  }

  MemoryStore& memory;
  ServerOptions options;
  ServerHooks hooks;
  ServerControl control;
  std::atomic<std::uint64_t> requests{0};
  std::uint16_t port = 0;
  bool running = false;

  mutable std::mutex conns_mu;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> conns;

  // Declared last: destroyed first, so pending handlers die before what they point at.
  // The concurrency hint tells Asio when only one thread runs handlers (the default).
  asio::io_context io{static_cast<int>(std::max(1u, options.threads))};
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
};

// One client: read -> session.feed -> (delay) -> write the answers -> read again. Every handler
// runs on the connection's strand; the shared_ptr captured by each handler keeps it alive.
class Server::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Impl& server, tcp::socket socket, std::string peer)
      : server_(server),
        socket_(std::move(socket)),
        idle_(socket_.get_executor()),
        handshake_(socket_.get_executor()),
        delay_(socket_.get_executor()),
        session_(server.memory, server.options, server.control, server.hooks, std::move(peer)) {}

  void start() {
    asio::error_code ec;
    socket_.set_option(tcp::no_delay(true), ec);  // pitfall 13: no Nagle delay on answers
    socket_.non_blocking(true, ec);               // for the direct write in write()
    last_activity_ = asio::steady_timer::clock_type::now();
    arm_idle();
    arm_handshake();
    read();
  }

  // Closes the socket; safe to call more than once, only on the strand.
  void close() {
    if (closed_) return;
    closed_ = true;
    asio::error_code ec;
    idle_.cancel();
    handshake_.cancel();
    delay_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    server_.remove(this);
    server_.log(session_.peer() + " closed");
  }

  asio::any_io_executor executor() { return socket_.get_executor(); }

 private:
  // The idle timer is armed once and not re-armed per request (a re-arm cancels the pending
  // wait, which costs a handler run and a timerfd update per request): each read only stamps
  // `last_activity_`; when the timer fires early because of activity it waits for the rest.
  void arm_idle() {
    const auto timeout = server_.options.idle_timeout;
    if (timeout.count() <= 0) return;
    idle_.expires_at(last_activity_ + timeout);
    idle_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
      if (ec || self->closed_) return;
      const auto now = asio::steady_timer::clock_type::now();
      if (now < self->last_activity_ + self->server_.options.idle_timeout) {
        self->arm_idle();  // there was traffic meanwhile: wait for the rest of the period
        return;
      }
      self->server_.log(self->session_.peer() + " idle timeout");
      self->close();
    });
  }

  void arm_handshake() {
    const auto timeout = server_.options.handshake_timeout;
    if (timeout.count() <= 0) return;
    handshake_.expires_after(timeout);
    handshake_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
      if (ec || self->closed_ || self->session_.set_up()) return;
      self->server_.log(self->session_.peer() + " did not finish the handshake (COTP connect " +
                        "and setup) in time: closed");
      self->close();
    });
  }

  void read() {
    socket_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
                              if (ec || self->closed_) {
                                self->close();
                                return;
                              }
                              self->on_read(n);
                            });
  }

  void on_read(std::size_t n) {
    if (server_.options.idle_timeout.count() > 0)
      last_activity_ = asio::steady_timer::clock_type::now();
    out_.clear();
    const std::uint64_t before = session_.answered();
    const bool keep = session_.feed(ByteView(buffer_.data(), n), out_);
    server_.requests.fetch_add(session_.answered() - before, std::memory_order_relaxed);
    if (out_.empty()) {
      if (keep) {
        read();
      } else {
        close();
      }
      return;
    }
    const int delay_ms = server_.control.delay_ms.load();
    if (delay_ms > 0) {
      // Delay fault: a timer, so other connections keep being served meanwhile.
      delay_.expires_after(std::chrono::milliseconds(delay_ms));
      delay_.async_wait([self = shared_from_this(), keep](const asio::error_code& ec) {
        if (ec || self->closed_) return;
        self->write(keep);
      });
      return;
    }
    write(keep);
  }

  // All answers of one read go out in one write (pitfall 13: never split a frame). The write is
  // tried at once on the non-blocking socket (an answer almost always fits the send buffer), so
  // the next read starts in the same handler: no completion handler and no extra reactor turn
  // per request. Only what did not fit goes through async_write.
  void write(bool keep) {
    std::size_t sent = 0;
    asio::error_code ec;
    if (socket_.non_blocking()) {
      while (sent < out_.size()) {
        const std::size_t n =
            socket_.write_some(asio::buffer(out_.data() + sent, out_.size() - sent), ec);
        if (ec) break;
        sent += n;
      }
      if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
        close();
        return;
      }
    }
    if (sent == out_.size()) {
      if (keep && !closed_) {
        read();
      } else {
        close();
      }
      return;
    }
    asio::async_write(socket_, asio::buffer(out_.data() + sent, out_.size() - sent),
                      [self = shared_from_this(), keep](const asio::error_code& wec, std::size_t) {
                        if (wec || !keep || self->closed_) {
                          self->close();
                          return;
                        }
                        self->read();
                      });
  }

  Impl& server_;
  tcp::socket socket_;
  asio::steady_timer idle_;
  asio::steady_timer handshake_;
  asio::steady_timer delay_;
  ServerSession session_;
  std::array<std::uint8_t, 2048> buffer_{};
  Bytes out_;
  asio::steady_timer::time_point last_activity_{};
  bool closed_ = false;
};

void Server::Impl::accept() {
  // A strand per connection only when several threads run handlers: with one thread every
  // handler is already serialised, and a strand would add two mutex round trips per request.
  auto executor = options.threads > 1 ? asio::any_io_executor(asio::make_strand(io))
                                      : asio::any_io_executor(io.get_executor());
  acceptor->async_accept(executor, [this](const asio::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor || !acceptor->is_open()) return;
    if (!ec) {
      asio::error_code peer_ec;
      const auto remote = socket.remote_endpoint(peer_ec);
      const std::string peer = peer_ec ? std::string("?") : endpoint_text(remote);
      std::size_t count = 0;
      {
        std::lock_guard lock(conns_mu);
        count = conns.size();
      }
      if (control.refuse_connections.load()) {
        log(peer + " refused (refuse_connections)");
        socket.close(peer_ec);
      } else if (count >= options.max_connections) {
        log(peer + " refused (max_connections " + std::to_string(options.max_connections) + ")");
        socket.close(peer_ec);
      } else {
        log(peer + " accepted");
        auto c = std::make_shared<Connection>(*this, std::move(socket), peer);
        add(c);
        asio::dispatch(c->executor(), [c] { c->start(); });
      }
    }
    accept();
  });
}

void Server::Impl::add(const std::shared_ptr<Connection>& c) {
  std::lock_guard lock(conns_mu);
  conns.emplace(c.get(), c);
}

void Server::Impl::remove(Connection* c) {
  std::lock_guard lock(conns_mu);
  conns.erase(c);
}

void Server::Impl::close_all() {
  std::vector<std::shared_ptr<Connection>> all;
  {
    std::lock_guard lock(conns_mu);
    for (auto& [ptr, weak] : conns)
      if (auto c = weak.lock()) all.push_back(std::move(c));
  }
  for (auto& c : all) asio::post(c->executor(), [c] { c->close(); });
}

Server::Server(MemoryStore& memory, ServerOptions options, ServerHooks hooks)
    : impl_(std::make_unique<Impl>(memory, std::move(options), std::move(hooks))) {}

Server::~Server() {
  stop();
}

Result<void> Server::start() {
  Impl& s = *impl_;
  if (s.running) return Error(Errc::invalid_argument, "server already started");
  const std::string where = s.options.host + ":" + std::to_string(s.options.port);
  asio::error_code ec;
  tcp::resolver resolver(s.io);
  auto results = resolver.resolve(s.options.host, std::to_string(s.options.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty())
    return Error(Errc::host_not_found, "cannot listen on " + where + ": " + ec.message());
  const tcp::endpoint endpoint = results.begin()->endpoint();
  tcp::acceptor acceptor(s.io);
  if (acceptor.open(endpoint.protocol(), ec))
    return Error(Errc::network_error, "cannot listen on " + where + ": " + ec.message());
  // Rebind at once after a restart, but never share the port with a second server (on Windows
  // SO_REUSEADDR would allow that: platform::prepare_listener picks the right option).
  platform::prepare_listener(static_cast<platform::socket_handle>(acceptor.native_handle()));
  if (acceptor.bind(endpoint, ec) ||
      acceptor.listen(asio::socket_base::max_listen_connections, ec)) {
    // Windows answers a port held exclusively by another program with "access denied".
    const bool taken = ec == asio::error::address_in_use || ec == asio::error::access_denied;
    return Error(
        Errc::network_error,
        "cannot listen on " + where + ": " + ec.message() +
            (taken ? " (is another program, or another fake PLC, listening on this port?)" : ""));
  }
  s.port = acceptor.local_endpoint(ec).port();
  s.acceptor.emplace(std::move(acceptor));
  s.io.restart();
  s.work.emplace(s.io.get_executor());
  s.running = true;
  s.accept();
  const unsigned n = std::max(1u, s.options.threads);
  for (unsigned i = 0; i < n; ++i) s.threads.emplace_back([&s] { s.io.run(); });
  s.log("listening on " + s.options.host + ":" + std::to_string(s.port));
  return {};
}

void Server::stop() {
  Impl& s = *impl_;
  if (!s.running) return;
  s.running = false;
  s.work.reset();
  s.io.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  // No thread runs handlers now: close the listener and every client directly, then let the
  // cancelled operations finish so their handlers release the connections.
  asio::error_code ec;
  if (s.acceptor) s.acceptor->close(ec);
  std::vector<std::shared_ptr<Impl::Connection>> all;
  {
    std::lock_guard lock(s.conns_mu);
    for (auto& [ptr, weak] : s.conns)
      if (auto c = weak.lock()) all.push_back(std::move(c));
  }
  for (auto& c : all) c->close();
  all.clear();
  s.io.restart();
  s.io.poll();
  s.acceptor.reset();
  std::lock_guard lock(s.conns_mu);
  s.conns.clear();
}

std::uint16_t Server::port() const {
  return impl_->port;
}

ServerControl& Server::control() {
  return impl_->control;
}

void Server::drop_connections() {
  impl_->close_all();
}

std::size_t Server::connection_count() const {
  std::lock_guard lock(impl_->conns_mu);
  return impl_->conns.size();
}

std::uint64_t Server::request_count() const {
  return impl_->requests.load();
}

}  // namespace s7
