// Tests of the fake PLC served from the PLC program's sources: symbols = [...], db_numbers and
// cpu in a config (one PLC and a plant), the memory at start (byte-exact), symbolic fields and
// read_only, errors with file:line, --print-config round trip, and --symbols' load_sources.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "sim/config.hpp"
#include "sim/simulation.hpp"

namespace sim {
namespace {

using Bytes = std::vector<std::uint8_t>;

// A TIA Portal source ("Generate source from blocks"): no DB number, standard access.
constexpr const char* kTelemetry = R"(DATA_BLOCK "Telemetry"
{ S7_Optimized_Access := 'FALSE' }
VERSION : 0.1
NON_RETAIN
   STRUCT
      count : Int := 5;
      pressure : Real := 1.0;
      flag0 : Bool;
      flag1 : Bool;
      name : String[10] := 'abc';
      values : Array[1..3] of Int := [3(7)];
      motor : Struct
         speed : Int;
         running : Bool;
      END_STRUCT;
   END_STRUCT;
BEGIN
   count := -2;
   pressure := 1.5;
   flag1 := TRUE;
   name := 'hi';
   values[2] := 9;
END_DATA_BLOCK
)";

// What DB1 holds at start: count 0..1, pressure 2..5, flag0/flag1 6.0/6.1, name 8..19 (STRING[10]
// is word-aligned: max 10, current 2, "hi"), values 20..25, motor 26..29 (speed, running 28.0).
const Bytes kTelemetryBytes = {
    0xFF, 0xFE,                                            // count := -2
    0x3F, 0xC0, 0x00, 0x00,                                // pressure := 1.5
    0x02, 0x00,                                            // flag1 := TRUE (bit 1)
    0x0A, 0x02, 'h',  'i',  0,    0,    0, 0, 0, 0, 0, 0,  // name := 'hi'
    0x00, 0x07, 0x00, 0x09, 0x00, 0x07,                    // values := [3(7)], values[2] := 9
    0x00, 0x00, 0x00, 0x00,                                // motor
};

// A STEP 7 classic source: the number is in the source.
constexpr const char* kStep7 = R"(DATA_BLOCK DB 5
TITLE =
VERSION : 0.1

  STRUCT
   level : DINT := L#100;
   limit : REAL := 2.500000e+000;
   ok : BOOL := TRUE;
  END_STRUCT ;
BEGIN
   level := L#-1;
END_DATA_BLOCK
)";

constexpr const char* kOptimized = R"(DATA_BLOCK "Fast"
{ S7_Optimized_Access := 'TRUE' }
VERSION : 0.1
   STRUCT
      x : Int;
   END_STRUCT;
BEGIN
END_DATA_BLOCK
)";

// Files by name, as a config's folder would hold them.
SourceReader files(std::map<std::string, std::string> texts) {
  return [texts](const std::string& name) -> s7::Result<std::string> {
    auto it = texts.find(name);
    if (it == texts.end()) return s7::Error(s7::Errc::invalid_argument, "no such file");
    return it->second;
  };
}

const SourceReader kFiles =
    files({{"Telemetry.db", kTelemetry}, {"Tank.awl", kStep7}, {"Fast.db", kOptimized}});

Bytes peek(const Simulation& s, std::uint16_t db, std::uint32_t offset, std::size_t n) {
  Bytes out(n);
  EXPECT_TRUE(s.memory().peek(s7::AreaKey{s7::Area::db, db}, offset, out));
  return out;
}

std::string error_of(std::string_view toml, const SourceReader& read = kFiles) {
  auto c = parse_config(toml, "plc.toml", read);
  return c.ok() ? std::string("(no error)") : c.error().what();
}

constexpr const char* kConfig = R"(symbols = ["Telemetry.db"]
db_numbers = { Telemetry = 1 }
)";

TEST(SymbolsConfig, TheDbHoldsTheBeginValuesAtStart) {
  auto c = parse_config(kConfig, "plc.toml", kFiles);
  ASSERT_TRUE(c.ok()) << c.error().what();
  ASSERT_EQ(c->areas.size(), 1u);
  EXPECT_EQ(c->areas[0].area, s7::Area::db);
  EXPECT_EQ(c->areas[0].db, 1);
  EXPECT_EQ(c->areas[0].size, kTelemetryBytes.size());
  EXPECT_EQ(c->areas[0].block, "Telemetry");
  // The sources replace the course's memory: none of its fields, read-only byte or watch.
  EXPECT_TRUE(c->fields.empty());
  EXPECT_TRUE(c->read_only.empty());
  EXPECT_TRUE(c->watch.empty());

  Simulation sim(*c);
  EXPECT_EQ(peek(sim, 1, 0, kTelemetryBytes.size()), kTelemetryBytes);
  // Written once: a client's value stays after the next ticks.
  const Bytes mine = {0x12, 0x34};
  EXPECT_EQ(sim.memory().write(s7::AreaKey{s7::Area::db, 1}, 0, mine), s7::kItemSuccess);
  sim.tick(3);
  EXPECT_EQ(peek(sim, 1, 0, 2), mine);
}

