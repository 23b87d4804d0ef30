// Client helpers without sockets: TSAPs, connection text, item texts/errors, request packing.
#include <algorithm>
#include <cstdio>
#include <string>
#include <tuple>

#include "client_detail.hpp"
#include "s7/client.hpp"

namespace s7 {
namespace {

using detail::spec_bytes;

bool is_transport(const ItemSpec& s, ItemTransport t) {
  return s.transport == static_cast<std::uint8_t>(t);
}

bool is_timer_or_counter(const ItemSpec& s) {
  return is_transport(s, ItemTransport::timer) || is_transport(s, ItemTransport::counter);
}

bool never_split(const ItemSpec& s) {
  return is_transport(s, ItemTransport::bit) || is_timer_or_counter(s);
}

std::string hex2(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", v & 0xFFu);
  return buf;
}

std::string tsap_text(std::uint16_t t) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02X.%02X", (t >> 8) & 0xFFu, t & 0xFFu);
  return buf;
}

// "DB3", "M", "I", "Q", "T", "C" (prefix of Siemens addresses).
std::string area_prefix(const ItemSpec& s) {
  switch (static_cast<Area>(s.area)) {
    case Area::db:
      return "DB" + std::to_string(s.db);
    case Area::merkers:
      return "M";
    case Area::inputs:
      return "I";
    case Area::outputs:
      return "Q";
    case Area::counters:
      return "C";
    case Area::timers:
      return "T";
    case Area::periphery:
      return "P";
  }
  return "area " + hex2(s.area) + " ";
}

struct Chunk {
  std::size_t item;
  std::uint32_t offset;
  std::size_t len;
};

// Exact request/answer sizes of a request whose chunks are in their final order (fill byte
// after an odd-length item except the last, §4.3/§4.5).
void size_request(PlannedRequest& r, bool write) {
  const std::size_t n = r.chunks.size();
  std::size_t data = 0;
  for (std::size_t k = 0; k < n; ++k) {
    data += 4 + r.chunks[k].length;
    if ((r.chunks[k].length % 2) != 0 && k + 1 < n) ++data;
  }
  r.request_bytes = write ? 12 + 12 * n + data : 12 + 12 * n;
  r.response_bytes = write ? 14 + n : 14 + data;
}

// Places chunks, taken in `order`, first-fit into the earliest request with room. Budgets:
// fact sheet §4.6. `exact_fill`: chunks arrive in item order, so the fill byte after the
// previous chunk is known; otherwise every odd chunk is charged a fill byte (an upper bound,
// the exact sizes are computed once each request's chunks are back in item order).
std::vector<PlannedRequest> first_fit(const std::vector<Chunk>& chunks,
                                      const std::vector<std::size_t>& order, std::size_t pdu,
                                      bool write, bool exact_fill) {
  struct Bin {
    PlannedRequest req;
    bool last_odd = false;
  };
  std::vector<Bin> bins;
  for (std::size_t ci : order) {
    const Chunk& c = chunks[ci];
    const auto l16 = static_cast<std::uint16_t>(std::min<std::size_t>(c.len, 0xFFFF));
    const std::size_t own_fill = !exact_fill && (c.len % 2) != 0 ? 1 : 0;
    bool placed = false;
    for (auto& b : bins) {
      const std::size_t fill = exact_fill && b.last_odd ? 1 : 0;
      std::size_t req = b.req.request_bytes;
      std::size_t resp = b.req.response_bytes;
      if (write) {
        req += 12 + fill + 4 + c.len + own_fill;  // item spec + fill + data item
        resp += 1;                                // one return code
      } else {
        req += 12;
        resp += fill + 4 + c.len + own_fill;
      }
      if (req <= pdu && resp <= pdu) {
        b.req.request_bytes = req;
        b.req.response_bytes = resp;
        b.req.chunks.push_back({c.item, c.offset, l16});
        b.last_odd = (c.len % 2) != 0;
        placed = true;
        break;
      }
    }
    if (placed) continue;
    Bin b;
    b.req.request_bytes = write ? 12 + 12 + 4 + c.len + own_fill : 12 + 12;
    b.req.response_bytes = write ? 14 + 1 : 14 + 4 + c.len + own_fill;
    b.req.chunks.push_back({c.item, c.offset, l16});
    b.last_odd = (c.len % 2) != 0;
    bins.push_back(std::move(b));
  }
  std::vector<PlannedRequest> out;
  out.reserve(bins.size());
  for (auto& b : bins) {
    if (!exact_fill) {
      std::sort(b.req.chunks.begin(), b.req.chunks.end(),
                [](const ReadChunk& x, const ReadChunk& y) {
                  return std::tie(x.item, x.item_offset) < std::tie(y.item, y.item_offset);
                });
      size_request(b.req, write);  // a lone chunk too large stays over the PDU: refused
    }
    out.push_back(std::move(b.req));
  }
  return out;
}

// Shared packer: first-fit in item order, and first-fit decreasing (largest chunks first);
// the decreasing packing is used only when it needs fewer requests, so the in-order result
// (and its request order) stays whenever it is already as good.
std::vector<PlannedRequest> pack(std::span<const ItemSpec> items, std::uint16_t pdu_length,
                                 bool write) {
  const std::size_t pdu = pdu_length;
  const std::size_t overhead = write ? 28 : 18;  // single-item request/answer overhead
  const std::size_t max_chunk =
      std::min<std::size_t>(std::max<std::size_t>(pdu > overhead ? pdu - overhead : 1, 1), 0xFFFF);
  std::vector<Chunk> chunks;
  chunks.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::size_t total = spec_bytes(items[i]);
    if (total <= max_chunk || never_split(items[i])) {
      chunks.push_back({i, 0, total});
      continue;
    }
    for (std::size_t off = 0; off < total; off += max_chunk)
      chunks.push_back({i, static_cast<std::uint32_t>(off), std::min(max_chunk, total - off)});
  }
  std::vector<std::size_t> order(chunks.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  auto in_order = first_fit(chunks, order, pdu, write, true);
  if (in_order.size() <= 1) return in_order;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return chunks[x].len > chunks[y].len; });
  auto decreasing = first_fit(chunks, order, pdu, write, false);
  return decreasing.size() < in_order.size() ? std::move(decreasing) : std::move(in_order);
}

}  // namespace

