// Typed values of S7 data types: big-endian decode/encode, text parse and format.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "s7/address.hpp"
#include "s7/error.hpp"

namespace s7 {

// One element. Mapping from S7 types:
//   BOOL -> bool; SINT INT DINT LINT -> int64; BYTE WORD DWORD LWORD USINT UINT UDINT ULINT ->
//   uint64; REAL -> float; LREAL -> double; CHAR WCHAR STRING WSTRING -> std::string (UTF-8); TIME
//   -> int64 milliseconds; LTIME -> int64 nanoseconds; S5TIME -> int64 milliseconds; DATE -> string
//   "YYYY-MM-DD"; TIME_OF_DAY -> string "HH:MM:SS.mmm"; DATE_AND_TIME -> string
//   "YYYY-MM-DDTHH:MM:SS.mmm"; DTL and LDT -> string "YYYY-MM-DDTHH:MM:SS.nnnnnnnnn"; LTOD ->
//   string "HH:MM:SS.nnnnnnnnn"; COUNTER -> uint64
//   (BCD decoded, 0..999); TIMER -> int64 milliseconds (S5TIME coding).
using Scalar = std::variant<bool, std::int64_t, std::uint64_t, float, double, std::string>;

// A value: one element for scalar addresses, `count` elements for arrays.
struct Value {
  std::vector<Scalar> elems;
  bool array = false;

  Value() = default;
  Value(Scalar s) : elems{std::move(s)} {}
  friend bool operator==(const Value&, const Value&) = default;
};

// Decodes the value at `a` from `bytes`, which start at the address's byte offset and hold at
// least byte_size(a) bytes. BOOL elements use bit a.bit (+ index) of those bytes.
// A single STRING/WSTRING needs only its 2/4-byte header: the current length is clamped to the
// declared length and to the bytes present. Errors: invalid_argument (too few bytes),
// value_out_of_range (bytes invalid for the type: BCD nibble > 9, TOD >= 24 h, DTL ns > 999999999).
// `Value::array` is a.is_array.
Result<Value> decode_value(const Address& a, std::span<const std::uint8_t> bytes);

// Encodes `v` for `a` into byte_size(a) bytes. For BOOL the other bits of the bytes are 0:
// callers write BOOLs with BIT access (one item per bit) so neighbours survive.
// `v.elems.size()` must equal a.count (else type_mismatch). Numeric scalars of another kind are
// accepted when they fit (uint64 for INT, int64 for REAL, integral double for DINT); a string
// for a non-text type is parsed as by parse_value. S5TIME/TIMER use the finest time base that
// holds the value and drop finer parts. Errors: type_mismatch, value_out_of_range, value_syntax.
Result<std::vector<std::uint8_t>> encode_value(const Address& a, const Value& v);

// Parses a user's text for the address type: 123, -5, 0x1F, 1.5, true/false/1/0, "text" or
// text for strings, [1,2,3] for arrays, T#1s500ms or plain ms for TIME, 2026-11-24 for DATE...
// Errors (Errc::value_syntax / value_out_of_range) name the type and the text.
Result<Value> parse_value(const Address& a, std::string_view text);

// Text for humans and CSV: REAL as the shortest decimal that round-trips the float (1.23),
// bool as true/false, arrays as [a, b, c], strings as they are.
std::string format_scalar(const Scalar& s);
std::string format_value(const Value& v);

// Numeric view of a scalar for charts/deadbands: bool 0/1, numbers as double; strings -> NaN.
double to_double(const Scalar& s);

}  // namespace s7
