// S7 server ("PLC side"): a steppable sans-IO session plus an Asio TCP server for many clients.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "s7/error.hpp"
#include "s7/frame.hpp"
#include "s7/memory.hpp"
#include "s7/pdu.hpp"

namespace s7 {

// CPU identity served through SZL 0x001C / 0x0011.
struct CpuIdentity {
  std::string order_code = "6ES7 315-2EH14-0AB0";
  std::string module_name = "CPU 315-2 PN/DP";
  std::string module_type = "CPU 315-2 PN/DP";
  std::string as_name = "S7LOG FAKE PLC";
  std::string serial_number = "S C-S7LOG0000001";
  std::string copyright = "Original Siemens Equipment";
  std::string plant_id = "";
  std::uint8_t firmware[3] = {3, 2, 6};
};

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  std::uint16_t port = 102;        // 0 = pick a free port (see Server::port())
  std::uint16_t max_pdu = 960;     // negotiated PDU = min(requested, max_pdu), floor 240
  std::uint16_t max_parallel = 8;  // AmQ = min(requested, max_parallel), at least 1
  std::size_t max_connections = 256;
  std::size_t max_frame_bytes = 8192;  // a bigger TPKT closes that connection
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(10)};  // 0 = none
  // A connection that has not finished the COTP connect and the S7 setup communication within
  // this time is closed, so clients that never finish the handshake cannot hold the
  // max_connections slots. 0 = none.
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds(5)};
  // When set, a CR whose called TSAP's rack/slot differ is refused the way a real PLC does:
  // the TCP connection is closed without a CC.
  std::optional<std::uint8_t> enforce_rack;
  std::optional<std::uint8_t> enforce_slot;
  CpuIdentity identity;
  unsigned threads = 1;  // io_context threads
};

// What a client wrote, reported after the write was stored (or refused).
struct WriteEvent {
  std::string peer;  // "127.0.0.1:54321"
  AreaKey area;
  std::uint32_t offset = 0;         // byte offset
  std::optional<std::uint8_t> bit;  // BIT access
  Bytes data;
  std::uint8_t result = kItemSuccess;  // item return code sent back
};

// Runtime faults and state, changeable from any thread while the server runs.
struct ServerControl {
  std::atomic<bool> refuse_connections{false};  // new TCP connections are closed at once
  std::atomic<int> delay_ms{0};                 // each answer is delayed by this much
  std::atomic<CpuState> cpu_state{CpuState::run};
  // Imitates the python-snap7 server: a multi-item Write Var stores only its first item and its
  // answer carries one return code.
  std::atomic<bool> first_item_writes{false};
  // Item error overrides: reads/writes touching a range get `code` instead of data.
  struct ItemFault {
    AreaKey area;
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    std::uint8_t code = kItemNotFound;
  };
  void set_item_faults(std::vector<ItemFault> faults);
  std::vector<ItemFault> item_faults() const;
  // Cheap check (no lock, no copy) used on every request before item_faults().
  bool has_item_faults() const { return any_faults_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mu_;
  std::vector<ItemFault> faults_;
  std::atomic<bool> any_faults_{false};
};

struct ServerHooks {
  // Called after every Write Var item (also refused ones); any thread.
  std::function<void(const WriteEvent&)> on_write;
  // Optional one-line log of connections and requests (for --verbose); any thread.
  std::function<void(const std::string&)> on_log;
  // A client's PLC control request changed the CPU state (stop -> STOP, start -> RUN): the
  // client's address and the new state; any thread.
  std::function<void(const std::string& peer, CpuState state)> on_state_change;
};

// One client connection's protocol state, without sockets: feed it bytes, collect the answers.
// Used by the TCP server and directly by tests and the fuzzer. Not thread-safe: one connection
// drives one session; `memory` and `control` may be shared (they are thread-safe).
//
// Wire rules it implements (see docs/s7-protocol-facts.md): CR -> CC echoing the CR's
// parameters in order (C0 added when absent), optional rack/slot enforcement (close, no CC);
// setup communication -> PDU = min(requested, max_pdu) but at least 240 (never above 8192),
// AmQ = min(requested, max_parallel) but at least 1; Read/Write Var with per-item return codes;
// SZL 0x0000, 0x0011, 0x001C, 0x0131/1, 0x0424; PLC stop/start; anything else -> Ack 0x8104.
// No answer is ever larger than the negotiated PDU.
class ServerSession {
 public:
  ServerSession(MemoryStore& memory, const ServerOptions& options, ServerControl& control,
                const ServerHooks& hooks, std::string peer = "test");
  // Processes `in`; appends complete answer frames to `out` (in request order).
  // Returns false when the connection must be closed (malformed input, DR, refused CR,
  // a frame above options.max_frame_bytes); frames already in `out` (e.g. the DC answering a
  // DR, answers to Jobs before the bad frame) should still be sent before closing. Once false,
  // every later call returns false without output.
  bool feed(ByteView in, Bytes& out);
  std::uint16_t negotiated_pdu() const { return pdu_; }
  std::uint16_t negotiated_parallel() const { return amq_; }
  bool connected() const { return connected_; }
  // True once the setup communication was answered (the handshake is over).
  bool set_up() const { return set_up_; }
  // S7 Jobs and Userdata requests answered so far.
  std::uint64_t answered() const { return answered_; }
  const std::string& peer() const { return peer_; }

