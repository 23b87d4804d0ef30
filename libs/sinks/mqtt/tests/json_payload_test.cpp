// JSON payload of MQTT messages: exact bytes for each type, escaping, missed rows, item errors.
#include "sinks/mqtt/json_payload.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "platform/time.hpp"

namespace {

using logger::Quality;
using logger::Sample;
using logger::TagInfo;
using logger::TagValue;
using sinks::mqtt::append_json_string;
using sinks::mqtt::expand_topic;
using sinks::mqtt::iso8601_local;
using sinks::mqtt::json_payload;

TagInfo tag(const std::string& name, const std::string& addr) {
  auto a = s7::parse_address(addr);
  EXPECT_TRUE(a.ok()) << addr;
  return TagInfo{name, a.ok() ? *a : s7::Address{}};
}

// 2026-12-07T14:03:01.100Z
std::chrono::system_clock::time_point when() {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(1796652181100));
}

class JsonPayload : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(platform::use_zone_for_tests("UTC")); }
};

TEST_F(JsonPayload, TimestampWithOffset) {
  EXPECT_EQ(iso8601_local(when()), "2026-12-07T14:03:01.100+00:00");
  ASSERT_TRUE(platform::use_zone_for_tests("Europe/Copenhagen"));
  EXPECT_EQ(iso8601_local(when()), "2026-12-07T15:03:01.100+01:00");
  // Summer time, and milliseconds truncated.
  const auto summer = std::chrono::system_clock::time_point(
      std::chrono::microseconds(1781791200'000'999));  // 2026-06-18T14:00:00.000999Z
  EXPECT_EQ(iso8601_local(summer), "2026-06-18T16:00:00.000+02:00");
  ASSERT_TRUE(platform::use_zone_for_tests("America/St_Johns"));  // -03:30 in winter
  EXPECT_EQ(iso8601_local(when()), "2026-12-07T10:33:01.100-03:30");
  ASSERT_TRUE(platform::use_zone_for_tests("UTC"));
}

TEST_F(JsonPayload, EveryScalarType) {
  std::vector<TagInfo> tags{tag("b", "DB1.DBX0.0"),        tag("i", "DB1.DBW2:INT"),
                            tag("u", "DB1.DBD4:UDINT"),    tag("r", "DB1.DBD8:REAL"),
                            tag("lr", "DB1.DBB12:LREAL"),  tag("s", "DB1.DBB20:STRING[10]"),
                            tag("big", "DB1.DBB40:ULINT"), tag("neg", "DB1.DBB48:LINT"),
                            tag("tod", "DB1.DBD56:TOD"),   tag("exp", "DB1.DBD60:REAL")};
  Sample s;
  s.ts = when();
  s.plc = "line1";
  s.group = "fast";
  s.values = {TagValue{s7::Value(s7::Scalar(true))},
              TagValue{s7::Value(s7::Scalar(std::int64_t{-42}))},
              TagValue{s7::Value(s7::Scalar(std::uint64_t{4000000000}))},
              TagValue{s7::Value(s7::Scalar(1.23f))},
              TagValue{s7::Value(s7::Scalar(0.1))},
              TagValue{s7::Value(s7::Scalar(std::string("hi")))},
              TagValue{s7::Value(s7::Scalar(std::uint64_t{18446744073709551615u}))},
              TagValue{s7::Value(s7::Scalar(std::int64_t{-9223372036854775807 - 1}))},
              TagValue{s7::Value(s7::Scalar(std::string("12:30:00.000")))},
              TagValue{s7::Value(s7::Scalar(1e20f))}};
  EXPECT_EQ(json_payload(s, tags, false),
            R"({"ts":"2026-12-07T14:03:01.100+00:00","ts_ms":1796652181100,"plc":"line1",)"
            R"("group":"fast","quality":"ok","values":{"b":true,"i":-42,"u":4000000000,"r":1.23,)"
            R"("lr":0.1,"s":"hi","big":18446744073709551615,"neg":-9223372036854775808,)"
            R"("tod":"12:30:00.000","exp":1e+20},"errors":{}})");
}

TEST_F(JsonPayload, NanAndInfinityAreNull) {
  std::vector<TagInfo> tags{tag("a", "MD0:REAL"), tag("b", "MD4:REAL"), tag("c", "MB8:LREAL")};
  Sample s;
  s.ts = when();
  s.values = {TagValue{s7::Value(s7::Scalar(std::numeric_limits<float>::quiet_NaN()))},
              TagValue{s7::Value(s7::Scalar(-std::numeric_limits<float>::infinity()))},
              TagValue{s7::Value(s7::Scalar(std::numeric_limits<double>::infinity()))}};
  EXPECT_EQ(json_payload(s, tags, false),
            R"({"ts":"2026-12-07T14:03:01.100+00:00","ts_ms":1796652181100,"plc":"plc",)"
            R"("group":"default","quality":"ok","values":{"a":null,"b":null,"c":null},)"
            R"("errors":{}})");
}

