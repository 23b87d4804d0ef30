// The one place in libs/symbols that reads files: the sources and tag tables a config or a
// command line names, into a finished SymbolTable. Everything else here is pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "s7/error.hpp"
#include "symbols/db_source.hpp"
#include "symbols/symbol_table.hpp"

namespace symbols {

// `symbols = [...]`, `db_numbers = { ... }` and `cpu = "..."` of a config, or --symbols,
// --db-number and --cpu of a command.
struct SymbolOptions {
  std::vector<std::string> files;                   // as written
  std::map<std::string, std::uint16_t> db_numbers;  // block name -> DB number
  // --db-number 1 without a name: the number of the one DB the sources give without one.
  std::optional<std::uint16_t> db_number;
  CpuFamily cpu = CpuFamily::s7_1500;
  bool empty() const { return files.empty(); }
};

// Reads each file (a relative name from `base_dir`, the config file's folder, when not empty),
// adds it, applies db_numbers and finishes the table. A file that cannot be read: "<file>:
// cannot read: <why>". A db_numbers name that no source declares is an error too (a typo would
// otherwise go unnoticed). Sources may be UTF-8 (with or without a byte-order mark) or UTF-16;
// tag tables get their bytes as they are (their parser knows Excel's encodings).
s7::Result<SymbolTable> load_symbols(const SymbolOptions& options,
                                     const std::string& base_dir = {});

// The folder of a config file's path ("" for a bare file name), for load_symbols' base_dir.
std::string folder_of(const std::string& path);

}  // namespace symbols