 private:
  // One Read/Write Var item after validation (reused between requests: no per-request heap).
  struct ItemPlan {
    std::uint8_t code = kItemSuccess;  // item return code decided so far
    std::uint8_t transport = 0;        // item transport size from the spec
    AreaKey key;
    std::uint32_t offset = 0;  // byte offset in the area
    std::uint8_t bit = 0;      // BIT items only
    bool is_bit = false;
    std::uint32_t bytes = 0;   // E = count x element size (BIT: 1)
    std::size_t data_pos = 0;  // write: where its data starts in the data part
  };

  bool handle_frame(Frame& frame, Bytes& out);
  bool handle_connect(const CotpConnect& cr, Bytes& out);
  bool handle_pdu(ByteView pdu, Bytes& out);
  bool handle_job(std::uint16_t ref, ByteView pdu, ByteView param, ByteView data, Bytes& out);
  void handle_setup(std::uint16_t ref, ByteView param, Bytes& out);
  void handle_read(std::uint16_t ref, ByteView pdu, ByteView param, Bytes& out);
  void handle_write(std::uint16_t ref, ByteView pdu, ByteView param, ByteView data, Bytes& out);
  void handle_plc_control(std::uint16_t ref, ByteView param, Bytes& out);
  bool handle_userdata(std::uint16_t ref, ByteView param, ByteView data, Bytes& out);
  void plan_item(const std::uint8_t* spec, bool for_write, ItemPlan& item) const;
  void apply_item_faults();
  // Answer building into scratch_: begin_* writes the header, finish() fills in the lengths and
  // appends the framed PDU to `out`.
  void begin(std::uint8_t rosctr, std::uint16_t ref, bool with_error, std::uint8_t error_class = 0,
             std::uint8_t error_code = 0);
  void finish(std::size_t param_length, Bytes& out);
  void answer_header_error(std::uint8_t rosctr, std::uint16_t ref, std::uint8_t error_class,
                           std::uint8_t error_code, Bytes& out);
  void log(const std::string& line) const;

  MemoryStore& memory_;
  const ServerOptions& options_;
  ServerControl& control_;
  const ServerHooks& hooks_;
  std::string peer_;
  FrameReader reader_;
  bool connected_ = false;
  bool set_up_ = false;
  bool closed_ = false;
  std::uint16_t pdu_ = 240;
  std::uint16_t amq_ = 1;
  std::uint64_t answered_ = 0;
  Bytes scratch_;               // the answer PDU being built
  std::vector<ItemPlan> plan_;  // items of the request being answered
};

// TCP server on Asio. start() binds and returns (with the port when options.port == 0);
// serving happens on internal threads until stop().
class Server {
 public:
  Server(MemoryStore& memory, ServerOptions options, ServerHooks hooks = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Result<void> start();
  void stop();
  std::uint16_t port() const;
  ServerControl& control();
  // Closes every client connection now (fault injection); the listener stays open.
  void drop_connections();
  std::size_t connection_count() const;
  std::uint64_t request_count() const;  // S7 Jobs/Userdata answered since start

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace s7
