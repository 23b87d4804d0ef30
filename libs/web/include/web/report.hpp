// The static report of `s7log plot`: reads s7log CSV files and renders one self-contained HTML.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s7/error.hpp"

namespace web {

// One column of the merged table. kind: "number", "boolean" (True/False cells) or "text".
struct CsvColumn {
  std::string name;
  std::string kind;
  std::vector<std::optional<double>> values;  // one per row; nullopt = empty cell / text
};

// Rows of one or more s7log CSV files, in time order. Times are the local wall-clock times as
// written, counted in seconds as if they were UTC (the report shows them unchanged).
struct CsvTable {
  std::vector<std::string> files;
  std::vector<double> t;             // seconds
  std::vector<CsvColumn> columns;    // every column but ts and quality
  std::vector<std::string> quality;  // per row ("" when the file has no quality column)
  bool has_quality = false;
};

// Expands each argument: a path with * or ? in its file name matches files in its directory
// (sorted by name); other paths are kept. Error naming the pattern when nothing matches.
s7::Result<std::vector<std::filesystem::path>> expand_inputs(const std::vector<std::string>& args);

// Reads s7log CSV files in either dialect with logger::read_csv_file (logger/csv_reader.hpp:
// comma, or excel-da with BOM, ';' and decimal commas; the first header column is `ts`).
// Files may have different columns (the union is charted; missing cells are gaps). Rows of all
// files are sorted by time (stable). Errors name the file (and row).
s7::Result<CsvTable> read_s7log_csv(const std::vector<std::filesystem::path>& files);

// The report: plot.html with uPlot, the chart scripts and the table inlined.
std::string render_report(const CsvTable& table, std::string_view title);

}  // namespace web
