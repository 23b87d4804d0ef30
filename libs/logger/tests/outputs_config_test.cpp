// Network outputs in a config ([output.postgres], [output.mqtt] and the outputs lists of [log]
// and [[group]]): the issue's example, the defaults, spool_max spellings, and each bad input as
// file:line: key: message.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "logger/config.hpp"

namespace {

using Strings = std::vector<std::string>;

// The [output.*] tables exactly as the network outputs issue writes them.
constexpr const char* kIssueOutputs = R"([output.postgres]
url = "postgresql://s7log@127.0.0.1:5432/plant"    # or libpq keywords; PG* variables honoured

[output.mqtt]
url = "mqtt://127.0.0.1:1883"                      # mqtts:// for TLS
format = "sparkplug"                               # or "json"
group_id = "plant"                                 # Sparkplug group; edge node defaults to the host name
edge_node = "line1"
)";

// A plant after the outputs: one PLC, one group that writes to all three outputs.
constexpr const char* kPlant = R"(
[[plc]]
name = "press1"
port = 1102

[[group]]
name = "fast"
plc = "press1"
interval = "100ms"
outputs = ["csv", "postgres", "mqtt"]
  [[group.tag]]
  name = "counter"
  address = "DB1.DBD0:DINT"
)";

constexpr const char* kTag = "[[tag]]\nname = \"counter\"\naddress = \"DB1.DBD0:DINT\"\n";

std::string error_of(const std::string& text) {
  auto r = logger::parse_config(text, "out.toml");
  return r ? std::string("(loaded)") : r.error().what();
}

// An [output.mqtt] table with `extra` lines (line 1: the header, line 2: the url).
std::string mqtt(const std::string& extra) {
  return "[output.mqtt]\nurl = \"mqtt://broker:1883\"\n" + extra;
}

// A plant (lines 1-7: the PLC and the group's first keys) whose group has `keys` (from line 8).
std::string plant_with(const std::string& keys, const std::string& outputs = "") {
  return "[[plc]]\nname = \"a\"\nport = 1102\n\n[[group]]\nname = \"g\"\nplc = \"a\"\n" + keys +
         "  [[group.tag]]\n  name = \"counter\"\n  address = \"DB1.DBD0:DINT\"\n\n" + outputs;
}

