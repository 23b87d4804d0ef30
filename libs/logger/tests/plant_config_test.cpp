// Plant configs ([[plc]] and [[group]] tables): the issue's shape, the printed example, and each
// bad input as file:line: key: message.
#include <gtest/gtest.h>

#include "logger/config.hpp"

using namespace std::chrono_literals;

namespace {

// The shape the plant issue asks to load as written.
constexpr const char* kIssueExample = R"([[plc]]
name = "press1"
host = "127.0.0.1"
port = 1102
rack = 0
slot = 1

[[group]]
name = "fast"
plc = "press1"
interval = "100ms"
out = "{plc}_{group}.csv"
  [[group.tag]]
  name = "counter"
  address = "DB1.DBD0:DINT"
)";

std::string error_of(const std::string& text) {
  auto r = logger::parse_config(text, "plant.toml");
  return r ? std::string("(loaded)") : r.error().what();
}

// Two PLCs and a group per line of `groups` (TOML appended as it is).
std::string plant(const std::string& groups) {
  return "[[plc]]\nname = \"a\"\nport = 1102\n\n[[plc]]\nname = \"b\"\nport = 1103\n\n" + groups;
}

const char* kTag = "  [[group.tag]]\n  name = \"counter\"\n  address = \"DB1.DBD0:DINT\"\n";

}  // namespace

