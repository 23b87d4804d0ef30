// Reads s7log CSV files back (both dialects of logger/csv.hpp): records, timestamps and cells.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logger/csv.hpp"
#include "s7/error.hpp"

namespace logger {

// The wall-clock time a ts cell names, exactly as written: the writer's local time, with no
// zone applied (a row written at 10:15:03 in Copenhagen reads back as 10:15:03).
using LocalTime = std::chrono::local_time<std::chrono::nanoseconds>;

// Parses one ts cell: YYYY-MM-DDTHH:MM:SS (or a space instead of the T, as excel-da writes),
// optionally followed by '.' or ',' and at least one fraction digit (digits past the ninth
// are ignored). The date must exist, in the years 1900..2200; hours 0..23, minutes 0..59,
// seconds 0..60 (a leap second reads as the next minute). No blanks around it; nullopt when
// anything else is there.
std::optional<LocalTime> parse_csv_timestamp(std::string_view text);

// Splits CSV text into records of unquoted fields (RFC 4180). Fields are separated by
// `separator`; a record ends at CRLF, LF or CR outside quotes. A quote starts a quoted part in
// which the separator, CR and LF are plain characters and "" is one quote; text after the
// closing quote joins the same field, and an unterminated quote runs to the end of the text.
// Empty lines are skipped (a line holding only a separator is a record of two empty fields).
// Never fails.
std::vector<std::vector<std::string>> split_csv_records(std::string_view text, char separator);

// One s7log CSV file read back.
struct CsvFile {
  Dialect dialect = Dialect::course;  // excel_da when the header's separator is ';'
  // Header names after `ts`, without surrounding blanks, in file order (a `quality` column
  // included, where CsvFormat::quality put one: last).
  std::vector<std::string> columns;
  struct Row {
    LocalTime ts;
    // One unquoted cell per column, exactly as written (blanks kept); "" for an empty cell and
    // for cells missing at the end of a short row. Cells beyond the header's are dropped.
    std::vector<std::string> cells;
  };
  std::vector<Row> rows;  // in file order
};

// Parses the text of an s7log CSV file: an optional UTF-8 byte-order mark, a header whose first
// field is `ts` (followed by ',' for the course dialect or ';' for excel-da, or by nothing),
// then one record per row whose first field is a ts cell (parse_csv_timestamp, blanks around
// it allowed). Errors (Errc::invalid_argument) say what is wrong, for a caller to prefix with
// the file's name: "not an s7log CSV: the file is empty", "not an s7log CSV: the header must
// start with 'ts', found 'time,value'", "row 3: bad timestamp 'noon' (expected
// YYYY-MM-DDTHH:MM:SS[.mmm])" (rows counted from the header, which is row 1).
s7::Result<CsvFile> parse_csv_file(std::string_view text);

// Reads and parses the file at `path`. Errors start with the file's name (UTF-8):
// "log.csv: no such file", "log.csv: cannot be read", or "log.csv: " + the parse error.
s7::Result<CsvFile> read_csv_file(const std::filesystem::path& path);

// What one cell holds, read the way CsvFormat::cell writes values.
enum class CsvCellKind { empty, boolean, number, text };
struct CsvCell {
  CsvCellKind kind = CsvCellKind::empty;
  double number = 0;  // number: the value; boolean: 1 (True) or 0 (False)
  std::string text;   // text only: the cell without surrounding blanks
};

// Interprets a cell (surrounding spaces and tabs ignored): nothing -> empty; True/true/TRUE or
// False/false/FALSE -> boolean; a decimal number (optional sign, '.' decimals and exponent;
// in excel_da a ',' for the decimal point) -> number; anything else -> text (STRING values,
// arrays such as "[1, 2]", quality words).
CsvCell interpret_cell(std::string_view cell, Dialect dialect);

}  // namespace logger
