// CSV sink on what Windows users meet: a file Excel holds open (rows wait in memory, the message
// says why and names the file, they go out in order once it is closed) and UTF-8 paths with
// spaces and non-ASCII letters. Portable: the Excel case runs on Windows only.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "logger/csv_sink.hpp"

#ifdef _WIN32
#include <windows.h>
#endif

namespace {

std::filesystem::path from_utf8(const std::string& s) {
  return std::filesystem::path(std::u8string(s.begin(), s.end()));
}
std::string utf8(const std::filesystem::path& p) {
  const std::u8string s = p.u8string();
  return {s.begin(), s.end()};
}

struct TempFolder {
  std::filesystem::path path;
  TempFolder() {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    do {
      path = std::filesystem::temp_directory_path() /
             ("s7log_csv_" + std::to_string(rd()) + "_" + std::to_string(++counter));
    } while (!std::filesystem::create_directory(path));
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return utf8(path / from_utf8(name)); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(from_utf8(path), std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

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
  TempFolder d;
  const std::string path = d / "Søren/Skrivebord/måling ÆØÅ.csv";
  Sink s(path);
  s.write(1);
  s.write(2);
  s.sink.close();
  EXPECT_EQ(s.sink.buffered(), 0u);
  EXPECT_TRUE(std::filesystem::exists(d.path / from_utf8("Søren") / from_utf8("Skrivebord") /
                                      from_utf8("måling ÆØÅ.csv")));
  EXPECT_EQ(counters(slurp(path)), (std::vector<std::string>{"1", "2"}));
}

TEST(CsvSinkWindows, AFileExcelHoldsKeepsRowsInMemoryAndSaysWhy) {
#ifdef _WIN32
  TempFolder d;
  const std::string path = d / "Søren log.csv";
  {
    Sink first(path);  // the file exists with its header, as after an earlier run
    first.write(0);
  }
  // Excel: read access, others may only read.
  const std::wstring wide = from_utf8(path).wstring();
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
