// SZL (system status list) answers of the fake PLC: CPU identity, order code, state, CP info.
#pragma once

#include <cstddef>
#include <cstdint>

#include "s7/server.hpp"

namespace s7::szl {

struct Context {
  const CpuIdentity& identity;
  CpuState state;
  std::uint16_t pdu;  // negotiated PDU (reported in 0x0131)
  std::size_t max_connections;
};

// The part of an SZL answer after the id/index: LENTHDR, N_DR and the records.
struct Answer {
  Bytes bytes;
};

// Builds the answer for `id`/`index`; false when the list is not available (the caller answers
// param error 0xD402). Supported (fact sheet section 6.2): 0x0000 (supported ids), 0x0011 (order
// code and versions; record 0x0007 last), 0x001C index 0 (six 34-byte identity records 1, 2, 3,
// 4, 5, 7), 0x0131 index 1 (communication: max PDU, connections), 0x0424 (CPU state with the
// current local time in BCD). Every answer fits a 240-byte PDU, so none is ever fragmented.
bool build(std::uint16_t id, std::uint16_t index, const Context& ctx, Answer& out);

}  // namespace s7::szl
