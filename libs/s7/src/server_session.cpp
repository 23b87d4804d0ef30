// ServerSession: the sans-IO S7 server protocol (COTP connect, setup, Read/Write Var, SZL,
// control).
#include <algorithm>
#include <cstring>
#include <string>

#include "big_endian.hpp"
#include "s7/server.hpp"
#include "szl.hpp"

namespace s7 {
namespace {

constexpr std::uint16_t kMinPdu = 240;   // fact sheet section 3: the sensible floor
constexpr std::uint16_t kMaxPdu = 8192;  // keeps every bit length below 65536

using detail::get16;
using detail::get24;
using detail::patch16;
using detail::put16;

// Userdata requests are answered by the low nibble of type|group (the Wireshark reading: type
// 4 bits, group 4 bits), so a request typed 0x5n is still group n here.
constexpr std::uint8_t kUdGroupNibble = 0x0F;

std::uint8_t wire(Rosctr r) {
  return static_cast<std::uint8_t>(r);
}

// Data transport size and length field of a read answer (fact sheet section 4.3, server
// recommendation): BIT 0x03 len 1; INT/DINT 0x05 bits; REAL 0x07 bytes; T/C 0x09 bytes;
// BYTE/CHAR/WORD/DWORD and the rest 0x04 bits.
void read_transport(std::uint8_t item_transport, std::uint32_t bytes, std::uint8_t& ts,
                    std::uint16_t& length) {
  switch (static_cast<ItemTransport>(item_transport)) {
    case ItemTransport::bit:
      ts = static_cast<std::uint8_t>(DataTransport::bit);
      length = 1;
      return;
    case ItemTransport::integer:
    case ItemTransport::dint:
      ts = static_cast<std::uint8_t>(DataTransport::integer);
      break;
    case ItemTransport::real:
      ts = static_cast<std::uint8_t>(DataTransport::real);
      length = static_cast<std::uint16_t>(bytes);
      return;
    case ItemTransport::counter:
    case ItemTransport::timer:
      ts = static_cast<std::uint8_t>(DataTransport::octet_string);
      length = static_cast<std::uint16_t>(bytes);
      return;
    default:
      ts = static_cast<std::uint8_t>(DataTransport::byte_word_dword);
      break;
  }
  length = static_cast<std::uint16_t>(bytes * 8);
}

// Wire area code to the memory it names. Direct peripheral access (0x80) reads the input
// modules and writes the output modules; a fake PLC's modules are its I and Q bytes.
bool area_for(std::uint8_t code, std::uint16_t db, bool for_write, AreaKey& key) {
  switch (static_cast<Area>(code)) {
    case Area::periphery:
      key = {for_write ? Area::outputs : Area::inputs, 0};
      return true;
    case Area::inputs:
    case Area::outputs:
    case Area::merkers:
    case Area::counters:
    case Area::timers:
      key = {static_cast<Area>(code), 0};
      return true;
    case Area::db:
      key = {Area::db, db};
      return true;
  }
  return false;
}

std::string hex2(unsigned v) {
  static const char* digits = "0123456789ABCDEF";
  return {digits[(v >> 4) & 0xF], digits[v & 0xF]};
}

std::string area_text(const AreaKey& k) {
  std::string text(to_string(k.area));
  return k.area == Area::db ? text + std::to_string(k.db) : text;
}

}  // namespace

void ServerControl::set_item_faults(std::vector<ItemFault> faults) {
  std::lock_guard lock(mu_);
  faults_ = std::move(faults);
  any_faults_.store(!faults_.empty(), std::memory_order_release);
}

std::vector<ServerControl::ItemFault> ServerControl::item_faults() const {
  std::lock_guard lock(mu_);
  return faults_;
}

ServerSession::ServerSession(MemoryStore& memory, const ServerOptions& options,
                             ServerControl& control, const ServerHooks& hooks, std::string peer)
    : memory_(memory),
      options_(options),
      control_(control),
      hooks_(hooks),
      peer_(std::move(peer)),
      reader_(std::max<std::size_t>(options.max_frame_bytes, 64)) {
  // Without setup communication (neither live server requires it) the configured maximum holds.
  pdu_ = std::clamp<std::uint16_t>(options.max_pdu, kMinPdu, kMaxPdu);
  amq_ = std::max<std::uint16_t>(1, options.max_parallel);
}

bool ServerSession::feed(ByteView in, Bytes& out) {
  if (closed_) return false;
  reader_.feed(in);
  for (;;) {
    auto next = reader_.next();
    if (!next.ok()) {
      log(peer_ + " malformed frame: " + next.error().what());
      closed_ = true;
      return false;
    }
    if (!next->has_value()) break;
    if (!handle_frame(**next, out)) {
      closed_ = true;
      return false;
    }
  }
  // What stays buffered is an incomplete frame: one longer than the limit will never be served.
  if (reader_.buffered() > options_.max_frame_bytes) {
    log(peer_ + " frame larger than " + std::to_string(options_.max_frame_bytes) + " bytes");
    closed_ = true;
    return false;
  }
  return true;
}

bool ServerSession::handle_frame(Frame& frame, Bytes& out) {
  if (auto* c = std::get_if<CotpConnect>(&frame)) {
    if (c->code != CotpCode::CR || connected_) {
      log(peer_ + " unexpected connect TPDU");
      return false;
    }
    return handle_connect(*c, out);
  }
  if (auto* d = std::get_if<CotpDisconnect>(&frame)) {
    // ISO 8073: a DR is confirmed with a DC, then the transport connection goes away.
    if (d->code == CotpCode::DR) {
      CotpDisconnect dc;
      dc.code = CotpCode::DC;
      dc.dst_ref = d->src_ref;
      dc.src_ref = d->dst_ref;
      Bytes frame_bytes = encode_frame(dc);
      out.insert(out.end(), frame_bytes.begin(), frame_bytes.end());
    }
    log(peer_ + " disconnect request");
    return false;
  }
  auto& dt = std::get<CotpData>(frame);
  if (!connected_) {
    log(peer_ + " data before connect request");
    return false;
  }
  return handle_pdu(dt.payload, out);
}

bool ServerSession::handle_connect(const CotpConnect& cr, Bytes& out) {
  // Called TSAP = (connection type << 8) | (rack << 5) | slot (fact sheet section 1.4).
  if (options_.enforce_rack || options_.enforce_slot) {
    const auto called = cr.called_tsap();
    const bool rack_ok =
        !options_.enforce_rack || (called && ((*called >> 5) & 0x07) == *options_.enforce_rack);
    const bool slot_ok =
        !options_.enforce_slot || (called && (*called & 0x1F) == *options_.enforce_slot);
    if (!rack_ok || !slot_ok) {
      // A real PLC closes the TCP connection without a CC (nodeS7#2, S7NetPlus#471).
      log(peer_ + " connect refused: called TSAP " +
          (called ? hex2(*called >> 8) + hex2(*called & 0xFF) : std::string("missing")) +
          " does not match rack/slot");
      return false;
    }
  }
  // CC: dst ref = CR src ref, own ref, parameters echoed in the CR's order, C0 added if absent.
  Bytes cc = encode_frame(make_connect_confirm(cr, 1, kTpduSize1024));
  out.insert(out.end(), cc.begin(), cc.end());
  connected_ = true;
  log(peer_ + " connected");
  return true;
}

bool ServerSession::handle_pdu(ByteView pdu, Bytes& out) {
  // S7 header (fact sheet section 2): 0x32, ROSCTR, reserved, ref, param length, data length.
  if (pdu.size() < kJobHeaderSize || pdu[0] != kProtocolId) {
    log(peer_ + " malformed S7 header");
    return false;
  }
  const std::uint8_t rosctr = pdu[1];
  const std::uint16_t ref = get16(&pdu[4]);
  const std::size_t plen = get16(&pdu[6]);
  const std::size_t dlen = get16(&pdu[8]);
  if (kJobHeaderSize + plen + dlen != pdu.size()) {
    log(peer_ + " S7 header lengths do not add up");
    return false;
  }
  const ByteView param = pdu.subspan(kJobHeaderSize, plen);
  const ByteView data = pdu.subspan(kJobHeaderSize + plen, dlen);
  if (rosctr == wire(Rosctr::job)) return handle_job(ref, pdu, param, data, out);
  if (rosctr == wire(Rosctr::userdata)) return handle_userdata(ref, param, data, out);
  log(peer_ + " unexpected ROSCTR 0x" + hex2(rosctr));
  return false;
}

bool ServerSession::handle_job(std::uint16_t ref, ByteView pdu, ByteView param, ByteView data,
                               Bytes& out) {
  const std::uint8_t function = param.empty() ? 0 : param[0];  // no parameter: no function
  switch (static_cast<Function>(function)) {
    case Function::setup_communication:
      if (param.size() != 8) {
        log(peer_ + " malformed setup communication");
        return false;
      }
      handle_setup(ref, param, out);
      return true;
    case Function::read_var:
      if (param.empty()) break;
      handle_read(ref, pdu, param, out);
      return true;
    case Function::write_var:
      if (param.empty()) break;
      handle_write(ref, pdu, param, data, out);
      return true;
    case Function::plc_control:
    case Function::plc_stop:
      handle_plc_control(ref, param, out);
      return true;
    default:
      break;
  }
  // Unsupported function: Ack with 0x81 0x04 "service not implemented", never silence (5).
  if (hooks_.on_log) log(peer_ + " unsupported function 0x" + hex2(function) + " -> Ack 8104");
  answer_header_error(wire(Rosctr::ack), ref, kErrorClassApplication, kErrorCodeNotAvailable, out);
  return true;
}

void ServerSession::handle_setup(std::uint16_t ref, ByteView param, Bytes& out) {
  // Fact sheet section 3: never more than requested, PDU floor 240, AmQ at least 1.
  const std::uint16_t req_calling = get16(&param[2]);
  const std::uint16_t req_called = get16(&param[4]);
  const std::uint16_t req_pdu = get16(&param[6]);
  const std::uint16_t own_amq = std::max<std::uint16_t>(1, options_.max_parallel);
  const auto amq_calling = std::max<std::uint16_t>(1, std::min(req_calling, own_amq));
  const auto amq_called = std::max<std::uint16_t>(1, std::min(req_called, own_amq));
  const auto own_pdu = std::clamp<std::uint16_t>(options_.max_pdu, kMinPdu, kMaxPdu);
  pdu_ = std::max(kMinPdu, std::min(req_pdu, own_pdu));
  amq_ = std::min(amq_calling, amq_called);
  set_up_ = true;
  begin(wire(Rosctr::ack_data), ref, true);
  scratch_.push_back(static_cast<std::uint8_t>(Function::setup_communication));
  scratch_.push_back(0);  // reserved
  put16(scratch_, amq_calling);
  put16(scratch_, amq_called);
  put16(scratch_, pdu_);
  finish(8, out);
  if (hooks_.on_log)
    log(peer_ + " setup: PDU " + std::to_string(req_pdu) + " -> " + std::to_string(pdu_) +
        ", AmQ " + std::to_string(amq_calling) + "/" + std::to_string(amq_called));
}

void ServerSession::plan_item(const std::uint8_t* spec, bool for_write, ItemPlan& item) const {
  // S7ANY spec: 12 0A 10 TS COUNT(2) DB(2) AREA ADDR(3) (fact sheet section 4.1).
  item = ItemPlan{};
  item.transport = spec[3];
  const std::uint16_t count = get16(&spec[4]);
  const std::uint16_t db = get16(&spec[6]);
  const std::uint8_t area = spec[8];
  const std::uint32_t address = get24(&spec[9]);
  const auto size = static_cast<std::uint32_t>(item_element_size(item.transport));
  if (spec[0] != kVarSpec || spec[1] != kVarSpecLength || spec[2] != kSyntaxIdS7Any || size == 0) {
    // Unknown transport size / syntax: 0x05 in reads, 0x06 in writes (Snap7, seen live).
    item.code = for_write ? kItemTypeUnsupported : kItemOutOfRange;
    return;
  }
  item.is_bit = item.transport == static_cast<std::uint8_t>(ItemTransport::bit);
  item.bytes = item.is_bit ? 1 : size * count;
  if (!area_for(area, db, for_write, item.key)) {
    item.code = kItemNotFound;  // unsupported area: object does not exist
    return;
  }
  if (item.key.area == Area::counters || item.key.area == Area::timers) {
    item.offset = address * 2;  // T/C: the address is the number, 2 bytes each (4.2)
  } else {
    item.offset = address >> 3;
    item.bit = static_cast<std::uint8_t>(address & 0x07);
    // Bit part must be 0 for non-BIT items; BIT items address exactly one bit (4.2, 4.4).
    if ((!item.is_bit && item.bit != 0) || (item.is_bit && count != 1)) {
      item.code = kItemOutOfRange;
      return;
    }
  }
  if (count == 0) {
    item.code = kItemOutOfRange;
    return;
  }
  // One look-up under the store's lock: no such area -> 0x0A, beyond its end -> 0x05.
  item.code = memory_.check_read(item.key, item.offset, item.bytes);
}

void ServerSession::apply_item_faults() {
  if (!control_.has_item_faults()) return;
  const auto faults = control_.item_faults();
  for (auto& item : plan_) {
    if (item.code != kItemSuccess) continue;
    for (const auto& f : faults) {
      if (!(f.area == item.key)) continue;
      const std::uint64_t end = static_cast<std::uint64_t>(item.offset) + item.bytes;
      if (item.offset < static_cast<std::uint64_t>(f.offset) + f.length && f.offset < end) {
        item.code = f.code;
        break;
      }
    }
  }
}

void ServerSession::handle_read(std::uint16_t ref, ByteView pdu, ByteView param, Bytes& out) {
  const std::uint8_t ack_data = wire(Rosctr::ack_data);
  const auto read_var = static_cast<std::uint8_t>(Function::read_var);
  if (param.size() < 2) {
    // python-snap7's get_cpu_state() stub sends a bare `04`; any non-error answer satisfies it:
    // one error item (code, null transport, length 0).
    begin(ack_data, ref, true);
    scratch_.insert(scratch_.end(), {read_var, 1, kItemNotFound,
                                     static_cast<std::uint8_t>(DataTransport::null), 0, 0});
    finish(2, out);
    return;
  }
  const std::size_t n = param[1];
  if (n == 0 || param.size() != 2 + kItemSpecSize * n) {
    answer_header_error(ack_data, ref, kErrorClassSupplies, 0, out);
    return;
  }
  plan_.resize(n);
  for (std::size_t i = 0; i < n; ++i) plan_item(&param[2 + kItemSpecSize * i], false, plan_[i]);
  apply_item_faults();
  // Budget (4.6): 12 + 2 + sum(4 + L + fill) must fit the negotiated PDU, as must the Job.
  std::size_t answer_size = 14;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& item = plan_[i];
    if (item.code != kItemSuccess) {
      answer_size += 4;
    } else {
      answer_size += 4 + item.bytes + ((item.bytes & 1) != 0 && i + 1 < n ? 1 : 0);
    }
  }
  if (answer_size > pdu_ || pdu.size() > pdu_) {
    // Reply would exceed the PDU: header error 0x8500, no items (pitfall 12).
    if (hooks_.on_log) log(peer_ + " read of " + std::to_string(answer_size) + " bytes > PDU");
    answer_header_error(ack_data, ref, kErrorClassSupplies, 0, out);
    return;
  }
  begin(ack_data, ref, true);
  scratch_.push_back(read_var);
  scratch_.push_back(static_cast<std::uint8_t>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const auto& item = plan_[i];
    std::uint8_t code = item.code;
    const std::size_t at = scratch_.size();
    if (code == kItemSuccess) {
      std::uint8_t ts = 0;
      std::uint16_t length = 0;
      read_transport(item.transport, item.bytes, ts, length);
      scratch_.insert(scratch_.end(), {kItemSuccess, ts});
      put16(scratch_, length);
      scratch_.resize(at + 4 + item.bytes);
      code = memory_.read(item.key, item.offset,
                          std::span<std::uint8_t>(scratch_.data() + at + 4, item.bytes));
      if (code == kItemSuccess && item.is_bit)
        scratch_[at + 4] = static_cast<std::uint8_t>((scratch_[at + 4] >> item.bit) & 1);
      if (code != kItemSuccess) scratch_.resize(at);  // area changed meanwhile
    }
    if (code != kItemSuccess) {
      // Error item: code, 0x00, length 0 - no data, no fill (4.3; nodes7 needs length 0).
      scratch_.insert(scratch_.end(), {code, static_cast<std::uint8_t>(DataTransport::null), 0, 0});
      continue;
    }
    // Fill byte 0x00 after an odd item, except the last (4.3, pitfall 6).
    if ((item.bytes & 1) != 0 && i + 1 < n) scratch_.push_back(0);
  }
  finish(2, out);
  if (hooks_.on_log) log(peer_ + " read " + std::to_string(n) + " item(s)");
}

