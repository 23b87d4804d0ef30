// Tests of the fake PLC config: TOML parsing (one PLC or a [[plc]] plant), errors with
// file:line: key, print-config round trip.
#include "sim/config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace std::chrono_literals;

namespace sim {
namespace {

std::string error_of(std::string_view toml) {
  auto c = parse_config(toml, "plc.toml");
  return c.ok() ? std::string("(no error)") : c.error().what();
}

TEST(CourseConfig, IsValid) {
  EXPECT_TRUE(validate_config(course_config(), "course").ok());
}

TEST(PrintConfig, ParsesBackToTheCourseSetup) {
  std::string text = format_config(course_config());
  auto c = parse_config(text, "printed.toml");
  ASSERT_TRUE(c.ok()) << c.error().what() << "\n" << text;
  EXPECT_EQ(*c, course_config());
}

TEST(PrintConfig, RoundTripsEveryGeneratorAndFault) {
  PlcConfig c = course_config();
  c.areas.push_back({s7::Area::merkers, 0, 32});
  c.areas.push_back({s7::Area::timers, 0, 4});
  c.fields.push_back({"ramp", "MW0", Ramp{-5, 5.5, 3s}});
  c.fields.push_back({"sine", "MD2:REAL", Sine{2, 10, 1500ms}});
  c.fields.push_back({"square", "MB6", Square{1, 9, 4s, 0.25}});
  c.fields.push_back({"walk", "MD8:REAL", RandomWalk{99, 3, 0.5, -1, 7}});
  c.fields.push_back({"blink", "M12.3", Toggle{2s, false}});
  c.fields.push_back({"echo", "MW14", Copy{"setpoint_int"}});
  c.fields.push_back({"wrapped", "MW16", Counter{5, 3, 50.0}});
  c.fields.push_back({"name", "MB18:STRING[8]", Constant{"hi \"you\""}});
  c.fields.push_back({"timer", "T1", NoGenerator{}});
  c.read_only.push_back("MB6");
  c.run = false;
  c.enforce_rack_slot = false;
  c.max_pdu = 480;
  c.tick = 250ms;
  c.faults.push_back(*parse_drop_every("10s"));
  c.faults.push_back(*parse_refuse("5s..15s"));
  c.faults.push_back(*parse_delay("200ms"));
  c.faults.push_back(*parse_item_error("pressure=0x05"));
  c.faults.push_back(*parse_stop("10s", "5s"));
  ASSERT_TRUE(validate_config(c, "x").ok()) << validate_config(c, "x").error().what();
  auto back = parse_config(format_config(c), "printed.toml");
  ASSERT_TRUE(back.ok()) << back.error().what() << "\n" << format_config(c);
  EXPECT_EQ(*back, c);
}

TEST(ParseConfig, AreaInitPatternParsesAndRoundTrips) {
  auto c = parse_config("[[areas]]\narea = \"DB\"\nnumber = 2\nsize = 8192\ninit = \"pattern\"\n",
                        "plc.toml");
  ASSERT_TRUE(c.ok()) << c.error().what();
  ASSERT_EQ(c->areas.size(), 1u);
  EXPECT_EQ(c->areas[0].init, AreaInit::pattern);
  auto back = parse_config(format_config(*c), "printed.toml");
  ASSERT_TRUE(back.ok()) << back.error().what();
  EXPECT_EQ(*back, *c);
}

TEST(ParseConfig, AreaInitRejectsUnknownValue) {
  EXPECT_EQ(error_of("[[areas]]\narea = \"M\"\nsize = 8\ninit = \"random\"\n"),
            "plc.toml:4: areas[0].init: unknown init \"random\" (zero or pattern)");
}

TEST(ParseConfig, ExampleFileIsValid) {
  std::ifstream in(S7LOG_SOURCE_DIR "/examples/fakeplc.toml");
  ASSERT_TRUE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  auto c = parse_config(ss.str(), "fakeplc.toml");
  ASSERT_TRUE(c.ok()) << c.error().what();
  EXPECT_FALSE(c->fields.empty());
}

TEST(ParseConfig, EmptyFileIsTheCourseSetup) {
  auto c = parse_config("", "empty.toml");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, course_config());
}

TEST(ParseConfig, ReadsServerSettings) {
  auto c = parse_config(R"(
[plc]
port = 2102
rack = 0
slot = 2
max_pdu = 240
max_parallel = 3
max_connections = 1200
tick = "100ms"
state = "stop"
enforce_rack_slot = false
[plc.identity]
order_code = "6ES7 214-1AG40-0XB0"
)",
                        "plc.toml");
  ASSERT_TRUE(c.ok()) << c.error().what();
  EXPECT_EQ(c->port, 2102);
  EXPECT_EQ(c->slot, 2);
  EXPECT_EQ(c->max_pdu, 240);
  EXPECT_EQ(c->max_parallel, 3);
  EXPECT_EQ(c->max_connections, 1200u);
  EXPECT_EQ(c->tick, 100ms);
  EXPECT_FALSE(c->run);
  EXPECT_FALSE(c->enforce_rack_slot);
  EXPECT_EQ(c->order_code, "6ES7 214-1AG40-0XB0");
  auto opts = server_options(*c);
  EXPECT_FALSE(opts.enforce_slot.has_value());
  EXPECT_EQ(opts.max_connections, 1200u);
  EXPECT_EQ(opts.identity.order_code, "6ES7 214-1AG40-0XB0");
}

