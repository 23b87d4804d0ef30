// The config keys that name a PLC program's sources, shared by the logger's and the fake PLC's
// config files: symbols = ["Telemetry.db"], db_numbers = { Telemetry = 1 }, cpu = "1500".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "s7/error.hpp"
#include "symbols/load.hpp"
#include "util/toml_reader.hpp"

namespace symbols {

// The keys, for check_keys lists.
inline const std::vector<std::string_view> kConfigKeys{"symbols", "db_numbers", "cpu"};

// Reads the keys of `t` (whose key is `prefix`, "" for the root) into `o`, leaving what the table
// does not set as it is (so a [[plc]] table can override the top level's keys one by one).
// Returns whether the table set any of them. Errors in the reader's "file:line: key: message".
s7::Result<bool> read_config_keys(util::TomlReader& in, const toml::table& t,
                                  const std::string& prefix, SymbolOptions& o);

}  // namespace symbols
