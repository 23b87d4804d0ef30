// PLC tag tables: STEP 7 classic symbol table exports (.sdf, .asc) and TIA Portal's PLC tag
// table saved from Excel as CSV (comma or semicolon separated; UTF-8 with BOM or Windows-1252).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s7/address.hpp"
#include "s7/error.hpp"

namespace symbols {

// One row. I, Q, M, T, C (and PI/PQ) symbols have an address; DB/FB/FC/UDT/VAT rows of a
// STEP 7 table name a block (kind and number), which gives a DB its number.
struct TagEntry {
  std::string name;
  std::optional<s7::Address> address;  // I/Q/M/T/C/PI/PQ with the table's data type
  std::string block_kind;              // "DB", "FB", "FC", "UDT", "SFB", ... for block rows
  std::uint16_t block_number = 0;
  std::string type;  // the data type as written (BOOL, Int, "Motor" ...)
  std::string comment;
  int line = 0;
};

enum class TagTableFormat : std::uint8_t { sdf, asc, tia_csv };

// The format from the file name (.sdf, .asc, .csv), else from the content; none for a text that
// is not a tag table (then it is a DB/UDT/FB source).
std::optional<TagTableFormat> detect_tag_table(std::string_view text, std::string_view file);

// Errors (Errc::invalid_argument) read "<file>:<line>: <message>".
s7::Result<std::vector<TagEntry>> parse_tag_table(std::string_view text, std::string_view file,
                                                  TagTableFormat format);

}  // namespace symbols
