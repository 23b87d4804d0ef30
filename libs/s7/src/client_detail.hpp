// Private helpers shared by the client sources (not part of the public API).
#pragma once

#include <cstddef>
#include <cstdint>

#include "big_endian.hpp"
#include "s7/pdu.hpp"

namespace s7::detail {

// Bytes one item spec addresses (fact sheet §4.1 element sizes; BIT: 1; T/C: 2 per element);
// 0 for an unknown transport size.
inline std::size_t spec_bytes(const ItemSpec& s) {
  std::size_t elem = 0;
  switch (s.transport) {
    case 0x01:
      return 1;  // BIT: count must be 1
    case 0x02:   // BYTE
    case 0x03:
      elem = 1;
      break;    // CHAR
    case 0x04:  // WORD
    case 0x05:  // INT
    case 0x09:  // DATE
    case 0x0C:  // S5TIME
    case 0x1C:  // COUNTER
    case 0x1D:
      elem = 2;
      break;    // TIMER
    case 0x06:  // DWORD
    case 0x07:  // DINT
    case 0x08:  // REAL
    case 0x0A:  // TOD
    case 0x0B:
      elem = 4;
      break;  // TIME
    case 0x0F:
      elem = 8;
      break;  // DATE_AND_TIME
    default:
      return 0;
  }
  return elem * s.count;
}

}  // namespace s7::detail
