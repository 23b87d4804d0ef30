// A compact binary encoding of one logger::Sample, for the disk spool of the network outputs.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "logger/sample.hpp"
#include "s7/error.hpp"

namespace logger {

// The version byte that encode_sample writes and decode_sample accepts.
inline constexpr std::uint8_t kSampleCodecVersion = 1;

// Layout, all integers little-endian; "str" is a u32 byte count and that many bytes (UTF-8):
//   u8   version (kSampleCodecVersion)
//   i64  ts: nanoseconds since 1970-01-01 00:00 UTC (system_clock)
//   u8   quality of the sample: 0 ok, 1 comm_error, 2 item_error
//   u8   flags: bit 0 missed; the other bits are 0
//   str  plc
//   str  group
//   u32  number of values, then for each value:
//     u8   quality (as above)
//     u8   form: 0 no value, 1 a value with Value::array false, 2 a value with Value::array true
//     form 1 and 2 only: u32 number of elements, then for each element a u8 kind and its data:
//       0 bool    u8 0 or 1
//       1 int64   i64
//       2 uint64  u64
//       3 float   u32, the IEEE-754 bits (NaN payloads survive)
//       4 double  u64, the IEEE-754 bits
//       5 string  str
//
// Example: a sample at ts 1 ns, plc "p", group "", quality ok, not missed, one value, the scalar
// int64 -1, gives 01 | 01 00 00 00 00 00 00 00 | 00 | 00 | 01 00 00 00 70 | 00 00 00 00 |
// 01 00 00 00 | 00 01 01 00 00 00 01 ff ff ff ff ff ff ff ff (39 bytes).

// Appends the encoding of `s` to `out` (each string and count must fit the u32 before it).
void encode_sample(const Sample& s, std::vector<std::uint8_t>& out);
std::vector<std::uint8_t> encode_sample(const Sample& s);

// Decodes exactly one sample from `bytes` (untrusted input: every length is checked against the
// bytes left, and nothing is allocated beyond what those bytes can hold). Only the canonical
// encoding is accepted, so encode_sample(decoded) gives back `bytes`. Errors: invalid_argument
// saying what is wrong and at which byte (an unknown version, a truncated field, an unknown
// quality, form or kind, a bool other than 0/1, unknown flag bits, bytes after the sample).
s7::Result<Sample> decode_sample(std::span<const std::uint8_t> bytes);

}  // namespace logger
