// The fake PLC's setup: areas, fields with generators, server settings and faults, for one PLC or
// a plant of several; TOML load/print.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s7/address.hpp"
#include "s7/error.hpp"
#include "s7/memory.hpp"
#include "s7/server.hpp"
#include "sim/faults.hpp"
#include "sim/generators.hpp"
#include "symbols/db_source.hpp"
#include "symbols/load.hpp"

namespace sim {

// Initial contents of an area: zeros, or "pattern" (byte i = i mod 256, for benchmarks that
// verify the data they read).
enum class AreaInit : std::uint8_t { zero, pattern };

// One memory area. T and C areas are sized in timers/counters (2 bytes each), the others in bytes.
struct AreaSpec {
  s7::Area area = s7::Area::db;
  std::uint16_t db = 0;  // DB number (DB only)
  std::uint32_t size = 0;
  AreaInit init = AreaInit::zero;  // config key `init = "zero" | "pattern"`
  // The DB of the sources this area was made for ("Telemetry"); empty for an area the file
  // declares. Such areas are not printed: reading the sources again makes them again.
  std::string block{};
  friend bool operator==(const AreaSpec&, const AreaSpec&) = default;
};

// A named value at an address (s7::parse_address syntax) with its generator.
struct FieldSpec {
  std::string name;
  std::string address;  // as written, e.g. "DB1.DBD6:REAL"
  Generator generator;
  friend bool operator==(const FieldSpec&, const FieldSpec&) = default;
};

// `symbols = [...]`, `db_numbers = { ... }` and `cpu = "..."`: the PLC program's DB/UDT/FB
// sources (and tag tables) whose DBs the fake PLC serves (see docs/fakeplc.md, "From the PLC
// program's sources").
// (symbols::SymbolOptions: files, db_numbers, an unnamed db_number from --db-number N, cpu.)
using SymbolSources = symbols::SymbolOptions;

// A value the sources give a DB member (BEGIN, else the declaration's initial value; STRING,
// WSTRING, DT and DTL members without one get their type's default), written into the memory
// once when the simulation starts (clients may overwrite it afterwards).
struct InitialValue {
  std::string member;               // "Telemetry".pressure
  std::string address;              // DB1.DBD6:REAL
  std::vector<std::uint8_t> bytes;  // s7::encode_value; BOOL: only its bit(s) are written
  friend bool operator==(const InitialValue&, const InitialValue&) = default;
};

struct PlcConfig {
  // The PLC's name in a plant (`name` of its [[plc]] table, plc1..plcN for --plcs); it prefixes
  // the PLC's lines. Empty in the single-PLC form. Letters, digits, '_', '-', '.'; 1..64 chars.
  std::string name;
  std::string host = "127.0.0.1";
  std::uint16_t port = 1102;
  std::uint8_t rack = 0;
  std::uint8_t slot = 1;
  bool enforce_rack_slot = true;  // a CR for another rack/slot is refused like a real PLC does
  std::uint16_t max_pdu = 960;    // 240, 480 or 960
  std::uint16_t max_parallel = 8;
  std::uint32_t max_connections = 256;  // clients served at once; more are refused (1..100000)
  Nanos tick{std::chrono::milliseconds(500)};
  // Limits of each connection (see s7::ServerOptions): the COTP connect and setup must finish
  // within handshake_timeout; a connection silent for idle_timeout is closed. 0 = none.
  Nanos handshake_timeout{std::chrono::seconds(5)};
  Nanos idle_timeout{std::chrono::minutes(10)};
  bool run = true;  // false: the CPU starts in STOP
  // Imitate the python-snap7 server: a multi-item write stores and confirms only its first item.
  bool first_item_writes = false;
  std::string order_code = "6ES7 315-2EH14-0AB0";
  std::string module_name = "CPU 315-2 PN/DP";
  std::string serial_number = "S C-S7LOG0000001";
  std::vector<AreaSpec> areas;
  std::vector<std::string> read_only;  // addresses; each covers byte_size(address) bytes
  std::vector<FieldSpec> fields;       // in file order
  std::vector<std::string> watch;      // fields whose changes print a WRITE line
  std::vector<Fault> faults;
  SymbolSources symbols;
  // What reading `symbols` gave (not printed; the sources give it again): the members' values
  // at start, and the S7 address of each symbol that fields and read_only name.
  std::vector<InitialValue> initial_values;
  std::map<std::string, std::string> symbol_addresses;  // '"Telemetry".pressure' -> DB1.DBD6:REAL
  friend bool operator==(const PlcConfig&, const PlcConfig&) = default;
};

// The course's fake PLC (module 06 "combined" server): DB1 of 64 bytes, counter/temperature/
// pressure/alarm/mode_ro telemetry, read-only byte 11, five watched command fields.
PlcConfig course_config();

// Reads a file that `symbols = [...]` names (the name as written): its bytes, or why not
// (Errc::invalid_argument with the reason only, e.g. "no such file").
using SourceReader = symbols::FileReader;
// Reads from the disk; a relative name from `folder` ("" = the current folder).
SourceReader disk_reader(const std::string& folder);

// Parses and validates a TOML config. Errors (Errc::invalid_argument) read
// "<filename>:<line>: <key>: <message>", e.g.
//   plc.toml:12: fields.pressure.generator: unknown generator "sinus"
// `read` gives the files of `symbols = [...]`; without it a config with symbols is an error
// (parse_config stays pure: load_config reads them from the config file's folder). Errors of a
// source keep its own place after the config's:
//   plc.toml:3: symbols: Telemetry.db:9: member 'pressure': ...
s7::Result<PlcConfig> parse_config(std::string_view toml_text, std::string_view filename,
                                   const SourceReader& read = {});
// Reads the file, then parse_config (a missing file is "<filename>: cannot read: ..."); the
// sources are read from the file's folder.
s7::Result<PlcConfig> load_config(const std::string& path);
// Reads `c.symbols` (given on the command line, `where` names it in messages): adds each DB of
// the sources as an area (or checks the size of one `c.areas` declares), sets initial_values and
// resolves the symbols of the fields and read_only. parse_config does the same for a file.
s7::Result<void> load_sources(PlcConfig& c, const SourceReader& read, std::string_view where);
// Validation of an assembled config (also used after flags were applied); same error format
// with line 0 omitted: "<filename>: <key>: <message>".
s7::Result<void> validate_config(const PlcConfig& c, std::string_view filename);

// Commented TOML that parse_config turns back into `c` (for --print-config).
std::string format_config(const PlcConfig& c);

// Several fake PLCs served by one process. A file of [[plc]] tables holds one PLC per table; each
// table holds what a single-PLC file holds (name, the [plc] keys, watch, read_only, and the tables
// under it: [plc.identity], [[plc.areas]], [plc.fields.<name>], [[plc.faults]]). Today's
// single-PLC file is a plant of one PLC without a name.
struct PlantConfig {
  std::vector<PlcConfig> plcs;
  // The single-PLC form: one PLC without a name (keys and printing as in today's file).
  bool single() const { return plcs.size() == 1 && plcs[0].name.empty(); }
  friend bool operator==(const PlantConfig&, const PlantConfig&) = default;
};

// The most PLCs one plant may hold ([[plc]] tables or --plcs).
inline constexpr std::size_t kMaxPlantPlcs = 1000;

// Parses and validates either form. Errors as parse_config's; in the plant form keys count the
// tables from 0 ("plc[1].port", "plc[0].fields.x.generator"), e.g.
//   plant.toml:9: plc[1].port: 127.0.0.1:1102 is already used by plc[0] ("press1"); ...
// A top-level single-PLC key ([[areas]], watch, ...) beside [[plc]] tables is an error.
s7::Result<PlantConfig> parse_plant_config(std::string_view toml_text, std::string_view filename,
                                           const SourceReader& read = {});
// Reads the file, then parse_plant_config (a missing file as load_config).
s7::Result<PlantConfig> load_plant_config(const std::string& path);
// validate_config for every PLC plus the plant's own rules: in the plant form every PLC has a
// well-formed name, no two share a name, and no two listen on the same host:port (port 0, any
// free port, may repeat; 0.0.0.0 and :: overlap every host).
s7::Result<void> validate_plant(const PlantConfig& p, std::string_view filename);
// `n` copies of `c` (--plcs N --base-port P) named plc1..plcN on ports base_port, base_port + 1,
// ... (base_port 0: each picks a free port). Errors (Errc::invalid_argument): n of 0 or above
// kMaxPlantPlcs, ports past 65535.
s7::Result<PlantConfig> plant_copies(const PlcConfig& c, std::size_t n, std::uint16_t base_port);
// Commented TOML that parse_plant_config turns back into `p`: format_config for a single() plant,
// else one [[plc]] table per PLC.
std::string format_plant_config(const PlantConfig& p);
// The two-PLC example of --print-config plant: the course's PLC as "press1" on port 1102 and a
// smaller "press2" with its own memory, generators and a delay fault on port 1103.
PlantConfig example_plant();

// Helpers shared with the simulation.
// An address of `c` as written in a field or read_only: a symbol of its sources (through
// c.symbol_addresses) or s7log's syntax (s7::parse_address).
s7::Result<s7::Address> config_address(const PlcConfig& c, const std::string& text);
s7::AreaKey area_key(const s7::Address& a);
// Bytes of the area as MemoryStore counts them (T/C: 2 per element).
std::size_t area_bytes(const AreaSpec& a);
// Byte offset in the MemoryStore for an address (T/C: number * 2).
std::uint32_t store_offset(const s7::Address& a);
// Whether generators other than constant/copy can drive this type (numbers and BOOL).
bool numeric_type(s7::DataType t);
// Server options from the config (host, port, PDU, parallel jobs, rack/slot, identity).
s7::ServerOptions server_options(const PlcConfig& c);

}  // namespace sim
