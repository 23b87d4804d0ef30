// S7 client on Asio: connect (TCP, COTP CR/CC, setup communication), pipelined Read/Write Var, SZL.
#include "s7/client.hpp"

#include <algorithm>
#include <array>
#include <asio.hpp>
#include <cstdio>
#include <cstring>
#include <utility>

#include "client_detail.hpp"
#include "platform/net.hpp"

namespace s7 {
namespace {

using Clock = std::chrono::steady_clock;
using asio::ip::tcp;
using detail::get16;
using detail::patch16;
using detail::put16;
using detail::put24;
using detail::spec_bytes;

std::string duration_text(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

bool is_rosctr(std::uint8_t byte, Rosctr r) {
  return byte == static_cast<std::uint8_t>(r);
}

// Appends a 10-byte S7 header (fact sheet §2) for `rosctr` and `ref` with both lengths 0 (the
// caller patches them at offsets 6 and 8); returns where it starts.
std::size_t begin_pdu(Bytes& b, Rosctr rosctr, std::uint16_t ref) {
  const std::size_t at = b.size();
  b.push_back(kProtocolId);
  b.push_back(static_cast<std::uint8_t>(rosctr));
  put16(b, 0);  // reserved
  put16(b, ref);
  put16(b, 0);  // parameter length
  put16(b, 0);  // data length
  return at;
}

// Data transport size and length field for `len` data bytes of a write item, following the
// Snap7 client conventions that every server accepts (fact sheet §4.5): BIT 0x03 length 1,
// INT/DINT 0x05 bits, REAL 0x07 bytes, CHAR/T/C 0x09 bytes, everything else 0x04 bits.
std::pair<DataTransport, std::size_t> write_transport(const ItemSpec& s, std::size_t len) {
  switch (static_cast<ItemTransport>(s.transport)) {
    case ItemTransport::bit:
      return {DataTransport::bit, 1};
    case ItemTransport::integer:
    case ItemTransport::dint:
      return {DataTransport::integer, len * 8};
    case ItemTransport::real:
      return {DataTransport::real, len};
    case ItemTransport::chr:
    case ItemTransport::counter:
    case ItemTransport::timer:
      return {DataTransport::octet_string, len};
    default:
      return {DataTransport::byte_word_dword, len * 8};
  }
}

// A decoded answer header with views of its parameter and data parts (§2).
struct Answer {
  std::uint8_t rosctr = 0;
  std::uint16_t ref = 0;
  std::uint8_t error_class = 0;
  std::uint8_t error_code = 0;
  ByteView param;
  ByteView data;
};

Result<Answer> parse_answer(ByteView p) {
  if (p.size() < kJobHeaderSize || p[0] != kProtocolId) {
    return Error(Errc::malformed_pdu, "answer is not an S7 PDU (protocol id 0x32 expected)");
  }
  Answer a;
  a.rosctr = p[1];
  a.ref = get16(&p[4]);
  const std::size_t plen = get16(&p[6]);
  const std::size_t dlen = get16(&p[8]);
  std::size_t hdr = kJobHeaderSize;
  // Ack / Ack_Data carry error class and code.
  if (is_rosctr(a.rosctr, Rosctr::ack) || is_rosctr(a.rosctr, Rosctr::ack_data)) {
    hdr = kAckHeaderSize;
    if (p.size() < hdr) return Error(Errc::malformed_pdu, "S7 answer header is truncated");
    a.error_class = p[10];
    a.error_code = p[11];
  }
  if (hdr + plen + dlen > p.size()) {
    return Error(Errc::malformed_pdu, "S7 answer is shorter than its header says");
  }
  a.param = p.subspan(hdr, plen);
  a.data = p.subspan(hdr + plen, dlen);
  return a;
}

}  // namespace

struct Client::Impl {
  ClientOptions opt;
  std::string desc;
  asio::io_context io{1};
  tcp::socket sock{io};
  FrameReader reader;
  std::array<std::uint8_t, 16384> rx{};
  Bytes tx;
  Bytes payload;  // last received S7 PDU
  struct InFlight {
    std::uint16_t ref;
    std::size_t index;
  };
  std::vector<InFlight> inflight;
  // Read(): the packing of the last item list (a logger reads the same list every cycle, so it
  // is packed once), and per-item scratch reused across calls.
  struct ReadPlanCache {
    std::vector<ItemSpec> items;
    std::uint16_t pdu = 0;
    std::vector<PlannedRequest> plans;
  } read_plan;
  std::vector<std::optional<Error>> read_errs;
  std::vector<std::size_t> read_remaining;
  bool is_connected = false;
  // The server confirmed fewer items than a Write Var carried: write one item per request.
  bool single_item_writes = false;
  std::chrono::milliseconds rcv_timeout{0};  // SO_RCVTIMEO of the connected socket
  std::uint16_t pdu = 0;
  std::uint16_t amq = 0;
  std::uint16_t ref = 0;

  explicit Impl(ClientOptions o) : opt(std::move(o)), desc(opt.describe()) {}

  std::uint16_t next_ref() {
    if (++ref == 0) ref = 1;
    return ref;
  }

  void close() {
    std::error_code ignored;
    sock.close(ignored);
    is_connected = false;
    reader = FrameReader();
    inflight.clear();
  }

  // Closes the connection and returns the error: after a timeout or a broken stream the
  // connection is never reused, so no stale answer can be taken for a later request.
  Error fail(Errc e, std::string msg, std::uint16_t raw = 0) {
    close();
    return Error(e, std::move(msg), raw);
  }

  // Runs handlers until `done` is set or the deadline passes. On timeout calls `cancel`, runs
  // the cancelled handler (it refers to the caller's stack) and returns false.
  template <class Cancel>
  bool run_until(const bool& done, Clock::time_point deadline, Cancel cancel) {
    io.restart();
    while (!done) {
      if (io.run_one_until(deadline) == 0) {
        if (done) break;
        cancel();
        io.restart();
        while (!done && io.run_one() != 0) {
        }
        return false;
      }
    }
    return true;
  }

  // Waits until the socket is readable or writable (platform::kReadable/kWritable), at most
  // until the deadline. Returns false on timeout; `ec` carries a poll error.
  bool wait_socket(short want, Clock::time_point deadline, std::error_code& ec) {
    const auto left = deadline - Clock::now();
    if (left <= Clock::duration::zero()) return false;
    // Round up: a wait of 0 ms would spin, and the deadline is checked again on wake-up.
    platform::PollItem item{static_cast<platform::socket_handle>(sock.native_handle()), want, 0};
    const int r =
        platform::poll_sockets(&item, 1, std::chrono::ceil<std::chrono::milliseconds>(left), ec);
    return r != 0;  // ready, failed (the next send/recv says why), or a poll error in `ec`
  }

