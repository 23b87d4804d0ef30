// Private helpers shared by the client sources (not part of the public API).
#pragma once

#include <cstddef>
#include <cstdint>

#include "big_endian.hpp"
#include "s7/pdu.hpp"

namespace s7::detail {

// Bytes one item spec addresses: count x item_element_size (fact sheet 4.1), but BIT always 1
// (a BIT item addresses one bit); 0 for an unknown transport size.
inline std::size_t spec_bytes(const ItemSpec& s) {
  if (s.transport == static_cast<std::uint8_t>(ItemTransport::bit)) return 1;
  return item_element_size(s.transport) * s.count;
}

}  // namespace s7::detail