// The spellings both config files share (docs/fakeplc.md, "Shared spellings").
TEST(ParseConfig, SharedSpellingsAreAccepted) {
  auto c = parse_config(R"(
[plc]
state = "Stop"
tick = 0.25
handshake_timeout = 2
idle_timeout = "1"
[[areas]]
area = "db"
number = 2
size = 8
init = "Pattern"
[fields.wave]
address = "DB2.DBD0:REAL"
generator = "Sine"
period = " 2min "
[[faults]]
kind = "Delay"
start = 1.5
delay = "200ms"
)",
                        "plc.toml");
  ASSERT_TRUE(c.ok()) << c.error().what();
  EXPECT_FALSE(c->run);
  EXPECT_EQ(c->tick, 250ms);
  EXPECT_EQ(c->handshake_timeout, 2s);
  EXPECT_EQ(c->idle_timeout, 1s);
  ASSERT_EQ(c->areas.size(), 1u);
  EXPECT_EQ(c->areas[0].init, AreaInit::pattern);
  ASSERT_EQ(c->fields.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<Sine>(c->fields[0].generator));
  EXPECT_EQ(std::get<Sine>(c->fields[0].generator).period, 2min);
  ASSERT_EQ(c->faults.size(), 1u);
  EXPECT_EQ(c->faults[0].kind, FaultKind::delay);
  EXPECT_EQ(c->faults[0].start, 1500ms);
}

TEST(ParseConfig, FieldsKeepFileOrder) {
  auto c = parse_config(R"(
[[areas]]
area = "DB"
number = 2
size = 8
[fields.zeta]
address = "DB2.DBB0"
[fields.alpha]
address = "DB2.DBB1"
)",
                        "plc.toml");
  ASSERT_TRUE(c.ok()) << c.error().what();
  ASSERT_EQ(c->fields.size(), 2u);
  EXPECT_EQ(c->fields[0].name, "zeta");
  EXPECT_EQ(c->fields[1].name, "alpha");
  EXPECT_TRUE(c->watch.empty());
  EXPECT_TRUE(c->read_only.empty());
}

TEST(ParseConfigErrors, UnknownGeneratorNamesFileLineAndKey) {
  std::string e = error_of(R"([[areas]]
area = "DB"
number = 1
size = 64

[fields.pressure]
address = "DB1.DBD6:REAL"
generator = "sinus"
)");
  EXPECT_EQ(e.rfind("plc.toml:8: fields.pressure.generator: unknown generator \"sinus\"", 0), 0u)
      << e;
}