  Error timeout_error(const char* waiting_for) {
    return fail(Errc::request_timeout,
                "no answer from " + desc + " within " + duration_text(opt.request_timeout) + " (" +
                    waiting_for +
                    "); the connection was closed and will not be reused: is the PLC running "
                    "and reachable, or is the timeout too short?");
  }

  Error socket_error(const std::error_code& ec) {
    if (ec == std::errc::connection_reset || ec == std::errc::broken_pipe ||
        ec == std::errc::connection_aborted || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
        ec == asio::error::connection_aborted) {
      return fail(Errc::connection_closed, desc + " closed the connection");
    }
    return fail(Errc::network_error, desc + ": network error: " + ec.message());
  }

  // After the TCP connect the socket is used with plain system calls on its native handle (one
  // request in flight costs send + recv, like a bare ping-pong, instead of an io_context turn
  // with epoll per wait). A waiting receive waits at most `rcv_timeout` (platform::prepare_stream;
  // on Linux a blocking recv bounded by SO_RCVTIMEO); shorter waits (later fragments, the connect
  // deadline) poll first.
  platform::socket_handle handle() {
    return static_cast<platform::socket_handle>(sock.native_handle());
  }

  // Sets the longest wait of one receive (the request timeout).
  void prepare_stream(std::chrono::milliseconds rcv) {
    rcv_timeout = std::max(rcv, std::chrono::milliseconds(1));
    platform::prepare_stream(handle(), rcv_timeout);
  }

  // Writes all of `data` (one send when the socket buffer has room).
  Result<void> send_all(ByteView data, Clock::time_point deadline) {
    std::size_t off = 0;
    while (off < data.size()) {
      const auto r = platform::send_some(handle(), data.data() + off, data.size() - off);
      if (r.status == platform::Io::done) {
        off += r.bytes;
        continue;
      }
      if (r.status == platform::Io::would_block) {
        std::error_code wec;
        if (!wait_socket(platform::kWritable, deadline, wec))
          return timeout_error("sending the request");
        if (wec) return socket_error(wec);
        continue;
      }
      if (r.status == platform::Io::closed)
        return fail(Errc::connection_closed, desc + " closed the connection");
      return socket_error(r.error);
    }
    return {};
  }

  // Next complete COTP frame (DT fragments reassembled by the FrameReader).
  Result<Frame> receive_frame(Clock::time_point deadline) {
    for (;;) {
      auto next = reader.next();
      if (!next)
        return fail(Errc::malformed_frame,
                    desc + " sent something that is not ISO-on-TCP (" + next.error().what() +
                        "): is this an S7 PLC's port (102, or 1102 for s7log fakeplc)?");
      if (*next) return std::move(**next);
      // A waiting receive waits at most rcv_timeout: allowed when that ends no later than the
      // deadline (2 ms of slack); otherwise poll for what is left, then receive.
      const auto left = deadline - Clock::now();
      const bool wait = left + std::chrono::milliseconds(2) >= rcv_timeout;
      const auto r = platform::recv_some(handle(), rx.data(), rx.size(), wait);
      if (r.status == platform::Io::done) {
        reader.feed(ByteView(rx.data(), r.bytes));
        continue;
      }
      if (r.status == platform::Io::closed)
        return fail(Errc::connection_closed, desc + " closed the connection");
      if (r.status == platform::Io::would_block) {
        std::error_code wec;
        if (!wait_socket(platform::kReadable, deadline, wec))
          return timeout_error("waiting for the answer");
        if (wec) return socket_error(wec);
        continue;
      }
      return socket_error(r.error);
    }
  }

  // Next S7 PDU into `payload`.
  Result<void> receive_pdu(Clock::time_point deadline) {
    reader.recycle(std::move(payload));  // the previous PDU's storage takes the next one
    auto f = receive_frame(deadline);
    if (!f) return f.error();
    if (auto* d = std::get_if<CotpData>(&*f)) {
      payload = std::move(d->payload);
      return {};
    }
    if (std::holds_alternative<CotpDisconnect>(*f)) {
      return fail(Errc::connection_closed, desc + " closed the connection (COTP disconnect)");
    }
    return fail(Errc::malformed_frame, desc + " sent a COTP connect frame on an open connection");
  }

  // Starts a frame in `tx`: TPKT (RFC 1006, length patched by end_frame) + COTP DT with EOT.
  static std::size_t begin_frame(Bytes& b) {
    const std::size_t start = b.size();
    b.push_back(kTpktVersion);
    b.push_back(0);  // reserved
    put16(b, 0);     // length, patched by end_frame
    b.push_back(kCotpDtLength);
    b.push_back(static_cast<std::uint8_t>(CotpCode::DT));
    b.push_back(kCotpEot);
    return start;
  }
  static void end_frame(Bytes& b, std::size_t start) { patch16(b, start + 2, b.size() - start); }

  Error header_error(const Answer& a) const {
    const unsigned code = (static_cast<unsigned>(a.error_class) << 8) | a.error_code;
    if (code == kHeaderErrorNotAvailable) {
      return Error(Errc::cpu_function_not_available,
                   desc +
                       " refused the request (header error 0x8104, function not available): "
                       "enable PUT/GET access in the CPU's protection settings and use "
                       "non-optimized (standard) data blocks",
                   static_cast<std::uint16_t>(code));
    }
    char buf[96];
    std::snprintf(buf, sizeof buf, " refused the request: header error class 0x%02X code 0x%02X",
                  a.error_class, a.error_code);
    std::string msg = desc + buf;
    if (a.error_class == kErrorClassSupplies)
      msg += " (the request or its answer does not fit the PDU)";
    if (a.error_class == kErrorClassAccess)
      msg += " (access error: check the PLC's protection settings)";
    return Error(Errc::header_error, msg, static_cast<std::uint16_t>(code));
  }

