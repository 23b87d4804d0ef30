// Tests of the JSON views: value types, float text, qualities, chart numbers, local ISO time.
#include "web/sample_json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "platform/time.hpp"
#include "test_samples.hpp"

using namespace web;
using web::testing::demo_sample;
using web::testing::demo_tags;

TEST(SampleJson, HoldsTsValuesAndQualityPerTag) {
  auto j = sample_json(demo_tags(), demo_sample(42));
  EXPECT_TRUE(j["ts"].is_string());
  EXPECT_EQ(j["values"]["counter"], 42);
  EXPECT_EQ(j["values"]["pressure"].dump(),
            "1.23");  // the float's shortest text, not 1.2300000190734863
  EXPECT_EQ(j["values"]["alarm"], true);
  EXPECT_EQ(j["values"]["label"], "run");
  EXPECT_EQ(j["quality"]["counter"], "ok");
}

TEST(SampleJson, NamesThePlcAndGroupOfTheSample) {
  auto s = demo_sample(1);
  EXPECT_EQ(sample_json(demo_tags(), s)["plc"], "");  // a plain one-PLC config
  s.plc = "press1";
  s.group = "fast";
  auto j = sample_json(demo_tags(), s);
  EXPECT_EQ(j["plc"], "press1");
  EXPECT_EQ(j["group"], "fast");
}

TEST(SampleJson, MissingValuesAreNullWithTheirQuality) {
  auto s = demo_sample(1);
  s.values[0] = logger::TagValue{std::nullopt, logger::Quality::item_error};
  s.quality = logger::Quality::item_error;
  auto j = sample_json(demo_tags(), s);
  EXPECT_TRUE(j["values"]["counter"].is_null());
  EXPECT_EQ(j["quality"]["counter"], "item_error");
  EXPECT_EQ(j["row_quality"], "item_error");
}

TEST(SampleJson, CompactFormChartsNumbersAndBoolsOnly) {
  auto j = sample_compact_json(7, demo_sample(2));
  EXPECT_EQ(j["seq"], 7);
  EXPECT_EQ(j["v"][0], 2.0);
  EXPECT_EQ(j["v"][2], 1.0);         // alarm true -> 1
  EXPECT_TRUE(j["v"][3].is_null());  // text is not charted
  EXPECT_EQ(j["q"], "ok");
  EXPECT_EQ(j["t"], (1'700'000'002LL) * 1000);
}

TEST(SampleJson, NanBecomesNull) {
  s7::Value v(s7::Scalar(std::nan("")));
  EXPECT_TRUE(value_json(v).is_null());
  EXPECT_FALSE(chart_number(v).has_value());
}

TEST(SampleJson, ArraysAreJsonArraysAndNotCharted) {
  s7::Value v;
  v.array = true;
  v.elems = {s7::Scalar(std::int64_t{1}), s7::Scalar(std::int64_t{2})};
  EXPECT_EQ(value_json(v).dump(), "[1,2]");
  EXPECT_FALSE(chart_number(v).has_value());
  EXPECT_EQ(kind_of(web::testing::tag("arr", s7::DataType::Int, 2)), ColumnKind::text);
}

TEST(SampleJson, ColumnsNameTheKindOfEachTag) {
  auto cols = columns_json(demo_tags());
  ASSERT_EQ(cols.size(), 4u);
  EXPECT_EQ(cols[0]["kind"], "number");
  EXPECT_EQ(cols[2]["kind"], "boolean");
  EXPECT_EQ(cols[3]["kind"], "text");
}

TEST(FormatLocalIso, FollowsTzWithMilliseconds) {
  // ctest runs each test in its own process: the zone needs no putting back.
  ASSERT_TRUE(platform::use_zone_for_tests("Europe/Copenhagen"));
  auto tp = std::chrono::system_clock::time_point{} + std::chrono::milliseconds(1'700'000'000'250);
  // 2023-11-14T22:13:20Z is 23:13:20 in Copenhagen (CET, UTC+1).
  EXPECT_EQ(format_local_iso(tp), "2023-11-14T23:13:20.250");
}