TEST(LoggerPlantConfig, TheIssuesExampleLoadsAsWritten) {
  auto r = logger::parse_config(kIssueExample, "plant.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  ASSERT_TRUE(r->plant.has_value());
  const auto& p = *r->plant;
  ASSERT_EQ(p.plcs.size(), 1u);
  EXPECT_EQ(p.plcs[0].name, "press1");
  EXPECT_EQ(p.plcs[0].client.port, 1102);
  EXPECT_EQ(p.plcs[0].client.slot, 1);
  ASSERT_EQ(p.groups.size(), 1u);
  EXPECT_EQ(p.groups[0].name, "fast");
  EXPECT_EQ(p.groups[0].plc, "press1");
  EXPECT_EQ(p.groups[0].interval, 100ms);
  EXPECT_EQ(p.groups[0].csv.pattern, "{plc}_{group}.csv");
  EXPECT_TRUE(p.groups[0].csv.format.millis);
  ASSERT_EQ(p.groups[0].tags.size(), 1u);
  EXPECT_EQ(s7::to_string(p.groups[0].tags[0].address), "DB1.DBD0:DINT");
}

TEST(LoggerPlantConfig, ThePrintedExampleLoadsWithTwoPlcsAndThreeGroups) {
  auto r = logger::parse_config(logger::sample_plant_config(), "plant.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  ASSERT_TRUE(r->plant.has_value());
  const auto& p = *r->plant;
  ASSERT_EQ(p.plcs.size(), 2u);
  EXPECT_EQ(p.plcs[1].client.port, 1103);
  EXPECT_EQ(p.plcs[0].client.connect_timeout, 2s);
  ASSERT_EQ(p.groups.size(), 3u);
  EXPECT_EQ(p.groups[1].interval, 1s);
  EXPECT_TRUE(p.groups[1].quality);
  EXPECT_TRUE(p.groups[1].tags[1].scale.has_value());
  EXPECT_EQ(p.groups[0].csv.pattern, "data/{plc}_{group}_%Y%m%d.csv");
  ASSERT_TRUE(p.groups[2].trigger.has_value());
  EXPECT_EQ(s7::to_string(*p.groups[2].trigger), "DB1.DBX26.0");
  EXPECT_EQ(s7::to_string(*p.groups[2].trigger_ack), "DB1.DBX26.1");
  EXPECT_EQ(p.groups[2].interval, 100ms);  // the poll
}

TEST(LoggerPlantConfig, TsapsPerPlcAndAReconnectTableOfItsOwn) {
  auto r = logger::parse_config(R"([reconnect]
initial = "1s"
max = "10s"
[[plc]]
name = "s7_300"
host = "10.0.0.5"
local_tsap = "01.00"
remote_tsap = "03.02"
  [plc.reconnect]
  initial = "200ms"
  max = "2s"
[[plc]]
name = "other"
[[group]]
name = "g"
plc = "s7_300"
  [[group.tag]]
  name = "x"
  address = "MW10"
)",
                                "plant.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  const auto& p = *r->plant;
  EXPECT_EQ(p.plcs[0].client.remote_tsap, 0x0302);
  EXPECT_EQ(p.plcs[0].client.local_tsap, 0x0100);
  EXPECT_EQ(p.plcs[0].backoff.initial, 200ms);
  EXPECT_EQ(p.plcs[1].backoff.initial, 1s);                 // the [reconnect] default
  EXPECT_EQ(p.groups[0].csv.pattern, "{plc}_{group}.csv");  // the plant's default out
}

TEST(LoggerPlantConfig, AGroupNamingAnUnknownPlcIsAnError) {
  EXPECT_EQ(error_of(plant("[[group]]\nname = \"g\"\nplc = \"c\"\n" + std::string(kTag))),
            "plant.toml:11: group[1].plc: no PLC named 'c' (the [[plc]] tables: a, b)");
}

TEST(LoggerPlantConfig, DuplicateNamesAreErrors) {
  EXPECT_EQ(error_of("[[plc]]\nname = \"a\"\n[[plc]]\nname = \"a\"\n"),
            "plant.toml:4: plc[2].name: PLC 'a' is defined twice");
  EXPECT_EQ(error_of(plant("[[group]]\nname = \"g\"\nplc = \"a\"\n" + std::string(kTag) +
                           "[[group]]\nname = \"g\"\nplc = \"a\"\n" + kTag)),
            "plant.toml:16: group[2].name: group 'g' of PLC 'a' is defined twice");
  EXPECT_EQ(error_of(plant("[[group]]\nname = \"g\"\nplc = \"a\"\n" + std::string(kTag) + kTag)),
            "plant.toml:16: group[1].tag[2].name: tag 'counter' is defined twice");
  // The same group name on two PLCs is fine (and writes a_g.csv and b_g.csv).
  EXPECT_EQ(error_of(plant("[[group]]\nname = \"g\"\nplc = \"a\"\n" + std::string(kTag) +
                           "[[group]]\nname = \"g\"\nplc = \"b\"\n" + kTag)),
            "(loaded)");
}

TEST(LoggerPlantConfig, TwoGroupsWritingOneFileWithOtherColumnsIsAnError) {
  EXPECT_EQ(error_of(plant("[[group]]\nname = \"g\"\nplc = \"a\"\nout = \"all.csv\"\n" +
                           std::string(kTag) +
                           "[[group]]\nname = \"h\"\nplc = \"b\"\nout = \"all.csv\"\n"
                           "  [[group.tag]]\n  name = \"other\"\n  address = \"DB1.DBW4\"\n")),
            "plant.toml:19: group[2].out: all.csv is written by group[1] too, with other columns; "
            "give this group another out (\"{plc}_{group}.csv\")");
  // With the same columns they share the file.
  EXPECT_EQ(error_of(plant("[[group]]\nname = \"g\"\nplc = \"a\"\nout = \"all.csv\"\n" +
                           std::string(kTag) +
                           "[[group]]\nname = \"h\"\nplc = \"b\"\nout = \"all.csv\"\n" + kTag)),
            "(loaded)");
}

TEST(LoggerPlantConfig, IntervalsOutside1msTo1DayAreErrors) {
  EXPECT_EQ(error_of(plant("[[group]]\nname = \"g\"\nplc = \"a\"\ninterval = \"500us\"\n" +
                           std::string(kTag))),
            "plant.toml:12: group[1].interval: must be at least 1ms");
  EXPECT_EQ(error_of(plant("[[group]]\nname = \"g\"\nplc = \"a\"\ninterval = \"25h\"\n" +
                           std::string(kTag))),
            "plant.toml:12: group[1].interval: must be at most 1 day (24h)");
  EXPECT_EQ(error_of("[log]\ninterval = \"2d\"\n").find("log.interval: "), 14u);
}

TEST(LoggerPlantConfig, ATriggerMustBeABool) {
  EXPECT_EQ(error_of(plant("[[group]]\nname = \"g\"\nplc = \"a\"\ntrigger = \"DB5.DBW0\"\n" +
                           std::string(kTag))),
            "plant.toml:12: group[1].trigger: DB5.DBW0 is not a BOOL; a trigger is one bit, "
            "like DB5.DBX0.0");
  EXPECT_EQ(error_of(plant("[[group]]\nname = \"g\"\nplc = \"a\"\ntrigger_ack = \"DB5.DBX0.1\"\n" +
                           std::string(kTag))),
            "plant.toml:12: group[1].trigger_ack: needs trigger = \"...\" (the bit it "
            "acknowledges)");
  EXPECT_EQ(error_of(plant("[[group]]\nname = \"g\"\nplc = \"a\"\ntrigger = \"DB5.DBX0.0\"\n"
                           "interval = \"1s\"\n" +
                           std::string(kTag)))
                .substr(0, 32),
            "plant.toml:13: group[1].interval");
}

TEST(LoggerPlantConfig, MixingThePlainAndThePlantFormIsAnError) {
  EXPECT_EQ(error_of("[plc]\nport = 1102\n[[group]]\nname = \"g\"\nplc = \"a\"\n"),
            "plant.toml:1: plc: with [[group]] tables the PLCs have names: write [[plc]] with "
            "name = \"...\"");
  EXPECT_EQ(error_of(plant("[[tag]]\nname = \"x\"\naddress = \"MW0\"\n")),
            "plant.toml:9: tag: in a plant config the tags belong to groups: write [[group.tag]] "
            "tables");
  EXPECT_EQ(error_of("[[plc]]\nname = \"a b\"\n"),
            "plant.toml:2: plc[1].name: 'a b': use letters, digits, _ - and . only (it names "
            "files and labels)");
}

TEST(LoggerPlantConfig, LiveAuthIsReadAndChecked) {
  auto r = logger::parse_config("[live]\nauth = \"none\"\n", "x.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  EXPECT_TRUE(r->live.none);
  EXPECT_EQ(error_of("[live]\ntoken = \"short\"\n"),
            "plant.toml:2: live.token: must be at least 16 characters (it is a password)");
}
