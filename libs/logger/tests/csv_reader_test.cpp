// Tests of the CSV reader: timestamps, RFC 4180 records, both dialects, errors, and rows written
// by CsvFormat read back equal.
#include "logger/csv_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "logger/csv.hpp"
#include "logger/rotation.hpp"
#include "test_dir.hpp"

using logger::CsvCellKind;
using logger::Dialect;
using logger::LocalTime;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace chr = std::chrono;

namespace {

LocalTime at(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms = 0) {
  return chr::local_days{chr::year{y} / chr::month{mo} / chr::day{d}} + chr::hours{h} +
         chr::minutes{mi} + chr::seconds{s} + chr::milliseconds{ms};
}

// The local wall-clock time the writer puts in the ts column for `ts` (to the millisecond).
LocalTime written_time(chr::system_clock::time_point ts) {
  const auto secs = chr::floor<chr::seconds>(ts);
  const std::tm tm = logger::local_tm(secs);
  return at(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
            static_cast<unsigned>(tm.tm_mday), tm.tm_hour, tm.tm_min, tm.tm_sec,
            static_cast<int>(chr::duration_cast<chr::milliseconds>(ts - secs).count()));
}

s7::Value array_of(std::vector<s7::Scalar> elems) {
  s7::Value v;
  v.array = true;
  v.elems = std::move(elems);
  return v;
}

// Tags whose names need quoting in one dialect or the other, and values of every shape.
std::vector<logger::TagInfo> tricky_tags() {
  const std::vector<std::string> names = {"counter", "temp, degC", "level; m", "say \"hi\"",
                                          "alarm",   "name",       "arr"};
  std::vector<logger::TagInfo> tags;
  for (const auto& n : names) {
    logger::TagInfo t;
    t.name = n;
    tags.push_back(t);
  }
  return tags;
}

std::vector<logger::Sample> tricky_samples() {
  // 2026-11-24T09:15:03Z and later; the written times are local.
  const chr::system_clock::time_point t0{chr::seconds(1795511703)};
  std::vector<logger::Sample> rows;
  logger::Sample a;
  a.ts = t0;
  a.values = {{s7::Value(std::int64_t{-42})},
              {s7::Value(1.5f)},
              {s7::Value(-0.25)},
              {s7::Value(std::string("a \"quoted\", two; parts"))},
              {s7::Value(true)},
              {s7::Value(std::string("  padded  "))},
              {array_of({std::int64_t{1}, std::int64_t{2}})}};
  rows.push_back(a);
  logger::Sample b = a;  // one tag refused, a line break inside a text, milliseconds
  b.ts = t0 + chr::milliseconds(250);
  b.values[1] = {std::nullopt, logger::Quality::item_error};
  b.values[3] = {s7::Value(std::string("two\r\nlines"))};
  b.values[4] = {s7::Value(false)};
  b.values[6] = {array_of({2.5, -1.0})};
  b.quality = logger::Quality::item_error;
  rows.push_back(b);
  logger::Sample c;  // a missed slot during an outage: every cell empty
  c.ts = t0 + chr::milliseconds(1250);
  c.values.assign(a.values.size(), {std::nullopt, logger::Quality::comm_error});
  c.quality = logger::Quality::comm_error;
  c.missed = true;
  rows.push_back(c);
  return rows;
}

class RoundTrip : public ::testing::TestWithParam<Dialect> {};

}  // namespace

TEST(ParseCsvTimestamp, ReadsSecondsAndFractions) {
  EXPECT_EQ(logger::parse_csv_timestamp("1970-01-02T00:00:01"), at(1970, 1, 2, 0, 0, 1));
  EXPECT_EQ(logger::parse_csv_timestamp("1970-01-01 00:00:00,500"), at(1970, 1, 1, 0, 0, 0, 500));
  EXPECT_EQ(logger::parse_csv_timestamp("2026-11-24T10:15:03.250"),
            at(2026, 11, 24, 10, 15, 3, 250));
  EXPECT_EQ(logger::parse_csv_timestamp("2026-11-24T10:15:03.5"), at(2026, 11, 24, 10, 15, 3, 500));
  EXPECT_EQ(logger::parse_csv_timestamp("2026-11-24T10:15:03.1234567891"),
            at(2026, 11, 24, 10, 15, 3) + chr::nanoseconds(123456789));
  EXPECT_EQ(logger::parse_csv_timestamp("2016-12-31T23:59:60"), at(2017, 1, 1, 0, 0, 0));
}

