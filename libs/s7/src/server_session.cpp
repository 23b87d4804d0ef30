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

// S7 item return codes (fact sheet section 4.4).
constexpr std::uint8_t kAccessDenied = 0x03;
constexpr std::uint8_t kOutOfRange = 0x05;
constexpr std::uint8_t kTypeUnsupported = 0x06;
constexpr std::uint8_t kSizeMismatch = 0x07;
constexpr std::uint8_t kNotFound = 0x0A;

constexpr std::size_t kJobHeader = 10;   // Job/Userdata header; Ack/Ack_Data add 2 error bytes
constexpr std::uint16_t kMinPdu = 240;   // fact sheet section 3: the sensible floor
constexpr std::uint16_t kMaxPdu = 8192;  // keeps every bit length below 65536

using detail::get16;
using detail::patch16;
using detail::put16;

// Bytes per element of an item transport size (fact sheet section 4.1); 0 = unknown.
std::uint32_t element_bytes(std::uint8_t transport) {
  switch (transport) {
    case 0x01:
    case 0x02:
    case 0x03:
      return 1;  // BIT, BYTE, CHAR
    case 0x04:
    case 0x05:
    case 0x09:
    case 0x0C:
      return 2;  // WORD, INT, DATE, S5TIME
    case 0x06:
    case 0x07:
    case 0x08:
    case 0x0A:
    case 0x0B:
      return 4;  // DWORD DINT REAL TOD TIME
    case 0x0F:
      return 8;  // DATE_AND_TIME
    case 0x1C:
    case 0x1D:
      return 2;  // COUNTER, TIMER
    default:
      return 0;
  }
}

// Data transport size and length field of a read answer (fact sheet section 4.3, server
// recommendation): BIT 0x03 len 1; INT/DINT 0x05 bits; REAL 0x07 bytes; T/C 0x09 bytes;
// BYTE/CHAR/WORD/DWORD and the rest 0x04 bits.
void read_transport(std::uint8_t item_transport, std::uint32_t bytes, std::uint8_t& ts,
                    std::uint16_t& length) {
  switch (item_transport) {
    case 0x01:
      ts = 0x03;
      length = 1;
      return;
    case 0x05:
    case 0x07:
      ts = 0x05;
      break;
    case 0x08:
      ts = 0x07;
      length = static_cast<std::uint16_t>(bytes);
      return;
    case 0x1C:
    case 0x1D:
      ts = 0x09;
      length = static_cast<std::uint16_t>(bytes);
      return;
    default:
      ts = 0x04;
      break;
  }
  length = static_cast<std::uint16_t>(bytes * 8);
}

// Data bytes a write data item's length field means under the Wireshark rule (bits for
// 0x03/0x04/0x05, bytes otherwise); used only to step over an item whose length is wrong.
std::size_t wireshark_bytes(std::uint8_t ts, std::uint16_t length) {
  if (ts == 0x03 || ts == 0x04 || ts == 0x05) return (static_cast<std::size_t>(length) + 7) / 8;
  return length;
}

// Wire area code to the memory it names. Direct peripheral access (0x80) reads the input
// modules and writes the output modules; a fake PLC's modules are its I and Q bytes.
bool area_for(std::uint8_t code, std::uint16_t db, bool for_write, AreaKey& key) {
  switch (code) {
    case 0x80:
      key = {for_write ? Area::outputs : Area::inputs, 0};
      return true;
    case 0x81:
      key = {Area::inputs, 0};
      return true;
    case 0x82:
      key = {Area::outputs, 0};
      return true;
    case 0x83:
      key = {Area::merkers, 0};
      return true;
    case 0x84:
      key = {Area::db, db};
      return true;
    case 0x1C:
      key = {Area::counters, 0};
      return true;
    case 0x1D:
      key = {Area::timers, 0};
      return true;
    default:
      return false;
  }
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
  Bytes cc = encode_frame(make_connect_confirm(cr, 0x0001, 0x0A));
  out.insert(out.end(), cc.begin(), cc.end());
  connected_ = true;
  log(peer_ + " connected");
  return true;
}

bool ServerSession::handle_pdu(ByteView pdu, Bytes& out) {
  // S7 header (fact sheet section 2): 0x32, ROSCTR, reserved, ref, param length, data length.
  if (pdu.size() < kJobHeader || pdu[0] != kProtocolId) {
    log(peer_ + " malformed S7 header");
    return false;
  }
  const std::uint8_t rosctr = pdu[1];
  const std::uint16_t ref = get16(&pdu[4]);
  const std::size_t plen = get16(&pdu[6]);
  const std::size_t dlen = get16(&pdu[8]);
  if (kJobHeader + plen + dlen != pdu.size()) {
    log(peer_ + " S7 header lengths do not add up");
    return false;
  }
  const ByteView param = pdu.subspan(kJobHeader, plen);
  const ByteView data = pdu.subspan(kJobHeader + plen, dlen);
  if (rosctr == static_cast<std::uint8_t>(Rosctr::job))
    return handle_job(ref, pdu, param, data, out);
  if (rosctr == static_cast<std::uint8_t>(Rosctr::userdata))
    return handle_userdata(ref, param, data, out);
  log(peer_ + " unexpected ROSCTR 0x" + hex2(rosctr));
  return false;
}

