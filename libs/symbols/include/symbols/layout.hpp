// Standard (non-optimized) access layout: the byte and bit offsets PUT/GET reads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "s7/address.hpp"
#include "s7/error.hpp"
#include "symbols/db_source.hpp"

namespace symbols {

// One member of a laid-out block, flattened in declaration order (a struct before its members,
// an array of structs before its elements' members).
struct Placed {
  enum class Kind : std::uint8_t { elementary, array, structure };
  std::string path;  // "pressure", "motor", "motor[3]", "motor[3].speed", "grid[1,2]"
  Kind kind = Kind::elementary;
  std::uint32_t offset = 0;  // byte offset in the block
  std::uint8_t bit = 0;      // BOOL only (also a BOOL array's first element)
  std::uint32_t size = 0;    // bytes; a BOOL's is 0 (one bit); a BOOL array's spans its bytes
  std::uint32_t bits = 0;    // BOOL and BOOL arrays: the number of bits
  std::string type;          // as written: Real, String[20], Array[1..4] of "Motor", Struct
  int depth = 0;             // 0 for a block's own members
  int line = 0;              // declaration line (0 for generated array elements)
  // Elementary members and arrays of an elementary type: what PUT/GET reads, with the DB
  // number when known (Area::db, db = 0 when not). Structures and arrays of structures: none.
  std::optional<s7::Address> address;
  std::string initial;  // the BEGIN value, else the declaration's initial value, else empty
  // Arrays: the bounds, first dimension first (the last index varies fastest in memory).
  std::vector<std::pair<std::int32_t, std::int32_t>> dims;
  // Why a member that takes room has no address (a POINTER/ANY/TIMER parameter, an IN_OUT
  // passed by reference); empty otherwise.
  std::string unreadable;
};

struct Layout {
  std::string block;  // Telemetry, DB 1, UDT 5
  Block::Kind kind = Block::Kind::data_block;
  std::optional<std::uint16_t> number;  // the DB number (from the source or db_numbers)
  std::uint32_t size = 0;               // bytes (rounded up to even)
  std::vector<Placed> members;
  std::string file;
  // BEGIN values of single elements of arrays of an elementary type (`values[3] := 5;`), by
  // the element's path in lower case ("values[3]", "grid[1,2]").
  std::map<std::string, std::string> element_initial;
};

// Lays out `block` with the types of `library` (UDT and FB sources), for `cpu`. Refuses an
// optimized block (with how to switch it off) and a type it cannot place ("<file>:<line>:
// member 'x': ..."). `number` overrides the block's own DB number.
s7::Result<Layout> lay_out(const Block& block, const std::vector<Block>& library, CpuFamily cpu,
                           std::optional<std::uint16_t> number = std::nullopt);

}  // namespace symbols