  // Sends `count` Jobs built by build(i, ref, tx), keeping up to `amq` in flight, and calls
  // handle(i, answer) for each answer, matched by PDU reference. handle returns an error only
  // for protocol violations; those (and timeouts, closed connections) close the connection and
  // end the exchange with that error.
  template <class Build, class Handle>
  Result<void> exchange(std::size_t count, Build build, Handle handle) {
    std::size_t next = 0;
    inflight.clear();
    const std::size_t parallel = std::max<std::size_t>(amq, 1);
    while (next < count || !inflight.empty()) {
      tx.clear();
      while (next < count && inflight.size() < parallel) {
        const std::uint16_t r = next_ref();
        const std::size_t start = begin_frame(tx);
        build(next, r, tx);
        end_frame(tx, start);
        inflight.push_back({r, next});
        ++next;
      }
      const auto deadline = Clock::now() + opt.request_timeout;
      if (!tx.empty()) {
        if (auto s = send_all(tx, deadline); !s) return s;
      }
      if (auto r = receive_pdu(deadline); !r) return r;
      auto a = parse_answer(payload);
      if (!a) return fail(Errc::malformed_pdu, desc + ": " + a.error().what());
      auto it = std::find_if(inflight.begin(), inflight.end(),
                             [&](const InFlight& f) { return f.ref == a->ref; });
      if (it == inflight.end()) {
        return fail(Errc::unexpected_response, desc + " answered with PDU reference " +
                                                   std::to_string(a->ref) +
                                                   ", which matches no outstanding request");
      }
      const std::size_t index = it->index;
      inflight.erase(it);
      if (auto h = handle(index, *a); !h) {
        Error e = h.error();
        close();
        return e;
      }
    }
    return {};
  }