bool ServerSession::handle_job(std::uint16_t ref, ByteView pdu, ByteView param, ByteView data,
                               Bytes& out) {
  const std::uint8_t function = param.empty() ? 0x00 : param[0];
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
  answer_header_error(static_cast<std::uint8_t>(Rosctr::ack), ref, 0x81, 0x04, out);
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
  begin(static_cast<std::uint8_t>(Rosctr::ack_data), ref, true);
  scratch_.insert(scratch_.end(), {0xF0, 0x00});
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
  const std::uint32_t address = (static_cast<std::uint32_t>(spec[9]) << 16) |
                                (static_cast<std::uint32_t>(spec[10]) << 8) | spec[11];
  const std::uint32_t size = element_bytes(item.transport);
  if (spec[0] != 0x12 || spec[1] != 0x0A || spec[2] != 0x10 || size == 0) {
    // Unknown transport size / syntax: 0x05 in reads, 0x06 in writes (Snap7, seen live).
    item.code = for_write ? kTypeUnsupported : kOutOfRange;
    return;
  }
  item.is_bit = item.transport == 0x01;
  item.bytes = item.is_bit ? 1 : size * count;
  if (!area_for(area, db, for_write, item.key)) {
    item.code = kNotFound;  // unsupported area: object does not exist
    return;
  }
  if (area == 0x1C || area == 0x1D) {
    item.offset = address * 2;  // T/C: the address is the number, 2 bytes each (4.2)
  } else {
    item.offset = address >> 3;
    item.bit = static_cast<std::uint8_t>(address & 0x07);
    // Bit part must be 0 for non-BIT items; BIT items address exactly one bit (4.2, 4.4).
    if ((!item.is_bit && item.bit != 0) || (item.is_bit && count != 1)) {
      item.code = kOutOfRange;
      return;
    }
  }
  if (count == 0) {
    item.code = kOutOfRange;
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
  const std::uint8_t ack_data = static_cast<std::uint8_t>(Rosctr::ack_data);
  if (param.size() < 2) {
    // python-snap7's get_cpu_state() stub sends a bare `04`; any non-error answer satisfies it.
    begin(ack_data, ref, true);
    scratch_.insert(scratch_.end(), {0x04, 0x01, kNotFound, 0x00, 0x00, 0x00});
    finish(2, out);
    return;
  }
  const std::size_t n = param[1];
  if (n == 0 || param.size() != 2 + 12 * n) {
    answer_header_error(ack_data, ref, 0x85, 0x00, out);
    return;
  }
  plan_.resize(n);
  for (std::size_t i = 0; i < n; ++i) plan_item(&param[2 + 12 * i], false, plan_[i]);
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
    answer_header_error(ack_data, ref, 0x85, 0x00, out);
    return;
  }
  begin(ack_data, ref, true);
  scratch_.push_back(0x04);
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
      scratch_.insert(scratch_.end(), {code, 0x00, 0x00, 0x00});
      continue;
    }
    // Fill byte 0x00 after an odd item, except the last (4.3, pitfall 6).
    if ((item.bytes & 1) != 0 && i + 1 < n) scratch_.push_back(0x00);
  }
  finish(2, out);
  if (hooks_.on_log) log(peer_ + " read " + std::to_string(n) + " item(s)");
}

void ServerSession::handle_write(std::uint16_t ref, ByteView pdu, ByteView param, ByteView data,
                                 Bytes& out) {
  const std::uint8_t ack_data = static_cast<std::uint8_t>(Rosctr::ack_data);
  const std::size_t n = param.size() >= 2 ? param[1] : 0;
  if (n == 0 || param.size() != 2 + 12 * n) {
    answer_header_error(ack_data, ref, 0x85, 0x00, out);
    return;
  }
  if (pdu.size() > pdu_) {
    answer_header_error(ack_data, ref, 0x85, 0x00, out);
    return;
  }
  plan_.resize(n);
  for (std::size_t i = 0; i < n; ++i) plan_item(&param[2 + 12 * i], true, plan_[i]);
  // Walk the data items (4.5 robust rule): with E = count x size, the length field must be E
  // (bytes) or 8E (bits) whatever the data transport size; step over E (+ fill) bytes. A wrong
  // length gets 0x07 and is stepped over by the Wireshark rule; items past the end get 0x07.
  std::size_t pos = 0;
  for (std::size_t i = 0; i < n; ++i) {
    auto& item = plan_[i];
    if (pos + 4 > data.size()) {
      item.code = kSizeMismatch;
      continue;
    }
    const std::uint8_t ts = data[pos + 1];
    const std::uint16_t length = get16(&data[pos + 2]);
    std::size_t step = 0;
    const std::size_t e = element_bytes(item.transport) == 0 ? 0 : item.bytes;
    if (e != 0 && (length == e || length == 8 * e)) {
      step = e;
    } else {
      step = wireshark_bytes(ts, length);
      if (item.code == kItemSuccess) item.code = kSizeMismatch;
    }
    item.data_pos = pos + 4;
    if (item.data_pos + step > data.size()) {
      if (item.code == kItemSuccess) item.code = kSizeMismatch;
      pos = data.size();
      continue;
    }
    pos = item.data_pos + step + ((step & 1) != 0 && i + 1 < n ? 1 : 0);
  }
  apply_item_faults();
  const std::size_t executed = control_.first_item_writes.load() ? 1 : n;
  begin(ack_data, ref, true);
  scratch_.push_back(0x05);
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
    static constexpr std::uint8_t kProgram[] = {'P', '_', 'P', 'R', 'O', 'G', 'R', 'A', 'M'};
    const bool start =
        param.size() <= 2 || std::search(param.begin(), param.end(), std::begin(kProgram),
                                         std::end(kProgram)) != param.end();
    if (start) control_.cpu_state.store(CpuState::run);
  }
  begin(static_cast<std::uint8_t>(Rosctr::ack_data), ref, true);
  scratch_.push_back(function);
  finish(1, out);
  log(peer_ + (function == 0x29 ? " PLC stop" : " PLC start/control"));
  if (const CpuState now = control_.cpu_state.load(); now != before && hooks_.on_state_change)
    hooks_.on_state_change(peer_, now);
}