TEST(ParseConfigErrors, SyntaxErrorHasLine) {
  std::string e = error_of("[plc]\nport = \n");
  EXPECT_EQ(e.rfind("plc.toml:2: syntax:", 0), 0u) << e;
}

TEST(ParseConfigErrors, BadAddressNamesTheKey) {
  std::string e = error_of("[fields.x]\naddress = \"DB1.DBQ4\"\n");
  EXPECT_EQ(e.rfind("plc.toml:2: fields.x.address:", 0), 0u) << e;
}

TEST(ParseConfigErrors, FieldMustFitItsArea) {
  std::string e = error_of(
      "[[areas]]\narea = \"DB\"\nnumber = 1\nsize = 4\n[fields.x]\naddress = \"DB1.DBD2\"\n");
  EXPECT_EQ(e.rfind("plc.toml:6: fields.x.address:", 0), 0u) << e;
  EXPECT_NE(e.find("4 bytes"), std::string::npos) << e;
}

TEST(ParseConfigErrors, AreaMustBeDeclared) {
  std::string e =
      error_of("[[areas]]\narea = \"M\"\nsize = 4\n[fields.x]\naddress = \"DB3.DBB0\"\n");
  EXPECT_NE(e.find("DB3 is not declared"), std::string::npos) << e;
}

TEST(ParseConfigErrors, UnknownKeyIsRejected) {
  std::string e = error_of("[plc]\nprot = 102\n");
  EXPECT_EQ(e.rfind("plc.toml:2: plc.prot: unknown key", 0), 0u) << e;
  std::string g = error_of(
      "[[areas]]\narea=\"M\"\nsize=4\n[fields.x]\naddress=\"MW0\"\ngenerator=\"counter\"\nperiod="
      "\"1s\"\n");
  EXPECT_EQ(
      g.rfind(
          "plc.toml:7: fields.x.period: unknown key (generator counter takes start, step, wrap)",
          0),
      0u)
      << g;
}

TEST(ParseConfigErrors, SharedValueChecks) {
  EXPECT_EQ(error_of("[plc]\n\nhost = \"\"\n"), "plc.toml:3: plc.host: must not be empty");
  EXPECT_EQ(error_of("[plc]\nport = 70000\n"), "plc.toml:2: plc.port: must be between 0 and 65535");
  EXPECT_EQ(error_of("[plc]\ntick = \"fast\"\n"),
            "plc.toml:2: plc.tick: expected a duration like \"500ms\", \"1s\" or \"2min\"");
  EXPECT_EQ(error_of("[plc]\ntick = \"300h\"\n"), "plc.toml:2: plc.tick: must be at most 1000000s");
  EXPECT_EQ(error_of("[plc]\nstate = \"halt\"\n"),
            "plc.toml:2: plc.state: expected \"run\" or \"stop\", got \"halt\"");
  EXPECT_EQ(error_of("read_only = [\"MB0\", 1]\n"), "plc.toml:1: read_only[1]: expected a string");
  EXPECT_EQ(error_of("[[areas]]\narea = \"M\"\nsize = 8\nnumbr = 1\n"),
            "plc.toml:4: areas[0].numbr: unknown key (expected one of: area, number, size, init)");
}

TEST(ParseConfigErrors, MaxPduMustBeAStandardSize) {
  std::string e = error_of("[plc]\nmax_pdu = 500\n");
  EXPECT_EQ(e.rfind("plc.toml:2: plc.max_pdu:", 0), 0u) << e;
}

