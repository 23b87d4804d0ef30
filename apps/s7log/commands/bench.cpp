// `s7log bench`: runs one read workload (seq, multi, large) against an S7 server for a while and
// prints one JSON line with throughput, latency percentiles and whether every byte read was right.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "../commands.hpp"
#include "connection_options.hpp"
#include "platform/net.hpp"
#include "s7/address.hpp"
#include "s7/client.hpp"
#include "s7/frame.hpp"
#include "s7/pdu.hpp"
#include "util/duration.hpp"

namespace app {
namespace {

using Clock = std::chrono::steady_clock;

struct BenchArgs {
  ConnectionArgs conn;
  std::string test = "seq";
  std::string duration = "5s";
  int size = 4096;
  int connections = 1;
  int pdu = 960;
  int parallel = 8;
  bool no_verify = false;
  bool raw = false;
};

// The workloads. Every benchmark server holds byte i = i mod 256 in DB1 and DB2 (bench/
// fakeplc.toml, init = "pattern"; the node scripts fill Snap7's server the same way), so each
// answer can be checked byte by byte.
struct Workload {
  std::size_t large = 0;  // > 0: one read_bytes() of this many bytes of DB2 (may exceed 65535)
  std::vector<s7::ItemSpec> items;
  std::vector<std::uint32_t> offsets;  // byte offset of each item, for the check
  std::size_t bytes = 0;               // payload bytes per call
};

// BYTE[n] item of a DB (fact sheet §4.3: S7ANY, transport BYTE, address = byte * 8).
s7::ItemSpec db_bytes(std::uint16_t db, std::uint32_t offset, std::uint16_t count) {
  return s7::byte_range_spec(s7::Area::db, db, offset, count);
}

Workload make_workload(const std::string& test, int size) {
  Workload w;
  if (test == "seq") {  // DB1.DBB0..11: a 31-byte request, a 37-byte answer on the wire
    w.items.push_back(db_bytes(1, 0, 12));
    w.offsets.push_back(0);
  } else if (test == "multi") {  // 10 items of 4 bytes at DB2 offsets 0, 100, ..., 900
    for (std::uint32_t i = 0; i < 10; ++i) {
      w.items.push_back(db_bytes(2, i * 100, 4));
      w.offsets.push_back(i * 100);
    }
  } else {  // large: `size` bytes of DB2 from 0 (split to the PDU, pipelined by the client)
    w.large = static_cast<std::size_t>(size);
    w.bytes = w.large;
    return w;
  }
  for (const auto& it : w.items) w.bytes += it.count;
  return w;
}

bool pattern_ok(const s7::Bytes& data, std::uint32_t offset, std::size_t expected_size) {
  if (data.size() != expected_size) return false;
  for (std::size_t i = 0; i < data.size(); ++i)
    if (data[i] != static_cast<std::uint8_t>(offset + i)) return false;
  return true;
}

// Latency of one read in ns, capped to fit the 32-bit samples.
std::uint32_t latency_ns(Clock::duration d) {
  return static_cast<std::uint32_t>(std::min<std::int64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(d).count(), UINT32_MAX));
}

struct WorkerResult {
  std::vector<std::uint32_t> latencies_ns;
  std::uint64_t errors = 0;
  std::uint64_t bad_data = 0;
  std::string first_error;
  std::uint16_t pdu = 0;
  std::uint16_t parallel = 0;
};

// One connection: connect, wait for the start signal, read until the deadline.
void run_worker(const s7::ClientOptions& options, const Workload& w, bool verify,
                const std::atomic<bool>& go, const std::atomic<bool>& stop, WorkerResult& out,
                std::atomic<int>& ready) {
  s7::Client client(options);
  auto c = client.connect();
  if (!c) {
    out.errors = 1;
    out.first_error = c.error().what();
    ready.fetch_add(1);
    return;
  }
  out.pdu = client.pdu_length();
  out.parallel = client.max_parallel();
  out.latencies_ns.reserve(1 << 16);
  ready.fetch_add(1);
  while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
  while (!stop.load(std::memory_order_relaxed)) {
    auto t0 = Clock::now();
    std::vector<s7::ItemResult> results;
    if (w.large > 0)
      results.push_back(client.read_bytes(s7::Area::db, 2, 0, w.large));
    else
      results = client.read(w.items);
    auto t1 = Clock::now();
    bool failed = false;
    for (std::size_t i = 0; i < results.size(); ++i) {
      const std::uint32_t offset = w.large > 0 ? 0 : w.offsets[i];
      const std::size_t expected = w.large > 0 ? w.large : w.items[i].count;
      if (!results[i]) {
        failed = true;
        if (out.first_error.empty()) out.first_error = results[i].error().what();
      } else if (verify && !pattern_ok(*results[i], offset, expected)) {
        ++out.bad_data;
      }
    }
    if (failed) {
      ++out.errors;
      if (!client.connected()) break;  // a dropped connection ends this worker
      continue;
    }
    out.latencies_ns.push_back(latency_ns(t1 - t0));
  }
  client.disconnect();
}

double percentile_us(const std::vector<std::uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto idx = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size()))) - 1;
  idx = std::min(idx, sorted.size() - 1);
  return std::round(sorted[idx] / 100.0) / 10.0;  // 0.1 us resolution
}

