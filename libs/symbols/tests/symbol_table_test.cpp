// Tests for SymbolTable: resolving each symbol syntax, whole structs/arrays with their leaves,
// unknown names with suggestions, where DB numbers come from, duplicate blocks, tag tables.
#include "symbols/symbol_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_sources.hpp"

namespace {

using symbols::CpuFamily;
using symbols::Resolved;
using symbols::SymbolTable;
using testing::HasSubstr;
using testing::StartsWith;

using symbols::testing::read_file;
using symbols::testing::source;

const char* const kPlant =
    "DATA_BLOCK \"Plant\"\n"
    "{ S7_Optimized_Access := 'FALSE' }\n"
    "VERSION : 0.1\n"
    "   STRUCT\n"
    "      pressure : Real := 1.5;\n"            // 0
    "      values : Array[1..3] of Int;\n"       // 4..9
    "      motor : Array[1..2] of \"Motor\";\n"  // 10..29 (10 bytes each)
    "      grid : Array[1..2, 0..1] of Bool;\n"  // 30.0 .. 30.3
    "      cfg : Struct\n"                       // 32..37
    "         on : Bool;\n"                      // 32.0
    "         limit : DInt;\n"                   // 34
    "      END_STRUCT;\n"
    "      \"odd name\" : Byte;\n"  // 38
    "   END_STRUCT;\n"
    "BEGIN\n"
    "   values[2] := 7;\n"
    "   motor[2].speed := 3.5;\n"
    "END_DATA_BLOCK\n";

// Telemetry (DB 1, from db_numbers), Plant (DB 7) with the Motor UDT, and the STEP 7 DB 1 ...
// renumbered: the classic source is added only where a test needs it.
SymbolTable plant() {
  SymbolTable t;
  EXPECT_TRUE(
      t.add_file(read_file(std::string(S7LOG_EXAMPLES_DIR) + "/Telemetry.db"), "Telemetry.db")
          .ok());
  EXPECT_TRUE(t.add_file(source("motor.udt"), "motor.udt").ok());
  EXPECT_TRUE(t.add_file(kPlant, "plant.db").ok());
  t.set_db_number("Telemetry", 1);
  t.set_db_number("plant", 7);  // names are case-insensitive
  auto r = t.finish();
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().what());
  return t;
}

Resolved resolve_ok(const SymbolTable& t, std::string_view text) {
  auto r = t.resolve(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().what());
  return r.ok() ? *r : Resolved{};
}

std::string resolve_error(const SymbolTable& t, std::string_view text) {
  auto r = t.resolve(text);
  EXPECT_FALSE(r.ok()) << text << " resolved to " << (r.ok() ? s7::to_string(r->whole) : "");
  return r.ok() ? "" : r.error().what();
}

std::string addr(const Resolved& r) {
  return s7::to_string(r.whole);
}

TEST(SymbolTable, ResolvesQuotedAndPlainDbNames) {
  const auto t = plant();
  auto r = resolve_ok(t, "\"Telemetry\".pressure");
  EXPECT_EQ(r.symbol, "\"Telemetry\".pressure");
  EXPECT_EQ(r.type, "Real");
  EXPECT_EQ(addr(r), "DB1.DBD6:REAL");
  ASSERT_EQ(r.leaves.size(), 1u);
  EXPECT_EQ(r.leaves[0].suffix, "");
  EXPECT_EQ(r.leaves[0].initial, "1.23");
  // Without quotes and in another case.
  EXPECT_EQ(resolve_ok(t, "telemetry.PRESSURE").symbol, "\"Telemetry\".pressure");
  EXPECT_EQ(addr(resolve_ok(t, "Telemetry.alarm")), "DB1.DBX10.0:BOOL");
  EXPECT_EQ(addr(resolve_ok(t, " \"Telemetry\".cmd_stop ")), "DB1.DBX26.1:BOOL");
}

TEST(SymbolTable, ResolvesByDbNumber) {
  const auto t = plant();
  EXPECT_EQ(addr(resolve_ok(t, "DB1.counter")), "DB1.DBD0:DINT");
  EXPECT_EQ(addr(resolve_ok(t, "\"DB 7\".pressure")), "DB7.DBD0:REAL");
  EXPECT_EQ(resolve_ok(t, "db7.pressure").symbol, "\"Plant\".pressure");
}