  Result<void> connect();
};

Result<void> Client::Impl::connect() {
  close();
  desc = opt.describe();
  const auto deadline = Clock::now() + opt.connect_timeout;
  const std::string timeout_text = duration_text(opt.connect_timeout);

  // Host names are resolved; an address literal skips the resolver.
  std::vector<tcp::endpoint> endpoints;
  std::error_code ec;
  const auto literal = asio::ip::make_address(opt.host, ec);
  if (!ec) {
    endpoints.emplace_back(literal, opt.port);
  } else {
    tcp::resolver resolver(io);
    bool done = false;
    std::error_code rec;
    resolver.async_resolve(opt.host, std::to_string(opt.port),
                           [&](const std::error_code& e, tcp::resolver::results_type results) {
                             rec = e;
                             for (const auto& r : results) endpoints.push_back(r.endpoint());
                             done = true;
                           });
    if (!run_until(done, deadline, [&] { resolver.cancel(); })) {
      return Error(Errc::connect_timeout, "resolving host '" + opt.host + "' timed out after " +
                                              timeout_text + ": check the host name and DNS");
    }
    if (rec || endpoints.empty()) {
      return Error(Errc::host_not_found, "cannot resolve host '" + opt.host + "' (" +
                                             (rec ? rec.message() : std::string("no address")) +
                                             "): check the host name or IP address");
    }
  }

  std::error_code last;
  bool tcp_ok = false;
  for (const auto& ep : endpoints) {
    std::error_code ignored;
    sock.close(ignored);
    sock.open(ep.protocol(), ec);
    if (ec) {
      last = ec;
      continue;
    }
    bool done = false;
    std::error_code cec;
    sock.async_connect(ep, [&](const std::error_code& e) {
      cec = e;
      done = true;
    });
    if (!run_until(done, deadline, [&] {
          std::error_code ig;
          sock.close(ig);
        })) {
      return fail(Errc::connect_timeout, "connecting to " + desc + " timed out after " +
                                             timeout_text +
                                             ": is the PLC switched on and reachable on this "
                                             "network (host, port, firewall)?");
    }
    if (!cec) {
      tcp_ok = true;
      break;
    }
    last = cec;
  }
  if (!tcp_ok) {
    if (last == asio::error::connection_refused) {
      // A refused TCP connect means the host answered but nothing listens on that port; PUT/GET
      // and rack/slot cannot be the cause yet (those show up after the ISO connect request).
      const std::string port = std::to_string(opt.port);
      std::string hint;
      if (opt.port == 102)
        hint =
            ": is this the PLC's address? (the course's fake PLC, s7log fakeplc, listens on "
            "port 1102)";
      else if (opt.port == 1102)
        hint = ": is the fake PLC (s7log fakeplc) running? (a real PLC listens on port 102)";
      else
        hint = ": check the port (a real PLC listens on 102, the course's fake PLC on 1102)";
      return fail(Errc::connection_refused, "connection refused by " + desc +
                                                ": nothing listens on port " + port + " at " +
                                                opt.host + hint);
    }
    return fail(Errc::network_error, "cannot connect to " + desc + ": " + last.message() +
                                         ": is the PLC reachable on this network?");
  }
  sock.set_option(tcp::no_delay(true), ec);  // one small frame per request: no Nagle delay
  prepare_stream(opt.request_timeout);

  // COTP CR (ISO 8073 class 0, fact sheet §1.3/§1.4): TPDU size 1024 (0x0A), calling and
  // called TSAP. A PLC that dislikes the TSAP closes the TCP connection instead of a CC.
  const auto iso_refused = [&](const std::string& why) {
    return fail(Errc::iso_refused,
                desc + " " + why +
                    " after the ISO connect request: check rack and slot (or the TSAPs) and the "
                    "connection type, and that the PLC has a free connection resource");
  };
  tx = encode_frame(
      make_connect_request(opt.local_tsap_value(), opt.remote_tsap_value(), kTpduSize1024, 1));
  if (auto s = send_all(tx, deadline); !s) {
    if (s.error().is(Errc::connection_closed)) return iso_refused("closed the connection");
    return s;
  }
  auto cc = receive_frame(deadline);
  if (!cc) {
    if (cc.error().is(Errc::connection_closed)) return iso_refused("closed the connection");
    if (cc.error().is(Errc::request_timeout)) {
      return fail(Errc::connect_timeout,
                  desc + " did not answer the ISO connect request within " + timeout_text);
    }
    return cc.error();
  }
  const auto* confirm = std::get_if<CotpConnect>(&*cc);
  if (!confirm || confirm->code != CotpCode::CC) {
    return iso_refused("refused the connection");
  }
  // Never fragment: the PDU must fit one TPDU (TPDU size - 3 bytes of DT header).
  std::size_t tpdu = 1024;
  if (auto code = confirm->tpdu_size_code(); code && *code >= 7 && *code <= 13) {
    tpdu = std::size_t{1} << *code;
  }

  // Setup communication (function 0xF0, §3): ask AmQ calling/called and the PDU length.
  const std::uint16_t setup_ref = next_ref();
  tx.clear();
  const std::size_t start = begin_frame(tx);
  const std::size_t at = begin_pdu(tx, Rosctr::job, setup_ref);
  tx.push_back(static_cast<std::uint8_t>(Function::setup_communication));
  tx.push_back(0);  // reserved
  put16(tx, opt.max_parallel);
  put16(tx, opt.max_parallel);
  put16(tx, opt.pdu_length);
  patch16(tx, at + 6, tx.size() - at - kJobHeaderSize);
  end_frame(tx, start);
  if (auto s = send_all(tx, deadline); !s) return s;
  if (auto r = receive_pdu(deadline); !r) {
    if (r.error().is(Errc::request_timeout)) {
      return fail(Errc::negotiation_failed,
                  desc + " did not answer the setup communication within " + timeout_text);
    }
    return r;
  }
  auto a = parse_answer(payload);
  if (!a)
    return fail(Errc::negotiation_failed,
                desc + ": setup communication answer: " + a.error().what());
  if (a->error_class != 0 || a->error_code != 0) {
    auto e = header_error(*a);
    return fail(Errc::negotiation_failed,
                desc + " refused the S7 session (setup communication): " + e.what(), e.s7_code);
  }
  if (!is_rosctr(a->rosctr, Rosctr::ack_data) || a->ref != setup_ref || a->param.size() < 8 ||
      a->param[0] != static_cast<std::uint8_t>(Function::setup_communication)) {
    return fail(Errc::negotiation_failed,
                desc + " sent an unexpected answer to setup communication");
  }
  const std::uint16_t amq_calling = get16(&a->param[2]);
  const std::uint16_t granted = get16(&a->param[6]);
  // Use min(asked, granted) like nodes7; never more than one TPDU can carry.
  std::size_t p = std::min<std::size_t>({opt.pdu_length, granted, tpdu - 3});
  if (p < 64) {
    return fail(Errc::negotiation_failed,
                desc + " granted a PDU length of " + std::to_string(granted) + " bytes, too small");
  }
  pdu = static_cast<std::uint16_t>(p);
  amq = static_cast<std::uint16_t>(
      std::clamp<std::size_t>(std::min<std::size_t>(opt.max_parallel, amq_calling), 1, 64));
  is_connected = true;
  single_item_writes = false;
  return {};
}

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Client::~Client() {
  if (impl_) impl_->close();
}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

Result<void> Client::connect() {
  return impl_->connect();
}
void Client::disconnect() {
  impl_->close();
}
bool Client::connected() const {
  return impl_->is_connected;
}
const ClientOptions& Client::options() const {
  return impl_->opt;
}
std::uint16_t Client::pdu_length() const {
  return impl_->pdu;
}
std::uint16_t Client::max_parallel() const {
  return impl_->amq;
}

std::vector<ItemResult> Client::read(std::span<const ItemSpec> items) {
  Impl& m = *impl_;
  const std::size_t n = items.size();
  // Each item's result holds its buffer from the start; failed items are replaced at the end.
  std::vector<ItemResult> results;
  results.reserve(n);
  auto& errs = m.read_errs;
  auto& remaining = m.read_remaining;
  errs.assign(n, std::nullopt);
  remaining.assign(n, 0);
  if (!m.is_connected) {
    for (auto& e : errs) e = Error(Errc::not_connected, "not connected to " + m.desc);
  } else {
    for (std::size_t i = 0; i < n; ++i) results.emplace_back(Bytes(spec_bytes(items[i])));
    // The packing of the last item list is reused; a packing that refused an item (below) is
    // used once and not kept, so the refusal is reported on every call.
    auto& cache = m.read_plan;
    std::vector<PlannedRequest> uncached;
    const std::vector<PlannedRequest>* packing = &cache.plans;
    if (cache.pdu != m.pdu ||
        !std::equal(items.begin(), items.end(), cache.items.begin(), cache.items.end())) {
      auto fresh = pack_reads(items, m.pdu);
      bool refused = false;
      // A never-split item that cannot fit one answer is refused here, not sent.
      std::erase_if(fresh, [&](const PlannedRequest& r) {
        if (r.response_bytes <= m.pdu && r.request_bytes <= m.pdu) return false;
        for (const auto& c : r.chunks) {
          errs[c.item] = Error(Errc::pdu_too_large, describe_item(items[c.item]) + ": " +
                                                        std::to_string(c.length) +
                                                        " bytes do not fit the negotiated PDU of " +
                                                        std::to_string(m.pdu) + " bytes");
        }
        refused = true;
        return true;
      });
      if (refused) {
        cache = {};
        uncached = std::move(fresh);
        packing = &uncached;
      } else {
        cache.items.assign(items.begin(), items.end());
        cache.pdu = m.pdu;
        cache.plans = std::move(fresh);
      }
    }
    const std::vector<PlannedRequest>& plans = *packing;
    for (const auto& r : plans) {
      for (const auto& c : r.chunks) ++remaining[c.item];
    }
    auto build = [&](std::size_t i, std::uint16_t ref, Bytes& out) {
      const auto& chunks = plans[i].chunks;
      // Job header (10 bytes) + Read Var parameter: 04, item count, 12-byte specs (§4.1).
      const std::size_t plen = 2 + kItemSpecSize * chunks.size();
      const std::size_t at = begin_pdu(out, Rosctr::job, ref);
      patch16(out, at + 6, plen);
      out.push_back(static_cast<std::uint8_t>(Function::read_var));
      out.push_back(static_cast<std::uint8_t>(chunks.size()));
      for (const auto& c : chunks)
        append_item_spec(out, chunk_spec(items[c.item], c.item_offset, c.length));
    };
    auto handle = [&](std::size_t i, const Answer& a) -> Result<void> {
      const auto& chunks = plans[i].chunks;
      if (is_rosctr(a.rosctr, Rosctr::ack) || a.error_class != 0 || a.error_code != 0) {
        const Error e = m.header_error(a);
        for (const auto& c : chunks) {
          --remaining[c.item];
          if (!errs[c.item]) errs[c.item] = e;
        }
        return {};
      }
      if (!is_rosctr(a.rosctr, Rosctr::ack_data) || a.param.size() < 2 ||
          a.param[0] != static_cast<std::uint8_t>(Function::read_var) ||
          a.param[1] != chunks.size()) {
        // Left in `remaining`: the exchange's error reaches these items.
        return Error(Errc::unexpected_response,
                     m.desc + " answered a Read Var with a different function or item count");
      }
      for (const auto& c : chunks) --remaining[c.item];
      // Data items (§4.3): return code, transport, length, data, fill after odd items but
      // the last. Lengths: Wireshark rule (bits for 0x03/0x04/0x05), cross-checked with the
      // bytes requested: n or 8n is accepted whatever the transport.
      const ByteView d = a.data;
      std::size_t pos = 0;
      for (std::size_t k = 0; k < chunks.size(); ++k) {
        const auto& c = chunks[k];
        const ItemSpec& spec = items[c.item];
        const auto broken = [&](const std::string& why) {
          for (std::size_t j = k; j < chunks.size(); ++j) {
            if (!errs[chunks[j].item]) {
              errs[chunks[j].item] =
                  Error(Errc::malformed_pdu,
                        describe_item(items[chunks[j].item]) + ": " + m.desc + " " + why);
            }
          }
        };
        if (pos + 4 > d.size()) {
          broken("sent a Read Var answer with fewer items than requested");
          break;
        }
        const std::uint8_t rc = d[pos];
        const std::uint8_t ts = d[pos + 1];
        const std::size_t len = get16(&d[pos + 2]);
        pos += 4;
        if (rc != kItemSuccess) {  // error items are 4 bytes: no data, no fill
          if (!errs[c.item]) errs[c.item] = item_error(describe_item(spec), spec, rc);
          continue;
        }
        const std::size_t want = c.length;
        const std::size_t wire = data_item_bytes(ts, static_cast<std::uint16_t>(len));
        if (wire != want && len != want && len != 8 * want) {
          broken("answered " + std::to_string(wire) + " bytes where " + std::to_string(want) +
                 " were requested");
          break;
        }
        if (pos + want > d.size()) {
          broken("sent a truncated Read Var answer");
          break;
        }
        auto& buf = *results[c.item];
        if (spec.transport == static_cast<std::uint8_t>(ItemTransport::bit)) {
          // BIT: 0x03 carries 0/1; a server answering the whole byte (0x04, 8 bits) gets its bit.
          const std::uint8_t v = d[pos];
          buf[0] = (ts != static_cast<std::uint8_t>(DataTransport::bit) && len == 8)
                       ? static_cast<std::uint8_t>((v >> (spec.address & 7)) & 1)
                       : static_cast<std::uint8_t>(v != 0);
        } else {
          std::memcpy(buf.data() + c.item_offset, &d[pos], want);
        }
        pos += want;
        if ((want % 2) != 0 && k + 1 < chunks.size()) ++pos;  // fill byte, value not checked
      }
      return {};
    };
    if (auto r = m.exchange(plans.size(), build, handle); !r) {
      for (std::size_t i = 0; i < n; ++i) {
        if (remaining[i] > 0 && !errs[i]) errs[i] = r.error();
      }
    }
  }
  if (results.size() < n) results.resize(n, ItemResult(Bytes{}));  // not connected: errors only
  for (std::size_t i = 0; i < n; ++i) {
    if (errs[i]) results[i] = std::move(*errs[i]);
  }
  return results;
}

Result<Bytes> Client::read_bytes(Area area, std::uint16_t db, std::uint32_t offset,
                                 std::size_t length) {
  std::vector<ItemSpec> specs;
  for (std::size_t off = 0; off < length; off += 0xFFFF) {
    const auto len = static_cast<std::uint16_t>(std::min<std::size_t>(0xFFFF, length - off));
    ItemSpec s;
    s.transport = static_cast<std::uint8_t>(ItemTransport::byte);
    s.count = len;
    s.db = area == Area::db ? db : 0;
    s.area = static_cast<std::uint8_t>(area);
    s.address = static_cast<std::uint32_t>((offset + off) * 8);
    specs.push_back(s);
  }
  auto results = read(specs);
  Bytes out;
  out.reserve(length);
  for (auto& r : results) {
    if (!r) return r.error();
    out.insert(out.end(), r->begin(), r->end());
  }
  return out;
}

std::vector<Result<void>> Client::write(std::span<const ItemSpec> items,
                                        std::span<const Bytes> data) {
  Impl& m = *impl_;
  const std::size_t n = items.size();
  const bool one_per_request = m.single_item_writes;  // decided before this call
  std::vector<std::optional<Error>> errs(n);
  std::vector<std::size_t> remaining(n, 0);
  std::vector<std::size_t> unconfirmed;  // items a request carried but the answer did not confirm
  std::vector<ItemSpec> valid;
  std::vector<std::size_t> map;  // index in `valid` -> index in `items`
  if (!m.is_connected) {
    for (auto& e : errs) e = Error(Errc::not_connected, "not connected to " + m.desc);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t want = spec_bytes(items[i]);
      if (i >= data.size() || data[i].size() != want) {
        errs[i] =
            Error(Errc::invalid_argument, describe_item(items[i]) + ": " + std::to_string(want) +
                                              " data bytes expected, got " +
                                              std::to_string(i < data.size() ? data[i].size() : 0));
        continue;
      }
      valid.push_back(items[i]);
      map.push_back(i);
    }
    auto plans = pack_writes(valid, m.pdu);
    std::erase_if(plans, [&](const PlannedRequest& r) {
      if (r.response_bytes <= m.pdu && r.request_bytes <= m.pdu) return false;
      for (const auto& c : r.chunks) {
        errs[map[c.item]] = Error(Errc::pdu_too_large,
                                  describe_item(valid[c.item]) + ": " + std::to_string(c.length) +
                                      " bytes do not fit the negotiated PDU of " +
                                      std::to_string(m.pdu) + " bytes");
      }
      return true;
    });
    if (one_per_request) {
      // This server confirms one item per Write Var: one chunk per request.
      std::vector<PlannedRequest> single;
      for (const auto& r : plans)
        for (const auto& c : r.chunks) {
          PlannedRequest one = r;
          one.chunks = {c};
          single.push_back(std::move(one));
        }
      plans = std::move(single);
    }
    for (const auto& r : plans) {
      for (const auto& c : r.chunks) ++remaining[map[c.item]];
    }
    auto build = [&](std::size_t i, std::uint16_t ref, Bytes& out) {
      const auto& chunks = plans[i].chunks;
      // Write Var (§4.5): parameter 05, n, specs; data items 00, transport, length, data,
      // fill after odd items but the last (never trailing padding).
      const std::size_t at = begin_pdu(out, Rosctr::job, ref);
      out.push_back(static_cast<std::uint8_t>(Function::write_var));
      out.push_back(static_cast<std::uint8_t>(chunks.size()));
      for (const auto& c : chunks)
        append_item_spec(out, chunk_spec(valid[c.item], c.item_offset, c.length));
      const std::size_t data_at = out.size();
      for (std::size_t k = 0; k < chunks.size(); ++k) {
        const auto& c = chunks[k];
        const ItemSpec spec = chunk_spec(valid[c.item], c.item_offset, c.length);
        const auto [ts, len_field] = write_transport(spec, c.length);
        out.push_back(kItemReserved);
        out.push_back(static_cast<std::uint8_t>(ts));
        put16(out, static_cast<std::uint16_t>(len_field));
        const Bytes& src = data[map[c.item]];
        out.insert(out.end(), src.begin() + c.item_offset, src.begin() + c.item_offset + c.length);
        if ((c.length % 2) != 0 && k + 1 < chunks.size()) out.push_back(0);  // fill
      }
      patch16(out, at + 6, data_at - at - kJobHeaderSize);
      patch16(out, at + 8, out.size() - data_at);
    };
    auto handle = [&](std::size_t i, const Answer& a) -> Result<void> {
      const auto& chunks = plans[i].chunks;
      if (is_rosctr(a.rosctr, Rosctr::ack) || a.error_class != 0 || a.error_code != 0) {
        const Error e = m.header_error(a);
        for (const auto& c : chunks) {
          --remaining[map[c.item]];
          if (!errs[map[c.item]]) errs[map[c.item]] = e;
        }
        return {};
      }
      if (!is_rosctr(a.rosctr, Rosctr::ack_data) || a.param.size() < 2 ||
          a.param[0] != static_cast<std::uint8_t>(Function::write_var)) {
        return Error(Errc::unexpected_response,
                     m.desc + " answered a Write Var with a different function");
      }
      for (const auto& c : chunks) --remaining[map[c.item]];
      // One return code per item (§4.5). A server that answers fewer (the python-snap7
      // server executes only the first item) leaves the rest unconfirmed: written again below.
      const std::size_t codes = std::min<std::size_t>(a.param[1], a.data.size());
      for (std::size_t k = 0; k < chunks.size(); ++k) {
        const std::size_t orig = map[chunks[k].item];
        if (errs[orig]) continue;
        if (k >= codes) {
          if (std::find(unconfirmed.begin(), unconfirmed.end(), orig) == unconfirmed.end())
            unconfirmed.push_back(orig);
        } else if (a.data[k] != kItemSuccess) {
          errs[orig] = item_error(describe_item(items[orig]), items[orig], a.data[k]);
        }
      }
      return {};
    };
    if (auto r = m.exchange(plans.size(), build, handle); !r) {
      for (std::size_t i = 0; i < n; ++i) {
        if (remaining[i] > 0 && !errs[i]) errs[i] = r.error();
      }
    } else if (!unconfirmed.empty() && one_per_request) {
      for (const std::size_t i : unconfirmed)
        if (!errs[i])
          errs[i] = Error(Errc::unexpected_response,
                          describe_item(items[i]) + ": " + m.desc +
                              " did not confirm this item (an answer without return codes)");
    } else if (!unconfirmed.empty()) {
      if (m.opt.on_note)
        m.opt.on_note(m.desc + " confirms only one item per write request (like the " +
                      "python-snap7 server): writing the other items one by one");
      m.single_item_writes = true;
      std::vector<ItemSpec> again_items;
      std::vector<Bytes> again_data;
      std::vector<std::size_t> again_index;
      for (const std::size_t i : unconfirmed) {
        if (errs[i]) continue;  // another chunk of the item got an error: never repeated
        again_items.push_back(items[i]);
        again_data.push_back(data[i]);
        again_index.push_back(i);
      }
      auto again = write(again_items, again_data);  // one per request now
      for (std::size_t k = 0; k < again.size(); ++k)
        if (!again[k]) errs[again_index[k]] = again[k].error();
    }
  }
  std::vector<Result<void>> out;
  out.reserve(n);
  for (auto& e : errs) {
    if (e) {
      out.emplace_back(std::move(*e));
    } else {
      out.emplace_back();
    }
  }
  return out;
}

namespace {

// Item spec that reads/writes the whole of a non-BOOL address: T/C as TIMER/COUNTER elements
// (address = number, §4.2), everything else as a BYTE range of byte_size(a).
ItemSpec whole_spec(const Address& a) {
  ItemSpec s;
  s.area = static_cast<std::uint8_t>(a.area);
  s.db = a.area == Area::db ? a.db : 0;
  if (a.area == Area::timers || a.area == Area::counters) {
    s.transport = static_cast<std::uint8_t>(a.area == Area::timers ? ItemTransport::timer
                                                                   : ItemTransport::counter);
    s.count = static_cast<std::uint16_t>(a.count);
    s.address = a.offset;
    return s;
  }
  s.transport = static_cast<std::uint8_t>(ItemTransport::byte);
  s.count = static_cast<std::uint16_t>(byte_size(a));
  s.address = a.offset * 8;
  return s;
}

// BIT item for element k of a BOOL address (bits are consecutive from offset.bit).
ItemSpec bit_spec(const Address& a, std::uint32_t k) {
  ItemSpec s;
  s.transport = static_cast<std::uint8_t>(ItemTransport::bit);
  s.count = 1;
  s.area = static_cast<std::uint8_t>(a.area);
  s.db = a.area == Area::db ? a.db : 0;
  s.address = a.offset * 8 + a.bit + k;
  return s;
}

bool is_bool(const Address& a) {
  return a.type == DataType::Bool && a.area != Area::timers && a.area != Area::counters;
}

// Re-words an item error with the address text the user knows.
Error for_address(const Address& a, const ItemSpec& spec, const Error& e) {
  if (e.s7_code != 0 && e.s7_code <= 0xFF && e.code.category() == category()) {
    return item_error(to_string(a), spec, static_cast<std::uint8_t>(e.s7_code));
  }
  if (e.is(Errc::pdu_too_large) || e.is(Errc::malformed_pdu) || e.is(Errc::unexpected_response) ||
      e.is(Errc::invalid_argument)) {
    return Error(e.code, to_string(a) + ": " + e.what(), e.s7_code);
  }
  return e;
}

constexpr std::size_t kMaxItemBytes = 0xFFFF;

}  // namespace

std::vector<Result<Value>> Client::read_values(std::span<const Address> addresses) {
  std::vector<ItemSpec> specs;
  std::vector<std::size_t> first(addresses.size() + 1, 0);
  std::vector<std::optional<Error>> pre(addresses.size());
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    first[i] = specs.size();
    const Address& a = addresses[i];
    if (auto readable = check_readable(a); !readable) {
      pre[i] = readable.error();
    } else if (is_bool(a)) {
      for (std::uint32_t k = 0; k < a.count; ++k) specs.push_back(bit_spec(a, k));
    } else if (byte_size(a) > kMaxItemBytes || a.count > 0xFFFF) {
      pre[i] = Error(Errc::invalid_argument, to_string(a) + ": too large for one read");
    } else {
      specs.push_back(whole_spec(a));
    }
  }
  first[addresses.size()] = specs.size();
  auto results = read(specs);
  std::vector<Result<Value>> out;
  out.reserve(addresses.size());
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const Address& a = addresses[i];
    if (pre[i]) {
      out.emplace_back(*pre[i]);
      continue;
    }
    std::optional<Error> err;
    for (std::size_t j = first[i]; j < first[i + 1] && !err; ++j) {
      if (!results[j]) err = for_address(a, specs[j], results[j].error());
    }
    if (err) {
      out.emplace_back(std::move(*err));
      continue;
    }
    if (is_bool(a)) {
      Bytes buf(byte_size(a), 0);
      for (std::uint32_t k = 0; k < a.count; ++k) {
        const std::uint32_t bit = a.bit + k;
        if ((*results[first[i] + k])[0] != 0) {
          buf[bit / 8] = static_cast<std::uint8_t>(buf[bit / 8] | (1u << (bit % 8)));
        }
      }
      out.push_back(decode_value(a, buf));
    } else {
      out.push_back(decode_value(a, *results[first[i]]));
    }
  }
  return out;
}

