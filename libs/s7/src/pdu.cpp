// Sans-IO S7comm PDU codec: header, setup communication, Read/Write Var, SZL userdata, errors.
#include "s7/pdu.hpp"
#include "big_endian.hpp"

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>

namespace s7 {

namespace {

using detail::get16;
using detail::get24;
using detail::put16;
using detail::put24;

void put_bytes(Bytes& out, ByteView b) {
  out.insert(out.end(), b.begin(), b.end());
}

bool has_error_fields(Rosctr r) {
  return r == Rosctr::ack || r == Rosctr::ack_data;
}

Error pdu_error(std::string why) {
  return Error(Errc::malformed_pdu, std::move(why));
}

// ---- sizes of the encoded parts (used by the builders to fill in the header lengths) ----

std::size_t items_size(const std::vector<DataItem>& items) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::size_t l = items[i].data.size();
    // Fill byte after odd-length data, never after the last item (fact sheet 4.3, 9.6).
    n += 4 + l + ((l % 2 == 1 && i + 1 < items.size()) ? 1 : 0);
  }
  return n;
}

struct PartSizes {
  std::size_t param = 0;
  std::size_t data = 0;
};

PartSizes part_sizes(const PduBody& body) {
  return std::visit(
      [](const auto& b) -> PartSizes {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, SetupCommunication>) {
          return {8, 0};
        } else if constexpr (std::is_same_v<T, ReadRequest>) {
          return {2 + kItemSpecSize * b.items.size(), 0};
        } else if constexpr (std::is_same_v<T, ReadResponse>) {
          return {2, items_size(b.items)};
        } else if constexpr (std::is_same_v<T, WriteRequest>) {
          return {2 + kItemSpecSize * b.items.size(), items_size(b.data)};
        } else if constexpr (std::is_same_v<T, WriteResponse>) {
          return {2, b.codes.size()};
        } else if constexpr (std::is_same_v<T, SzlRequest>) {
          return {kUdRequestParamSize, b.follow_up ? 4u : 8u};
        } else if constexpr (std::is_same_v<T, SzlResponse>) {
          return {kUdResponseParamSize, 4 + (b.has_header ? 4u : 0u) + b.payload.size()};
        } else if constexpr (std::is_same_v<T, PlcControl>) {
          return {b.param.size(), 0};
        } else {  // UserdataRaw, OtherPdu
          return {b.param.size(), b.data.size()};
        }
      },
      body);
}

// ---- encoders of the parts ----

void put_items(Bytes& out, const std::vector<DataItem>& items) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    const DataItem& it = items[i];
    out.push_back(it.return_code);
    out.push_back(it.transport);
    put16(out, it.length_field);
    put_bytes(out, it.data);
    if (it.data.size() % 2 == 1 && i + 1 < items.size()) out.push_back(0);  // fill
  }
}