TEST(SymbolTable, Step7BlockNames) {
  SymbolTable t(CpuFamily::s7_300);
  ASSERT_TRUE(t.add_file(source("step7_classic.awl"), "step7_classic.awl").ok());
  ASSERT_TRUE(t.finish().ok());
  auto r = resolve_ok(t, "DB1.counter");
  EXPECT_EQ(r.symbol, "\"DB 1\".counter");
  EXPECT_EQ(addr(r), "DB1.DBD0:DINT");
  EXPECT_EQ(r.leaves[0].initial, "L#0");
  EXPECT_EQ(addr(resolve_ok(t, "\"DB 2\".setpoint")), "DB2.DBW2:INT");
  EXPECT_EQ(addr(resolve_ok(t, "DB4.running")), "DB4.DBX4.0:BOOL");
  // The layouts: DBs and UDTs, in source order.
  ASSERT_EQ(t.layouts().size(), 4u);
  EXPECT_EQ(t.layouts()[0].block, "UDT 5");
  EXPECT_FALSE(t.layouts()[0].number);
  EXPECT_EQ(t.layouts()[1].block, "DB 1");
}

TEST(SymbolTable, MembersOfArraysAndStructs) {
  const auto t = plant();
  EXPECT_EQ(addr(resolve_ok(t, "\"Plant\".motor[2].speed")), "DB7.DBD20:REAL");
  EXPECT_EQ(resolve_ok(t, "\"Plant\".motor[2].speed").leaves[0].initial, "3.5");
  EXPECT_EQ(addr(resolve_ok(t, "\"Plant\".motor[1].running")), "DB7.DBX14.0:BOOL");
  EXPECT_EQ(addr(resolve_ok(t, "\"Plant\".motor[1].\"hours run\"")), "DB7.DBD16:DINT");
  EXPECT_EQ(resolve_ok(t, "\"Plant\".motor[1].\"hours run\"").symbol,
            "\"Plant\".motor[1].\"hours run\"");
  EXPECT_EQ(addr(resolve_ok(t, "\"Plant\".values[3]")), "DB7.DBW8:INT");
  EXPECT_EQ(resolve_ok(t, "\"Plant\".values[2]").leaves[0].initial, "7");
  // grid[1,0] 30.0, [1,1] 30.1, [2,0] 30.2, [2,1] 30.3 (last index fastest).
  EXPECT_EQ(addr(resolve_ok(t, "\"Plant\".grid[2,0]")), "DB7.DBX30.2:BOOL");
  EXPECT_EQ(resolve_ok(t, "\"Plant\".grid[ 2 , 1 ]").symbol, "\"Plant\".grid[2,1]");
  EXPECT_EQ(addr(resolve_ok(t, "\"Plant\".cfg.limit")), "DB7.DBD34:DINT");
  EXPECT_EQ(addr(resolve_ok(t, "\"Plant\".\"odd name\"")), "DB7.DBB38:BYTE");
}

TEST(SymbolTable, WholeArrayOfElementaryType) {
  const auto t = plant();
  auto r = resolve_ok(t, "\"Plant\".values");
  EXPECT_EQ(addr(r), "DB7.DBW4:INT[3]");
  EXPECT_EQ(r.type, "Array[1..3] of Int");
  ASSERT_EQ(r.leaves.size(), 3u);
  EXPECT_EQ(r.leaves[0].suffix, "[1]");
  EXPECT_EQ(s7::to_string(r.leaves[0].address), "DB7.DBW4:INT");
  EXPECT_EQ(r.leaves[1].initial, "7");
  EXPECT_EQ(s7::to_string(r.leaves[2].address), "DB7.DBW8:INT");

  auto g = resolve_ok(t, "\"Plant\".grid");
  ASSERT_EQ(g.leaves.size(), 4u);
  EXPECT_EQ(g.leaves[1].suffix, "[1,1]");
  EXPECT_EQ(s7::to_string(g.leaves[1].address), "DB7.DBX30.1:BOOL");
}