std::vector<Result<void>> Client::write_values(std::span<const Address> addresses,
                                               std::span<const Value> values) {
  std::vector<ItemSpec> specs;
  std::vector<Bytes> data;
  std::vector<std::size_t> first(addresses.size() + 1, 0);
  std::vector<std::optional<Error>> pre(addresses.size());
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    first[i] = specs.size();
    const Address& a = addresses[i];
    if (i >= values.size()) {
      pre[i] = Error(Errc::invalid_argument, to_string(a) + ": no value given");
      continue;
    }
    if (auto writable = check_writable(a); !writable) {
      pre[i] = writable.error();
      continue;
    }
    auto enc = encode_value(a, values[i]);
    if (!enc) {
      pre[i] = enc.error();
      continue;
    }
    if (is_bool(a)) {
      // BIT access per element (count 1 each): only that bit changes on the PLC.
      for (std::uint32_t k = 0; k < a.count; ++k) {
        const std::uint32_t bit = a.bit + k;
        specs.push_back(bit_spec(a, k));
        data.push_back(Bytes{static_cast<std::uint8_t>(((*enc)[bit / 8] >> (bit % 8)) & 1)});
      }
    } else if (enc->size() > kMaxItemBytes) {
      pre[i] = Error(Errc::invalid_argument, to_string(a) + ": too large for one write");
    } else {
      specs.push_back(whole_spec(a));
      data.push_back(std::move(*enc));
    }
  }
  first[addresses.size()] = specs.size();
  auto results = write(specs, data);
  std::vector<Result<void>> out;
  out.reserve(addresses.size());
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if (pre[i]) {
      out.emplace_back(*pre[i]);
      continue;
    }
    std::optional<Error> err;
    for (std::size_t j = first[i]; j < first[i + 1] && !err; ++j) {
      if (!results[j]) err = for_address(addresses[i], specs[j], results[j].error());
    }
    if (err) {
      out.emplace_back(std::move(*err));
    } else {
      out.emplace_back();
    }
  }
  return out;
}

