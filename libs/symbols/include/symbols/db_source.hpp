// DB, UDT and FB sources as TIA Portal ("Generate source from blocks": .db, .udt, .scl) and
// STEP 7 classic (.awl/.db exports: DATA_BLOCK DB 1, TYPE UDT 5) write them. Pure parsing: the
// caller reads the file; the parser sees its text and its name (for messages).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "s7/error.hpp"

namespace symbols {

// The CPU families whose standard-access layout rules s7log knows (--cpu 300|400|1200|1500).
enum class CpuFamily : std::uint8_t { s7_300, s7_400, s7_1200, s7_1500 };
// "300", "400", "1200", "1500" (also "S7-300" ..., case-insensitive).
s7::Result<CpuFamily> parse_cpu(std::string_view text);
std::string_view to_string(CpuFamily cpu);  // "S7-300" ...

struct Member;

// A declared type, as written.
struct TypeRef {
  enum class Kind : std::uint8_t {
    elementary,  // name: the keyword in upper case: BOOL, INT, REAL, DTL, S5TIME, TIMER, ANY ...
    string,      // STRING[n] (n = length, 254 when not given)
    wstring,     // WSTRING[n]
    array,       // Array[lo..hi, lo2..hi2] of element
    structure,   // STRUCT ... END_STRUCT (members)
    named,       // "UDT name", UDT 5, an FB ("Pump", FB 3) as a multi-instance, SFB 4
  };
  Kind kind = Kind::elementary;
  std::string name;          // elementary keyword, or the named type: Motor, UDT 5, FB 3
  std::uint16_t length = 0;  // STRING/WSTRING length
  std::vector<std::pair<std::int32_t, std::int32_t>> dims;  // array bounds, first dim first
  std::shared_ptr<TypeRef> element;                         // array element type
  std::vector<Member> members;                              // structure members
  std::string text;  // the type as written (for messages and the member table)
};

struct Member {
  std::string name;
  TypeRef type;
  std::string initial;  // the initial value as written after :=, or empty
  std::string comment;  // the // or (* *) comment on its line, trimmed
  int line = 0;         // 1-based line of the name
};

// An FB's interface sections, in the order the instance DB stores them.
enum class Section : std::uint8_t { input, output, in_out, stat };

struct SectionMembers {
  Section section = Section::stat;
  std::vector<Member> members;
};

// A BEGIN-section assignment: `path := value;` (path as written, e.g. motor[3].speed).
struct Assignment {
  std::string path;
  std::string value;
  int line = 0;
};

struct Block {
  enum class Kind : std::uint8_t { data_block, type, function_block };
  Kind kind = Kind::data_block;
  // The block's name: "Telemetry" for TIA's DATA_BLOCK "Telemetry" (quotes removed), "DB 1" /
  // "UDT 5" / "FB 3" for STEP 7's absolute names (one space, upper case).
  std::string name;
  std::optional<std::uint16_t> number;  // DATA_BLOCK DB 1 -> 1; TIA names carry none
  // { S7_Optimized_Access := 'TRUE' } (missing: false, the classic blocks have no other).
  bool optimized = false;
  int optimized_line = 0;  // where the attribute was, for the refusal
  // DB and UDT: the STRUCT. FB: empty (see sections).
  std::vector<Member> members;
  std::vector<SectionMembers> sections;  // FB only; VAR_TEMP is not stored in the instance
  // A DB declared as an instance of an FB or as a UDT: DATA_BLOCK "X" "Pump" / DATA_BLOCK DB 2
  // FB 3.
  std::optional<std::string> of;
  std::vector<Assignment> begin;  // DB only: the BEGIN section
  std::string file;
  int line = 0;  // the line of DATA_BLOCK / TYPE / FUNCTION_BLOCK
};

// Every block in one source text. Other blocks an .scl may hold (FUNCTION, ORGANIZATION_BLOCK)
// are skipped. Errors (Errc::invalid_argument) read "<file>:<line>: <message>".
s7::Result<std::vector<Block>> parse_source(std::string_view text, std::string_view file);

}  // namespace symbols
