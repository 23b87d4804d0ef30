// Logger configs with symbols = [...]: tags by their name in the PLC program's sources.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "logger/config.hpp"
#include "logger/tag.hpp"
#include "s7/address.hpp"
#include "test_dir.hpp"
#include "util/u8path.hpp"

namespace {

using logger::testing::TempDir;

void write(const std::string& path, const std::string& text) {
  std::ofstream(util::u8path(path), std::ios::binary) << text;
}

// A TIA source: pump Struct at 6 (after level Real 2..5, which follows ok Bool 0.0 on an even
// byte), its members speed Real 6..9, on Bool 10.0, then the struct rounded to even: 12 bytes;
// temps Array[1..3] of Int at 12, 14, 16.
const char* kPlant = R"(DATA_BLOCK "Plant"
{ S7_Optimized_Access := 'FALSE' }
VERSION : 0.1
   STRUCT
      ok : Bool;
      level : Real;
      pump : Struct
         speed : Real;
         on : Bool;
      END_STRUCT;
      temps : Array[1..3] of Int;
      big : LReal;
   END_STRUCT;
BEGIN
END_DATA_BLOCK
)";

std::string addresses(const logger::LoadedConfig& c) {
  std::string out;
  for (const auto& t : c.config.tags) out += t.name + "=" + s7::to_string(t.address) + " ";
  return out;
}

TEST(ConfigSymbols, TagsNameMembersOfTheSourceAndDefaultTheirColumnName) {
  TempDir dir;
  write(dir / "Plant.db", kPlant);
  const std::string cfg = dir / "logger.toml";
  auto r = logger::parse_config(R"(symbols = ["Plant.db"]
db_numbers = { Plant = 5 }

[[tag]]
address = '"Plant".level'

[[tag]]
name = "running"
address = '"Plant".ok'
deadband = 0.5

[[tag]]
address = 'Plant.pump'
deadband = 0.1

[[tag]]
address = '"Plant".temps'
)",
                                cfg);
  ASSERT_TRUE(r.ok()) << r.error().what();
  EXPECT_EQ(addresses(*r),
            "level=DB5.DBD2:REAL running=DB5.DBX0.0:BOOL pump.speed=DB5.DBD6:REAL "
            "pump.on=DB5.DBX10.0:BOOL temps[1]=DB5.DBW12:INT temps[2]=DB5.DBW14:INT "
            "temps[3]=DB5.DBW16:INT ");
  // A deadband of a struct applies to each of its columns.
  EXPECT_EQ(r->config.deadband.at("pump.speed"), 0.1);
  EXPECT_EQ(r->config.deadband.at("pump.on"), 0.1);
  EXPECT_EQ(r->config.deadband.at("running"), 0.5);
}

TEST(ConfigSymbols, ASymbolWithoutSourcesSaysToGiveThem) {
  auto r = logger::parse_config("[[tag]]\nname = \"p\"\naddress = '\"Plant\".level'\n", "l.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what().rfind("l.toml:3: tag[1].address: '\"Plant\".level' is a symbol", 0),
            0u)
      << r.error().what();
  EXPECT_NE(r.error().what().find("symbols = ["), std::string::npos);
}

TEST(ConfigSymbols, AMissingSourceNamesTheFileAndTheKey) {
  TempDir dir;
  auto r = logger::parse_config(
      "symbols = [\"nope.db\"]\n[[tag]]\nname = \"x\"\naddress = "
      "\"DB1.DBW0\"\n",
      dir / "l.toml");
  ASSERT_FALSE(r.ok());
  const auto w = r.error().what();
  // Lists of logger.toml count from 1, as [[tag]] tables do.
  EXPECT_NE(w.find("l.toml:1: symbols[1]: cannot read nope.db: no such file"), std::string::npos)
      << w;
}

TEST(ConfigSymbols, ScalingAStructIsRefused) {
  TempDir dir;
  write(dir / "Plant.db", kPlant);
  auto r = logger::parse_config(R"(symbols = ["Plant.db"]
db_numbers = { Plant = 5 }
[[tag]]
address = '"Plant".pump'
raw = [0, 100]
eng = [0, 1]
)",
                                dir / "l.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find("scaling applies to one value"), std::string::npos)
      << r.error().what();
}

TEST(ConfigSymbols, AnUnknownDbNumbersNameIsATypo) {
  TempDir dir;
  write(dir / "Plant.db", kPlant);
  auto r = logger::parse_config(
      "symbols = [\"Plant.db\"]\ndb_numbers = { Plnat = 5 }\n[[tag]]\naddress = "
      "'\"Plant\".level'\n",
      dir / "l.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find("l.toml:2: db_numbers.Plnat: no DB named \"Plnat\" in the "
                                  "sources (\"Plant\")"),
            std::string::npos)
      << r.error().what();
}

TEST(ConfigSymbols, TheCpuFamilyDecidesWhichTypesExist) {
  TempDir dir;
  write(dir / "Plant.db", kPlant);
  const std::string tail = "db_numbers = { Plant = 5 }\n[[tag]]\naddress = '\"Plant\".level'\n";
  auto ok =
      logger::parse_config("symbols = [\"Plant.db\"]\ncpu = \"1500\"\n" + tail, dir / "l.toml");
  ASSERT_TRUE(ok.ok()) << ok.error().what();
  // LReal does not exist on an S7-300.
  auto r = logger::parse_config("symbols = [\"Plant.db\"]\ncpu = 300\n" + tail, dir / "l.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find("Plant.db:12: member 'big'"), std::string::npos)
      << r.error().what();
  EXPECT_NE(r.error().what().find("big"), std::string::npos) << r.error().what();
  auto bad =
      logger::parse_config("symbols = [\"Plant.db\"]\ncpu = \"1600\"\n" + tail, dir / "l.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().what().find("l.toml:2: cpu: "), std::string::npos) << bad.error().what();
}

TEST(ConfigSymbols, EachPlcOfAPlantHasItsOwnDbNumbers) {
  TempDir dir;
  write(dir / "Plant.db", kPlant);
  auto r = logger::parse_config(R"(symbols = ["Plant.db"]
db_numbers = { Plant = 5 }

[[plc]]
name = "a"
port = 1102

[[plc]]
name = "b"
port = 1103
db_numbers = { Plant = 9 }

[[group]]
name = "g"
plc = "a"
[[group.tag]]
address = '"Plant".level'

[[group]]
name = "g"
plc = "b"
[[group.tag]]
address = '"Plant".level'
)",
                                dir / "plant.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  ASSERT_TRUE(r->plant.has_value());
  ASSERT_EQ(r->plant->groups.size(), 2u);
  EXPECT_EQ(s7::to_string(r->plant->groups[0].tags[0].address), "DB5.DBD2:REAL");
  EXPECT_EQ(s7::to_string(r->plant->groups[1].tags[0].address), "DB9.DBD2:REAL");
  EXPECT_EQ(r->plant->groups[1].tags[0].name, "level");
}

}  // namespace

namespace {

// examples/symbols.toml names the course's five tags by symbol: the same addresses as the
// course's defaults, so the same CSV.
TEST(ConfigSymbols, TheExampleGivesTheCourseTags) {
  auto r = logger::load_config(std::string(S7LOG_EXAMPLES_DIR) + "/symbols.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  const auto course = logger::course_tags();
  ASSERT_EQ(r->config.tags.size(), course.size());
  for (std::size_t i = 0; i < course.size(); ++i) {
    EXPECT_EQ(r->config.tags[i].name, course[i].name);
    EXPECT_EQ(r->config.tags[i].address, course[i].address) << course[i].name;
  }
}

}  // namespace