TEST(ParseConfigErrors, CopySourceMustExistAndNotLoop) {
  std::string base = "[[areas]]\narea=\"M\"\nsize=8\n";
  std::string missing =
      error_of(base + "[fields.a]\naddress=\"MB0\"\ngenerator=\"copy\"\nsource=\"zz\"\n");
  EXPECT_NE(missing.find("fields.a.source: no field named \"zz\""), std::string::npos) << missing;
  std::string loop = error_of(base +
                              "[fields.a]\naddress=\"MB0\"\ngenerator=\"copy\"\nsource=\"b\"\n"
                              "[fields.b]\naddress=\"MB1\"\ngenerator=\"copy\"\nsource=\"a\"\n");
  EXPECT_NE(loop.find("copy loop"), std::string::npos) << loop;
}

TEST(ParseConfigErrors, GeneratorNeedsNumericField) {
  std::string e = error_of(
      "[[areas]]\narea=\"M\"\nsize=16\n[fields.s]\naddress=\"MB0:STRING[4]\"\ngenerator="
      "\"sine\"\n");
  EXPECT_NE(e.find("fields.s.generator: generator sine needs a number or BOOL field"),
            std::string::npos)
      << e;
}

TEST(ParseConfigErrors, ConstantMustFitItsType) {
  std::string e = error_of(
      "[[areas]]\narea=\"M\"\nsize=4\n[fields.b]\naddress=\"MB0\"\ngenerator=\"constant\"\nvalue="
      "300\n");
  EXPECT_EQ(e.rfind("plc.toml:7: fields.b.value:", 0), 0u) << e;
}

TEST(ParseConfigErrors, WatchNamesMustExist) {
  std::string e = error_of("watch = [\"nope\"]\n");
  EXPECT_EQ(e.rfind("plc.toml:1: watch[0]: no field named \"nope\"", 0), 0u) << e;
}

TEST(ParseConfigErrors, FaultsAreChecked) {
  std::string kind = error_of("[[faults]]\nkind = \"explode\"\n");
  EXPECT_EQ(kind.rfind("plc.toml:2: faults[0].kind: unknown fault \"explode\"", 0), 0u) << kind;
  std::string field = error_of("[[faults]]\nkind = \"item_error\"\nfield = \"nope\"\n");
  EXPECT_NE(field.find("faults[0].field: no field named \"nope\""), std::string::npos) << field;
  std::string every =
      error_of("[[faults]]\nkind = \"refuse\"\nduration = \"5s\"\nevery = \"2s\"\n");
  EXPECT_NE(every.find("duration must be shorter than every"), std::string::npos) << every;
}

TEST(LoadConfig, MissingFileSaysSo) {
  auto c = load_config("/nonexistent/plc.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().what().find("/nonexistent/plc.toml"), std::string::npos);
}

// --- plants: [[plc]] tables ------------------------------------------------------------------

std::string plant_error_of(std::string_view toml) {
  auto p = parse_plant_config(toml, "plant.toml");
  return p.ok() ? std::string("(no error)") : p.error().what();
}

constexpr std::string_view kThreePlcs = R"([[plc]]
name = "press1"
port = 2102

[[plc]]
name = "oven"
port = 2103
slot = 2
tick = "1s"
watch = ["setpoint"]

[plc.identity]
module_name = "CPU 1214C"

[[plc.areas]]
area = "DB"
number = 10
size = 16

[plc.fields.zone1]
address = "DB10.DBD0:REAL"
generator = "sine"
offset = 180

[plc.fields.setpoint]
address = "DB10.DBW4:INT"

[[plc]]
name = "conveyor.2"
port = 0
read_only = ["MW0"]

[[plc.areas]]
area = "M"
size = 8

[plc.fields.parts]
address = "MW0"
generator = "counter"

[[plc.faults]]
kind = "delay"
delay = "300ms"
)";