TEST(SymbolsConfig, Step7SourcesCarryTheirNumber) {
  auto c = parse_config("symbols = [\"Tank.awl\"]\ncpu = \"300\"\n", "plc.toml", kFiles);
  ASSERT_TRUE(c.ok()) << c.error().what();
  ASSERT_EQ(c->areas.size(), 1u);
  EXPECT_EQ(c->areas[0].db, 5);
  EXPECT_EQ(c->areas[0].size, 10u);
  EXPECT_EQ(c->symbols.cpu, symbols::CpuFamily::s7_300);
  Simulation sim(*c);
  // level := L#-1 (BEGIN beats the declaration), limit 2.5, ok at 8.0.
  EXPECT_EQ(peek(sim, 5, 0, 10),
            (Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x40, 0x20, 0x00, 0x00, 0x01, 0x00}));
}

TEST(SymbolsConfig, ABoolSetsOnlyItsBit) {
  // A declared area keeps its own size and init; the values go over it.
  auto c = parse_config(std::string(kConfig) + R"(
[[areas]]
area = "DB"
number = 1
size = 40
init = "pattern"
)",
                        "plc.toml", kFiles);
  ASSERT_TRUE(c.ok()) << c.error().what();
  ASSERT_EQ(c->areas.size(), 1u);
  EXPECT_EQ(c->areas[0].size, 40u);
  EXPECT_TRUE(c->areas[0].block.empty());
  Simulation sim(*c);
  // Byte 6 of the pattern is 0x06: flag1 := TRUE sets bit 1 (already set), flag0 (no value)
  // leaves bit 0, and bit 2 stays. Byte 7 (a pad byte) and the bytes past the DB stay too.
  EXPECT_EQ(peek(sim, 1, 6, 2), (Bytes{0x06, 0x07}));
  EXPECT_EQ(peek(sim, 1, 30, 2), (Bytes{30, 31}));
  EXPECT_EQ(peek(sim, 1, 0, 2), (Bytes{0xFF, 0xFE}));
}

TEST(SymbolsConfig, FieldsAndReadOnlyMayNameMembers) {
  auto c = parse_config(std::string(kConfig) + R"(
watch = ["speed"]
read_only = ['"Telemetry".name', 'Telemetry.motor']

[fields.pressure]
address = '"Telemetry".pressure'
generator = "constant"
value = 2.5

[fields.speed]
address = '"Telemetry".motor.speed'

[fields.values]
address = '"Telemetry".values'
)",
                        "plc.toml", kFiles);
  ASSERT_TRUE(c.ok()) << c.error().what();
  EXPECT_EQ(c->symbol_addresses.at("\"Telemetry\".pressure"), "DB1.DBD2:REAL");
  EXPECT_EQ(c->symbol_addresses.at("\"Telemetry\".motor.speed"), "DB1.DBW26:INT");
  EXPECT_EQ(c->symbol_addresses.at("\"Telemetry\".values"), "DB1.DBW20:INT[3]");
  Simulation sim(*c);
  // The generator writes over the BEGIN value; the other fields keep theirs.
  EXPECT_EQ(peek(sim, 1, 2, 4), (Bytes{0x40, 0x20, 0x00, 0x00}));
  auto values = sim.field_value("values");
  ASSERT_TRUE(values);
  EXPECT_EQ(s7::format_value(*values), "[7, 9, 7]");
  // read_only covers the string's 12 bytes and the struct's 4.
  const s7::AreaKey db1{s7::Area::db, 1};
  EXPECT_EQ(sim.memory().check_write(db1, 8, 1), s7::kItemAccessDenied);
  EXPECT_EQ(sim.memory().check_write(db1, 19, 1), s7::kItemAccessDenied);
  EXPECT_EQ(sim.memory().check_write(db1, 20, 1), s7::kItemSuccess);
  EXPECT_EQ(sim.memory().check_write(db1, 29, 1), s7::kItemAccessDenied);
}

