// S7 client over ISO-on-TCP: connect by host/port/rack/slot or TSAPs, multi-item reads and
// writes split to the negotiated PDU and pipelined up to the negotiated parallel jobs, SZL.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "s7/address.hpp"
#include "s7/error.hpp"
#include "s7/frame.hpp"
#include "s7/pdu.hpp"
#include "s7/value.hpp"

namespace s7 {

// Connection type, high byte of the remote TSAP.
enum class ConnectionType : std::uint8_t { pg = 0x01, op = 0x02, basic = 0x03 };

struct ClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 102;
  std::uint8_t rack = 0;
  std::uint8_t slot = 1;
  // OP by default: the CPU reserves a PG resource for the engineering station; a logger that
  // takes it can lock TIA Portal/STEP 7 out. See docs/protocol.md.
  ConnectionType type = ConnectionType::op;
  std::optional<std::uint16_t> local_tsap;   // default 0x0100
  std::optional<std::uint16_t> remote_tsap;  // default (type << 8) | (rack << 5) | slot
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds request_timeout{3000};
  std::uint16_t pdu_length = 960;  // asked for in setup communication
  std::uint16_t max_parallel = 8;  // AmQ asked for
  // Things worth telling the user that are not errors, said once per connection (e.g. "this
  // server confirms only one item per write; writing the items one by one"). Optional.
  std::function<void(const std::string&)> on_note;

  std::uint16_t remote_tsap_value() const;
  std::uint16_t local_tsap_value() const { return local_tsap.value_or(0x0100); }
  // "10.0.0.5:102 (rack 0, slot 1)" or "... (TSAP 01.00 -> 03.01)" for messages.
  std::string describe() const;
};

// A TSAP as users write it: hex "01.00" (high byte, dot, low byte) or "0100" / "0x0100".
// Empty when it is none of these.
std::optional<std::uint16_t> parse_tsap(std::string_view text);

struct CpuInfoResult {
  std::string order_code;
  std::string module_name;
  std::string module_type;
  std::string as_name;
  std::string serial_number;
  std::string copyright;
  std::string plant_id;
  std::string firmware;  // "V3.2.6" when known
};

enum class PlcRunState { unknown, run, stop };

// Result of one item of a multi-item read: the bytes or the item's error.
using ItemResult = Result<Bytes>;

// Not thread-safe: one thread uses a Client at a time. Timeouts: a connection on which a
// request timed out is closed at once (never reused, so no stale answer can be taken for a
// later request); the next call fails with Errc::not_connected until connect() succeeds.
class Client {
 public:
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;

  // TCP connect, COTP CR/CC, setup communication. Errors name host, port, rack/slot and what to
  // check, e.g. "connection refused by 10.0.0.5:102 (rack 0, slot 1): is the PLC reachable, and
  // is PUT/GET enabled?".
  Result<void> connect();
  void disconnect();
  bool connected() const;
  const ClientOptions& options() const;
  std::uint16_t pdu_length() const;    // negotiated
  std::uint16_t max_parallel() const;  // negotiated AmQ (calling)

  // Reads items (any size, any count): packed into as few requests as fit the PDU, large items
  // split, requests pipelined up to max_parallel. One result per item, in order; a connection
  // failure fails every unfinished item with that error.
  std::vector<ItemResult> read(std::span<const ItemSpec> items);
  // Reads `length` bytes of an area (split as needed).
  Result<Bytes> read_bytes(Area area, std::uint16_t db, std::uint32_t offset, std::size_t length);
  // Typed reads: one result per address. BOOLs use BIT access.
  std::vector<Result<Value>> read_values(std::span<const Address> addresses);

  // Writes items: `data[i]` holds spec_byte_size(items[i]) bytes. Packed/split/pipelined like
  // read. One result per item. A server that confirms fewer items than a request carried (the
  // python-snap7 server executes only the first item of a multi-item write) gets the
  // unconfirmed items again, one per request (a write is idempotent; an item the server
  // answered with an error is never repeated); from then on this connection writes one item
  // per request, and on_note is told once.
  std::vector<Result<void>> write(std::span<const ItemSpec> items, std::span<const Bytes> data);
  // Typed writes; BOOL (and BOOL arrays) are written with BIT access so neighbouring bits survive.
  std::vector<Result<void>> write_values(std::span<const Address> addresses,
                                         std::span<const Value> values);

  // SZL read (reassembles multi-fragment answers). Returns the records part (from LENTHDR).
  Result<Bytes> read_szl(std::uint16_t id, std::uint16_t index);
  Result<CpuInfoResult> cpu_info();
  Result<PlcRunState> cpu_state();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// How read() packs items into requests for a PDU length: exposed so planners show the same
// packing the client performs. Each chunk is a byte range of one input item.
struct ReadChunk {
  std::size_t item = 0;           // index into the items
  std::uint32_t item_offset = 0;  // byte offset within the item's data
  std::uint16_t length = 0;       // bytes
};
struct PlannedRequest {
  std::vector<ReadChunk> chunks;
  std::size_t request_bytes = 0;   // S7 PDU size of the Job
  std::size_t response_bytes = 0;  // S7 PDU size of the answer
};
// Packing rules (fact sheet §4.6/§4.7): a Job holds items while its request (12 + 12n) and its
// answer (14 + sum(4 + L + fill)) both fit `pdu_length`; there is no 20-item cap. Items larger
// than PDU - 18 bytes are split into chunks of at most PDU - 18 bytes (BIT and timer/counter
// items are never split; one that cannot fit goes alone into a request whose response_bytes
// exceeds the PDU). Chunks go first-fit, in item order, into the earliest request with room; if
// first-fit taking the largest chunks first needs fewer requests, that packing is returned. The
// result is deterministic and every request keeps its chunks in item order.
std::vector<PlannedRequest> pack_reads(std::span<const ItemSpec> items, std::uint16_t pdu_length);

// The same for Write Var: `chunks` index into `items`; the request (12 + 12n + sum(4 + L + fill))
// and the answer (14 + n) must fit; items larger than PDU - 28 bytes are split.
std::vector<PlannedRequest> pack_writes(std::span<const ItemSpec> items, std::uint16_t pdu_length);

// Item spec for the byte range [item_offset, item_offset + length) of `spec`: `spec` itself when
// the range is the whole item, otherwise a BYTE item at the shifted address.
ItemSpec chunk_spec(const ItemSpec& spec, std::uint32_t item_offset, std::uint16_t length);

// Human text for an item spec in messages: "DB3.DBB0", "DB1.DBB0..DB1.DBB99", "M10.5", "T5".
std::string describe_item(const ItemSpec& spec);
// The sentence for an item return code (not 0xFF) of `spec`, prefixed by `what` (the address as
// the user knows it): "DB3.DBW0: DB3 does not exist on the PLC (item error 0x0A)".
Error item_error(std::string_view what, const ItemSpec& spec, std::uint8_t code);

}  // namespace s7