TEST(PlantConfig, ReadsEachPlcTableWithItsOwnMemoryAndFaults) {
  auto p = parse_plant_config(kThreePlcs, "plant.toml");
  ASSERT_TRUE(p.ok()) << p.error().what();
  ASSERT_EQ(p->plcs.size(), 3u);
  EXPECT_FALSE(p->single());

  // A table without memory is the course's PLC, like an empty single-PLC file.
  PlcConfig press1 = course_config();
  press1.name = "press1";
  press1.port = 2102;
  EXPECT_EQ(p->plcs[0], press1);

  const PlcConfig& oven = p->plcs[1];
  EXPECT_EQ(oven.name, "oven");
  EXPECT_EQ(oven.port, 2103);
  EXPECT_EQ(oven.slot, 2);
  EXPECT_EQ(oven.tick, 1s);
  EXPECT_EQ(oven.module_name, "CPU 1214C");
  EXPECT_EQ(oven.areas, (std::vector<AreaSpec>{{s7::Area::db, 10, 16}}));
  ASSERT_EQ(oven.fields.size(), 2u);
  EXPECT_EQ(oven.fields[0].name, "zone1");
  EXPECT_EQ(oven.fields[0].generator, Generator(Sine{1, 180, 10s}));
  EXPECT_EQ(oven.fields[1].name, "setpoint");
  EXPECT_EQ(oven.watch, std::vector<std::string>{"setpoint"});
  EXPECT_TRUE(oven.read_only.empty());
  EXPECT_TRUE(oven.faults.empty());

  const PlcConfig& conveyor = p->plcs[2];
  EXPECT_EQ(conveyor.name, "conveyor.2");
  EXPECT_EQ(conveyor.port, 0);
  EXPECT_EQ(conveyor.read_only, std::vector<std::string>{"MW0"});
  EXPECT_TRUE(conveyor.watch.empty());
  ASSERT_EQ(conveyor.faults.size(), 1u);
  EXPECT_EQ(conveyor.faults[0].kind, FaultKind::delay);
  EXPECT_EQ(conveyor.faults[0].delay, 300ms);
}

TEST(PlantConfig, TheSinglePlcFileIsAPlantOfOneWithoutAName) {
  auto empty = parse_plant_config("", "plc.toml");
  ASSERT_TRUE(empty.ok()) << empty.error().what();
  EXPECT_TRUE(empty->single());
  EXPECT_EQ(empty->plcs, std::vector<PlcConfig>{course_config()});

  const std::string text = "[plc]\nport = 2102\n[[faults]]\nkind = \"stop\"\nstart = \"5s\"\n";
  auto plant = parse_plant_config(text, "plc.toml");
  auto single = parse_config(text, "plc.toml");
  ASSERT_TRUE(plant.ok()) << plant.error().what();
  ASSERT_TRUE(single.ok()) << single.error().what();
  ASSERT_TRUE(plant->single());
  EXPECT_EQ(plant->plcs[0], *single);
  // Its errors keep today's keys.
  EXPECT_EQ(plant_error_of("[plc]\nmax_pdu = 500\n"),
            "plant.toml:2: plc.max_pdu: 500 is not one of 240, 480, 960");
}

TEST(PlantConfig, TheOnePlcApiRefusesAPlant) {
  EXPECT_EQ(error_of("[[plc]]\nname = \"a\"\n"),
            "plc.toml:1: plc: [[plc]] tables describe a plant of several PLCs; one PLC is wanted "
            "here");
}

TEST(PlantConfig, PrintsAndParsesBack) {
  auto p = parse_plant_config(kThreePlcs, "plant.toml");
  ASSERT_TRUE(p.ok()) << p.error().what();
  const std::string text = format_plant_config(*p);
  EXPECT_EQ(text.rfind("# s7log fakeplc plant", 0), 0u) << text;
  auto back = parse_plant_config(text, "printed.toml");
  ASSERT_TRUE(back.ok()) << back.error().what() << "\n" << text;
  EXPECT_EQ(*back, *p);
  // A plant of one is printed as a plant of one; an unnamed PLC in today's form.
  PlantConfig one{{p->plcs[1]}};
  auto one_back = parse_plant_config(format_plant_config(one), "printed.toml");
  ASSERT_TRUE(one_back.ok()) << one_back.error().what();
  EXPECT_EQ(*one_back, one);
  EXPECT_EQ(format_plant_config(PlantConfig{{course_config()}}), format_config(course_config()));
}