std::uint16_t ClientOptions::remote_tsap_value() const {
  // Called TSAP = (connection type << 8) | (rack << 5) | slot (fact sheet §1.4).
  if (remote_tsap) return *remote_tsap;
  return static_cast<std::uint16_t>((static_cast<unsigned>(type) << 8) | ((rack & 0x07u) << 5) |
                                    (slot & 0x1Fu));
}

std::string ClientOptions::describe() const {
  std::string s = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  s += ":" + std::to_string(port);
  if (local_tsap || remote_tsap) {
    s += " (TSAP " + tsap_text(local_tsap_value()) + " -> " + tsap_text(remote_tsap_value()) + ")";
  } else {
    s += " (rack " + std::to_string(rack) + ", slot " + std::to_string(slot) + ")";
  }
  return s;
}

std::vector<PlannedRequest> pack_reads(std::span<const ItemSpec> items, std::uint16_t pdu_length) {
  return pack(items, pdu_length, false);
}

std::vector<PlannedRequest> pack_writes(std::span<const ItemSpec> items, std::uint16_t pdu_length) {
  return pack(items, pdu_length, true);
}

ItemSpec chunk_spec(const ItemSpec& spec, std::uint32_t item_offset, std::uint16_t length) {
  if (item_offset == 0 && length == spec_bytes(spec)) return spec;
  ItemSpec c = spec;
  c.transport = static_cast<std::uint8_t>(ItemTransport::byte);  // BYTE x length
  c.count = length;
  c.address = spec.address + item_offset * 8;  // bit address = byte * 8 (§4.2)
  return c;
}

std::string describe_item(const ItemSpec& s) {
  const std::string prefix = area_prefix(s);
  const bool db = s.area == static_cast<std::uint8_t>(Area::db);
  if (is_timer_or_counter(s)) {
    std::string t = (is_transport(s, ItemTransport::timer) ? "T" : "C") + std::to_string(s.address);
    if (s.count > 1) t += " (" + std::to_string(s.count) + " elements)";
    return t;
  }
  const std::uint32_t byte = s.address >> 3;
  if (is_transport(s, ItemTransport::bit)) {
    return prefix + (db ? ".DBX" : "") + std::to_string(byte) + "." + std::to_string(s.address & 7);
  }
  const std::size_t len = spec_bytes(s);
  const char* w = len == 2 ? "W" : len == 4 ? "D" : "B";
  std::string t = prefix + (db ? ".DB" : "") + w + std::to_string(byte);
  if (len != 1 && len != 2 && len != 4) t += " (" + std::to_string(len) + " bytes)";
  return t;
}

Error item_error(std::string_view what, const ItemSpec& spec, std::uint8_t code) {
  std::string reason;
  const std::string code_text = " (item error " + hex2(code) + ")";
  const bool db = spec.area == static_cast<std::uint8_t>(Area::db);
  const bool periphery = spec.area == static_cast<std::uint8_t>(Area::periphery);
  switch (code) {
    case kItemNotFound:
      if (db)
        reason = "DB" + std::to_string(spec.db) + " does not exist on the PLC";
      else if (periphery)
        reason = "no I/O module at this address, or the PLC does not allow direct periphery access";
      else
        reason = "the PLC has no " + area_prefix(spec) + " area";
      break;
    case kItemOutOfRange: {
      const std::size_t end_byte = (spec.address >> 3) + spec_bytes(spec);
      if (periphery)
        reason = "address out of range: no I/O module answers at these addresses";
      else if (is_timer_or_counter(spec))
        reason = "address out of range";
      else
        reason = "address out of range: " + area_prefix(spec) + " is smaller than " +
                 std::to_string(end_byte) + " bytes, or the bit address is invalid";
      break;
    }
    case kItemAccessDenied:
      reason = "access denied: the PLC does not allow this access (read-only)";
      break;
    case kItemHardwareFault:
      reason = "hardware fault";
      break;
    case kItemTypeUnsupported:
      reason = "data type not supported by the PLC";
      break;
    case kItemSizeMismatch:
      reason = "data size does not match the type";
      break;
    default:
      reason = "the PLC reported an unknown item error";
      break;
  }
  return Error(errc_from_item_code(code), std::string(what) + ": " + reason + code_text, code);
}

}  // namespace s7
