// CSV sink on what Windows users meet: a file Excel holds open (rows wait in memory, the message
// says why and names the file, they go out in order once it is closed) and UTF-8 paths with
// spaces and non-ASCII letters. Portable: the Excel case runs on Windows only.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "logger/csv_sink.hpp"
#include "test_dir.hpp"
#include "util/u8path.hpp"

#ifdef _WIN32
#include <windows.h>
#endif

namespace {

using logger::testing::slurp;
using logger::testing::TempDir;

// The counter column of each row after the header.
std::vector<std::string> counters(const std::string& csv) {
  std::vector<std::string> out;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line.substr(line.rfind(',') + 1));
  }
  return out;
}

struct Sink {
  logger::Stats stats;
  std::vector<std::string> messages;
  logger::CsvSink sink;
  explicit Sink(const std::string& pattern)
      : sink(
            [&] {
              logger::CsvSinkOptions o;
              o.pattern = pattern;
              return o;
            }(),
            &stats, [this](const std::string& m) { messages.push_back(m); }) {
    EXPECT_TRUE(sink.open({logger::TagInfo{"counter", *s7::parse_address("DB1.DBD0:DINT")}}).ok());
  }
  void write(int k) {
    logger::Sample s;
    s.ts = std::chrono::system_clock::time_point(std::chrono::seconds(1795511703 + k));
    s.values = {{s7::Value(std::int64_t{k})}};
    ASSERT_TRUE(sink.write(s).ok());
  }
};

TEST(CsvSinkWindows, PathsWithSpacesAndNonAsciiLetters) {
  TempDir d;
  const std::string path = d / "Søren/Skrivebord/måling ÆØÅ.csv";
  Sink s(path);
  s.write(1);
  s.write(2);
  s.sink.close();
  EXPECT_EQ(s.sink.buffered(), 0u);
  EXPECT_TRUE(std::filesystem::exists(d.path / util::u8path("Søren") / util::u8path("Skrivebord") /
                                      util::u8path("måling ÆØÅ.csv")));
  EXPECT_EQ(counters(slurp(path)), (std::vector<std::string>{"1", "2"}));
}

TEST(CsvSinkWindows, AFileExcelHoldsKeepsRowsInMemoryAndSaysWhy) {
#ifdef _WIN32
  TempDir d;
  const std::string path = d / "Søren log.csv";
  {
    Sink first(path);  // the file exists with its header, as after an earlier run
    first.write(0);
  }
  // Excel: read access, others may only read.
  const std::wstring wide = util::u8path(path).wstring();
  HANDLE excel = ::CreateFileW(wide.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                               FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(excel, INVALID_HANDLE_VALUE);
  Sink s(path);
  for (int k = 1; k <= 3; ++k) s.write(k);
  EXPECT_EQ(s.sink.buffered(), 3u);
  EXPECT_EQ(s.sink.waiting_for(), path);
  const std::string& why = s.sink.last_error();
  EXPECT_NE(why.find("is open in another program (probably Excel)"), std::string::npos) << why;
  EXPECT_NE(why.find(path), std::string::npos) << why;
  ASSERT_EQ(s.messages.size(), 1u);  // said once, not per retry
  EXPECT_NE(s.messages[0].find("keeping rows in memory"), std::string::npos) << s.messages[0];
  ::CloseHandle(excel);
  s.write(4);  // the file is free: the waiting rows go first, in order
  EXPECT_EQ(s.sink.buffered(), 0u);
  s.sink.close();
  EXPECT_EQ(counters(slurp(path)), (std::vector<std::string>{"0", "1", "2", "3", "4"}));
  EXPECT_NE(s.messages.back().find("writable again: wrote 4 buffered rows"), std::string::npos)
      << s.messages.back();
#else
  GTEST_SKIP() << "POSIX has no mandatory file locks: no program can keep s7log from appending";
#endif
}

}  // namespace