void put_param(Bytes& out, const PduBody& body) {
  std::visit(
      [&out](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, SetupCommunication>) {
          // Fact sheet 3: F0 00, AmQ calling, AmQ called, PDU length.
          out.push_back(static_cast<std::uint8_t>(Function::setup_communication));
          out.push_back(0);  // reserved
          put16(out, b.amq_calling);
          put16(out, b.amq_called);
          put16(out, b.pdu_length);
        } else if constexpr (std::is_same_v<T, ReadRequest>) {
          out.push_back(static_cast<std::uint8_t>(Function::read_var));
          out.push_back(static_cast<std::uint8_t>(b.items.size()));
          for (const auto& s : b.items) append_item_spec(out, s);
        } else if constexpr (std::is_same_v<T, ReadResponse>) {
          out.push_back(static_cast<std::uint8_t>(Function::read_var));
          out.push_back(static_cast<std::uint8_t>(b.items.size()));
        } else if constexpr (std::is_same_v<T, WriteRequest>) {
          out.push_back(static_cast<std::uint8_t>(Function::write_var));
          out.push_back(static_cast<std::uint8_t>(b.items.size()));
          for (const auto& s : b.items) append_item_spec(out, s);
        } else if constexpr (std::is_same_v<T, WriteResponse>) {
          out.push_back(static_cast<std::uint8_t>(Function::write_var));
          out.push_back(static_cast<std::uint8_t>(b.codes.size()));
        } else if constexpr (std::is_same_v<T, SzlRequest>) {
          // Fact sheet 6.1, 8-byte request form: 00 01 12 04 11 44 01 <seq>.
          put_bytes(out, kUdHead);
          out.push_back(static_cast<std::uint8_t>(kUdRequestParamSize - sizeof kUdHead -
                                                  1));  // length of the rest
          out.push_back(kUdMethodRequest);
          out.push_back(kUdTypeRequest | kUdGroupCpu);
          out.push_back(kUdSubReadSzl);
          out.push_back(b.sequence);
        } else if constexpr (std::is_same_v<T, SzlResponse>) {
          // 12-byte response form: ... 08 12 84 01 <seq> <dur> <last: 00 last, 01 more> <err>.
          put_bytes(out, kUdHead);
          out.push_back(static_cast<std::uint8_t>(kUdResponseParamSize - sizeof kUdHead -
                                                  1));  // length of the rest
          out.push_back(kUdMethodResponse);
          out.push_back(kUdTypeResponse | kUdGroupCpu);
          out.push_back(kUdSubReadSzl);
          out.push_back(b.sequence);
          out.push_back(b.data_unit_ref);
          out.push_back(b.last ? 0x00 : 0x01);
          put16(out, b.error);
        } else {  // UserdataRaw, PlcControl, OtherPdu
          put_bytes(out, b.param);
        }
      },
      body);
}

void put_data(Bytes& out, const PduBody& body) {
  std::visit(
      [&out](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, ReadResponse>) {
          put_items(out, b.items);
        } else if constexpr (std::is_same_v<T, WriteRequest>) {
          put_items(out, b.data);
        } else if constexpr (std::is_same_v<T, WriteResponse>) {
          put_bytes(out, b.codes);
        } else if constexpr (std::is_same_v<T, SzlRequest>) {
          out.push_back(b.return_code);
          out.push_back(b.transport);
          if (b.follow_up) {
            put16(out, 0);
          } else {
            put16(out, 4);
            put16(out, b.id);
            put16(out, b.index);
          }
        } else if constexpr (std::is_same_v<T, SzlResponse>) {
          out.push_back(b.return_code);
          out.push_back(b.transport);
          put16(out, static_cast<std::uint16_t>((b.has_header ? 4 : 0) + b.payload.size()));
          if (b.has_header) {
            put16(out, b.id);
            put16(out, b.index);
          }
          put_bytes(out, b.payload);
        } else if constexpr (std::is_same_v<T, UserdataRaw> || std::is_same_v<T, OtherPdu>) {
          put_bytes(out, b.data);
        }
        // SetupCommunication, ReadRequest, PlcControl: no data part.
      },
      body);
}

// ---- decoders ----

Result<SetupCommunication> parse_setup(ByteView param, ByteView data) {
  if (param.size() != 8 || !data.empty())
    return pdu_error("setup communication needs an 8-byte parameter and no data");
  SetupCommunication s;
  s.amq_calling = get16(param.data() + 2);
  s.amq_called = get16(param.data() + 4);
  s.pdu_length = get16(param.data() + 6);
  return s;
}