TEST(ParseCsvTimestamp, RejectsWhatTheWriterNeverWrites) {
  EXPECT_FALSE(logger::parse_csv_timestamp("1970-13-01T00:00:00"));
  EXPECT_FALSE(logger::parse_csv_timestamp("2026-02-30T00:00:00"));
  EXPECT_FALSE(logger::parse_csv_timestamp("2026-11-24T24:00:00"));
  EXPECT_FALSE(logger::parse_csv_timestamp("yesterday"));
  EXPECT_FALSE(logger::parse_csv_timestamp("1970-01-01T00:00:00."));
  EXPECT_FALSE(logger::parse_csv_timestamp("1970-01-01T00:00:00Z"));
  EXPECT_FALSE(logger::parse_csv_timestamp("1970-01-01T00:00:00.5x"));
  EXPECT_FALSE(logger::parse_csv_timestamp(" 1970-01-01T00:00:00"));
  EXPECT_FALSE(logger::parse_csv_timestamp("1970-01-01"));
}

TEST(SplitCsvRecords, FollowsRfc4180Quoting) {
  const auto rows = logger::split_csv_records(
      "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",,\n\r\nlast", ',');
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(rows[0], ElementsAre("a", "b,c", "say \"hi\""));
  EXPECT_THAT(rows[1], ElementsAre("two\r\nlines", "", ""));
  EXPECT_THAT(rows[2], ElementsAre("last"));
}

TEST(SplitCsvRecords, IsLenientLikeASpreadsheet) {
  EXPECT_THAT(logger::split_csv_records("x\"y\"z;\"open", ';'),
              ElementsAre(ElementsAre("xyz", "open")));
  EXPECT_THAT(logger::split_csv_records("\n\n;\n\"\"\r", ';'),
              ElementsAre(ElementsAre("", ""), ElementsAre("")));
  EXPECT_TRUE(logger::split_csv_records("", ',').empty());
}

TEST(ParseCsvFile, CourseDialect) {
  auto f = logger::parse_csv_file(
      "ts,counter,pressure,alarm\r\n"
      "2026-11-24T10:15:03,1,1.23,False\r\n"
      "2026-11-24T10:15:04,2\r\n");
  ASSERT_TRUE(f.ok()) << f.error().what();
  EXPECT_EQ(f->dialect, Dialect::course);
  EXPECT_THAT(f->columns, ElementsAre("counter", "pressure", "alarm"));
  ASSERT_EQ(f->rows.size(), 2u);
  EXPECT_EQ(f->rows[0].ts, at(2026, 11, 24, 10, 15, 3));
  EXPECT_THAT(f->rows[0].cells, ElementsAre("1", "1.23", "False"));
  EXPECT_THAT(f->rows[1].cells, ElementsAre("2", "", ""));  // a short row is padded
}

TEST(ParseCsvFile, ExcelDaDialectWithBomSemicolonsAndDecimalCommas) {
  auto f = logger::parse_csv_file(
      "\xEF\xBB\xBFts;counter;pressure;quality\r\n"
      "2026-11-24 10:15:03,500;1;1,23;ok;extra\r\n"
      "2026-11-24 10:15:04,000;;;comm_error\r\n");
  ASSERT_TRUE(f.ok()) << f.error().what();
  EXPECT_EQ(f->dialect, Dialect::excel_da);
  EXPECT_THAT(f->columns, ElementsAre("counter", "pressure", "quality"));
  ASSERT_EQ(f->rows.size(), 2u);
  EXPECT_EQ(f->rows[0].ts, at(2026, 11, 24, 10, 15, 3, 500));
  EXPECT_THAT(f->rows[0].cells, ElementsAre("1", "1,23", "ok"));  // cells past the header: gone
  EXPECT_THAT(f->rows[1].cells, ElementsAre("", "", "comm_error"));
  const auto p = logger::interpret_cell(f->rows[0].cells[1], f->dialect);
  EXPECT_EQ(p.kind, CsvCellKind::number);
  EXPECT_EQ(p.number, 1.23);
}

TEST(ParseCsvFile, AHeaderWithoutColumnsHasNoCells) {
  auto f = logger::parse_csv_file(" ts\n 2026-11-24T10:15:03 \n");
  ASSERT_FALSE(f.ok());  // the header must start with ts itself
  f = logger::parse_csv_file("ts\n 2026-11-24T10:15:03 \n");
  ASSERT_TRUE(f.ok()) << f.error().what();
  EXPECT_TRUE(f->columns.empty());
  ASSERT_EQ(f->rows.size(), 1u);
  EXPECT_TRUE(f->rows[0].cells.empty());
}

TEST(ParseCsvFile, ErrorsSayWhatIsWrong) {
  auto empty = logger::parse_csv_file("\xEF\xBB\xBF \t");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().what(), "not an s7log CSV: the file is empty");
  EXPECT_TRUE(empty.error().is(s7::Errc::invalid_argument));

  auto other = logger::parse_csv_file("time,value\n1,2\n");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().what(),
            "not an s7log CSV: the header must start with 'ts', found 'time,value'");

  auto bad_ts = logger::parse_csv_file("ts,a\r\n2026-11-24T10:15:03,1\r\nnoon,2\r\n");
  ASSERT_FALSE(bad_ts.ok());
  EXPECT_EQ(bad_ts.error().what(),
            "row 3: bad timestamp 'noon' (expected YYYY-MM-DDTHH:MM:SS[.mmm])");
}