TEST(SymbolTable, WholeStructAndArrayOfStructs) {
  const auto t = plant();
  auto m = resolve_ok(t, "\"Plant\".motor");
  EXPECT_EQ(addr(m), "DB7.DBB10:BYTE[20]");
  EXPECT_TRUE(m.whole.is_array);
  std::vector<std::string> suffixes;
  for (const auto& l : m.leaves) suffixes.push_back(l.suffix);
  EXPECT_THAT(suffixes,
              testing::ElementsAre("[1].speed", "[1].running", "[1].fault", "[1].hours run",
                                   "[2].speed", "[2].running", "[2].fault", "[2].hours run"));
  EXPECT_EQ(s7::to_string(m.leaves[5].address), "DB7.DBX24.0:BOOL");

  auto c = resolve_ok(t, "\"Plant\".cfg");
  EXPECT_EQ(addr(c), "DB7.DBB32:BYTE[6]");
  ASSERT_EQ(c.leaves.size(), 2u);
  EXPECT_EQ(c.leaves[0].suffix, ".on");

  auto e = resolve_ok(t, "\"Plant\".motor[2]");
  EXPECT_EQ(addr(e), "DB7.DBB20:BYTE[10]");
  EXPECT_EQ(e.leaves[0].suffix, ".speed");
  EXPECT_EQ(e.leaves[0].initial, "3.5");
}

TEST(SymbolTable, UnknownNamesSuggestTheClosest) {
  const auto t = plant();
  EXPECT_EQ(resolve_error(t, "\"Telemtry\".pressure"),
            "no DB named \"Telemtry\"; known: \"Telemetry\" (DB1), \"Plant\" (DB7)");
  EXPECT_EQ(resolve_error(t, "\"Telemetry\".presure"),
            "DB \"Telemetry\" has no member 'presure'; did you mean 'pressure'?");
  EXPECT_EQ(resolve_error(t, "\"Plant\".motor[1].sped"),
            "\"Plant\".motor[1] has no member 'sped'; did you mean 'speed'?");
  EXPECT_THAT(resolve_error(t, "\"Plant\".motor[3].speed"),
              AllOf(HasSubstr("index 3 is out of bounds [1..2]"), HasSubstr("\"Motor\"")));
  EXPECT_THAT(resolve_error(t, "\"Plant\".values[0]"), HasSubstr("out of bounds [1..3]"));
  EXPECT_THAT(resolve_error(t, "\"Plant\".grid[1]"), HasSubstr("has 2 dimensions"));
  EXPECT_THAT(resolve_error(t, "\"Plant\".pressure.x"), HasSubstr("has no member 'x'"));
  EXPECT_THAT(resolve_error(t, "\"Plant\".motor.speed"), HasSubstr("index it first"));
  EXPECT_THAT(resolve_error(t, "\"Plant\".values[1].x"), HasSubstr("one Int value"));
  EXPECT_THAT(resolve_error(t, "\"Plant\".pressure[1]"), HasSubstr("not an array"));
  EXPECT_THAT(resolve_error(t, "\"Plant\"..x"), HasSubstr("column 9"));
  EXPECT_THAT(resolve_error(t, "\"Start\""), StartsWith("no symbol or DB named \"Start\""));
}

TEST(SymbolTable, WholeDb) {
  const auto t = plant();
  auto r = resolve_ok(t, "\"Telemetry\"");
  EXPECT_EQ(addr(r), "DB1.DBB0:BYTE[64]");
  ASSERT_GE(r.leaves.size(), 5u);
  EXPECT_EQ(r.leaves[0].suffix, ".counter");
}

TEST(SymbolTable, ParameterMembersCannotBeRead) {
  SymbolTable t;
  ASSERT_TRUE(t.add_file(source("pump.scl"), "pump.scl").ok());
  ASSERT_TRUE(t.add_file(source("motor.udt"), "motor.udt").ok());
  t.set_db_number("Pump_DB", 5);
  ASSERT_TRUE(t.finish().ok());
  EXPECT_THAT(resolve_error(t, "\"Pump_DB\".name"),
              AllOf(StartsWith("\"Pump_DB\".name cannot be read"), HasSubstr("POINTER")));
  EXPECT_EQ(addr(resolve_ok(t, "\"Pump_DB\".valve.position")), "DB5.DBW28:INT");
  // The whole instance skips the pointer.
  auto all = resolve_ok(t, "Pump_DB");
  for (const auto& l : all.leaves) EXPECT_NE(l.suffix, ".name");
}