Result<std::vector<ItemSpec>> parse_specs(ByteView param) {
  if (param.size() < 2) return pdu_error("Read/Write Var parameter shorter than 2 bytes");
  const std::size_t n = param[1];
  if (param.size() != 2 + kItemSpecSize * n)
    return pdu_error("Read/Write Var parameter length does not match the item count");
  std::vector<ItemSpec> specs;
  specs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t* p = param.data() + 2 + kItemSpecSize * i;
    // S7ANY item (fact sheet 4.1): 12 0A <syntax> <ts> <count> <db> <area> <address:24>.
    if (p[0] != kVarSpec || p[1] != kVarSpecLength)
      return pdu_error("item spec is not a 12-byte S7ANY variable specification");
    ItemSpec s;
    s.syntax_id = p[2];
    s.transport = p[3];
    s.count = get16(p + 4);
    s.db = get16(p + 6);
    s.area = p[8];
    s.address = get24(p + 9);
    specs.push_back(s);
  }
  return specs;
}

// Walks `n` data items. With `specs` (write request) an item holds E = spec_byte_size bytes when
// its length field is E or 8E (fact sheet 4.5); otherwise, and in read responses, the Wireshark
// unit rule applies, and non-0xFF read items are exactly 4 bytes (fact sheet 4.3). Fill bytes
// follow odd items except the last; anything after the last item is tolerated padding.
Result<std::vector<DataItem>> parse_items(ByteView data, std::size_t n,
                                          const std::vector<ItemSpec>* specs) {
  std::vector<DataItem> items;
  items.reserve(n);
  std::size_t off = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (data.size() - off < 4) return pdu_error("data item header truncated");
    DataItem it;
    it.return_code = data[off];
    it.transport = data[off + 1];
    it.length_field = get16(data.data() + off + 2);
    off += 4;
    std::size_t bytes = 0;
    if (specs != nullptr) {
      const std::size_t e = spec_byte_size((*specs)[i]);
      if (e > 0 && (it.length_field == e || it.length_field == 8 * e))
        bytes = e;
      else
        bytes = data_item_bytes(it.transport, it.length_field);
    } else if (it.return_code == kItemSuccess) {
      bytes = data_item_bytes(it.transport, it.length_field);
    }
    if (data.size() - off < bytes) return pdu_error("data item runs past the data part");
    it.data.assign(data.begin() + static_cast<std::ptrdiff_t>(off),
                   data.begin() + static_cast<std::ptrdiff_t>(off + bytes));
    off += bytes;
    if (bytes % 2 == 1 && i + 1 < n) {
      if (off >= data.size()) return pdu_error("fill byte missing between data items");
      ++off;  // skip the fill byte without checking its value (Snap7 leaves stale bytes)
    }
    items.push_back(std::move(it));
  }
  return items;
}

bool same_parts(const PduBody& body, ByteView param, ByteView data) {
  Bytes p;
  Bytes d;
  put_param(p, body);
  put_data(d, body);
  return std::equal(p.begin(), p.end(), param.begin(), param.end()) &&
         std::equal(d.begin(), d.end(), data.begin(), data.end());
}

// Userdata: the CPU-functions / read-SZL forms become SzlRequest/SzlResponse when they re-encode
// to the same bytes; any other group or shape stays raw.
PduBody parse_userdata(ByteView param, ByteView data) {
  UserdataRaw raw;
  if (param.size() >= kUdRequestParamSize) {
    raw.type_group = param[5];
    raw.subfunction = param[6];
    raw.sequence = param[7];
  }
  raw.param.assign(param.begin(), param.end());
  raw.data.assign(data.begin(), data.end());
  if (param.size() < kUdRequestParamSize ||
      !std::equal(std::begin(kUdHead), std::end(kUdHead), param.begin()) ||
      (raw.type_group & kUdGroupMask) != kUdGroupCpu || raw.subfunction != kUdSubReadSzl ||
      data.size() < 4)
    return raw;
  const std::uint8_t type = raw.type_group & kUdTypeMask;
  const std::uint16_t len = get16(data.data() + 2);
  if (type == kUdTypeRequest && param.size() == kUdRequestParamSize) {
    SzlRequest r;
    r.sequence = raw.sequence;
    r.return_code = data[0];
    r.transport = data[1];
    if (len == 4 && data.size() == 8) {
      r.id = get16(data.data() + 4);
      r.index = get16(data.data() + 6);
    } else {
      r.follow_up = true;
    }
    PduBody body{r};
    if (same_parts(body, param, data)) return body;
  } else if (type == kUdTypeResponse && param.size() == kUdResponseParamSize) {
    SzlResponse r;
    r.sequence = raw.sequence;
    r.data_unit_ref = param[8];
    r.last = param[9] == 0x00;
    r.error = get16(param.data() + 10);
    r.return_code = data[0];
    r.transport = data[1];
    const auto body_start = data.begin() + 4;
    if (r.return_code == kItemSuccess && len >= 4 && data.size() >= 8) {
      r.has_header = true;
      r.id = get16(data.data() + 4);
      r.index = get16(data.data() + 6);
      r.payload.assign(body_start + 4, data.end());
    } else {
      r.has_header = false;
      r.payload.assign(body_start, data.end());
    }
    PduBody body{std::move(r)};
    if (same_parts(body, param, data)) return body;
  }
  return raw;
}

