// Tests of `s7log plot`'s report: both CSV dialects merged, globs, gaps, errors naming files.
#include "web/report.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

using namespace web;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path =
        fs::temp_directory_path() /
        ("s7log_report_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return path / name;
  }
};

const CsvColumn& col(const CsvTable& t, const std::string& name) {
  for (const auto& c : t.columns) {
    if (c.name == name) return c;
  }
  throw std::runtime_error("no column " + name);
}

}  // namespace

TEST(ReadS7logCsv, CourseDialect) {
  TempDir d;
  auto f = d.write("log.csv",
                   "ts,counter,temperature,pressure,alarm,mode_ro\r\n"
                   "2026-11-24T10:15:03,1,25,1.23,False,7\r\n"
                   "2026-11-24T10:15:04,2,25,1.5,True,7\r\n");
  auto t = read_s7log_csv({f});
  ASSERT_TRUE(t.ok()) << t.error().what();
  ASSERT_EQ(t->t.size(), 2u);
  EXPECT_EQ(t->t[1] - t->t[0], 1.0);
  ASSERT_EQ(t->columns.size(), 5u);
  EXPECT_EQ(col(*t, "pressure").values[1], 1.5);
  EXPECT_EQ(col(*t, "alarm").kind, "boolean");
  EXPECT_EQ(col(*t, "alarm").values[1], 1.0);
  EXPECT_EQ(col(*t, "counter").kind, "number");
  EXPECT_FALSE(t->has_quality);
}

TEST(ReadS7logCsv, ExcelDaDialectWithBomSemicolonsAndDecimalCommas) {
  TempDir d;
  auto f = d.write("log.csv",
                   "\xEF\xBB\xBFts;counter;pressure;alarm;quality\r\n"
                   "2026-11-24 10:15:03,500;1;1,23;False;ok\r\n"
                   "2026-11-24 10:15:04,000;;;;comm_error\r\n"
                   "2026-11-24 10:15:04,500;3;-0,5;True;ok\r\n");
  auto t = read_s7log_csv({f});
  ASSERT_TRUE(t.ok()) << t.error().what();
  ASSERT_EQ(t->t.size(), 3u);
  EXPECT_DOUBLE_EQ(t->t[1] - t->t[0], 0.5);
  EXPECT_EQ(col(*t, "pressure").values[0], 1.23);
  EXPECT_EQ(col(*t, "pressure").values[2], -0.5);
  EXPECT_FALSE(col(*t, "counter").values[1].has_value());  // empty cell -> gap
  ASSERT_TRUE(t->has_quality);
  EXPECT_EQ(t->quality[1], "comm_error");
  EXPECT_EQ(t->columns.size(), 3u);  // quality is bands, not a line
}

TEST(ReadS7logCsv, SeveralFilesAreMergedInTimeOrder) {
  TempDir d;
  auto later = d.write("log_20261125.csv", "ts,counter\r\n2026-11-25T00:00:00,10\r\n");
  auto earlier =
      d.write("log_20261124.csv",
              "ts,counter,extra\r\n2026-11-24T23:59:58,8,1\r\n2026-11-24T23:59:59,9,1\r\n");
  auto t = read_s7log_csv({later, earlier});
  ASSERT_TRUE(t.ok()) << t.error().what();
  ASSERT_EQ(t->t.size(), 3u);
  EXPECT_EQ(col(*t, "counter").values[0], 8.0);
  EXPECT_EQ(col(*t, "counter").values[2], 10.0);
  EXPECT_FALSE(col(*t, "extra").values[2].has_value());  // column missing in that file
}

TEST(ReadS7logCsv, TextColumnsAreNotCharted) {
  TempDir d;
  auto f = d.write("log.csv", "ts,name,arr\r\n2026-11-24T10:15:03,pump,\"[1, 2]\"\r\n");
  auto t = read_s7log_csv({f});
  ASSERT_TRUE(t.ok()) << t.error().what();
  EXPECT_EQ(col(*t, "name").kind, "text");
  EXPECT_EQ(col(*t, "arr").kind, "text");
  EXPECT_FALSE(col(*t, "name").values[0].has_value());
}

TEST(ReadS7logCsv, ErrorsNameTheFile) {
  TempDir d;
  auto missing = read_s7log_csv({d.path / "nope.csv"});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().what(), HasSubstr("nope.csv: no such file"));

  auto other = read_s7log_csv({d.write("other.csv", "time,value\n1,2\n")});
  ASSERT_FALSE(other.ok());
  EXPECT_THAT(other.error().what(), HasSubstr("other.csv: not an s7log CSV"));

  auto empty = read_s7log_csv({d.write("empty.csv", "")});
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.error().what(), HasSubstr("empty.csv: not an s7log CSV"));

  auto bad_ts = read_s7log_csv({d.write("bad.csv", "ts,a\r\n2026-11-24T10:15:03,1\r\nnoon,2\r\n")});
  ASSERT_FALSE(bad_ts.ok());
  EXPECT_THAT(bad_ts.error().what(), HasSubstr("bad.csv: row 3: bad timestamp 'noon'"));
}

TEST(ExpandInputs, GlobsMatchFilesSortedByName) {
  TempDir d;
  d.write("log_2.csv", "");
  d.write("log_1.csv", "");
  d.write("other.txt", "");
  auto files = expand_inputs({(d.path / "log_*.csv").string()});
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].filename(), "log_1.csv");
  EXPECT_EQ((*files)[1].filename(), "log_2.csv");
  auto none = expand_inputs({(d.path / "nothing_*.csv").string()});
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.error().what(), HasSubstr("nothing_*.csv: no file matches"));
}

TEST(RenderReport, InlinesUplotAndDataWithoutExternalReferences) {
  CsvTable t;
  t.files = {"log.csv"};
  t.t = {0, 1};
  t.columns = {CsvColumn{"counter</script>", "number", {1.0, std::nullopt}}};
  auto html = render_report(t, "log <1>");
  EXPECT_THAT(html, HasSubstr("<title>log &lt;1&gt;</title>"));
  EXPECT_THAT(html, HasSubstr("uPlot"));
  EXPECT_THAT(html, HasSubstr("\"v\":[[1.0,null]]"));
  EXPECT_THAT(html, HasSubstr("counter\\u003c/script>"));  // cannot end the data element
  EXPECT_EQ(html.find("/*@"), std::string::npos);          // every marker replaced
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);   // works offline
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
}