TEST(SymbolTable, DbWithoutNumberIsAnError) {
  SymbolTable t;
  ASSERT_TRUE(
      t.add_file(read_file(std::string(S7LOG_EXAMPLES_DIR) + "/Telemetry.db"), "Telemetry.db")
          .ok());
  auto r = t.finish();
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().what(),
              AllOf(StartsWith("DB \"Telemetry\" (Telemetry.db:7) has no number: TIA sources "
                               "carry none; give it with db_numbers = { Telemetry = 1 } in the "
                               "config or --db-number 1"),
                    HasSubstr("tag table")));
}

TEST(SymbolTable, DuplicateBlocksNameBothFiles) {
  SymbolTable t;
  ASSERT_TRUE(t.add_file(source("motor.udt"), "a/motor.udt").ok());
  auto r = t.add_file("TYPE \"MOTOR\"\nSTRUCT x : Int; END_STRUCT;\nEND_TYPE\n", "b/motor.udt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what(),
            "b/motor.udt:1: block \"MOTOR\" is declared twice: also in a/motor.udt:2");
}

TEST(SymbolTable, DuplicateDbNumbers) {
  SymbolTable t;
  ASSERT_TRUE(
      t.add_file(read_file(std::string(S7LOG_EXAMPLES_DIR) + "/Telemetry.db"), "Telemetry.db")
          .ok());
  ASSERT_TRUE(
      t.add_file(read_file(std::string(S7LOG_EXAMPLES_DIR) + "/Telemetry.awl"), "Telemetry.awl")
          .ok());
  t.set_db_number("Telemetry", 1);
  auto r = t.finish();
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().what(), HasSubstr("both have number 1"));
}

TEST(SymbolTable, ErrorsFromSourcesAndLayoutsPassThrough) {
  SymbolTable t;
  auto r = t.add_file("DATA_BLOCK \"X\"\nSTRUCT\n a Int;\n", "x.db");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().what(), StartsWith("x.db:3: expected ':'"));

  SymbolTable o;
  ASSERT_TRUE(o.add_file("DATA_BLOCK \"X\"\n{ S7_Optimized_Access := 'TRUE' }\nSTRUCT\n"
                         " a : Int;\nEND_STRUCT;\nBEGIN\nEND_DATA_BLOCK\n",
                         "x.db")
                  .ok());
  o.set_db_number("X", 3);
  auto f = o.finish();
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.error().what(), StartsWith("x.db:2: DB \"X\" has optimized block access"));

  SymbolTable c(CpuFamily::s7_300);
  ASSERT_TRUE(c.add_file("DATA_BLOCK DB 3\nSTRUCT\n a : LREAL;\nEND_STRUCT;\nBEGIN\n"
                         "END_DATA_BLOCK\n",
                         "x.awl")
                  .ok());
  auto g = c.finish();
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.error().what(), StartsWith("x.awl:3: member 'a': LREAL does not exist on an "
                                           "S7-300/400 CPU"));
}