void expect_issue_outputs(const logger::OutputsConfig& o) {
  ASSERT_TRUE(o.postgres.has_value());
  EXPECT_EQ(o.postgres->url, "postgresql://s7log@127.0.0.1:5432/plant");
  EXPECT_EQ(o.postgres->schema, "public");
  EXPECT_EQ(o.postgres->table, "{group}");
  EXPECT_EQ(o.postgres->batch_rows, 1000u);
  ASSERT_TRUE(o.mqtt.has_value());
  EXPECT_EQ(o.mqtt->url, "mqtt://127.0.0.1:1883");
  EXPECT_EQ(o.mqtt->format, "sparkplug");
  EXPECT_EQ(o.mqtt->group_id, "plant");
  EXPECT_EQ(o.mqtt->edge_node, "line1");
  EXPECT_EQ(o.mqtt->qos, 1);
  EXPECT_FALSE(o.mqtt->retain);
  EXPECT_TRUE(o.mqtt->username.empty());
  EXPECT_EQ(o.mqtt->keepalive, std::chrono::seconds(30));
  // Each output spools into its own folder.
  EXPECT_EQ(o.postgres->spool.dir, "s7log-spool/postgres");
  EXPECT_EQ(o.mqtt->spool.dir, "s7log-spool/mqtt");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The issue's example.

TEST(OutputsConfig, TheIssuesExampleLoadsAsWrittenWithAPlant) {
  auto r = logger::parse_config(std::string(kIssueOutputs) + kPlant, "plant.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  expect_issue_outputs(r->outputs);
  ASSERT_TRUE(r->plant.has_value());
  ASSERT_EQ(r->plant->groups.size(), 1u);
  EXPECT_EQ(r->plant->groups[0].outputs, (Strings{"csv", "postgres", "mqtt"}));
  EXPECT_EQ(r->plant->groups[0].csv.pattern, "{plc}_{group}.csv");
}

TEST(OutputsConfig, TheIssuesExampleLoadsAsWrittenWithAPlainConfig) {
  auto r = logger::parse_config(
      std::string(kIssueOutputs) + "\n[log]\noutputs = [\"csv\", \"postgres\", \"mqtt\"]\n" + kTag,
      "logger.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  expect_issue_outputs(r->outputs);
  EXPECT_FALSE(r->plant.has_value());
  EXPECT_EQ(r->config.outputs, (Strings{"csv", "postgres", "mqtt"}));
}

// ---------------------------------------------------------------------------------------------
// Defaults.

TEST(OutputsConfig, WithoutOutputsEverythingGoesToCsvAsBefore) {
  auto plain = logger::parse_config(kTag, "logger.toml");
  ASSERT_TRUE(plain.ok()) << plain.error().what();
  EXPECT_EQ(plain->config.outputs, (Strings{"csv"}));
  EXPECT_FALSE(plain->outputs.postgres.has_value());
  EXPECT_FALSE(plain->outputs.mqtt.has_value());

  auto p = logger::parse_config(plant_with(""), "plant.toml");
  ASSERT_TRUE(p.ok()) << p.error().what();
  EXPECT_EQ(p->plant->groups[0].outputs, (Strings{"csv"}));
}

TEST(OutputsConfig, AnOutputTableAloneChangesNoGroupsOutputs) {
  // Declaring [output.postgres] does not send anything there: a group must name it.
  auto r = logger::parse_config(
      plant_with("", "[output.postgres]\nurl = \"host=db dbname=plant\"\n"), "plant.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  EXPECT_EQ(r->plant->groups[0].outputs, (Strings{"csv"}));
  ASSERT_TRUE(r->outputs.postgres.has_value());
  EXPECT_EQ(r->outputs.postgres->url, "host=db dbname=plant");  // libpq keywords as they are
}

TEST(OutputsConfig, SpoolAndMqttDefaults) {
  auto r = logger::parse_config(
      std::string(kTag) + "[output.postgres]\nurl = \"postgresql://db/plant\"\n" + mqtt(""),
      "logger.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  const auto& pg = r->outputs.postgres->spool;
  EXPECT_EQ(pg.dir, "s7log-spool/postgres");
  EXPECT_EQ(pg.max_bytes, std::uint64_t{1} << 30);  // 1 GiB
  EXPECT_FALSE(pg.fsync);
  const auto& m = *r->outputs.mqtt;
  EXPECT_EQ(m.spool.dir, "s7log-spool/mqtt");
  EXPECT_EQ(m.spool.max_bytes, std::uint64_t{1} << 30);
  EXPECT_EQ(m.qos, 1);
  EXPECT_EQ(m.format, "json");
  EXPECT_EQ(m.topic, "s7log/{plc}/{group}");
  EXPECT_EQ(m.group_id, "s7log");
  EXPECT_EQ(m.edge_node, "");  // the host name, found at run time
  EXPECT_EQ(m.batch_rows, 1000u);
}

TEST(OutputsConfig, ALogDefaultOutputsListReachesEveryGroup) {
  auto r = logger::parse_config("[log]\noutputs = [\"mqtt\"]\n\n" + plant_with("", mqtt("")),
                                "plant.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  EXPECT_EQ(r->plant->groups[0].outputs, (Strings{"mqtt"}));
}

TEST(OutputsConfig, SpoolKeysAreRead) {
  auto r = logger::parse_config(std::string(kTag) +
                                    "[output.postgres]\nurl = \"postgresql://db/plant\"\n"
                                    "spool = \"/var/spool/s7log/pg\"\nspool_max = \"512MiB\"\n"
                                    "spool_fsync = true\nbatch_rows = 50\n",
                                "logger.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  const auto& pg = *r->outputs.postgres;
  EXPECT_EQ(pg.spool.dir, "/var/spool/s7log/pg");
  EXPECT_EQ(pg.spool.max_bytes, 512u << 20);
  EXPECT_TRUE(pg.spool.fsync);
  EXPECT_EQ(pg.batch_rows, 50u);
}

// ---------------------------------------------------------------------------------------------
// spool_max spellings.

namespace {

// spool_max of [output.postgres] (line 3 of the file), or the error.
std::string spool_max(const std::string& value) {
  auto r = logger::parse_config(
      "[output.postgres]\nurl = \"postgresql://db/plant\"\nspool_max = " + value + "\n" + kTag,
      "out.toml");
  return r ? std::to_string(r->outputs.postgres->spool.max_bytes) : r.error().what();
}

}  // namespace

TEST(OutputsConfig, SpoolMaxTakesBytesOrAUnit) {
  EXPECT_EQ(spool_max("\"512MiB\""), std::to_string(512ull << 20));
  EXPECT_EQ(spool_max("\"2GB\""), "2000000000");
  EXPECT_EQ(spool_max("1048576"), "1048576");
  EXPECT_EQ(spool_max("\"64 KiB\""), "65536");
  EXPECT_EQ(spool_max("\"1gib\""), std::to_string(1ull << 30));
  EXPECT_EQ(spool_max("\"3TB\""), "3000000000000");
  EXPECT_EQ(spool_max("\"100000B\""), "100000");
}

TEST(OutputsConfig, SpoolMaxTooSmallOrGarbageIsRefused) {
  EXPECT_EQ(spool_max("1000"), "out.toml:3: output.postgres.spool_max: must be at least 64KiB");
  EXPECT_EQ(spool_max("\"10KB\""), "out.toml:3: output.postgres.spool_max: must be at least 64KiB");
  EXPECT_EQ(spool_max("\"0MiB\""),
            "out.toml:3: output.postgres.spool_max: must be more than 0 bytes");
  const std::string bad =
      "out.toml:3: output.postgres.spool_max: expected a size like 1073741824, \"512MiB\" or "
      "\"2GB\"";
  EXPECT_EQ(spool_max("\"lots\""), bad);
  EXPECT_EQ(spool_max("\"12 parsecs\""), bad);
  EXPECT_EQ(spool_max("\"1.5GiB\""), bad);
  EXPECT_EQ(spool_max("\"-5MiB\""), bad);
  EXPECT_EQ(spool_max("\"99999999999999999999GiB\""), bad);  // overflows 64 bits
  EXPECT_EQ(spool_max("\"\""), "out.toml:3: output.postgres.spool_max: must not be empty");
  EXPECT_EQ(spool_max("true"), "out.toml:3: output.postgres.spool_max: expected a string");
  EXPECT_EQ(spool_max("0"),
            "out.toml:3: output.postgres.spool_max: must be between 1 and 9223372036854775807");
}

// ---------------------------------------------------------------------------------------------
// Errors, each with file:line: key: message.

TEST(OutputsConfig, OutputListsAreChecked) {
  EXPECT_EQ(error_of("[log]\noutputs = [\"csv\", \"kafka\"]\n"),
            "out.toml:2: log.outputs: unknown output 'kafka' (expected \"csv\", \"postgres\" or "
            "\"mqtt\")");
  EXPECT_EQ(error_of("[log]\noutputs = [\"csv\", \"CSV\"]\n"),
            "out.toml:2: log.outputs: 'csv' is listed twice");
  EXPECT_EQ(error_of("[log]\noutputs = []\n"),
            "out.toml:2: log.outputs: is empty: the samples would go nowhere (\"csv\", "
            "\"postgres\", \"mqtt\")");
  EXPECT_EQ(error_of("[log]\noutputs = \"csv\"\n"),
            "out.toml:2: log.outputs: expected an array of strings");
  // The same checks in a group, at the group's line.
  EXPECT_EQ(error_of(plant_with("outputs = [\"csv\", \"postgres\", \"csv\"]\n",
                                "[output.postgres]\nurl = \"postgresql://db/plant\"\n")),
            "out.toml:8: group[1].outputs: 'csv' is listed twice");
  EXPECT_EQ(error_of(plant_with("outputs = []\n")),
            "out.toml:8: group[1].outputs: is empty: the samples would go nowhere (\"csv\", "
            "\"postgres\", \"mqtt\")");
  EXPECT_EQ(error_of(plant_with("outputs = [\"influx\"]\n")),
            "out.toml:8: group[1].outputs: unknown output 'influx' (expected \"csv\", "
            "\"postgres\" or \"mqtt\")");
}

TEST(OutputsConfig, AnOutputUsedWithoutItsTableIsRefused) {
  // Plain config.
  EXPECT_EQ(error_of("[log]\noutputs = [\"csv\", \"postgres\"]\n" + std::string(kTag)),
            "out.toml:2: log.outputs: 'postgres' needs an [output.postgres] table (with its url)");
  // A group's own list.
  EXPECT_EQ(error_of(plant_with("outputs = [\"mqtt\"]\n",
                                "[output.postgres]\nurl = \"postgresql://db/plant\"\n")),
            "out.toml:8: group[1].outputs: 'mqtt' needs an [output.mqtt] table (with its url)");
  // A plant's [log] default list, at its line.
  EXPECT_EQ(error_of("[log]\noutputs = [\"postgres\"]\n\n" + plant_with("")),
            "out.toml:2: log.outputs: 'postgres' needs an [output.postgres] table (with its url)");
}

TEST(OutputsConfig, MissingUrlIsRefused) {
  EXPECT_EQ(error_of("[output.postgres]\nschema = \"plant\"\n"),
            "out.toml:1: output.postgres: missing key 'url' (postgresql://user@host:5432/dbname, "
            "or libpq keywords like \"host=... dbname=...\")");
  EXPECT_EQ(error_of("[output.mqtt]\nqos = 0\n"),
            "out.toml:1: output.mqtt: missing key 'url' (mqtt://host:1883, or mqtts://host:8883)");
  EXPECT_EQ(error_of("[output.postgres]\nurl = \"\"\n"),
            "out.toml:2: output.postgres.url: must not be empty");
}

TEST(OutputsConfig, MqttValuesAreChecked) {
  EXPECT_EQ(error_of("[output.mqtt]\nurl = \"tcp://broker:1883\"\n"),
            "out.toml:2: output.mqtt.url: expected mqtt://host[:port] or mqtts://host[:port] "
            "(TLS)");
  EXPECT_EQ(error_of(mqtt("format = \"protobuf\"\n")),
            "out.toml:3: output.mqtt.format: expected \"json\" or \"sparkplug\"");
  EXPECT_EQ(error_of(mqtt("qos = 3\n")), "out.toml:3: output.mqtt.qos: must be between 0 and 2");
  EXPECT_EQ(error_of(mqtt("format = \"sparkplug\"\ntopic = \"plant/{group}\"\n")),
            "out.toml:4: output.mqtt.topic: Sparkplug B fixes its topics "
            "(spBv1.0/<group_id>/...); set group_id and edge_node instead");
  EXPECT_EQ(error_of(mqtt("format = \"sparkplug\"\ngroup_id = \"plant/north\"\n")),
            "out.toml:4: output.mqtt.group_id: must not contain '/', '+' or '#' (it is one MQTT "
            "topic level)");
  EXPECT_EQ(error_of(mqtt("edge_node = \"line#1\"\n")),
            "out.toml:3: output.mqtt.edge_node: must not contain '/', '+' or '#' (it is one MQTT "
            "topic level)");
  EXPECT_EQ(error_of(mqtt("key_file = \"client.key\"\n")),
            "out.toml:3: output.mqtt.key_file: needs cert_file too");
  EXPECT_EQ(error_of(mqtt("password = \"secret\"\n")),
            "out.toml:3: output.mqtt.password: needs username too");
  EXPECT_EQ(error_of(mqtt("keepalive = \"1s\"\n")),
            "out.toml:3: output.mqtt.keepalive: must be between 5s and 18h");
  EXPECT_EQ(error_of(mqtt("topics = \"x\"\n")),
            "out.toml:3: output.mqtt.topics: unknown key (expected one of: url, format, topic, "
            "qos, retain, client_id, username, password, ca_file, cert_file, key_file, group_id, "
            "edge_node, keepalive, batch_rows, spool, spool_max, spool_fsync)");
  EXPECT_EQ(error_of("[output.kafka]\nurl = \"x\"\n"),
            "out.toml:1: output.kafka: unknown key (expected one of: postgres, mqtt)");
  // What is allowed: mqtts://, a JSON topic, TLS files together, a user with a password.
  auto r = logger::parse_config(
      "[output.mqtt]\nurl = \"mqtts://broker:8883\"\ntopic = \"plant/{plc}/{group}\"\nqos = 2\n"
      "cert_file = \"c.pem\"\nkey_file = \"c.key\"\nusername = \"u\"\npassword = \"p\"\n"
      "retain = true\n",
      "out.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  EXPECT_EQ(r->outputs.mqtt->topic, "plant/{plc}/{group}");
  EXPECT_EQ(r->outputs.mqtt->qos, 2);
  EXPECT_TRUE(r->outputs.mqtt->retain);
}

TEST(OutputsConfig, TwoOutputsNeverShareASpoolFolder) {
  EXPECT_EQ(error_of("[output.postgres]\nurl = \"postgresql://db/plant\"\nspool = \"spool\"\n" +
                     mqtt("spool = \"spool\"\n")),
            "out.toml:6: output.mqtt.spool: output.postgres and output.mqtt spool into the same "
            "folder; give each its own");
  // Spelled differently, the same folder.
  EXPECT_EQ(error_of("[output.postgres]\nurl = \"postgresql://db/plant\"\n" +
                     mqtt("spool = \"./s7log-spool/postgres/\"\n")),
            "out.toml:5: output.mqtt.spool: output.postgres and output.mqtt spool into the same "
            "folder; give each its own");
  // Only postgres moved into mqtt's default folder: the error points at the key that was written.
  EXPECT_EQ(error_of("[output.postgres]\nurl = \"postgresql://db/plant\"\n"
                     "spool = \"s7log-spool/mqtt\"\n" +
                     mqtt("")),
            "out.toml:3: output.postgres.spool: output.postgres and output.mqtt spool into the "
            "same folder; give each its own");
}

// ---------------------------------------------------------------------------------------------
// Groups that write no CSV file.

TEST(OutputsConfig, AGroupWithoutCsvSharesNoFileWithAnother) {
  // "a.csv" is g's file; h sends its other columns to PostgreSQL only, so there is no clash.
  const std::string text =
      "[output.postgres]\nurl = \"postgresql://db/plant\"\n\n"
      "[[plc]]\nname = \"a\"\n\n"
      "[[group]]\nname = \"g\"\nplc = \"a\"\nout = \"a.csv\"\n"
      "  [[group.tag]]\n  name = \"counter\"\n  address = \"DB1.DBD0:DINT\"\n\n"
      "[[group]]\nname = \"h\"\nplc = \"a\"\nout = \"a.csv\"\noutputs = [\"postgres\"]\n"
      "  [[group.tag]]\n  name = \"alarm\"\n  address = \"DB1.DBX10.0\"\n";
  auto r = logger::parse_config(text, "plant.toml");
  ASSERT_TRUE(r.ok()) << r.error().what();
  ASSERT_EQ(r->plant->groups.size(), 2u);
  EXPECT_EQ(r->plant->groups[1].outputs, (Strings{"postgres"}));

  // With csv in h's list the two files clash as before.
  std::string both = text;
  both.replace(both.find("[\"postgres\"]"), 12, "[\"csv\", \"postgres\"]");
  EXPECT_EQ(error_of(both),
            "out.toml:18: group[2].out: a.csv is written by group[1] too, with other columns; "
            "give this group another out (\"{plc}_{group}.csv\")");
}