template <class T>
Result<PduBody> wrap(Result<T> r) {
  if (!r) return r.error();
  return PduBody{std::move(*r)};
}

Result<PduBody> parse_job(ByteView param, ByteView data) {
  if (param.empty()) return PduBody{OtherPdu{Bytes(), Bytes(data.begin(), data.end())}};
  switch (param[0]) {
    case static_cast<std::uint8_t>(Function::setup_communication):
      return wrap(parse_setup(param, data));
    case static_cast<std::uint8_t>(Function::read_var): {
      auto specs = parse_specs(param);
      if (!specs) return specs.error();
      if (!data.empty()) return pdu_error("Read Var request with a data part");
      return PduBody{ReadRequest{std::move(*specs)}};
    }
    case static_cast<std::uint8_t>(Function::write_var): {
      auto specs = parse_specs(param);
      if (!specs) return specs.error();
      auto items = parse_items(data, specs->size(), &*specs);
      if (!items) return items.error();
      return PduBody{WriteRequest{std::move(*specs), std::move(*items)}};
    }
    case static_cast<std::uint8_t>(Function::plc_control):
    case static_cast<std::uint8_t>(Function::plc_stop):
      if (data.empty()) return PduBody{PlcControl{param[0], Bytes(param.begin(), param.end())}};
      break;
    default:
      break;
  }
  return PduBody{OtherPdu{Bytes(param.begin(), param.end()), Bytes(data.begin(), data.end())}};
}

Result<PduBody> parse_ack_data(ByteView param, ByteView data) {
  if (!param.empty()) {
    switch (param[0]) {
      case static_cast<std::uint8_t>(Function::setup_communication):
        return wrap(parse_setup(param, data));
      case static_cast<std::uint8_t>(Function::read_var): {
        if (param.size() != 2) return pdu_error("Read Var response parameter is not 2 bytes");
        auto items = parse_items(data, param[1], nullptr);
        if (!items) return items.error();
        return PduBody{ReadResponse{std::move(*items)}};
      }
      case static_cast<std::uint8_t>(Function::write_var): {
        if (param.size() != 2) return pdu_error("Write Var response parameter is not 2 bytes");
        const std::size_t n = param[1];
        if (data.size() < n) return pdu_error("Write Var response has fewer codes than items");
        return PduBody{
            WriteResponse{Bytes(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n))}};
      }
      default:
        break;
    }
  }
  return PduBody{OtherPdu{Bytes(param.begin(), param.end()), Bytes(data.begin(), data.end())}};
}

Pdu finish(Rosctr rosctr, std::uint16_t ref, PduBody body) {
  Pdu p;
  p.header.rosctr = rosctr;
  p.header.ref = ref;
  const PartSizes s = part_sizes(body);
  p.header.param_length = static_cast<std::uint16_t>(s.param);
  p.header.data_length = static_cast<std::uint16_t>(s.data);
  p.body = std::move(body);
  return p;
}

