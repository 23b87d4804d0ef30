// Everything the user gave (sources and tag tables) in one place: symbolic addresses resolved to
// S7 addresses. Pure: the caller reads the files and hands over their text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "s7/address.hpp"
#include "s7/error.hpp"
#include "symbols/db_source.hpp"
#include "symbols/layout.hpp"
#include "symbols/tag_table.hpp"

namespace symbols {

// One elementary value of a resolved symbol.
struct Leaf {
  std::string suffix;  // relative to the symbol: "" for an elementary member, "[3].speed" ...
  s7::Address address;
  std::string initial;  // BEGIN / declaration value ("" when none)
};

struct Resolved {
  std::string symbol;  // canonical: "Telemetry".pressure, "Start_Button"
  std::string type;    // as declared
  // The whole member's bytes: for an elementary or an array of an elementary type the address
  // itself; for a struct (or an array of structs) a BYTE array over its bytes.
  s7::Address whole;
  std::vector<Leaf> leaves;  // elementary values in order (strings are elementary)
};

// The one address of `r` when it names one value: an elementary member, or an array of an
// elementary type as one array address (DB1.DBW30:INT[10]). A struct or an array of structs is
// an error (Errc::invalid_argument) naming up to three of its values, e.g.
//   "Line".motor (Array[1..3] of "Motor") holds 9 values; name one of them, e.g. ...
s7::Result<s7::Address> single_address(const Resolved& r);

class SymbolTable {
 public:
  explicit SymbolTable(CpuFamily cpu = CpuFamily::s7_1500) : cpu_(cpu) {}

  // A source or tag table (detect_tag_table decides). Blocks with the same name twice are an
  // error naming both files.
  s7::Result<void> add_file(std::string_view text, std::string_view file);
  // db_numbers = { Telemetry = 1 }: a TIA DB has no number in its source.
  void set_db_number(const std::string& block, std::uint16_t number);
  // Lays out every DB (and UDT/FB for listing). Call after the last add_file/set_db_number.
  // Errors: optimized blocks, unknown types, a DB without a number that a tag table does not
  // give either ("DB "Telemetry" has no number: add db_numbers = { Telemetry = 1 } ...").
  s7::Result<void> finish();

  // '"Telemetry".pressure', 'Telemetry.motor[3].speed', '"DB 1".counter', 'DB1.counter'
  // (STEP 7 numbers), '"Start_Button"' (a tag table symbol). Case-insensitive like STEP 7.
  // An unknown name says which DBs and symbols exist (the closest one first).
  s7::Result<Resolved> resolve(std::string_view symbol) const;

  // True when `text` is written as a symbol (starts with a quote, or Name.member with a name
  // that is not an S7 area such as DB1.DBX0.0) and should go to resolve() instead of
  // s7::parse_address.
  static bool looks_symbolic(std::string_view text);
  // Whether to resolve `text` as a symbol: looks_symbolic, and without sources only when it is
  // quoted ("Telemetry".x); an unquoted DB1.DBQ4 is then a mistyped address, and
  // s7::parse_address names the column it broke at.
  static bool is_symbol(std::string_view text, bool have_sources);

  // The DBs added so far with the number their source gives (none: TIA sources), in order.
  // Defined in load.cpp (for --db-number N, the one DB it applies to, and db_numbers checks).
  std::vector<std::pair<std::string, std::optional<std::uint16_t>>> data_blocks() const;

  const std::vector<Layout>& layouts() const { return layouts_; }  // DBs and UDTs, in order
  const std::vector<TagEntry>& tags() const { return tags_; }
  CpuFamily cpu() const { return cpu_; }

 private:
  CpuFamily cpu_;
  std::vector<Block> blocks_;
  std::vector<TagEntry> tags_;
  std::map<std::string, std::uint16_t> db_numbers_;
  std::vector<Layout> layouts_;
  std::vector<std::map<std::string, std::size_t>> index_;  // per layout: lower-case path -> member
};

}  // namespace symbols