bool ServerSession::handle_userdata(std::uint16_t ref, ByteView param, ByteView data, Bytes& out) {
  // 6.1: request parameter 00 01 12 <len> <syntax> <type|group> <subfunction> <sequence>.
  if (param.size() < 8 || param[0] != 0x00 || param[1] != 0x01 || param[2] != 0x12) {
    log(peer_ + " malformed userdata parameter");
    return false;
  }
  const std::uint8_t group = param[5] & 0x0F;
  const std::uint8_t subfunction = param[6];
  const std::uint8_t sequence = param[7];
  std::uint16_t error = 0;
  const std::uint8_t* payload = nullptr;
  std::size_t payload_size = 0;
  std::uint16_t id = 0, index = 0;
  szl::Answer answer;
  if (group == 0x04 && subfunction == 0x01) {
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
        error = 0xD402;  // information function unavailable
      }
    } else {
      error = 0xD402;  // follow-up request: we never fragment, nothing is pending
    }
  } else if (group == 0x04) {
    error = 0xD402;  // other CPU function (Snap7 answers the same, seen live)
  } else {
    error = 0x8104;  // group not implemented
  }
  if (hooks_.on_log)
    log(peer_ + " userdata group " + std::to_string(group) + " sub " + std::to_string(subfunction) +
        " szl " + hex2(id >> 8) + hex2(id & 0xFF) + (error ? " -> error" : ""));
  // Response parameter (12 bytes): 00 01 12 08 12 <0x80|group> <sub> <seq> <dur> <last> <err>.
  begin(static_cast<std::uint8_t>(Rosctr::userdata), ref, false);
  scratch_.insert(scratch_.end(),
                  {0x00, 0x01, 0x12, 0x08, 0x12, static_cast<std::uint8_t>(0x80 | group),
                   subfunction, sequence, 0x00, 0x00});
  put16(scratch_, error);
  if (error != 0) {
    scratch_.insert(scratch_.end(), {0x0A, 0x00, 0x00, 0x00});
  } else {
    // FF 09 <length> <id> <index> <LENTHDR> <N_DR> <records>; always fits PDU 240 (szl.hpp).
    scratch_.insert(scratch_.end(), {kItemSuccess, 0x09});
    put16(scratch_, static_cast<std::uint16_t>(4 + payload_size));
    put16(scratch_, id);
    put16(scratch_, index);
    scratch_.insert(scratch_.end(), payload, payload + payload_size);
  }
  finish(12, out);
  return true;
}

void ServerSession::begin(std::uint8_t rosctr, std::uint16_t ref, bool with_error,
                          std::uint8_t error_class, std::uint8_t error_code) {
  scratch_.clear();
  scratch_.insert(scratch_.end(), {kProtocolId, rosctr, 0x00, 0x00});
  put16(scratch_, ref);  // PDU reference echoed verbatim (section 2)
  scratch_.insert(scratch_.end(), {0x00, 0x00, 0x00, 0x00});
  if (with_error) scratch_.insert(scratch_.end(), {error_class, error_code});
}

void ServerSession::finish(std::size_t param_length, Bytes& out) {
  const std::size_t header = scratch_[1] == static_cast<std::uint8_t>(Rosctr::ack) ||
                                     scratch_[1] == static_cast<std::uint8_t>(Rosctr::ack_data)
                                 ? 12
                                 : 10;
  if (scratch_.size() > pdu_) {
    // Safety net: never send a PDU bigger than negotiated.
    const std::uint16_t ref = get16(&scratch_[4]);
    begin(static_cast<std::uint8_t>(Rosctr::ack_data), ref, true, 0x85, 0x00);
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