TEST(SymbolsConfig, PrintsAndParsesBack) {
  auto c = parse_config(std::string(kConfig) + R"(
cpu = 1200
read_only = ['"Telemetry".name']

[fields.pressure]
address = '"Telemetry".pressure'
generator = "sine"
amplitude = 1
offset = 2
period = "10s"
)",
                        "plc.toml", kFiles);
  ASSERT_TRUE(c.ok()) << c.error().what();
  const std::string text = format_config(*c);
  EXPECT_NE(text.find("symbols = [\"Telemetry.db\"]"), std::string::npos) << text;
  EXPECT_NE(text.find("db_numbers = { Telemetry = 1 }"), std::string::npos) << text;
  EXPECT_NE(text.find("cpu = \"1200\""), std::string::npos) << text;
  EXPECT_EQ(text.find("[[areas]]"), std::string::npos) << "the sources make DB1 again\n" << text;
  auto again = parse_config(text, "printed.toml", kFiles);
  ASSERT_TRUE(again.ok()) << again.error().what() << "\n" << text;
  EXPECT_EQ(*again, *c);
}

TEST(SymbolsConfig, APlantPlcHasItsOwnSources) {
  constexpr const char* kPlant = R"(
[[plc]]
name = "line1"
port = 0
symbols = ["Telemetry.db"]
db_numbers = { Telemetry = 1 }

[plc.fields.p]
address = '"Telemetry".pressure'

[[plc]]
name = "tank"
port = 0
symbols = ["Tank.awl"]
)";
  auto p = parse_plant_config(kPlant, "plant.toml", kFiles);
  ASSERT_TRUE(p.ok()) << p.error().what();
  ASSERT_EQ(p->plcs.size(), 2u);
  ASSERT_EQ(p->plcs[0].areas.size(), 1u);
  EXPECT_EQ(p->plcs[0].areas[0].db, 1);
  ASSERT_EQ(p->plcs[1].areas.size(), 1u);
  EXPECT_EQ(p->plcs[1].areas[0].db, 5);
  Simulation sim(p->plcs[0]);
  EXPECT_EQ(peek(sim, 1, 0, kTelemetryBytes.size()), kTelemetryBytes);
  auto again = parse_plant_config(format_plant_config(*p), "printed.toml", kFiles);
  ASSERT_TRUE(again.ok()) << again.error().what();
  EXPECT_EQ(*again, *p);

  // Sources at the top of a plant belong in the [[plc]] tables.
  auto top = parse_plant_config("symbols = [\"Telemetry.db\"]\n[[plc]]\nname = \"a\"\n",
                                "plant.toml", kFiles);
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.error().what().rfind("plant.toml:1: symbols: ", 0), 0u) << top.error().what();
}

TEST(SymbolsConfigErrors, AMissingFileNamesTheConfigLineAndItem) {
  EXPECT_EQ(error_of("\n\nsymbols = [\"Telemetry.db\", \"Motor.udt\"]\n"),
            "plc.toml:3: symbols[1]: cannot read Motor.udt: no such file");
}