TEST(PlantConfig, TheExamplePlantIsValidAndRoundTrips) {
  const PlantConfig example = example_plant();
  ASSERT_EQ(example.plcs.size(), 2u);
  ASSERT_TRUE(validate_plant(example, "example").ok())
      << validate_plant(example, "example").error().what();
  auto back = parse_plant_config(format_plant_config(example), "printed.toml");
  ASSERT_TRUE(back.ok()) << back.error().what();
  EXPECT_EQ(*back, example);
}

TEST(PlantConfig, ExampleFileIsValid) {
  std::ifstream in(S7LOG_SOURCE_DIR "/examples/plant-fakeplc.toml");
  ASSERT_TRUE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  auto p = parse_plant_config(ss.str(), "plant-fakeplc.toml");
  ASSERT_TRUE(p.ok()) << p.error().what();
  ASSERT_EQ(p->plcs.size(), 3u);
  EXPECT_EQ(p->plcs[0].fields, course_config().fields);
  EXPECT_FALSE(p->plcs[2].faults.empty());
}

TEST(PlantConfigErrors, DuplicateName) {
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"press\"\nport = 2102\n\n"
                           "[[plc]]\nname = \"press\"\nport = 2103\n"),
            "plant.toml:6: plc[1].name: \"press\" is already the name of plc[0]");
}

TEST(PlantConfigErrors, DuplicatePort) {
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"a\"\nport = 2102\n\n"
                           "[[plc]]\nname = \"b\"\nport = 2103\n\n"
                           "[[plc]]\nname = \"c\"\nport = 2102\n"),
            "plant.toml:11: plc[2].port: 127.0.0.1:2102 is already used by plc[0] (\"a\"); give "
            "each PLC its own port (0 picks a free one)");
  // Two tables that keep the default port: the line of the second table.
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"a\"\n\n[[plc]]\nname = \"b\"\n"),
            "plant.toml:4: plc[1].port: 127.0.0.1:1102 is already used by plc[0] (\"a\"); give "
            "each PLC its own port (0 picks a free one)");
  // All interfaces overlap loopback.
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"a\"\nhost = \"0.0.0.0\"\nport = 2102\n\n"
                           "[[plc]]\nname = \"b\"\nport = 2102\n"),
            "plant.toml:8: plc[1].port: 127.0.0.1:2102 is already used by plc[0] (\"a\" on "
            "0.0.0.0:2102); give each PLC its own port (0 picks a free one)");
}

TEST(PlantConfig, SamePortOnOtherHostsAndPortZeroAreFine) {
  auto p = parse_plant_config(
      "[[plc]]\nname = \"a\"\nport = 0\n[[plc]]\nname = \"b\"\nport = 0\n"
      "[[plc]]\nname = \"c\"\nhost = \"127.0.0.2\"\nport = 1102\n"
      "[[plc]]\nname = \"d\"\nport = 1102\n",
      "plant.toml");
  ASSERT_TRUE(p.ok()) << p.error().what();
  EXPECT_EQ(p->plcs.size(), 4u);
}

TEST(PlantConfigErrors, MixingTheForms) {
  EXPECT_EQ(plant_error_of("watch = [\"mode\"]\n\n[[plc]]\nname = \"a\"\n"),
            "plant.toml:1: watch: top-level watch cannot be mixed with [[plc]] tables: set it in "
            "each [[plc]] table");
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"a\"\n\n[[areas]]\narea = \"M\"\nsize = 4\n"),
            "plant.toml:4: areas: top-level [[areas]] cannot be mixed with [[plc]] tables: give "
            "each PLC its own [[plc.areas]]");
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"a\"\n\n[[faults]]\nkind = \"drop\"\n"),
            "plant.toml:4: faults: top-level [[faults]] cannot be mixed with [[plc]] tables: give "
            "each PLC its own [[plc.faults]]");
  EXPECT_EQ(plant_error_of("speed = 1\n[[plc]]\nname = \"a\"\n"),
            "plant.toml:1: speed: unknown key (a file with [[plc]] tables has only [[plc]] tables "
            "at the top level)");
  // [plc] and [[plc]] in one file: TOML itself refuses it.
  EXPECT_EQ(
      plant_error_of("[plc]\nport = 1\n[[plc]]\nname = \"a\"\n").rfind("plant.toml:3: syntax:", 0),
      0u);
}