Bytes plc_param(std::uint8_t function, ByteView tail) {
  Bytes b{function};
  put_bytes(b, tail);
  return b;
}

// PI service name with its length prefix (fact sheet 6.3).
void put_pi_program(Bytes& b) {
  b.push_back(static_cast<std::uint8_t>(kPiServiceProgram.size()));
  b.insert(b.end(), kPiServiceProgram.begin(), kPiServiceProgram.end());
}

}  // namespace

void append_item_spec(Bytes& out, const ItemSpec& s) {
  out.push_back(kVarSpec);
  out.push_back(kVarSpecLength);
  out.push_back(s.syntax_id);
  out.push_back(s.transport);
  put16(out, s.count);
  put16(out, s.db);
  out.push_back(s.area);
  put24(out, s.address);
}

Result<Pdu> decode_pdu(ByteView in) {
  // Fact sheet 2: 0x32, ROSCTR, reserved(2), reference(2), parameter length, data length
  // [, error class, error code for Ack/Ack_Data].
  if (in.size() < kJobHeaderSize) return pdu_error("PDU shorter than the 10-byte S7 header");
  if (in[0] != kProtocolId) return pdu_error("protocol id is not 0x32");
  const std::uint8_t r = in[1];
  if (r != static_cast<std::uint8_t>(Rosctr::job) && r != static_cast<std::uint8_t>(Rosctr::ack) &&
      r != static_cast<std::uint8_t>(Rosctr::ack_data) &&
      r != static_cast<std::uint8_t>(Rosctr::userdata))
    return pdu_error("unknown ROSCTR");
  Pdu p;
  p.header.rosctr = static_cast<Rosctr>(r);
  p.header.ref = get16(in.data() + 4);
  p.header.param_length = get16(in.data() + 6);
  p.header.data_length = get16(in.data() + 8);
  std::size_t hlen = kJobHeaderSize;
  if (has_error_fields(p.header.rosctr)) {
    if (in.size() < kAckHeaderSize) return pdu_error("Ack header shorter than 12 bytes");
    p.header.error_class = in[10];
    p.header.error_code = in[11];
    hlen = kAckHeaderSize;
  }
  if (hlen + p.header.param_length + p.header.data_length != in.size())
    return pdu_error("header lengths do not add up to the PDU size");
  const ByteView param = in.subspan(hlen, p.header.param_length);
  const ByteView data = in.subspan(hlen + p.header.param_length, p.header.data_length);

  Result<PduBody> body = PduBody{};
  switch (p.header.rosctr) {
    case Rosctr::job:
      body = parse_job(param, data);
      break;
    case Rosctr::ack_data:
      if (p.header.error_class == 0 && p.header.error_code == 0) {
        body = parse_ack_data(param, data);
        break;
      }
      [[fallthrough]];
    case Rosctr::ack:
      body = PduBody{OtherPdu{Bytes(param.begin(), param.end()), Bytes(data.begin(), data.end())}};
      break;
    case Rosctr::userdata:
      body = parse_userdata(param, data);
      break;
  }
  if (!body) return body.error();
  p.body = std::move(*body);
  return p;
}

Bytes encode_pdu(const Pdu& pdu) {
  const PartSizes s = part_sizes(pdu.body);
  const bool ack = has_error_fields(pdu.header.rosctr);
  Bytes out;
  out.reserve((ack ? kAckHeaderSize : kJobHeaderSize) + s.param + s.data);
  out.push_back(kProtocolId);
  out.push_back(static_cast<std::uint8_t>(pdu.header.rosctr));
  put16(out, 0x0000);  // redundancy id / reserved
  put16(out, pdu.header.ref);
  // Lengths come from the body, so a hand-built Pdu cannot disagree with its own bytes.
  put16(out, static_cast<std::uint16_t>(s.param));
  put16(out, static_cast<std::uint16_t>(s.data));
  if (ack) {
    out.push_back(pdu.header.error_class);
    out.push_back(pdu.header.error_code);
  }
  put_param(out, pdu.body);
  put_data(out, pdu.body);
  return out;
}

