// The sources and tag tables a config or a command line names, into a finished SymbolTable:
// the one place in libs/symbols that deals with files (through a FileReader, so configs parsed
// from text in tests and fuzzers never touch the disk). Everything else here is pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
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
  friend bool operator==(const SymbolOptions&, const SymbolOptions&) = default;
};

// A file's bytes by its name as written, or why not (the reason only, e.g. "no such file").
using FileReader = std::function<s7::Result<std::string>(const std::string& name)>;

// Reads regular files from the disk, a relative name from `folder` ("" = the current folder).
// Refuses what is not a regular file (a folder, /dev/zero) and files above kMaxSourceBytes.
FileReader disk_reader(const std::string& folder);
inline constexpr std::size_t kMaxSourceBytes = 64u << 20;

// Which option a load_symbols error is about, so a config can point at its line.
struct LoadFailure {
  enum class Key : std::uint8_t { symbols, db_numbers } key = Key::symbols;
  std::optional<std::size_t> file;  // symbols[i]: that file could not be read or parsed
  std::string block;                // db_numbers.<block>: no DB of that name
};

// Reads each file, adds it, applies db_numbers (and an unnamed db_number) and finishes the
// table. Errors (Errc::invalid_argument), with `failure` (when given) saying which key:
//   cannot read Motor.udt: no such file                      (symbols[1])
//   Telemetry.db:9: member 'x': ...                          (symbols[0])
//   no DB named "Telemtry" in the sources ("Telemetry")      (db_numbers.Telemtry)
// Sources may be UTF-8 (with or without a byte-order mark) or UTF-16; tag tables get their
// bytes as they are (their parser knows Excel's encodings).
s7::Result<SymbolTable> load_symbols(const SymbolOptions& options, const FileReader& read,
                                     LoadFailure* failure = nullptr);
// The same from the disk (disk_reader(base_dir)).
s7::Result<SymbolTable> load_symbols(const SymbolOptions& options,
                                     const std::string& base_dir = {});

// The folder of a config file's path ("" for a bare file name), for disk_reader.
std::string folder_of(const std::string& path);

}  // namespace symbols
