// S7 addresses in Siemens syntax (DB1.DBX10.0, MW10, IB0, Q0.0, T5, C3, with :TYPE[n] suffix).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "s7/error.hpp"

namespace s7 {

// Memory areas with their S7ANY area codes.
enum class Area : std::uint8_t {
  inputs = 0x81,     // I / E
  outputs = 0x82,    // Q / A
  merkers = 0x83,    // M
  db = 0x84,         // DB
  counters = 0x1C,   // C / Z
  timers = 0x1D,     // T
  periphery = 0x80,  // PI / PE and PQ / PA: direct access to the I/O modules
};

// Value types of the address suffix. Counter/Timer are the 2-byte T/C elements.
enum class DataType : std::uint8_t {
  Bool,
  Byte,
  Word,
  DWord,
  LWord,
  SInt,
  USInt,
  Int,
  UInt,
  DInt,
  UDInt,
  LInt,
  ULInt,
  Real,
  LReal,
  Char,
  WChar,
  String,
  WString,
  Time,
  LTime,
  S5Time,
  Date,
  TimeOfDay,
  DateAndTime,
  Dtl,
  LTimeOfDay,    // LTOD: uint64 ns since midnight (S7-1500)
  LDateAndTime,  // LDT: uint64 ns since 1970-01-01 (S7-1500)
  Counter,
  Timer,
};

// Width letter of the address itself: X bit, B byte, W word, D double word; None for T/C.
enum class Width : std::uint8_t { X, B, W, D, None };

// A parsed address. `offset` is the byte offset (or the timer/counter number for T/C),
// `bit` the bit 0..7 (only for Width::X), `count` the array length (1 for scalars),
// `string_length` the declared max length n of STRING[n]/WSTRING[n].
struct Address {
  Area area = Area::db;
  std::uint16_t db = 0;  // DB number (only for Area::db)
  std::uint32_t offset = 0;
  std::uint8_t bit = 0;
  Width width = Width::B;
  DataType type = DataType::Byte;
  std::uint32_t count = 1;
  std::uint16_t string_length = 0;
  bool explicit_type = false;  // the text carried a :TYPE suffix
  bool is_array = false;       // the text carried [n] (also true for [1])
  // Area::periphery only: PQ/PA (outputs, written) rather than PI/PE (inputs, read). Both are
  // area 0x80 on the wire, where a read returns the input modules and a write sets the outputs.
  bool periphery_output = false;

  friend bool operator==(const Address&, const Address&) = default;
};

// Parses Siemens syntax, case-insensitive, German mnemonics accepted (E=I, A=Q, Z=C):
//   DB<n>.DBX<byte>.<bit>  DB<n>.DBB<byte>  DB<n>.DBW<byte>  DB<n>.DBD<byte>
//   M<byte>.<bit> MB MW MD   I/E<byte>.<bit> IB IW ID   Q/A<byte>.<bit> QB QW QD   T<n>  C/Z<n>
//   PIB PIW PID (PEB PEW PED)   PQB PQW PQD (PAB PAW PAD): periphery, bytes only (no bits)
// optionally followed by :TYPE, :TYPE[n] (array), STRING[n] / WSTRING[n] (declared length),
// ARRAY form for strings: :STRING[20][3] is not supported.
// Without a suffix the width decides: X BOOL, B BYTE, W INT, D DINT; T TIMER, C COUNTER.
// Errors (Errc::address_syntax) name the 1-based column and what was expected there, e.g.
//   "DB1.DBQ4: column 7: expected X, B, W or D".
// Width rules: X holds only BOOL (scalar or array); B is a start byte for any type except BOOL;
// W needs a 2-byte type; D a 4- or 8-byte type (not STRING). T holds TIMER, C holds COUNTER.
// Limits: DB 1..65535, byte offset 0..2097151 (24-bit bit address, range end included),
// bit 0..7, T/C number 0..65535, array length 1..65535, STRING[1..254], WSTRING[1..16382].
// Leading/trailing blanks and a leading '%' are ignored.
Result<Address> parse_address(std::string_view text);

// Direction of access: peripheral inputs (PI) can only be read and peripheral outputs (PQ)
// only written, as in STEP 7; every other address allows both. The error (Errc::invalid_argument)
// names the address and says what to use instead.
Result<void> check_readable(const Address& a);
Result<void> check_writable(const Address& a);

// Canonical text; parse_address(to_string(a)) == a for any parsed address.
std::string to_string(const Address& a);
std::string_view to_string(DataType t);
std::string_view to_string(Area a);

// The plain number types: the integer kinds (BYTE..LWORD, SINT..ULINT) and REAL/LREAL. Not
// BOOL, text, times, dates, TIMER or COUNTER.
bool is_number_type(DataType t);

// Size in bytes of one element of `t` (BOOL: 1, STRING: string_length + 2, WSTRING: 2n + 4).
std::size_t element_size(DataType t, std::uint16_t string_length = 0);
// Total bytes the address spans starting at `offset`. BOOL arrays: bits are consecutive from
// offset.bit, so the span is ceil((bit + count) / 8). T/C: 2 bytes per element.
std::size_t byte_size(const Address& a);

}  // namespace s7