TEST_F(JsonPayload, Arrays) {
  std::vector<TagInfo> tags{tag("w", "DB1.DBW0:INT[3]"), tag("f", "DB1.DBD6:REAL[2]"),
                            tag("one", "DB1.DBX20.0:BOOL[1]"), tag("t", "DB1.DBB30:CHAR[2]")};
  s7::Value w;
  w.array = true;
  w.elems = {std::int64_t{1}, std::int64_t{-2}, std::int64_t{3}};
  s7::Value f;
  f.array = true;
  f.elems = {2.5f, std::numeric_limits<float>::quiet_NaN()};
  s7::Value one;
  one.array = true;
  one.elems = {false};
  s7::Value t;
  t.array = true;
  t.elems = {std::string("a"), std::string("\"")};
  Sample s;
  s.ts = when();
  s.plc = "p";
  s.group = "g";
  s.values = {TagValue{w}, TagValue{f}, TagValue{one}, TagValue{t}};
  EXPECT_EQ(json_payload(s, tags, false),
            R"({"ts":"2026-12-07T14:03:01.100+00:00","ts_ms":1796652181100,"plc":"p","group":"g",)"
            R"("quality":"ok","values":{"w":[1,-2,3],"f":[2.5,null],"one":[false],"t":["a","\""]},)"
            R"("errors":{}})");
}

TEST_F(JsonPayload, Escaping) {
  std::string out;
  append_json_string(out, std::string("q\"b\\n\nr\rt\tb\bf\f\x01\x1f\x7f", 17));
  EXPECT_EQ(out, R"("q\"b\\n\nr\rt\tb\bf\f\u0001\u001f)"
                 "\x7f\"");
  out.clear();
  append_json_string(out, "Grüße €😀");  // valid UTF-8 stays as it is
  EXPECT_EQ(out, "\"Grüße €😀\"");
  out.clear();
  // Latin-1 byte, a truncated sequence, an overlong slash, a surrogate: each byte -> \ufffd.
  append_json_string(out, std::string("a\xe9z\xe2\x82 \xc0\xaf\xed\xa0\x80", 11));
  EXPECT_EQ(out, R"("a\ufffdz\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd\ufffd")");
  // Tag names and PLC/group names are escaped too.
  std::vector<TagInfo> tags{tag("a\"b", "MW0:INT")};
  Sample s;
  s.ts = when();
  s.plc = "p\\1";
  s.group = "g\n";
  s.values = {TagValue{s7::Value(s7::Scalar(std::string("x\ty")))}};
  EXPECT_EQ(json_payload(s, tags, false),
            R"({"ts":"2026-12-07T14:03:01.100+00:00","ts_ms":1796652181100,"plc":"p\\1",)"
            R"("group":"g\n","quality":"ok","values":{"a\"b":"x\ty"},"errors":{}})");
}

TEST_F(JsonPayload, MissedRowIsAllNull) {
  std::vector<TagInfo> tags{tag("a", "MW0:INT"), tag("b", "MW2:INT")};
  Sample s;
  s.ts = when();
  s.plc = "line1";
  s.group = "fast";
  s.values.assign(2, TagValue{std::nullopt, Quality::comm_error});
  s.quality = Quality::comm_error;
  s.missed = true;
  EXPECT_EQ(json_payload(s, tags, false),
            R"({"ts":"2026-12-07T14:03:01.100+00:00","ts_ms":1796652181100,"plc":"line1",)"
            R"("group":"fast","quality":"comm_error","values":{"a":null,"b":null},)"
            R"("errors":{"a":"comm_error","b":"comm_error"}})");
}

TEST_F(JsonPayload, ItemErrorsByTagAndHistorical) {
  std::vector<TagInfo> tags{tag("a", "MW0:INT"), tag("bad", "DB99.DBW0:INT"), tag("c", "M4.0")};
  Sample s;
  s.ts = when();
  s.plc = "line1";
  s.group = "fast";
  s.values = {TagValue{s7::Value(s7::Scalar(std::int64_t{7}))},
              TagValue{std::nullopt, Quality::item_error}, TagValue{s7::Value(s7::Scalar(false))}};
  s.quality = Quality::item_error;
  EXPECT_EQ(json_payload(s, tags, true),
            R"({"ts":"2026-12-07T14:03:01.100+00:00","ts_ms":1796652181100,"plc":"line1",)"
            R"("group":"fast","quality":"item_error","historical":true,)"
            R"("values":{"a":7,"bad":null,"c":false},"errors":{"bad":"item_error"}})");
}

TEST_F(JsonPayload, ShortValuesListTheRestAsNull) {
  std::vector<TagInfo> tags{tag("a", "MW0:INT"), tag("b", "MW2:INT")};
  Sample s;
  s.ts = when();
  s.values = {TagValue{s7::Value(s7::Scalar(std::int64_t{1}))}};
  s.quality = Quality::comm_error;
  EXPECT_EQ(json_payload(s, tags, false),
            R"({"ts":"2026-12-07T14:03:01.100+00:00","ts_ms":1796652181100,"plc":"plc",)"
            R"("group":"default","quality":"comm_error","values":{"a":1,"b":null},)"
            R"("errors":{"b":"comm_error"}})");
}

TEST(JsonTopic, Placeholders) {
  EXPECT_EQ(expand_topic("s7log/{plc}/{group}", "line1", "fast"), "s7log/line1/fast");
  EXPECT_EQ(expand_topic("s7log/{plc}/{group}", "", ""), "s7log/plc/default");
  EXPECT_EQ(expand_topic("a/{group}/{plc}/{group}/{x}", "p", "g"), "a/g/p/g/{x}");
  EXPECT_EQ(expand_topic("{plc", "p", "g"), "{plc");
}

}  // namespace
