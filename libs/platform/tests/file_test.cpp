// platform/file.hpp: append-only files (bytes unchanged, 64-bit sizes, tail reads, truncation),
// UTF-8 paths with spaces and non-ASCII letters, and a file another program holds (Windows).
#include "platform/file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "temp_folder.hpp"

#ifdef _WIN32
#include <windows.h>
#endif

namespace {

using platform::AppendFile;
using platform::FileKind;
using platform::testing::from_utf8;
using platform::testing::TempFolder;

std::string slurp(const std::string& path) {
  std::ifstream in(from_utf8(path), std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const std::string& path, const std::string& text) {
  std::ofstream out(from_utf8(path), std::ios::binary);
  out << text;
}

void append_all(AppendFile& f, const std::string& text) {
  const platform::WriteResult w = f.append(text);
  ASSERT_FALSE(w.error) << w.error.message();
  ASSERT_EQ(w.bytes, text.size());
}

TEST(AppendFile, CreatesWritesBytesUnchangedAndReadsTheTail) {
  TempFolder d;
  const std::string path = d / "log.csv";
  AppendFile f;
  ASSERT_FALSE(f.create_new(path));
  EXPECT_TRUE(f.is_open());
  EXPECT_EQ(f.kind(), FileKind::regular);
  // CRLF and a lone LF stay as they are: no line-end translation on any platform.
  append_all(f, "ts,a\r\n");
  append_all(f, "1,2\r\n3,4\n");
  std::uint64_t size = 0;
  ASSERT_FALSE(f.size(size));
  EXPECT_EQ(size, 15u);
  char tail[4] = {};
  std::size_t got = 0;
  ASSERT_FALSE(f.read_at(size - 4, tail, 4, got));
  EXPECT_EQ(std::string(tail, got), "3,4\n");
  ASSERT_FALSE(f.read_at(size, tail, 4, got));  // at the end: nothing, no error
  EXPECT_EQ(got, 0u);
  ASSERT_FALSE(f.sync());
  f.close();
  EXPECT_FALSE(f.is_open());
  EXPECT_EQ(slurp(path), "ts,a\r\n1,2\r\n3,4\n");
}

TEST(AppendFile, CreateNewRefusesAnExistingFile) {
  TempFolder d;
  spit(d / "log.csv", "ts\r\n");
  AppendFile f;
  const std::error_code ec = f.create_new(d / "log.csv");
  EXPECT_EQ(ec, std::errc::file_exists) << ec.message();
  EXPECT_FALSE(f.is_open());
  EXPECT_EQ(slurp(d / "log.csv"), "ts\r\n");
}

TEST(AppendFile, EveryWriteGoesToTheEndAlsoWithTwoWriters) {
  TempFolder d;
  const std::string path = d / "log.csv";
  spit(path, "head\n");
  AppendFile a, b;
  ASSERT_FALSE(a.open_existing(path));
  ASSERT_FALSE(b.open_existing(path));
  append_all(a, "a1\n");
  append_all(b, "b1\n");
  append_all(a, "a2\n");
  a.close();
  b.close();
  EXPECT_EQ(slurp(path), "head\na1\nb1\na2\n");
}

TEST(AppendFile, TruncateCutsATornTail) {
  TempFolder d;
  const std::string path = d / "log.csv";
  spit(path, "ts\r\n1\r\n2");
  AppendFile f;
  ASSERT_FALSE(f.open_existing(path));
  std::uint64_t size = 0;
  ASSERT_FALSE(f.size(size));
  ASSERT_EQ(size, 8u);
  ASSERT_FALSE(f.truncate(7));
  append_all(f, "3\r\n");
  f.close();
  EXPECT_EQ(slurp(path), "ts\r\n1\r\n3\r\n");
}

TEST(AppendFile, OpenExistingFailsForAMissingFile) {
  TempFolder d;
  AppendFile f;
  const std::error_code ec = f.open_existing(d / "nope.csv");
  EXPECT_TRUE(ec);
  EXPECT_FALSE(f.is_open());
  EXPECT_FALSE(platform::file_error_text(ec).empty());
  EXPECT_FALSE(platform::is_locked_error(ec));
}

TEST(AppendFile, MovesTheHandle) {
  TempFolder d;
  AppendFile a;
  ASSERT_FALSE(a.create_new(d / "log.csv"));
  AppendFile b = std::move(a);
  EXPECT_FALSE(a.is_open());  // NOLINT(bugprone-use-after-move): moved-from is closed
  ASSERT_TRUE(b.is_open());
  append_all(b, "x\n");
  b.close();
  EXPECT_EQ(slurp(d / "log.csv"), "x\n");
}

// C:\Users\Søren\Skrivebord\log.csv and the like: UTF-8 in, the same name on disk.
TEST(AppendFile, PathsWithSpacesAndNonAsciiLetters) {
  TempFolder d;
  std::filesystem::create_directories(from_utf8(d / "Søren Skrivebord"));
  const std::string path = d / "Søren Skrivebord/måling ÆØÅ é.csv";
  AppendFile f;
  ASSERT_FALSE(f.create_new(path));
  append_all(f, "ts\r\n");
  f.close();
  // The file has the intended name (a wrong conversion would make another one).
  EXPECT_TRUE(
      std::filesystem::exists(from_utf8(d / "Søren Skrivebord") / from_utf8("måling ÆØÅ é.csv")));
  EXPECT_EQ(platform::file_kind(path), FileKind::regular);
  std::string head;
  FileKind kind = FileKind::missing;
  ASSERT_FALSE(platform::read_file_head(path, 100, head, kind));
  EXPECT_EQ(kind, FileKind::regular);
  EXPECT_EQ(head, "ts\r\n");
  ASSERT_FALSE(f.open_existing(path));
  append_all(f, "1\r\n");
  f.close();
  EXPECT_EQ(slurp(path), "ts\r\n1\r\n");
  EXPECT_FALSE(platform::remove_file(path));
  EXPECT_EQ(platform::file_kind(path), FileKind::missing);
}

TEST(FileKind, TellsFilesFoldersAndMissingPathsApart) {
  TempFolder d;
  spit(d / "f.csv", "x");
  EXPECT_EQ(platform::file_kind(d / "f.csv"), FileKind::regular);
  EXPECT_EQ(platform::file_kind(platform::testing::utf8(d.path)), FileKind::directory);
  EXPECT_EQ(platform::file_kind(d / "missing.csv"), FileKind::missing);
  std::string head = "old";
  FileKind kind = FileKind::missing;
  EXPECT_FALSE(platform::read_file_head(platform::testing::utf8(d.path), 10, head, kind));
  EXPECT_EQ(kind, FileKind::directory);
  EXPECT_TRUE(head.empty());
}

TEST(ReadFileHead, ReadsAtMostTheBytesAsked) {
  TempFolder d;
  spit(d / "f.csv", "0123456789");
  std::string head;
  FileKind kind = FileKind::missing;
  ASSERT_FALSE(platform::read_file_head(d / "f.csv", 4, head, kind));
  EXPECT_EQ(head, "0123");
  ASSERT_FALSE(platform::read_file_head(d / "f.csv", 40, head, kind));
  EXPECT_EQ(head, "0123456789");
}

// Excel opens a CSV with read access and read-only sharing: nobody else may write until it is
// closed. Windows reports a sharing violation (error 32) to our open.
TEST(AppendFile, AFileHeldByAnotherProgramSaysSo) {
#ifdef _WIN32
  TempFolder d;
  const std::string path = d / "Søren log.csv";
  spit(path, "ts\r\n");
  const std::wstring wide = from_utf8(path).wstring();
  HANDLE excel = ::CreateFileW(wide.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                               FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(excel, INVALID_HANDLE_VALUE);
  AppendFile f;
  const std::error_code ec = f.open_existing(path);
  ::CloseHandle(excel);
  ASSERT_TRUE(ec);
  EXPECT_TRUE(platform::is_locked_error(ec)) << ec.value();
  EXPECT_NE(platform::file_error_text(ec).find("is open in another program (probably Excel)"),
            std::string::npos)
      << platform::file_error_text(ec);
  // Once it is closed the file opens again.
  ASSERT_FALSE(f.open_existing(path));
  append_all(f, "1\r\n");
  f.close();
  EXPECT_EQ(slurp(path), "ts\r\n1\r\n");
#else
  GTEST_SKIP() << "POSIX has no mandatory file locks: another program cannot keep s7log from "
                  "appending (Windows share modes are tested in the Windows build)";
#endif
}

}  // namespace
