// CSV text of a row: the course's comma dialect or Excel (Danish/German) dialect, RFC 4180 quoting.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logger/sample.hpp"

namespace logger {

// course: `,` separator, `.` decimals, ISO 8601 `2026-11-24T10:15:03`, bools True/False.
// excel_da: `;` separator, `,` decimals, UTF-8 BOM at the file start, `2026-11-24 10:15:03`
// (Excel reads that as a date-time in Danish/German settings), bools True/False.
// Both end rows with CRLF, as RFC 4180 and the course's Python csv module do.
enum class Dialect { course, excel_da };
std::optional<Dialect> parse_dialect(std::string_view text);  // "course"/"comma", "excel-da"
std::string_view to_string(Dialect d);

struct CsvFormat {
  Dialect dialect = Dialect::course;
  bool quality = false;  // adds a last `quality` column (ok / comm_error / item_error)
  bool millis = false;   // ts with milliseconds (intervals below one second)

  char separator() const { return dialect == Dialect::excel_da ? ';' : ','; }
  std::string_view bom() const { return dialect == Dialect::excel_da ? "\xEF\xBB\xBF" : ""; }
  static constexpr std::string_view eol = "\r\n";

  // Header line with CRLF (no BOM).
  std::string header(const std::vector<TagInfo>& tags) const;
  // One row with CRLF. Empty cells for values that are missing.
  std::string row(const Sample& s) const;
  // Local time of `ts`: 2026-11-24T10:15:03 (or .500 with millis; excel_da: space, `,500`).
  std::string timestamp(std::chrono::system_clock::time_point ts) const;
  // One value's cell text, unquoted.
  std::string cell(const s7::Value& v) const;
};

// Quotes a field when it contains the separator, a quote, CR or LF (RFC 4180: "" for ").
std::string quote_field(std::string_view field, char separator);

// Scalar text as the course writes it: bools True/False, REAL shortest round-trip, others as
// s7::format_scalar. Used by the console LOG line too.
std::string course_scalar(const s7::Scalar& s);

}  // namespace logger