Result<Bytes> Client::read_szl(std::uint16_t id, std::uint16_t index) {
  Impl& m = *impl_;
  if (!m.is_connected) return Error(Errc::not_connected, "not connected to " + m.desc);
  char what[48];
  std::snprintf(what, sizeof what, "SZL 0x%04X index 0x%04X", id, index);
  Bytes out;
  bool first = true;
  bool more = true;
  std::uint8_t sequence = 0;
  std::optional<Error> refused;
  for (int fragment = 0; more && fragment < 256; ++fragment) {
    auto build = [&](std::size_t, std::uint16_t ref, Bytes& b) {
      // Userdata (§6.1): CPU functions group 4, subfunction 1 (read SZL). First request:
      // 8-byte parameter, data FF 09 00 04 id index; follow-up: 12-byte parameter with the
      // answer's sequence number, data 0A 00 00 00 (the Snap7 form).
      const std::size_t at = begin_pdu(b, Rosctr::userdata, ref);
      b.insert(b.end(), std::begin(kUdHead), std::end(kUdHead));
      if (first) {
        b.push_back(static_cast<std::uint8_t>(kUdRequestParamSize - sizeof kUdHead - 1));
        b.push_back(kUdMethodRequest);
        b.push_back(kUdTypeRequest | kUdGroupCpu);
        b.push_back(kUdSubReadSzl);
        b.push_back(0);  // sequence
        b.push_back(kItemSuccess);
        b.push_back(static_cast<std::uint8_t>(DataTransport::octet_string));
        put16(b, 4);
        put16(b, id);
        put16(b, index);
        patch16(b, at + 6, kUdRequestParamSize);
        patch16(b, at + 8, 8);
      } else {
        // Snap7's follow-up: the 12-byte parameter form (method 0x12) with the sequence.
        b.push_back(static_cast<std::uint8_t>(kUdResponseParamSize - sizeof kUdHead - 1));
        b.push_back(kUdMethodResponse);
        b.push_back(kUdTypeRequest | kUdGroupCpu);
        b.push_back(kUdSubReadSzl);
        b.push_back(sequence);
        b.insert(b.end(), {0, 0, 0, 0});  // data unit reference, last unit, error
        b.push_back(kItemNotFound);
        b.push_back(static_cast<std::uint8_t>(DataTransport::null));
        put16(b, 0);
        patch16(b, at + 6, kUdResponseParamSize);
        patch16(b, at + 8, 4);
      }
    };
    auto handle = [&](std::size_t, const Answer& a) -> Result<void> {
      // A header error instead of userdata.
      if (is_rosctr(a.rosctr, Rosctr::ack) || is_rosctr(a.rosctr, Rosctr::ack_data)) {
        refused = a.error_class != 0 || a.error_code != 0
                      ? m.header_error(a)
                      : Error(Errc::unexpected_response,
                              m.desc + " answered " + std::string(what) + " with a Job answer");
        return {};
      }
      if (!is_rosctr(a.rosctr, Rosctr::userdata) || a.param.size() < kUdRequestParamSize ||
          (a.param[5] & kUdGroupMask) != kUdGroupCpu || a.param[6] != kUdSubReadSzl) {
        return Error(Errc::unexpected_response,
                     m.desc + " sent an unexpected answer to a read of " + what);
      }
      sequence = a.param[7];
      bool last = true;
      std::uint16_t perr = 0;
      if (a.param.size() >= kUdResponseParamSize) {
        last = a.param[9] == 0;
        perr = get16(&a.param[10]);
      }
      if (perr != 0 || a.data.size() < 4 || a.data[0] != kItemSuccess) {
        const std::uint16_t raw = perr != 0 ? perr : (a.data.empty() ? 0 : a.data[0]);
        char why[48];
        std::snprintf(why, sizeof why, perr != 0 ? " (error 0x%04X)" : " (return code 0x%02X)",
                      static_cast<unsigned>(raw));
        refused = Error(Errc::szl_not_available, m.desc + " does not provide " + what + why, raw);
        return {};
      }
      const std::size_t len = std::min<std::size_t>(get16(&a.data[2]), a.data.size() - 4);
      ByteView part = a.data.subspan(4, len);
      if (first) {
        // First fragment: SZL id and index, then LENTHDR, N_DR and the records.
        if (part.size() < 4) {
          refused = Error(Errc::szl_not_available, m.desc + " sent an empty answer to " + what);
          return {};
        }
        part = part.subspan(4);
      }
      out.insert(out.end(), part.begin(), part.end());
      more = !last;
      return {};
    };
    if (auto r = m.exchange(1, build, handle); !r) return r.error();
    if (refused) return *refused;
    first = false;
  }
  return out;
}

