// CSV text: header, course dialect, excel-da dialect, quoting, timestamps in local time.
#include "logger/csv.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include <cstdlib>
#include <ctime>

#include "logger/tag.hpp"
#include "platform/time.hpp"

namespace {
struct Tz {
  explicit Tz(const char* zone) {
    if (!platform::use_zone_for_tests(zone))
      std::fprintf(stderr, "these tests expect local time in %s (on Windows: the system zone)\n",
                   zone);
  }
};
const Tz kCopenhagen("Europe/Copenhagen");

// 2026-11-24T09:15:03Z = 10:15:03 in Copenhagen (CET).
const std::chrono::system_clock::time_point kTs{std::chrono::seconds(1795511703)};

logger::Sample course_sample() {
  logger::Sample s;
  s.ts = kTs;
  s.values = {{s7::Value(std::int64_t{42})},
              {s7::Value(std::int64_t{25})},
              {s7::Value(1.23f)},
              {s7::Value(true)},
              {s7::Value(std::uint64_t{7})}};
  return s;
}
}  // namespace

TEST(CsvFormat, HeaderIsExactlyTheCourseHeader) {
  logger::CsvFormat f;
  EXPECT_EQ(f.header(logger::course_tags()), "ts,counter,temperature,pressure,alarm,mode_ro\r\n");
}

TEST(CsvFormat, QualityAddsALastColumn) {
  logger::CsvFormat f;
  f.quality = true;
  EXPECT_EQ(f.header(logger::course_tags()),
            "ts,counter,temperature,pressure,alarm,mode_ro,quality\r\n");
}

TEST(CsvFormat, CourseRowUsesLocalIsoSecondsAndPythonBools) {
  logger::CsvFormat f;
  EXPECT_EQ(f.row(course_sample()), "2026-11-24T10:15:03,42,25,1.23,True,7\r\n");
}

TEST(CsvFormat, MillisecondsBelowOneSecond) {
  logger::CsvFormat f;
  f.millis = true;
  EXPECT_EQ(f.timestamp(kTs + std::chrono::milliseconds(500)), "2026-11-24T10:15:03.500");
}

TEST(CsvFormat, ExcelDaUsesSemicolonDecimalCommaAndSpaceTimestamp) {
  logger::CsvFormat f;
  f.dialect = logger::Dialect::excel_da;
  f.millis = true;
  auto s = course_sample();
  s.ts += std::chrono::milliseconds(250);
  EXPECT_EQ(f.row(s), "2026-11-24 10:15:03,250;42;25;1,23;True;7\r\n");
  EXPECT_EQ(f.header(logger::course_tags()), "ts;counter;temperature;pressure;alarm;mode_ro\r\n");
  EXPECT_EQ(f.bom(), "\xEF\xBB\xBF");
}

TEST(CsvFormat, MissingValuesAreEmptyCellsWithQuality) {
  logger::CsvFormat f;
  f.quality = true;
  auto s = course_sample();
  for (auto& v : s.values) v = logger::TagValue{std::nullopt, logger::Quality::comm_error};
  s.quality = logger::Quality::comm_error;
  EXPECT_EQ(f.row(s), "2026-11-24T10:15:03,,,,,,comm_error\r\n");
}

TEST(CsvFormat, FieldsWithSeparatorOrQuotesAreQuoted) {
  EXPECT_EQ(logger::quote_field("a,b", ','), "\"a,b\"");
  EXPECT_EQ(logger::quote_field("say \"hi\"", ','), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(logger::quote_field("a;b", ','), "a;b");
  EXPECT_EQ(logger::quote_field("a;b", ';'), "\"a;b\"");
  EXPECT_EQ(logger::quote_field("two\nlines", ','), "\"two\nlines\"");
}

TEST(CsvFormat, ArraysAndStringsAreQuotedWhenNeeded) {
  logger::CsvFormat f;
  s7::Value arr;
  arr.array = true;
  arr.elems = {std::int64_t{1}, std::int64_t{2}};
  logger::Sample s;
  s.ts = kTs;
  s.values = {{arr}, {s7::Value(std::string("x,y"))}};
  EXPECT_EQ(f.row(s), "2026-11-24T10:15:03,\"[1, 2]\",\"x,y\"\r\n");
}

TEST(CsvFormat, DialectNamesParse) {
  EXPECT_EQ(logger::parse_dialect("excel-da"), logger::Dialect::excel_da);
  EXPECT_EQ(logger::parse_dialect("course"), logger::Dialect::course);
  EXPECT_FALSE(logger::parse_dialect("excel").has_value());
}