TEST(PlantConfigErrors, MissingOrBadName) {
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"a\"\nport = 2102\n\n[[plc]]\nport = 2103\n"),
            "plant.toml:5: plc[1]: missing key name (each [[plc]] table needs a unique name, e.g. "
            "name = \"press1\")");
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"\"\n"),
            "plant.toml:2: plc[0].name: must not be empty");
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"press 1\"\n"),
            "plant.toml:2: plc[0].name: \"press 1\": use letters, digits, _, - and . only");
  EXPECT_EQ(plant_error_of("plc = []\n"), "plant.toml:1: plc: expected at least one [[plc]] table");
}

TEST(PlantConfigErrors, KeysNameTheTable) {
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"a\"\nport = 2102\n[[plc]]\nname = \"b\"\nport = "
                           "2103\nmax_pdu = 500\n"),
            "plant.toml:7: plc[1].max_pdu: 500 is not one of 240, 480, 960");
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"a\"\nspeed = 3\n"),
            "plant.toml:3: plc[0].speed: unknown key (expected one of: host, port, rack, slot, "
            "enforce_rack_slot, max_pdu, max_parallel, max_connections, tick, handshake_timeout, "
            "idle_timeout, first_item_writes, state, identity, areas, fields, faults, read_only, "
            "watch, symbols, db_numbers, cpu, name)");
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"a\"\n[[plc.areas]]\narea = \"M\"\nsize = 4\n"
                           "[plc.fields.x]\naddress = \"MW0\"\ngenerator = \"sinus\"\n"),
            "plant.toml:8: plc[0].fields.x.generator: unknown generator \"sinus\" (expected one of "
            "constant, copy, counter, none, ramp, random_walk, sine, square, toggle)");
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"a\"\n[[plc.areas]]\narea = \"M\"\nsize = 4\n"
                           "[plc.fields.x]\naddress = \"MD2\"\n"),
            "plant.toml:7: plc[0].fields.x.address: MD2 needs bytes up to 6 but the area has 4 "
            "bytes");
  EXPECT_EQ(plant_error_of("[[plc]]\nname = \"a\"\n[[plc.faults]]\nkind = \"item_error\"\n"
                           "field = \"nope\"\n"),
            "plant.toml:5: plc[0].faults[0].field: no field named \"nope\"");
}

TEST(PlantCopies, NamesAndPortsFollowEachOther) {
  auto p = plant_copies(course_config(), 3, 2102);
  ASSERT_TRUE(p.ok()) << p.error().what();
  ASSERT_EQ(p->plcs.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    PlcConfig expected = course_config();
    expected.name = "plc" + std::to_string(i + 1);
    expected.port = static_cast<std::uint16_t>(2102 + i);
    EXPECT_EQ(p->plcs[i], expected);
  }
  EXPECT_TRUE(validate_plant(*p, "command line").ok());
  auto any = plant_copies(course_config(), 2, 0);
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->plcs[1].port, 0);
  EXPECT_TRUE(validate_plant(*any, "command line").ok());
  EXPECT_EQ(plant_copies(course_config(), 3, 65534).error().what(),
            "--plcs 3 --base-port 65534: the ports would run past 65535");
  EXPECT_FALSE(plant_copies(course_config(), 0, 2102).ok());
}

}  // namespace
}  // namespace sim