// --test idle: opens `connections` connections (TCP, CR/CC, setup) from one thread, holds them
// for the duration without a request (for the server's memory per idle connection), then closes.
int run_idle(const s7::ClientOptions& options, int connections, std::chrono::nanoseconds hold) {
  std::vector<s7::Client> clients;
  clients.reserve(static_cast<std::size_t>(connections));
  std::string first_error;
  for (int i = 0; i < connections; ++i) {
    s7::Client c(options);
    if (auto r = c.connect(); !r) {
      first_error = r.error().what();
      break;
    }
    clients.push_back(std::move(c));
  }
  nlohmann::ordered_json j;
  j["test"] = "idle";
  j["connections"] = connections;
  j["established"] = clients.size();
  if (!first_error.empty()) j["first_error"] = first_error;
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
  std::this_thread::sleep_for(hold);
  for (auto& c : clients) c.disconnect();
  return first_error.empty() ? kExitOk : kExitPlc;
}

// ---------------------------------------------------------------------------------------------
// --raw: one thread drives every connection over non-blocking sockets and poll and sends the
// same pre-encoded request frame again as soon as an answer is complete: a load generator that
// measures the server (the "raw connections") instead of the client's threads, which
// otherwise cost a thread wake-up per read on this side. seq and multi only. With one connection
// it skips poll and waits in recv: one send and one recv per read on pre-encoded frames, the
// least any client can do, so its rate is the bound a client can reach against that server.

struct RawConn {
  platform::socket_handle fd = platform::kInvalidSocket;
  s7::FrameReader reader;
  Clock::time_point sent{};
};

// Waiting read of the next frame on a fresh connection (handshake only; the request timeout
// bounds each wait).
s7::Result<s7::Frame> raw_next_frame(platform::socket_handle fd, s7::FrameReader& reader) {
  std::array<std::uint8_t, 4096> buf{};
  for (;;) {
    auto f = reader.next();
    if (!f) return f.error();
    if (*f) return std::move(**f);
    const auto r = platform::recv_some(fd, buf.data(), buf.size(), true);
    if (r.status == platform::Io::closed)
      return s7::Error(s7::Errc::connection_closed, "the server closed the connection");
    if (r.status != platform::Io::done)
      return s7::Error(s7::Errc::request_timeout,
                       "no answer" + (r.error ? ": " + r.error.message() : std::string()));
    reader.feed(s7::ByteView(buf.data(), r.bytes));
  }
}

bool send_all(platform::socket_handle fd, const s7::Bytes& b) {
  std::size_t off = 0;
  while (off < b.size()) {
    const auto r = platform::send_some(fd, b.data() + off, b.size() - off);
    if (r.status == platform::Io::would_block) {
      platform::PollItem item{fd, platform::kWritable, 0};
      std::error_code ec;
      if (platform::poll_sockets(&item, 1, std::chrono::seconds(5), ec) <= 0) return false;
      continue;
    }
    if (r.status != platform::Io::done) return false;
    off += r.bytes;
  }
  return true;
}