void ServerSession::handle_write(std::uint16_t ref, ByteView pdu, ByteView param, ByteView data,
                                 Bytes& out) {
  const std::uint8_t ack_data = wire(Rosctr::ack_data);
  const std::size_t n = param.size() >= 2 ? param[1] : 0;
  if (n == 0 || param.size() != 2 + kItemSpecSize * n) {
    answer_header_error(ack_data, ref, kErrorClassSupplies, 0, out);
    return;
  }
  if (pdu.size() > pdu_) {
    answer_header_error(ack_data, ref, kErrorClassSupplies, 0, out);
    return;
  }
  plan_.resize(n);
  for (std::size_t i = 0; i < n; ++i) plan_item(&param[2 + kItemSpecSize * i], true, plan_[i]);
  // Walk the data items (4.5 robust rule): with E = count x size, the length field must be E
  // (bytes) or 8E (bits) whatever the data transport size; step over E (+ fill) bytes. A wrong
  // length gets 0x07 and is stepped over by the Wireshark rule; items past the end get 0x07.
  std::size_t pos = 0;
  for (std::size_t i = 0; i < n; ++i) {
    auto& item = plan_[i];
    if (pos + 4 > data.size()) {
      item.code = kItemSizeMismatch;
      continue;
    }
    const std::uint8_t ts = data[pos + 1];
    const std::uint16_t length = get16(&data[pos + 2]);
    std::size_t step = 0;
    const std::size_t e = item_element_size(item.transport) == 0 ? 0 : item.bytes;
    if (e != 0 && (length == e || length == 8 * e)) {
      step = e;
    } else {
      // Only to step over an item whose length is wrong: the Wireshark rule.
      step = data_item_bytes(ts, length);
      if (item.code == kItemSuccess) item.code = kItemSizeMismatch;
    }
    item.data_pos = pos + 4;
    if (item.data_pos + step > data.size()) {
      if (item.code == kItemSuccess) item.code = kItemSizeMismatch;
      pos = data.size();
      continue;
    }
    pos = item.data_pos + step + ((step & 1) != 0 && i + 1 < n ? 1 : 0);
  }
  apply_item_faults();
  const std::size_t executed = control_.first_item_writes.load() ? 1 : n;
  begin(ack_data, ref, true);
  scratch_.push_back(static_cast<std::uint8_t>(Function::write_var));
  scratch_.push_back(static_cast<std::uint8_t>(executed));
  for (std::size_t i = 0; i < executed; ++i) {
    auto& item = plan_[i];
    const bool located = item.data_pos != 0 && item.data_pos + item.bytes <= data.size();
    const ByteView bytes = located ? data.subspan(item.data_pos, item.bytes) : ByteView{};
    if (item.code == kItemSuccess) {
      if (item.is_bit) {
        item.code = memory_.write_bit(item.key, item.offset, item.bit, bytes[0] != 0);
      } else {
        item.code = memory_.write(item.key, item.offset, bytes);
      }
    }
    scratch_.push_back(item.code);
    if (hooks_.on_write) {
      WriteEvent ev;
      ev.peer = peer_;
      ev.area = item.key;
      ev.offset = item.offset;
      if (item.is_bit) ev.bit = item.bit;
      ev.data.assign(bytes.begin(), bytes.end());
      ev.result = item.code;
      hooks_.on_write(ev);
    }
    if (hooks_.on_log)
      log(peer_ + " write " + area_text(item.key) + "." + std::to_string(item.offset) +
          (item.is_bit ? "." + std::to_string(item.bit) : std::string()) + " x" +
          std::to_string(item.bytes) + " -> " + hex2(item.code));
  }
  finish(2, out);
}