TEST(SymbolTable, TagTableGivesDbNumbersAndSymbols) {
  SymbolTable t;
  ASSERT_TRUE(
      t.add_file(read_file(std::string(S7LOG_EXAMPLES_DIR) + "/Telemetry.db"), "Telemetry.db")
          .ok());
  auto r = t.add_file(
      "\"Telemetry               \",\"DB      9\",\"DB      9\",\"course data\"\r\n"
      "\"Start_Button            \",\"I       0.0 \",\"BOOL      \",\"Start\"\r\n"
      "\"Speed                   \",\"MW     10   \",\"INT       \",\"\"\r\n",
      "symbols.sdf");
  ASSERT_TRUE(r.ok()) << r.error().what();
  auto f = t.finish();
  ASSERT_TRUE(f.ok()) << f.error().what();
  EXPECT_EQ(addr(resolve_ok(t, "\"Telemetry\".pressure")), "DB9.DBD6:REAL");
  EXPECT_EQ(addr(resolve_ok(t, "DB9.pressure")), "DB9.DBD6:REAL");
  auto s = resolve_ok(t, "\"Start_Button\"");
  EXPECT_EQ(s.symbol, "\"Start_Button\"");
  EXPECT_EQ(s.whole.area, s7::Area::inputs);
  ASSERT_EQ(s.leaves.size(), 1u);
  EXPECT_EQ(resolve_ok(t, "\"speed\"").whole.area, s7::Area::merkers);
  EXPECT_THAT(resolve_error(t, "\"Start_Buton\""),
              AllOf(StartsWith("no symbol or DB named \"Start_Buton\""),
                    HasSubstr("tag table symbols: \"Start_Button\"")));

  // db_numbers wins over the tag table.
  SymbolTable u;
  ASSERT_TRUE(
      u.add_file(read_file(std::string(S7LOG_EXAMPLES_DIR) + "/Telemetry.db"), "Telemetry.db")
          .ok());
  ASSERT_TRUE(u.add_file("\"Telemetry\",\"DB 9\",\"DB 9\",\"\"\r\n", "s.sdf").ok());
  u.set_db_number("Telemetry", 2);
  ASSERT_TRUE(u.finish().ok());
  EXPECT_EQ(addr(resolve_ok(u, "Telemetry.counter")), "DB2.DBD0:DINT");
}

TEST(SymbolTable, TagTableLinksSymbolicAndAbsoluteBlockNames) {
  // The instance DB names its FB by number, the FB source by its symbol: the table links them.
  SymbolTable t(CpuFamily::s7_300);
  ASSERT_TRUE(t.add_file("FUNCTION_BLOCK \"Valve\"\nVAR_INPUT\n open : BOOL ;\nEND_VAR\n"
                         "VAR\n position : INT ;\nEND_VAR\nBEGIN\nEND_FUNCTION_BLOCK\n"
                         "DATA_BLOCK DB 2\n FB 4\nBEGIN\nEND_DATA_BLOCK\n",
                         "valve.awl")
                  .ok());
  ASSERT_TRUE(t.add_file("\"Valve\",\"FB 4\",\"FB 4\",\"\"\r\n", "s.sdf").ok());
  auto f = t.finish();
  ASSERT_TRUE(f.ok()) << f.error().what();
  // open 0.0; STAT from the next even byte: position 2.
  EXPECT_EQ(addr(resolve_ok(t, "DB2.position")), "DB2.DBW2:INT");
}

TEST(SymbolTable, LooksSymbolic) {
  EXPECT_TRUE(SymbolTable::looks_symbolic("\"Telemetry\".pressure"));
  EXPECT_TRUE(SymbolTable::looks_symbolic("\"Start_Button\""));
  EXPECT_TRUE(SymbolTable::looks_symbolic("Telemetry.pressure"));
  EXPECT_TRUE(SymbolTable::looks_symbolic("DB1.counter"));
  EXPECT_TRUE(SymbolTable::looks_symbolic("Plant.motor[3].speed"));
  EXPECT_TRUE(SymbolTable::looks_symbolic("Plant.\"odd name\""));
  EXPECT_FALSE(SymbolTable::looks_symbolic("DB1.DBX0.0"));
  EXPECT_FALSE(SymbolTable::looks_symbolic("DB1.DBD6:REAL"));
  EXPECT_FALSE(SymbolTable::looks_symbolic("%DB1.DBW20"));
  EXPECT_FALSE(SymbolTable::looks_symbolic("MW10"));
  EXPECT_FALSE(SymbolTable::looks_symbolic("I0.0"));
  EXPECT_FALSE(SymbolTable::looks_symbolic("M10.5"));
  EXPECT_FALSE(SymbolTable::looks_symbolic("DB1.DBX0.9"));  // a typo parse_address explains
  EXPECT_FALSE(SymbolTable::looks_symbolic("DB1.DBQ4"));
  EXPECT_FALSE(SymbolTable::looks_symbolic("Telemetry"));
  EXPECT_FALSE(SymbolTable::looks_symbolic(""));
}

}  // namespace