// TCP connect, CR/CC and setup communication by hand; returns the socket, prepared for waiting
// receives of at most the request timeout.
s7::Result<platform::socket_handle> raw_connect(const s7::ClientOptions& o) {
  const std::string where = o.describe();
  std::error_code ec;
  const auto fd = platform::connect_tcp(o.host, o.port, o.connect_timeout, ec);
  if (fd == platform::kInvalidSocket)
    return s7::Error(s7::Errc::network_error, where + ": connect failed: " + ec.message());
  platform::prepare_stream(fd, o.request_timeout);
  auto fail = [&](const std::string& why) {
    platform::close_socket(fd);
    return s7::Error(s7::Errc::network_error, where + ": " + why);
  };
  s7::FrameReader reader;
  if (!send_all(fd, s7::encode_frame(
                        s7::make_connect_request(o.local_tsap_value(), o.remote_tsap_value()))))
    return fail("sending the COTP connection request failed");
  auto cc = raw_next_frame(fd, reader);
  if (!cc || !std::holds_alternative<s7::CotpConnect>(*cc))
    return fail("no COTP connection confirm (wrong rack/slot?)");
  s7::SetupCommunication setup{o.max_parallel, o.max_parallel, o.pdu_length};
  if (!send_all(fd, s7::encode_data_frame(s7::encode_pdu(s7::make_setup_request(1, setup)))))
    return fail("sending setup communication failed");
  auto ack = raw_next_frame(fd, reader);
  if (!ack || !std::holds_alternative<s7::CotpData>(*ack))
    return fail("no answer to setup communication");
  auto pdu = s7::decode_pdu(std::get<s7::CotpData>(*ack).payload);
  if (!pdu || !std::holds_alternative<s7::SetupCommunication>(pdu->body))
    return fail("the answer to setup communication is not one");
  return fd;
}

// Checks one read answer frame: every item 0xFF with the bench pattern at its offset.
bool raw_answer_ok(const s7::Frame& f, const Workload& w, bool verify) {
  if (!std::holds_alternative<s7::CotpData>(f)) return false;
  auto pdu = s7::decode_pdu(std::get<s7::CotpData>(f).payload);
  if (!pdu || pdu->header.error_class != 0) return false;
  const auto* r = std::get_if<s7::ReadResponse>(&pdu->body);
  if (!r || r->items.size() != w.items.size()) return false;
  for (std::size_t i = 0; i < r->items.size(); ++i) {
    if (r->items[i].return_code != s7::kItemSuccess) return false;
    if (verify && !pattern_ok(r->items[i].data, w.offsets[i], w.items[i].count)) return false;
  }
  return true;
}