Pdu make_setup_request(std::uint16_t ref, SetupCommunication s) {
  return finish(Rosctr::job, ref, s);
}

Pdu make_setup_response(std::uint16_t ref, SetupCommunication s) {
  return finish(Rosctr::ack_data, ref, s);
}

Pdu make_read_request(std::uint16_t ref, std::vector<ItemSpec> items) {
  return finish(Rosctr::job, ref, ReadRequest{std::move(items)});
}

Pdu make_read_response(std::uint16_t ref, std::vector<DataItem> items) {
  return finish(Rosctr::ack_data, ref, ReadResponse{std::move(items)});
}

Pdu make_write_request(std::uint16_t ref, std::vector<ItemSpec> items, std::vector<DataItem> data) {
  return finish(Rosctr::job, ref, WriteRequest{std::move(items), std::move(data)});
}

Pdu make_write_response(std::uint16_t ref, std::vector<std::uint8_t> codes) {
  return finish(Rosctr::ack_data, ref, WriteResponse{std::move(codes)});
}

Pdu make_szl_request(std::uint16_t ref, std::uint16_t id, std::uint16_t index) {
  SzlRequest r;
  r.id = id;
  r.index = index;
  return finish(Rosctr::userdata, ref, r);
}

Pdu make_szl_follow_up(std::uint16_t ref, std::uint8_t sequence) {
  SzlRequest r;
  r.sequence = sequence;
  r.follow_up = true;
  r.return_code = kItemNotFound;  // data header 0A 00: Snap7's follow-up form
  r.transport = static_cast<std::uint8_t>(DataTransport::null);
  return finish(Rosctr::userdata, ref, r);
}

Pdu make_szl_response(std::uint16_t ref, std::uint8_t sequence, std::uint16_t id,
                      std::uint16_t index, Bytes records) {
  SzlResponse r;
  r.sequence = sequence;
  r.id = id;
  r.index = index;
  r.payload = std::move(records);
  return finish(Rosctr::userdata, ref, std::move(r));
}

Pdu make_szl_error_response(std::uint16_t ref, std::uint8_t sequence, std::uint16_t error) {
  SzlResponse r;
  r.sequence = sequence;
  r.error = error;
  r.return_code = kItemNotFound;
  r.transport = static_cast<std::uint8_t>(DataTransport::null);
  r.has_header = false;
  return finish(Rosctr::userdata, ref, std::move(r));
}

Pdu make_error_ack(std::uint16_t ref, std::uint8_t error_class, std::uint8_t error_code) {
  Pdu p = finish(Rosctr::ack, ref, OtherPdu{});
  p.header.error_class = error_class;
  p.header.error_code = error_code;
  return p;
}

Pdu make_plc_stop(std::uint16_t ref) {
  // 29 00 00 00 00 00 09 "P_PROGRAM" (16 bytes).
  const std::uint8_t tail[] = {0x00, 0x00, 0x00, 0x00, 0x00};
  Bytes b = plc_param(static_cast<std::uint8_t>(Function::plc_stop), tail);
  put_pi_program(b);
  return finish(Rosctr::job, ref, PlcControl{static_cast<std::uint8_t>(Function::plc_stop), b});
}

Pdu make_plc_hot_start(std::uint16_t ref) {
  // 28 00 00 00 00 00 00 FD 00 00 09 "P_PROGRAM" (20 bytes).
  const std::uint8_t tail[] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFD, 0x00, 0x00};
  Bytes b = plc_param(static_cast<std::uint8_t>(Function::plc_control), tail);
  put_pi_program(b);
  return finish(Rosctr::job, ref, PlcControl{static_cast<std::uint8_t>(Function::plc_control), b});
}