void ServerSession::handle_plc_control(std::uint16_t ref, ByteView param, Bytes& out) {
  // 6.3: stop (0x29) -> STOP; a PI service naming P_PROGRAM (hot/cold start) -> RUN; other PI
  // services (compress, copy RAM to ROM) are acknowledged without a state change. The answer is
  // Ack_Data with a 1-byte parameter, the function code.
  const std::uint8_t function = param[0];
  const CpuState before = control_.cpu_state.load();
  if (function == static_cast<std::uint8_t>(Function::plc_stop)) {
    control_.cpu_state.store(CpuState::stop);
  } else {
    const bool start =
        param.size() <= 2 || std::search(param.begin(), param.end(), kPiServiceProgram.begin(),
                                         kPiServiceProgram.end()) != param.end();
    if (start) control_.cpu_state.store(CpuState::run);
  }
  begin(wire(Rosctr::ack_data), ref, true);
  scratch_.push_back(function);
  finish(1, out);
  log(peer_ + (function == static_cast<std::uint8_t>(Function::plc_stop) ? " PLC stop"
                                                                         : " PLC start/control"));
  if (const CpuState now = control_.cpu_state.load(); now != before && hooks_.on_state_change)
    hooks_.on_state_change(peer_, now);
}

bool ServerSession::handle_userdata(std::uint16_t ref, ByteView param, ByteView data, Bytes& out) {
  // 6.1: request parameter 00 01 12 <len> <syntax> <type|group> <subfunction> <sequence>.
  if (param.size() < kUdRequestParamSize ||
      !std::equal(std::begin(kUdHead), std::end(kUdHead), param.begin())) {
    log(peer_ + " malformed userdata parameter");
    return false;
  }
  const std::uint8_t group = param[5] & kUdGroupNibble;
  const std::uint8_t subfunction = param[6];
  const std::uint8_t sequence = param[7];
  std::uint16_t error = 0;
  const std::uint8_t* payload = nullptr;
  std::size_t payload_size = 0;
  std::uint16_t id = 0, index = 0;
  szl::Answer answer;
  if (group == kUdGroupCpu && subfunction == kUdSubReadSzl) {
    // Read SZL: data FF 09 00 04 <id> <index> (python-snap7 sends 0A 00: not validated).
    if (data.size() >= 8) {
      id = get16(&data[4]);
      index = get16(&data[6]);
      szl::Context ctx{options_.identity, control_.cpu_state.load(), pdu_,
                       options_.max_connections};
      if (szl::build(id, index, ctx, answer)) {
        payload = answer.bytes.data();
        payload_size = answer.bytes.size();
      } else {
        error = kSzlErrorNotAvailable;  // information function unavailable
      }
    } else {
      error = kSzlErrorNotAvailable;  // follow-up request: we never fragment, nothing is pending
    }
  } else if (group == kUdGroupCpu) {
    error = kSzlErrorNotAvailable;  // other CPU function (Snap7 answers the same, seen live)
  } else {
    error = kHeaderErrorNotAvailable;  // group not implemented
  }
  if (hooks_.on_log)
    log(peer_ + " userdata group " + std::to_string(group) + " sub " + std::to_string(subfunction) +
        " szl " + hex2(id >> 8) + hex2(id & 0xFF) + (error ? " -> error" : ""));
  // Response parameter (12 bytes): 00 01 12 08 12 <0x80|group> <sub> <seq> <dur> <last> <err>.
  begin(wire(Rosctr::userdata), ref, false);
  scratch_.insert(scratch_.end(), std::begin(kUdHead), std::end(kUdHead));
  scratch_.insert(scratch_.end(),
                  {static_cast<std::uint8_t>(kUdResponseParamSize - sizeof kUdHead - 1),
                   kUdMethodResponse, static_cast<std::uint8_t>(kUdTypeResponse | group),
                   subfunction, sequence, 0, 0});  // data unit reference 0, last unit
  put16(scratch_, error);
  if (error != 0) {
    // 0A 00 00 00: no data (Snap7's form).
    scratch_.insert(scratch_.end(),
                    {kItemNotFound, static_cast<std::uint8_t>(DataTransport::null), 0, 0});
  } else {
    // FF 09 <length> <id> <index> <LENTHDR> <N_DR> <records>; always fits PDU 240 (szl.hpp).
    scratch_.insert(scratch_.end(),
                    {kItemSuccess, static_cast<std::uint8_t>(DataTransport::octet_string)});
    put16(scratch_, static_cast<std::uint16_t>(4 + payload_size));
    put16(scratch_, id);
    put16(scratch_, index);
    scratch_.insert(scratch_.end(), payload, payload + payload_size);
  }
  finish(kUdResponseParamSize, out);
  return true;
}