TEST(ReadCsvFile, ErrorsNameTheFile) {
  logger::testing::TempDir dir;
  auto missing = logger::read_csv_file(util::u8path(dir / "nope.csv"));
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().what(), HasSubstr("nope.csv: no such file"));

  logger::testing::spit(dir / "målinger.csv", "ts,a\r\nnoon,2\r\n");
  auto bad = logger::read_csv_file(util::u8path(dir / "målinger.csv"));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().what(), HasSubstr("målinger.csv: row 2: bad timestamp 'noon'"));

  logger::testing::spit(dir / "ok.csv", "ts,a\r\n2026-11-24T10:15:03,2\r\n");
  auto ok = logger::read_csv_file(util::u8path(dir / "ok.csv"));
  ASSERT_TRUE(ok.ok()) << ok.error().what();
  EXPECT_THAT(ok->rows.at(0).cells, ElementsAre("2"));
}

TEST(InterpretCell, ReadsValuesAsTheWriterWritesThem) {
  using logger::interpret_cell;
  EXPECT_EQ(interpret_cell("", Dialect::course).kind, CsvCellKind::empty);
  EXPECT_EQ(interpret_cell(" \t", Dialect::course).kind, CsvCellKind::empty);
  EXPECT_EQ(interpret_cell("True", Dialect::course).kind, CsvCellKind::boolean);
  EXPECT_EQ(interpret_cell("True", Dialect::course).number, 1);
  EXPECT_EQ(interpret_cell("FALSE", Dialect::excel_da).number, 0);
  EXPECT_EQ(interpret_cell("+7", Dialect::course).number, 7);
  EXPECT_EQ(interpret_cell(" 1e3 ", Dialect::course).number, 1000);
  EXPECT_EQ(interpret_cell("-0,5", Dialect::excel_da).number, -0.5);
  EXPECT_EQ(interpret_cell("-0.5", Dialect::excel_da).number, -0.5);
  EXPECT_TRUE(std::isnan(interpret_cell("nan", Dialect::course).number));
  const auto comma = interpret_cell("1,5", Dialect::course);  // no decimal comma here
  EXPECT_EQ(comma.kind, CsvCellKind::text);
  EXPECT_EQ(comma.text, "1,5");
  EXPECT_EQ(interpret_cell(" [1, 2] ", Dialect::course).text, "[1, 2]");
  EXPECT_EQ(interpret_cell("comm_error", Dialect::course).kind, CsvCellKind::text);
}