WorkerResult run_raw(const s7::ClientOptions& options, const Workload& w, int connections,
                     bool verify, std::chrono::nanoseconds duration, double& elapsed) {
  WorkerResult out;
  const s7::Bytes request =
      s7::encode_data_frame(s7::encode_pdu(s7::make_read_request(2, w.items)));
  std::vector<RawConn> conns(static_cast<std::size_t>(connections));
  for (auto& c : conns) {
    auto fd = raw_connect(options);
    if (!fd) {
      out.errors = 1;
      out.first_error = fd.error().what();
      break;
    }
    c.fd = *fd;  // the request timeout bounds the waiting recv of one connection
  }
  std::size_t open = 0;
  const auto start = Clock::now();
  const auto deadline = start + duration;
  if (out.errors == 0) {
    out.latencies_ns.reserve(1 << 20);
    for (auto& c : conns) {
      c.sent = Clock::now();
      if (send_all(c.fd, request)) ++open;
    }
  }
  std::vector<platform::PollItem> items;
  std::vector<std::size_t> owner;  // items[k] watches conns[owner[k]]
  std::array<std::uint8_t, 8192> buf{};
  auto finish = [&](RawConn& c) {
    platform::close_socket(c.fd);
    c.fd = platform::kInvalidSocket;
    --open;
  };
  auto drop = [&](RawConn& c, const std::string& why) {
    finish(c);
    ++out.errors;
    if (out.first_error.empty()) out.first_error = why;
  };
  const bool waiting = conns.size() == 1;
  while (open > 0) {
    items.clear();
    owner.clear();
    for (std::size_t i = 0; i < conns.size(); ++i) {
      if (conns[i].fd == platform::kInvalidSocket) continue;
      items.push_back({conns[i].fd, platform::kReadable, 0});
      owner.push_back(i);
    }
    int n = 1;  // one connection: its waiting recv is the wait
    if (!waiting) {
      std::error_code ec;
      n = platform::poll_sockets(items.data(), items.size(), std::chrono::milliseconds(100), ec);
      if (n < 0) break;
    }
    const bool over = Clock::now() >= deadline;
    for (std::size_t k = 0; k < items.size() && n > 0; ++k) {
      if (!waiting && items[k].got == 0) continue;
      RawConn& c = conns[owner[k]];
      const auto got = platform::recv_some(c.fd, buf.data(), buf.size(), waiting);
      if (got.status == platform::Io::would_block) {
        if (waiting) drop(c, "no answer within the request timeout");
        continue;
      }
      if (got.status != platform::Io::done) {
        drop(c, "the server closed a connection");
        continue;
      }
      c.reader.feed(s7::ByteView(buf.data(), got.bytes));
      for (;;) {
        auto f = c.reader.next();
        if (!f) {
          drop(c, f.error().what());
          break;
        }
        if (!*f) break;
        const auto now = Clock::now();
        if (!raw_answer_ok(**f, w, verify)) {
          ++out.bad_data;
        } else {
          out.latencies_ns.push_back(latency_ns(now - c.sent));
        }
        if (over) {  // answered: this connection is done
          finish(c);
          break;
        }
        c.sent = now;
        if (!send_all(c.fd, request)) {
          drop(c, "sending a request failed");
          break;
        }
      }
    }
    if (n == 0 && over) break;  // answers missing after the deadline: stop waiting
  }
  elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& c : conns) platform::close_socket(c.fd);
  out.pdu = options.pdu_length;
  out.parallel = options.max_parallel;
  return out;
}