Pdu make_plc_cold_start(std::uint16_t ref) {
  // 28 00 00 00 00 00 00 FD 00 02 "C " 09 "P_PROGRAM" (22 bytes).
  const std::uint8_t tail[] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFD, 0x00, 0x02, 'C', ' '};
  Bytes b = plc_param(static_cast<std::uint8_t>(Function::plc_control), tail);
  put_pi_program(b);
  return finish(Rosctr::job, ref, PlcControl{static_cast<std::uint8_t>(Function::plc_control), b});
}

Pdu make_plc_control_response(std::uint16_t ref, std::uint8_t function) {
  return finish(Rosctr::ack_data, ref, OtherPdu{Bytes{function}, Bytes{}});
}

Bytes szl_raw_payload(const SzlResponse& r) {
  Bytes out;
  out.reserve(4 + r.payload.size());
  if (r.has_header) {
    put16(out, r.id);
    put16(out, r.index);
  }
  put_bytes(out, r.payload);
  return out;
}

ItemSpec item_spec_for(const Address& a) {
  ItemSpec s;
  s.area = static_cast<std::uint8_t>(a.area);
  s.db = a.area == Area::db ? a.db : 0;
  s.address = (a.offset * 8u) & 0xFFFFFFu;
  const auto count = static_cast<std::uint16_t>(a.count);
  auto bytes = [&a] { return static_cast<std::uint16_t>(byte_size(a)); };
  // T/C: the element number is the address, not number*8 (fact sheet 4.2).
  if (a.area == Area::timers || a.area == Area::counters) {
    s.transport = static_cast<std::uint8_t>(a.area == Area::timers ? ItemTransport::timer
                                                                   : ItemTransport::counter);
    s.count = count;
    s.address = a.offset & 0xFFFFFFu;
    return s;
  }
  switch (a.type) {
    case DataType::Bool:
      if (a.count == 1) {
        s.transport = static_cast<std::uint8_t>(ItemTransport::bit);
        s.count = 1;
        s.address = (a.offset * 8u + a.bit) & 0xFFFFFFu;
      } else {  // bool arrays: the byte span holding the consecutive bits
        s.transport = static_cast<std::uint8_t>(ItemTransport::byte);
        s.count = bytes();
      }
      return s;
    case DataType::Word:
      s.transport = static_cast<std::uint8_t>(ItemTransport::word);
      s.count = count;
      return s;
    case DataType::Int:
      s.transport = static_cast<std::uint8_t>(ItemTransport::integer);
      s.count = count;
      return s;
    case DataType::DWord:
      s.transport = static_cast<std::uint8_t>(ItemTransport::dword);
      s.count = count;
      return s;
    case DataType::DInt:
      s.transport = static_cast<std::uint8_t>(ItemTransport::dint);
      s.count = count;
      return s;
    case DataType::Real:
      s.transport = static_cast<std::uint8_t>(ItemTransport::real);
      s.count = count;
      return s;
    default:  // BYTE, CHAR, STRING and every other type: BYTE x byte span
      s.transport = static_cast<std::uint8_t>(ItemTransport::byte);
      s.count = bytes();
      return s;
  }
}

ItemSpec byte_range_spec(Area area, std::uint16_t db, std::uint32_t byte_offset,
                         std::uint16_t length) {
  ItemSpec s;
  s.transport = static_cast<std::uint8_t>(ItemTransport::byte);
  s.count = length;
  s.db = area == Area::db ? db : 0;
  s.area = static_cast<std::uint8_t>(area);
  s.address = (byte_offset * 8u) & 0xFFFFFFu;
  return s;
}

