// The TOML reading layer: exact error texts (file:line: key: message), getters, remembered lines.
#include "util/toml_reader.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace std::chrono_literals;

namespace {

// Parses `text` as "f.toml"; the test fails when it does not parse.
toml::table parse(util::TomlReader& in, std::string_view text) {
  auto root = in.parse(text);
  EXPECT_TRUE(root.ok()) << root.error().what();
  return root.ok() ? std::move(*root) : toml::table{};
}

template <class T>
std::string error_of(const s7::Result<T>& r) {
  return r.ok() ? std::string("(no error)") : r.error().what();
}

TEST(TomlReader, UnknownKeyNamesTheAllowedKeys) {
  util::TomlReader in("f.toml");
  auto root = parse(in, "[plc]\nhost = \"a\"\nprot = 102\n");
  ASSERT_TRUE(in.check_keys(root, "", {"plc", "log"}).ok());
  auto r = in.check_keys(*root["plc"].as_table(), "plc", {"host", "port", "rack"});
  EXPECT_EQ(error_of(r), "f.toml:3: plc.prot: unknown key (expected one of: host, port, rack)");
  auto hinted = in.check_keys(*root["plc"].as_table(), "plc", {"host"}, "the plc takes host");
  EXPECT_EQ(error_of(hinted), "f.toml:3: plc.prot: unknown key (the plc takes host)");
}

TEST(TomlReader, UnknownKeyAtTheRootHasNoPrefix) {
  util::TomlReader in("f.toml");
  auto root = parse(in, "\n\"a\\u001bb\" = 1\n");
  EXPECT_EQ(error_of(in.check_keys(root, "", {"plc"})),
            "f.toml:2: a\\x1bb: unknown key (expected one of: plc)");
}

TEST(TomlReader, WrongTypeSaysWhatWasExpected) {
  util::TomlReader in("f.toml");
  auto root = parse(in,
                    "port = \"102\"\nhost = 5\nfsync = \"yes\"\njitter = \"0.2\"\n"
                    "watch = \"a\"\nplc = 1\ntag = {}\n");
  EXPECT_EQ(error_of(in.integer(*root.get("port"), "port", 1, 65535)),
            "f.toml:1: port: expected an integer");
  EXPECT_EQ(error_of(in.string(*root.get("host"), "host")), "f.toml:2: host: expected a string");
  EXPECT_EQ(error_of(in.boolean(*root.get("fsync"), "fsync")),
            "f.toml:3: fsync: expected true or false");
  EXPECT_EQ(error_of(in.number(*root.get("jitter"), "jitter")),
            "f.toml:4: jitter: expected a number");
  EXPECT_EQ(error_of(in.strings(*root.get("watch"), "watch")),
            "f.toml:5: watch: expected an array of strings");
  EXPECT_EQ(error_of(in.table(*root.get("plc"), "plc")), "f.toml:6: plc: expected a table [plc]");
  EXPECT_EQ(error_of(in.array_of_tables(*root.get("tag"), "tag")),
            "f.toml:7: tag: expected an array of tables [[tag]]");
}

TEST(TomlReader, IntegersAreNotFloats) {
  util::TomlReader in("f.toml");
  auto root = parse(in, "port = 102.0\nhex = 0x0A\n");
  EXPECT_EQ(error_of(in.integer(*root.get("port"), "port", 1, 65535)),
            "f.toml:1: port: expected an integer");
  auto hex = in.integer(*root.get("hex"), "hex", 0, 255);
  ASSERT_TRUE(hex.ok()) << hex.error().what();
  EXPECT_EQ(*hex, 10);
}

TEST(TomlReader, OutOfRangeIntegerNamesTheLineAndTheRange) {
  util::TomlReader in("f.toml");
  auto root = parse(in, "# the PLC\n[plc]\n\nport = 70000\nrack = -1\n");
  const auto& plc = *root["plc"].as_table();
  EXPECT_EQ(error_of(in.integer(*plc.get("port"), "plc.port", 1, 65535)),
            "f.toml:4: plc.port: must be between 1 and 65535");
  EXPECT_EQ(error_of(in.integer(*plc.get("rack"), "plc.rack", 0, 7)),
            "f.toml:5: plc.rack: must be between 0 and 7");
}

TEST(TomlReader, DurationsAreStringsWithAUnitOrNumbersOfSeconds) {
  util::TomlReader in("f.toml");
  auto root = parse(in,
                    "a = \"500ms\"\nb = \"1s\"\nc = \"2min\"\nd = 1.5\ne = 2\nf = \"3\"\n"
                    "g = \" 20us \"\nh = 0.3\n");
  auto get = [&](const char* key) {
    auto d = in.duration(*root.get(key), key);
    EXPECT_TRUE(d.ok()) << d.error().what();
    return d.ok() ? *d : -1ns;
  };
  EXPECT_EQ(get("a"), 500ms);
  EXPECT_EQ(get("b"), 1s);
  EXPECT_EQ(get("c"), 2min);
  EXPECT_EQ(get("d"), 1500ms);
  EXPECT_EQ(get("e"), 2s);
  EXPECT_EQ(get("f"), 3s);
  EXPECT_EQ(get("g"), 20us);
  EXPECT_EQ(get("h"), 300ms);  // rounded, not cut to 299999999 ns
}

TEST(TomlReader, BadDurationsSayWhatIsExpected) {
  util::TomlReader in("f.toml");
  auto root = parse(in,
                    "a = \"fast\"\nb = -1\nc = \"-1s\"\nd = true\ne = 1e300\nf = nan\n"
                    "g = \"2h\"\n");
  const std::string like = R"(expected a duration like "500ms", "1s" or "2min")";
  EXPECT_EQ(error_of(in.duration(*root.get("a"), "log.interval")),
            "f.toml:1: log.interval: " + like);
  EXPECT_EQ(error_of(in.duration(*root.get("b"), "b")), "f.toml:2: b: " + like);
  EXPECT_EQ(error_of(in.duration(*root.get("c"), "c")), "f.toml:3: c: " + like);
  EXPECT_EQ(error_of(in.duration(*root.get("d"), "d")), "f.toml:4: d: " + like);
  EXPECT_EQ(error_of(in.duration(*root.get("e"), "e")), "f.toml:5: e: " + like);
  EXPECT_EQ(error_of(in.duration(*root.get("f"), "f")), "f.toml:6: f: " + like);
  EXPECT_EQ(error_of(in.duration(*root.get("g"), "g", 1h)), "f.toml:7: g: must be at most 60min");
  EXPECT_TRUE(in.duration(*root.get("g"), "g", 2h).ok());
}

TEST(TomlReader, NestedKeysHaveTheirOwnLine) {
  util::TomlReader in("f.toml");
  auto root = parse(in,
                    "[plc]\nport = 1102\n\n[plc.identity]\nmodule_name = \"CPU\"\n"
                    "order_code = 5\n");
  const auto* id = root["plc"]["identity"].as_table();
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(error_of(in.string(*id->get("order_code"), "plc.identity.order_code")),
            "f.toml:6: plc.identity.order_code: expected a string");
  auto dotted = parse(in, "\n\nplc.identity.serial_number = false\n");
  EXPECT_EQ(error_of(in.string(*dotted["plc"]["identity"]["serial_number"].node(),
                               "plc.identity.serial_number")),
            "f.toml:3: plc.identity.serial_number: expected a string");
}

TEST(TomlReader, KeysWithoutANodeUseTheNearestRememberedParent) {
  util::TomlReader in("f.toml");
  auto root = parse(in, "watch = [\"a\",\n  \"b\"]\n\n[fields.x]\naddress = \"MW0\"\n");
  ASSERT_TRUE(in.check_keys(root, "", {"watch", "fields"}).ok());
  ASSERT_TRUE(in.check_keys(*root["fields"].as_table(), "fields", {"x"}).ok());
  ASSERT_TRUE(in.strings(*root.get("watch"), "watch").ok());
  // Checks after reading (no node at hand) still find the line.
  EXPECT_EQ(in.error("watch[1]", "no field named \"b\"").what(),
            "f.toml:2: watch[1]: no field named \"b\"");
  EXPECT_EQ(in.error("fields.x.period", "must be more than 0").what(),
            "f.toml:4: fields.x.period: must be more than 0");
  // A node built in code has no line: its key's parent gives one.
  toml::value<std::int64_t> made(5);
  EXPECT_EQ(in.error(made, "fields.x.size", "too big").what(), "f.toml:4: fields.x.size: too big");
  // Nothing known: no line.
  EXPECT_EQ(in.error("plc.max_pdu", "500 is not one of 240, 480, 960").what(),
            "f.toml: plc.max_pdu: 500 is not one of 240, 480, 960");
}

TEST(TomlReader, ListElementsAreCountedFromTheFirstIndex) {
  util::TomlReader zero("f.toml");
  auto root = parse(zero, "on_change = [\"a\",\n 7]\n");
  EXPECT_EQ(error_of(zero.strings(*root.get("on_change"), "on_change")),
            "f.toml:2: on_change[1]: expected a string");
  util::TomlReader one("l.toml", 1);
  EXPECT_EQ(error_of(one.strings(*root.get("on_change"), "log.on_change")),
            "l.toml:2: log.on_change[2]: expected a string");
  EXPECT_EQ(one.item("tag", 0), "tag[1]");
}

TEST(TomlReader, StringsNumbersAndTablesThatAreFine) {
  util::TomlReader in("f.toml");
  auto root = parse(in,
                    "host = \"\"\nname = \"x\"\nn = 3\nf = 0.5\ninf = inf\nb = true\n"
                    "list = [\"a\", \"b\"]\n[[areas]]\nsize = 1\n[[areas]]\nsize = 2\n");
  EXPECT_EQ(error_of(in.string(*root.get("host"), "plc.host", util::Empty::refused)),
            "f.toml:1: plc.host: must not be empty");
  EXPECT_EQ(*in.string(*root.get("host"), "plc.host"), "");
  EXPECT_EQ(*in.string(*root.get("name"), "name", util::Empty::refused), "x");
  EXPECT_EQ(*in.number(*root.get("n"), "n"), 3.0);
  EXPECT_EQ(*in.number(*root.get("f"), "f"), 0.5);
  EXPECT_EQ(error_of(in.number(*root.get("inf"), "inf")),
            "f.toml:5: inf: expected a finite number");
  EXPECT_TRUE(*in.boolean(*root.get("b"), "b"));
  EXPECT_EQ(*in.strings(*root.get("list"), "list"), (std::vector<std::string>{"a", "b"}));
  auto areas = in.array_of_tables(*root.get("areas"), "areas");
  ASSERT_TRUE(areas.ok()) << areas.error().what();
  EXPECT_EQ((*areas)->size(), 2u);
  EXPECT_EQ(in.line_of("areas[1].size"), 10u);
  auto mixed = parse(in, "tag = [{a = 1},\n 2]\n");
  EXPECT_EQ(error_of(in.array_of_tables(*mixed.get("tag"), "tag")),
            "f.toml:2: tag[1]: expected a table");
}

TEST(TomlReader, ParseErrorsNameTheFileAndLine) {
  util::TomlReader in("f.toml");
  auto syntax = in.parse("[plc]\nport = \n");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().what().rfind("f.toml:2: syntax: ", 0), 0u) << syntax.error().what();
  EXPECT_TRUE(syntax.error().is(s7::Errc::invalid_argument));
  auto deep = in.parse("a = " + std::string(40, '[') + std::string(40, ']') + "\n");
  EXPECT_EQ(error_of(deep), "f.toml:1: arrays or tables nested deeper than 32 levels");
}

TEST(TomlReader, ChildJoinsDottedKeys) {
  EXPECT_EQ(util::TomlReader::child("", "watch"), "watch");
  EXPECT_EQ(util::TomlReader::child("plc", "port"), "plc.port");
  EXPECT_EQ(util::TomlReader::child("areas[0]", "size"), "areas[0].size");
}

}  // namespace
