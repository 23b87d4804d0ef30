// Big-endian access, the one set for the whole protocol library (fact sheet 0: every multi-byte
// field of TPKT, COTP and S7 is big-endian).
#pragma once

#include <cstddef>
#include <cstdint>

#include "s7/frame.hpp"

namespace s7::detail {

inline std::uint16_t get16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((static_cast<unsigned>(p[0]) << 8) | p[1]);
}
// 24-bit field (the bit address of an S7ANY item spec).
inline std::uint32_t get24(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 16) | (static_cast<std::uint32_t>(p[1]) << 8) | p[2];
}

// The first `n` (at most 8) bytes at `p` as one unsigned number.
inline std::uint64_t load_be(const std::uint8_t* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

// Writes the low `n` bytes of `v` at `p`, most significant first.
inline void store_be(std::uint8_t* p, std::size_t n, std::uint64_t v) {
  for (std::size_t i = n; i-- > 0;) {
    p[i] = static_cast<std::uint8_t>(v & 0xFF);
    v >>= 8;
  }
}

// Appends a 16-, 24- or 32-bit field (put24 writes the low 24 bits of `v`).
inline void put16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}
inline void put24(Bytes& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>((v >> 16) & 0xFF));
  put16(out, static_cast<std::uint16_t>(v & 0xFFFF));
}
inline void put32(Bytes& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v >> 16));
  put16(out, static_cast<std::uint16_t>(v & 0xFFFF));
}

// Overwrites the 16-bit field at `pos` (a length known only once the rest is written).
inline void patch16(Bytes& out, std::size_t pos, std::size_t v) {
  store_be(&out[pos], 2, v);
}

}  // namespace s7::detail