int run_bench(const BenchArgs& a) {
  if (a.test != "seq" && a.test != "multi" && a.test != "large" && a.test != "idle") {
    print_error("--test " + a.test + ": expected seq, multi, large or idle");
    return kExitUsage;
  }
  auto duration = util::parse_duration(a.duration);
  if (!duration || duration->count() <= 0) {
    print_error("--duration " + a.duration + ": expected a positive duration (\"5\", \"500ms\")");
    return kExitUsage;
  }
  auto options = make_client_options(a.conn);
  if (!options) {
    print_error(options.error().what());
    return kExitUsage;
  }
  options->pdu_length = static_cast<std::uint16_t>(a.pdu);
  options->max_parallel = static_cast<std::uint16_t>(a.parallel);
  if (a.test == "idle") return run_idle(*options, a.connections, *duration);
  Workload w = make_workload(a.test, a.size);

  std::vector<WorkerResult> results;
  double elapsed = 0;
  if (a.raw) {
    if (w.large > 0) {
      print_error("--raw: only for --test seq and multi");
      return kExitUsage;
    }
    results.push_back(run_raw(*options, w, a.connections, !a.no_verify, *duration, elapsed));
  } else {
    std::atomic<bool> go{false};
    std::atomic<bool> stop{false};
    std::atomic<int> ready{0};
    results.resize(static_cast<std::size_t>(a.connections));
    std::vector<std::thread> threads;
    threads.reserve(results.size());
    for (auto& r : results)
      threads.emplace_back(run_worker, std::cref(*options), std::cref(w), !a.no_verify,
                           std::cref(go), std::cref(stop), std::ref(r), std::ref(ready));
    while (ready.load() < a.connections) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto start = Clock::now();
    go.store(true, std::memory_order_release);
    std::this_thread::sleep_for(*duration);
    stop.store(true);
    for (auto& t : threads) t.join();
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }

  std::vector<std::uint32_t> all;
  std::uint64_t errors = 0, bad = 0;
  std::string first_error;
  std::uint16_t pdu = 0, parallel = 0;
  for (auto& r : results) {
    all.insert(all.end(), r.latencies_ns.begin(), r.latencies_ns.end());
    errors += r.errors;
    bad += r.bad_data;
    if (first_error.empty()) first_error = r.first_error;
    if (r.pdu) pdu = r.pdu, parallel = r.parallel;
  }
  std::sort(all.begin(), all.end());
  double reads_per_s = static_cast<double>(all.size()) / elapsed;
  nlohmann::ordered_json j;
  j["test"] = a.test;
  j["connections"] = a.connections;
  if (a.raw) j["raw"] = true;
  j["bytes_per_read"] = w.bytes;
  j["items_per_read"] = w.large > 0 ? 1 : w.items.size();
  j["duration_s"] = std::round(elapsed * 1000) / 1000;
  j["reads"] = all.size();
  j["reads_per_s"] = std::round(reads_per_s * 10) / 10;
  j["mb_per_s"] = std::round(reads_per_s * static_cast<double>(w.bytes) / 1e4) / 100;
  j["p50_us"] = percentile_us(all, 0.50);
  j["p90_us"] = percentile_us(all, 0.90);
  j["p99_us"] = percentile_us(all, 0.99);
  j["max_us"] = percentile_us(all, 1.0);
  j["pdu_length"] = pdu;
  j["max_parallel"] = parallel;
  j["errors"] = errors;
  j["bad_data"] = bad;
  j["verified"] = !a.no_verify && bad == 0 && errors == 0 && !all.empty();
  if (!first_error.empty()) j["first_error"] = first_error;
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
  if (!first_error.empty()) print_error(first_error);
  return (errors == 0 && bad == 0 && !all.empty()) ? kExitOk : kExitPlc;
}

}  // namespace

void register_bench(CLI::App& app, Runner& selected) {
  auto args = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand(
      "bench", "Measure reads per second and latency of one workload against an S7 server");
  add_connection_options(*cmd, args->conn);
  cmd->add_option(
         "--test", args->test,
         "seq: DB1.DBB0..11 in a loop; multi: 10 x 4 bytes at DB2 offsets 0..900 in one "
         "call; large: --size bytes of DB2; idle: hold --connections open without requests")
      ->capture_default_str();
  cmd->add_option("--duration", args->duration, "How long to measure (\"5\", \"500ms\", \"1min\")")
      ->capture_default_str();
  cmd->add_option("--size", args->size, "Bytes per read for --test large (1..65536)")
      ->capture_default_str()
      ->check(whole_number(1, 65536));
  cmd->add_option("--connections", args->connections,
                  "Client connections, one thread each (totals and percentiles over all; "
                  "1..4096)")
      ->capture_default_str()
      ->check(whole_number(1, 4096));
  cmd->add_option("--pdu", args->pdu, "PDU length to ask for in setup communication (240..65535)")
      ->capture_default_str()
      ->check(whole_number(240, 65535));
  cmd->add_option("--parallel", args->parallel, "Parallel jobs (AmQ) to ask for (1..65535)")
      ->capture_default_str()
      ->check(whole_number(1, 65535));
  cmd->add_flag("--raw", args->raw,
                "Load generator: one thread drives all --connections with pre-encoded request "
                "frames over poll (measures the server, not this side's threads; seq, multi)");
  cmd->add_flag("--no-verify", args->no_verify,
                "Do not check that byte i of an area holds i mod 256 (servers without the "
                "bench pattern)");
  cmd->callback([args, &selected] { selected = [args] { return run_bench(*args); }; });
}

}  // namespace app