TEST(SymbolsConfigErrors, WithoutAReaderTheSourcesAreNotRead) {
  auto c = parse_config(kConfig, "plc.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().what().rfind("plc.toml:1: symbols: ", 0), 0u) << c.error().what();
}

TEST(SymbolsConfigErrors, ATiaDbNeedsANumber) {
  const std::string e = error_of("symbols = [\"Telemetry.db\"]\n");
  EXPECT_EQ(e.rfind("plc.toml:1: symbols: ", 0), 0u) << e;
  EXPECT_NE(e.find("Telemetry.db:1"), std::string::npos) << e;
  EXPECT_NE(e.find("db_numbers"), std::string::npos) << e;
}

TEST(SymbolsConfigErrors, AnOptimizedDbIsRefusedWithItsPlace) {
  const std::string e = error_of("symbols = [\"Fast.db\"]\ndb_numbers = { Fast = 2 }\n");
  EXPECT_EQ(e.rfind("plc.toml:1: symbols: Fast.db:2", 0), 0u) << e;
}

TEST(SymbolsConfigErrors, AnUnknownDbNumberName) {
  EXPECT_EQ(error_of("symbols = [\"Telemetry.db\"]\ndb_numbers = { Telemetri = 1 }\n"),
            "plc.toml:2: db_numbers.Telemetri: no DB named \"Telemetri\" in the sources "
            "(\"Telemetry\")");
}

TEST(SymbolsConfigErrors, ADeclaredDbMustHoldTheLayout) {
  EXPECT_EQ(error_of(std::string(kConfig) + "[[areas]]\narea = \"DB\"\nnumber = 1\nsize = 10\n"),
            "plc.toml:6: areas[0].size: DB1 has 10 bytes, but DB \"Telemetry\" (Telemetry.db) "
            "needs 30; make it at least 30 or leave DB1 out of [[areas]]");
}

TEST(SymbolsConfigErrors, AFieldHoldsOneValue) {
  const std::string e =
      error_of(std::string(kConfig) + "[fields.motor]\naddress = '\"Telemetry\".motor'\n");
  EXPECT_EQ(e.rfind("plc.toml:4: fields.motor.address: ", 0), 0u) << e;
  EXPECT_NE(e.find("name one of them"), std::string::npos) << e;
  EXPECT_NE(e.find("\"Telemetry\".motor.speed"), std::string::npos) << e;
}

TEST(SymbolsConfigErrors, AnUnknownMember) {
  const std::string e =
      error_of(std::string(kConfig) + "[fields.x]\naddress = '\"Telemetry\".presure'\n");
  EXPECT_EQ(e.rfind("plc.toml:4: fields.x.address: ", 0), 0u) << e;
}

TEST(SymbolsConfigErrors, ASymbolWithoutSources) {
  const std::string e = error_of("[fields.p]\naddress = '\"Telemetry\".pressure'\n");
  EXPECT_EQ(e.rfind("plc.toml:2: fields.p.address: ", 0), 0u) << e;
  EXPECT_NE(e.find("symbols = ["), std::string::npos) << e;
}

TEST(SymbolsConfigErrors, ABadInitialValueNamesTheSourceLine) {
  const SourceReader read = files({{"Bad.db", R"(DATA_BLOCK "Bad"
{ S7_Optimized_Access := 'FALSE' }
VERSION : 0.1
   STRUCT
      x : Int := 70000;
   END_STRUCT;
BEGIN
END_DATA_BLOCK
)"}});
  const std::string e = error_of("symbols = [\"Bad.db\"]\ndb_numbers = { Bad = 3 }\n", read);
  EXPECT_EQ(e.rfind("plc.toml:1: symbols: Bad.db:5: \"Bad\".x: ", 0), 0u) << e;
  EXPECT_NE(e.find("70000"), std::string::npos) << e;
}

TEST(LoadSources, TheCommandLineNumbersTheOneDb) {
  PlcConfig c = course_config();
  c.areas.clear();
  c.fields.clear();
  c.read_only.clear();
  c.watch.clear();
  c.symbols.files = {"Telemetry.db"};
  c.symbols.db_number = 7;
  ASSERT_TRUE(load_sources(c, kFiles, "command line").ok());
  EXPECT_FALSE(c.symbols.db_number);
  EXPECT_EQ(c.symbols.db_numbers.at("Telemetry"), 7);
  ASSERT_EQ(c.areas.size(), 1u);
  EXPECT_EQ(c.areas[0].db, 7);
  EXPECT_TRUE(validate_config(c, "command line").ok());
  Simulation sim(c);
  EXPECT_EQ(peek(sim, 7, 0, kTelemetryBytes.size()), kTelemetryBytes);

  PlcConfig missing = c;
  missing.symbols.files = {"Nope.db"};
  auto r = load_sources(missing, kFiles, "command line");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what(), "command line: symbols[0]: cannot read Nope.db: no such file");
}

TEST(LoadConfig, ReadsTheSourcesFromTheConfigsFolder) {
  const auto dir = std::filesystem::temp_directory_path() / "s7log_sim_symbols_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "Telemetry.db") << kTelemetry;
  std::ofstream(dir / "plc.toml") << kConfig;
  auto c = load_config((dir / "plc.toml").string());
  ASSERT_TRUE(c.ok()) << c.error().what();
  Simulation sim(*c);
  EXPECT_EQ(peek(sim, 1, 0, kTelemetryBytes.size()), kTelemetryBytes);
  auto p = load_plant_config((dir / "plc.toml").string());
  ASSERT_TRUE(p.ok()) << p.error().what();
  EXPECT_EQ(p->plcs[0], *c);
  std::filesystem::remove_all(dir);
}

TEST(LoadConfig, TheCoursesSourceServesTheCoursesDb) {
  const std::string dir = S7LOG_SOURCE_DIR "/examples";
  auto c = parse_config("symbols = [\"Telemetry.db\"]\ndb_numbers = { Telemetry = 1 }\n",
                        dir + "/plc.toml", disk_reader(dir));
  ASSERT_TRUE(c.ok()) << c.error().what();
  ASSERT_EQ(c->areas.size(), 1u);
  EXPECT_EQ(c->areas[0].size, 64u);
  Simulation sim(*c);
  // temperature 25 at 4, pressure 1.23 at 6, alarm := TRUE at 10.0, mode_ro 16#07 at 11.
  EXPECT_EQ(peek(sim, 1, 4, 8), (Bytes{0x00, 0x19, 0x3F, 0x9D, 0x70, 0xA4, 0x01, 0x07}));
}

}  // namespace
}  // namespace sim