// What CsvFormat writes (BOM, header, rows) parse_csv_file reads back equal: every cell's text
// as CsvFormat::cell made it, empty cells where values were missing, the quality words, and the
// local times to the millisecond.
TEST_P(RoundTrip, RowsWrittenByCsvFormatReadBackEqual) {
  logger::CsvFormat format;
  format.dialect = GetParam();
  format.quality = true;
  format.millis = true;
  const auto tags = tricky_tags();
  const auto samples = tricky_samples();
  std::string text(format.bom());
  text += format.header(tags);
  for (const auto& s : samples) text += format.row(s);

  auto f = logger::parse_csv_file(text);
  ASSERT_TRUE(f.ok()) << f.error().what() << "\n" << text;
  EXPECT_EQ(f->dialect, format.dialect);
  ASSERT_EQ(f->columns.size(), tags.size() + 1);
  for (std::size_t c = 0; c < tags.size(); ++c) EXPECT_EQ(f->columns[c], tags[c].name);
  EXPECT_EQ(f->columns.back(), "quality");
  ASSERT_EQ(f->rows.size(), samples.size());
  for (std::size_t r = 0; r < samples.size(); ++r) {
    SCOPED_TRACE("row " + std::to_string(r));
    const auto& row = f->rows[r];
    EXPECT_EQ(row.ts, written_time(samples[r].ts));
    ASSERT_EQ(row.cells.size(), tags.size() + 1);
    for (std::size_t c = 0; c < tags.size(); ++c) {
      const auto& v = samples[r].values[c].value;
      EXPECT_EQ(row.cells[c], v ? format.cell(*v) : "") << tags[c].name;
    }
    EXPECT_EQ(row.cells.back(), logger::to_string(samples[r].quality));
  }
  // The numbers read back as the values written.
  const auto& first = f->rows[0].cells;
  EXPECT_EQ(logger::interpret_cell(first[0], f->dialect).number, -42);
  EXPECT_EQ(logger::interpret_cell(first[1], f->dialect).number, 1.5);
  EXPECT_EQ(logger::interpret_cell(first[2], f->dialect).number, -0.25);
  EXPECT_EQ(logger::interpret_cell(first[4], f->dialect).kind, CsvCellKind::boolean);
  EXPECT_EQ(logger::interpret_cell(first[6], f->dialect).kind, CsvCellKind::text);
  EXPECT_EQ(logger::interpret_cell(f->rows[1].cells[1], f->dialect).kind, CsvCellKind::empty);
}

TEST_P(RoundTrip, WholeSecondTimestampsWithoutQualityReadBackEqual) {
  logger::CsvFormat format;
  format.dialect = GetParam();
  const auto tags = tricky_tags();
  auto samples = tricky_samples();
  std::string text(format.bom());
  text += format.header(tags);
  for (const auto& s : samples) text += format.row(s);

  logger::testing::TempDir dir;
  logger::testing::spit(dir / "log.csv", text);
  auto f = logger::read_csv_file(util::u8path(dir / "log.csv"));
  ASSERT_TRUE(f.ok()) << f.error().what();
  ASSERT_EQ(f->columns.size(), tags.size());
  ASSERT_EQ(f->rows.size(), samples.size());
  for (std::size_t r = 0; r < samples.size(); ++r) {
    EXPECT_EQ(f->rows[r].ts, written_time(chr::floor<chr::seconds>(samples[r].ts)));
    for (std::size_t c = 0; c < tags.size(); ++c) {
      const auto& v = samples[r].values[c].value;
      EXPECT_EQ(f->rows[r].cells[c], v ? format.cell(*v) : "");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BothDialects, RoundTrip,
                         ::testing::Values(Dialect::course, Dialect::excel_da),
                         [](const ::testing::TestParamInfo<Dialect>& p) {
                           return std::string(p.param == Dialect::course ? "course" : "excel_da");
                         });

TEST(CsvReader, YearsBeyondWhatNanosecondsHoldAreNoTimestamp) {
  // The fuzzer's find: year 1013 overflowed the 64-bit nanosecond count.
  EXPECT_FALSE(logger::parse_csv_timestamp("1013-01-01T00:00:00").has_value());
  EXPECT_FALSE(logger::parse_csv_timestamp("2300-01-01T00:00:00").has_value());
  EXPECT_TRUE(logger::parse_csv_timestamp("1900-01-01T00:00:00").has_value());
  EXPECT_TRUE(logger::parse_csv_timestamp("2200-12-31T23:59:59.999").has_value());
}
