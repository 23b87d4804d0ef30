// logger.toml parsing: values, errors with file:line: key:, and the sample config round trip.
#include "logger/config.hpp"

#include <gtest/gtest.h>

#include "logger/tag.hpp"

TEST(Config, SampleConfigParsesBackToTheCourseSetup) {
  auto r = logger::parse_config(logger::sample_config(), "sample.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  const auto& c = r->config;
  EXPECT_EQ(c.plc.host, "127.0.0.1");
  EXPECT_EQ(c.plc.port, 1102);
  EXPECT_EQ(c.plc.rack, 0);
  EXPECT_EQ(c.plc.slot, 1);
  EXPECT_EQ(c.interval, std::chrono::seconds(1));
  EXPECT_EQ(c.out, "log.csv");
  ASSERT_TRUE(r->has_tags);
  ASSERT_EQ(c.tags.size(), 5u);
  EXPECT_EQ(c.tags[0].name, "counter");
  EXPECT_EQ(c.tags[3].address, logger::course_tags()[3].address);
  EXPECT_EQ(c.tags[4].name, "mode_ro");
}

TEST(Config, ReadsEveryOption) {
  auto r = logger::parse_config(R"(
[plc]
host = "10.0.0.5"
port = 102
rack = 0
slot = 2
type = "pg"
timeout = "1500ms"
[log]
interval = "0.5s"
out = "data/plant.csv"
rotate = "daily"
csv_dialect = "excel-da"
quality = true
on_change = ["alarm"]
buffer_rows = 10
fsync = true
[reconnect]
initial = "1s"
max = "10s"
jitter = 0.1
[[tag]]
name = "alarm"
address = "DB1.DBX10.0"
[[tag]]
name = "pressure"
address = "DB1.DBD6:REAL"
deadband = 0.5
)",
                                "x.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  const auto& c = r->config;
  EXPECT_EQ(c.plc.host, "10.0.0.5");
  EXPECT_EQ(c.plc.slot, 2);
  EXPECT_EQ(c.plc.type, s7::ConnectionType::pg);
  EXPECT_EQ(c.plc.request_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.interval, std::chrono::milliseconds(500));
  EXPECT_EQ(c.rotate, logger::Rotation::daily);
  EXPECT_EQ(c.dialect, logger::Dialect::excel_da);
  EXPECT_TRUE(c.quality);
  EXPECT_TRUE(c.fsync);
  EXPECT_EQ(c.buffer_rows, 10u);
  EXPECT_EQ(c.on_change, std::vector<std::string>{"alarm"});
  EXPECT_EQ(c.deadband.at("pressure"), 0.5);
  EXPECT_EQ(c.backoff.cap, std::chrono::seconds(10));
  EXPECT_EQ(c.tags.size(), 2u);
}

TEST(Config, BadValueNamesFileLineAndKey) {
  auto r = logger::parse_config("[log]\n\ninterval = \"fast\"\n", "logger.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what(),
            "logger.toml:3: log.interval: expected a duration like \"500ms\", \"1s\" or \"2min\"");
}

TEST(Config, BadAddressNamesTheTag) {
  auto r = logger::parse_config("[[tag]]\nname = \"x\"\naddress = \"DB1.DBQ4\"\n", "l.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what().rfind("l.toml:3: tag[1].address: ", 0), 0u) << r.error().what();
}

TEST(Config, PeripheralOutputsCannotBeLogged) {
  auto r = logger::parse_config("[[tag]]\nname = \"valve\"\naddress = \"PQW4\"\n", "l.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what(),
            "l.toml:3: tag[1].address: PQW4: peripheral outputs can only be written; read QW4 "
            "(the process image of the outputs) instead");
  auto ok = logger::parse_config("[[tag]]\nname = \"flow\"\naddress = \"PIW256\"\n", "l.toml");
  ASSERT_TRUE(ok.ok()) << ok.error().what();
  auto spec = logger::parse_tag_spec("valve=PAW4");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().what().rfind("tag 'valve': PQW4: peripheral outputs", 0), 0u)
      << spec.error().what();
}

TEST(Config, TagsCanBeScaledLinearly) {
  auto r = logger::parse_config(
      "[[tag]]\nname = \"level\"\naddress = \"PIW256\"\nraw = [0, 27648]\neng = [0.0, 2.5]\n"
      "[[tag]]\nname = \"plain\"\naddress = \"MW0\"\n",
      "l.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  const auto& tags = r->config.tags;
  ASSERT_EQ(tags.size(), 2u);
  ASSERT_TRUE(tags[0].scale.has_value());
  EXPECT_EQ(*tags[0].scale, (logger::LinearScale{0, 27648, 0.0, 2.5}));
  EXPECT_DOUBLE_EQ(tags[0].scale->apply(27648), 2.5);
  EXPECT_FALSE(tags[1].scale.has_value());
}

TEST(Config, BadScalingNamesTheTagAndWhy) {
  auto fails = [](const std::string& body) {
    auto r = logger::parse_config("[[tag]]\nname = \"x\"\n" + body, "l.toml");
    EXPECT_FALSE(r.ok()) << body;
    return r.ok() ? std::string() : r.error().what();
  };
  EXPECT_EQ(fails("address = \"MW0\"\nraw = [0, 100]\n"),
            "l.toml:4: tag[1].eng: missing: scaling needs both raw = [lo, hi] and eng = [lo, hi]");
  EXPECT_EQ(fails("address = \"MW0\"\nraw = [5, 5]\neng = [0, 1]\n"),
            "l.toml:4: tag[1].raw: lo and hi must differ");
  EXPECT_EQ(fails("address = \"MW0\"\nraw = [0]\neng = [0, 1]\n"),
            "l.toml:4: tag[1].raw: expected two numbers [lo, hi]");
  EXPECT_EQ(fails("address = \"MW0\"\nraw = [0, 1]\neng = [0, \"a\"]\n"),
            "l.toml:5: tag[1].eng: expected two numbers [lo, hi]");
  EXPECT_EQ(
      fails("address = \"M0.0\"\nraw = [0, 1]\neng = [0, 1]\n"),
      "l.toml:4: tag[1].raw: only a single integer or REAL/LREAL tag can be scaled, not M0.0");
  EXPECT_EQ(fails("address = \"MW0:INT[2]\"\nraw = [0, 1]\neng = [0, 1]\n"),
            "l.toml:4: tag[1].raw: only a single integer or REAL/LREAL tag can be scaled, not "
            "MW0:INT[2]");
}

TEST(Config, UnknownKeyIsAnError) {
  auto r = logger::parse_config("[plc]\nhost = \"a\"\nprot = 102\n", "l.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what().rfind("l.toml:3: plc.prot: unknown key", 0), 0u) << r.error().what();
}

TEST(Config, TomlSyntaxErrorNamesTheLine) {
  auto r = logger::parse_config("[plc]\nport = \n", "l.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what().rfind("l.toml:2: syntax: ", 0), 0u) << r.error().what();
}

TEST(Config, UnknownKeyListsTheAllowedKeys) {
  auto r = logger::parse_config("[plc]\nhost = \"a\"\nprot = 102\n", "l.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what(),
            "l.toml:3: plc.prot: unknown key (expected one of: host, port, rack, slot, type, "
            "timeout, local_tsap, remote_tsap)");
}

// The spellings both config files share (docs/logger.md, "Shared spellings").
TEST(Config, SharedSpellingsAreAccepted) {
  auto r = logger::parse_config(R"(
[plc]
type = "PG"
timeout = 2
[log]
interval = 0.25
rotate = "Daily"
csv_dialect = "Excel-DA"
[reconnect]
initial = "1"
max = " 2min "
)",
                                "l.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  const auto& c = r->config;
  EXPECT_EQ(c.plc.type, s7::ConnectionType::pg);
  EXPECT_EQ(c.plc.connect_timeout, std::chrono::seconds(2));
  EXPECT_EQ(c.interval, std::chrono::milliseconds(250));
  EXPECT_EQ(c.rotate, logger::Rotation::daily);
  EXPECT_EQ(c.dialect, logger::Dialect::excel_da);
  EXPECT_EQ(c.backoff.initial, std::chrono::seconds(1));
  EXPECT_EQ(c.backoff.cap, std::chrono::minutes(2));
}

TEST(Config, SharedValueChecks) {
  auto fails = [](const std::string& text) {
    auto r = logger::parse_config(text, "l.toml");
    EXPECT_FALSE(r.ok()) << text;
    return r.ok() ? std::string() : r.error().what();
  };
  EXPECT_EQ(fails("[plc]\nhost = \"\"\n"), "l.toml:2: plc.host: must not be empty");
  EXPECT_EQ(fails("[plc]\nport = \"102\"\n"), "l.toml:2: plc.port: expected an integer");
  EXPECT_EQ(fails("[log]\nquality = \"yes\"\n"), "l.toml:2: log.quality: expected true or false");
  EXPECT_EQ(fails("[log]\non_change = [\"alarm\",\n  5]\n"),
            "l.toml:3: log.on_change[2]: expected a string");
  EXPECT_EQ(fails("[[tag]]\nname = \"p\"\naddress = \"MW0\"\ndeadband = nan\n"),
            "l.toml:4: tag[1].deadband: expected a finite number");
  EXPECT_EQ(fails("[plc]\ntype = \"xx\"\n"),
            "l.toml:2: plc.type: expected \"pg\", \"op\" or \"basic\"");
}

TEST(Config, PortOutOfRangeIsAnError) {
  auto r = logger::parse_config("[plc]\nport = 70000\n", "l.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what(), "l.toml:2: plc.port: must be between 1 and 65535");
}

TEST(Config, DuplicateTagNameIsAnError) {
  auto r = logger::parse_config(
      "[[tag]]\nname = \"a\"\naddress = \"MW0\"\n[[tag]]\nname = \"a\"\naddress = \"MW2\"\n",
      "l.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what(), "l.toml:5: tag[2].name: tag 'a' is defined twice");
}

TEST(Config, OnChangeMustNameATag) {
  auto r = logger::parse_config("[log]\non_change = [\"alarms\"]\n", "l.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().what(), "l.toml:2: log.on_change: no tag named 'alarms'");
}

TEST(Config, MissingFileIsAnError) {
  auto r = logger::load_config("/nonexistent/logger.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find("/nonexistent/logger.toml"), std::string::npos);
}

TEST(Config, ExampleFileParses) {
  auto r = logger::load_config(std::string(S7LOG_EXAMPLES_DIR) + "/logger.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  ASSERT_EQ(r->config.tags.size(), 7u);
  EXPECT_EQ(r->config.rotate, logger::Rotation::daily);
  EXPECT_EQ(r->config.deadband.at("pressure"), 0.5);
  ASSERT_TRUE(r->config.tags[6].scale.has_value());
  EXPECT_DOUBLE_EQ(r->config.tags[6].scale->apply(25), 77.0);
}

TEST(LoggerConfigExamples, PlantOutputsExampleLoads) {
  auto r = logger::load_config(std::string(S7LOG_EXAMPLES_DIR) + "/plant-outputs.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  ASSERT_TRUE(r->plant.has_value());
  ASSERT_TRUE(r->outputs.postgres.has_value());
  ASSERT_TRUE(r->outputs.mqtt.has_value());
  EXPECT_EQ(r->outputs.mqtt->format, "sparkplug");
  EXPECT_EQ(r->outputs.mqtt->spool.max_bytes, 256u << 20);
  ASSERT_EQ(r->plant->groups.size(), 2u);
  EXPECT_EQ(r->plant->groups[0].outputs, (std::vector<std::string>{"csv", "postgres", "mqtt"}));
  EXPECT_EQ(r->plant->groups[1].outputs, (std::vector<std::string>{"postgres"}));
}