namespace {

std::string trim_text(ByteView b) {
  std::string s(b.begin(), b.end());
  while (!s.empty() && (s.back() == '\0' || s.back() == ' ')) s.pop_back();
  const auto nul = s.find('\0');
  if (nul != std::string::npos) s.resize(nul);
  return s;
}

}  // namespace

Result<CpuInfoResult> Client::cpu_info() {
  CpuInfoResult info;
  // SZL 0x001C: component identification, records index(2) + text(32) (§6.2). Servers that
  // leave LENTHDR/N_DR 0 or the indices out are read by position (1, 2, 3, 4, 5, 7, ...).
  auto id = read_szl(kSzlComponentId, 0);
  if (!id) return id.error();
  {
    const Bytes& b = *id;
    std::size_t rec = b.size() >= 2 ? get16(&b[0]) : 0;
    if (rec < 34) rec = 34;
    static constexpr std::uint16_t positional[] = {1, 2, 3, 4, 5, 7, 8, 9, 10, 11};
    std::size_t k = 0;
    for (std::size_t at = 4; at + rec <= b.size() && k < 10; at += rec, ++k) {
      std::uint16_t index = get16(&b[at]);
      if (index == 0 || index > 11) index = positional[k];
      const std::string text =
          trim_text(ByteView(b).subspan(at + 2, std::min<std::size_t>(32, rec - 2)));
      switch (index) {
        case 1:
          info.as_name = text;
          break;
        case 2:
          info.module_name = text;
          break;
        case 3:
          info.plant_id = text;
          break;
        case 4:
          info.copyright = text;
          break;
        case 5:
          info.serial_number = text;
          break;
        case 7:
          info.module_type = text;
          break;
        default:
          break;
      }
    }
  }
  // SZL 0x0011: module identification, records index(2) MLFB(20) BGTyp(2) Ausbg(2) Ausbe(2);
  // 0x0001 = module (order code), 0x0007 = firmware 'V' major minor patch.
  auto ident = read_szl(kSzlModuleId, 0);
  if (ident) {
    const Bytes& b = *ident;
    std::size_t rec = b.size() >= 2 ? get16(&b[0]) : 0;
    if (rec < 22) rec = 28;
    bool firmware_found = false;
    for (std::size_t at = 4; at + rec <= b.size(); at += rec) {
      const std::uint16_t index = get16(&b[at]);
      if ((index == kSzlIndexModule || info.order_code.empty()) && rec >= 22) {
        info.order_code = trim_text(ByteView(b).subspan(at + 2, 20));
      }
      if (index == kSzlIndexFirmware && rec >= 28 && b[at + 24] == 'V') {
        info.firmware = "V" + std::to_string(b[at + 25]) + "." + std::to_string(b[at + 26]) + "." +
                        std::to_string(b[at + 27]);
        firmware_found = true;
      }
    }
    if (!firmware_found && b.size() >= 7) {
      // No 0x0007 record: like Snap7, take the version from the last three bytes.
      const std::size_t e = b.size();
      info.firmware = "V" + std::to_string(b[e - 3]) + "." + std::to_string(b[e - 2]) + "." +
                      std::to_string(b[e - 1]);
    }
  } else if (!ident.error().is(Errc::szl_not_available)) {
    return ident.error();
  }
  return info;
}

Result<PlcRunState> Client::cpu_state() {
  // SZL 0x0424: one record ereig(2) ae(1) bzu-id(1) ...; bzu-id 0x08 RUN, 0x04 STOP (§6.2).
  auto r = read_szl(kSzlCpuState, 0);
  if (!r) return r.error();
  const Bytes& b = *r;
  if (b.size() < 8) {
    return Error(Errc::szl_not_available,
                 impl_->desc + " sent a CPU state record (SZL 0x0424) that is too short");
  }
  switch (static_cast<CpuState>(b[7])) {
    case CpuState::run:
      return PlcRunState::run;
    case CpuState::unknown:
      return PlcRunState::unknown;
    default:
      return PlcRunState::stop;
  }
}

}  // namespace s7