std::size_t item_element_size(std::uint8_t item_transport) {
  switch (static_cast<ItemTransport>(item_transport)) {
    case ItemTransport::bit:
    case ItemTransport::byte:
    case ItemTransport::chr:
      return 1;
    case ItemTransport::word:
    case ItemTransport::integer:
    case ItemTransport::date:
    case ItemTransport::s5time:
    case ItemTransport::counter:
    case ItemTransport::timer:
      return 2;
    case ItemTransport::dword:
    case ItemTransport::dint:
    case ItemTransport::real:
    case ItemTransport::tod:
    case ItemTransport::time:
      return 4;
    case ItemTransport::date_and_time:
      return 8;
  }
  return 0;
}

std::size_t spec_byte_size(const ItemSpec& s) {
  return item_element_size(s.transport) * s.count;
}

DataItem make_data_item(const ItemSpec& spec, Bytes data, std::uint8_t return_code) {
  DataItem it;
  it.return_code = return_code;
  if (return_code != kItemSuccess && return_code != kItemReserved) {
    // Error item: [code][0x00][0x0000], no data (fact sheet 4.3).
    it.transport = static_cast<std::uint8_t>(DataTransport::null);
    it.length_field = 0;
    return it;
  }
  const std::size_t n = data.size();
  auto bits = [n] { return static_cast<std::uint16_t>(n * 8); };
  switch (static_cast<ItemTransport>(spec.transport)) {
    case ItemTransport::bit:  // BIT: 0x03, length 1
      it.transport = static_cast<std::uint8_t>(DataTransport::bit);
      it.length_field = 1;
      break;
    case ItemTransport::integer:
    case ItemTransport::dint:  // INT, DINT: 0x05 in bits
      it.transport = static_cast<std::uint8_t>(DataTransport::integer);
      it.length_field = bits();
      break;
    case ItemTransport::real:  // REAL: 0x07 in bytes
      it.transport = static_cast<std::uint8_t>(DataTransport::real);
      it.length_field = static_cast<std::uint16_t>(n);
      break;
    case ItemTransport::counter:
    case ItemTransport::timer:  // COUNTER, TIMER: 0x09 in bytes
      it.transport = static_cast<std::uint8_t>(DataTransport::octet_string);
      it.length_field = static_cast<std::uint16_t>(n);
      break;
    default:  // BYTE, CHAR, WORD, DWORD and the rest: 0x04 in bits
      it.transport = static_cast<std::uint8_t>(DataTransport::byte_word_dword);
      it.length_field = bits();
      break;
  }
  it.data = std::move(data);
  return it;
}

std::size_t data_item_bytes(std::uint8_t transport, std::uint16_t length_field) {
  // Wireshark's unit rule: bits for BIT, BYTE/WORD/DWORD and INTEGER, bytes otherwise.
  if (transport == static_cast<std::uint8_t>(DataTransport::bit) ||
      transport == static_cast<std::uint8_t>(DataTransport::byte_word_dword) ||
      transport == static_cast<std::uint8_t>(DataTransport::integer))
    return (static_cast<std::size_t>(length_field) + 7) / 8;
  return length_field;
}

std::size_t read_request_size(std::size_t items) {
  return kJobHeaderSize + 2 + kItemSpecSize * items;
}

std::size_t read_response_size(const std::vector<std::size_t>& item_bytes) {
  std::size_t n = kAckHeaderSize + 2;
  for (std::size_t i = 0; i < item_bytes.size(); ++i)
    n += 4 + item_bytes[i] + ((item_bytes[i] % 2 == 1 && i + 1 < item_bytes.size()) ? 1 : 0);
  return n;
}

std::size_t write_request_size(const std::vector<std::size_t>& item_bytes) {
  std::size_t n = kJobHeaderSize + 2 + kItemSpecSize * item_bytes.size();
  for (std::size_t i = 0; i < item_bytes.size(); ++i)
    n += 4 + item_bytes[i] + ((item_bytes[i] % 2 == 1 && i + 1 < item_bytes.size()) ? 1 : 0);
  return n;
}

}  // namespace s7