void ServerSession::begin(std::uint8_t rosctr, std::uint16_t ref, bool with_error,
                          std::uint8_t error_class, std::uint8_t error_code) {
  scratch_.clear();
  // push_back, not insert({...}): MinGW's g++ 12 at -O3 takes an insert into the just-cleared
  // vector for an overflow (-Wstringop-overflow, a false positive).
  scratch_.push_back(kProtocolId);
  scratch_.push_back(rosctr);
  put16(scratch_, 0);    // reserved
  put16(scratch_, ref);  // PDU reference echoed verbatim (section 2)
  put16(scratch_, 0);    // parameter length, patched by finish
  put16(scratch_, 0);    // data length, patched by finish
  if (with_error) {
    scratch_.push_back(error_class);
    scratch_.push_back(error_code);
  }
}

void ServerSession::finish(std::size_t param_length, Bytes& out) {
  const std::size_t header =
      scratch_[1] == wire(Rosctr::ack) || scratch_[1] == wire(Rosctr::ack_data) ? kAckHeaderSize
                                                                                : kJobHeaderSize;
  if (scratch_.size() > pdu_) {
    // Safety net: never send a PDU bigger than negotiated.
    const std::uint16_t ref = get16(&scratch_[4]);
    begin(wire(Rosctr::ack_data), ref, true, kErrorClassSupplies, 0);
    append_data_frame(out, scratch_);
    ++answered_;
    return;
  }
  patch16(scratch_, 6, param_length);
  patch16(scratch_, 8, scratch_.size() - header - param_length);
  append_data_frame(out, scratch_);
  ++answered_;
}

void ServerSession::answer_header_error(std::uint8_t rosctr, std::uint16_t ref,
                                        std::uint8_t error_class, std::uint8_t error_code,
                                        Bytes& out) {
  begin(rosctr, ref, true, error_class, error_code);
  finish(0, out);
}

void ServerSession::log(const std::string& line) const {
  if (hooks_.on_log) hooks_.on_log(line);
}

}  // namespace s7
