// CSV file sink: append, header mismatch, rotation without loss, buffering on failure, repair.
#include "logger/csv_sink.hpp"

#include <gtest/gtest.h>

#ifndef _WIN32
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "fake_reader.hpp"
#include "logger/clock.hpp"
#include "logger/logger.hpp"
#include "logger/tag.hpp"
#include "platform/time.hpp"
#include "test_dir.hpp"

using logger::testing::slurp;
using logger::testing::spit;
using logger::testing::TempDir;

namespace {
struct Tz {
  explicit Tz(const char* zone) {
    if (!platform::use_zone_for_tests(zone))
      std::fprintf(stderr, "these tests expect local time in %s (on Windows: the system zone)\n",
                   zone);
  }
};
const Tz kCopenhagen("Europe/Copenhagen");
const std::chrono::system_clock::time_point kTs{std::chrono::seconds(1795511703)};  // 10:15:03
const std::string kHeader = "ts,counter\r\n";

logger::CsvSinkOptions opts(const std::string& pattern) {
  logger::CsvSinkOptions o;
  o.pattern = pattern;
  return o;
}
std::vector<logger::TagInfo> one_tag() {
  return {logger::TagInfo{"counter", *s7::parse_address("DB1.DBD0:DINT")}};
}
logger::Sample sample(int k, std::chrono::seconds offset = std::chrono::seconds(0)) {
  logger::Sample s;
  s.ts = kTs + offset;
  s.values = {{s7::Value(std::int64_t{k})}};
  return s;
}
struct Sink {
  logger::Stats stats;
  std::vector<std::string> messages;
  logger::CsvSink sink;
  explicit Sink(logger::CsvSinkOptions o)
      : sink(std::move(o), &stats, [this](const std::string& m) { messages.push_back(m); }) {
    EXPECT_TRUE(sink.open(one_tag()).ok());
  }
  bool said(std::string_view part) const {
    for (const auto& m : messages)
      if (m.find(part) != std::string::npos) return true;
    return false;
  }
};
}  // namespace

TEST(CsvSink, NewFileGetsHeaderAndRows) {
  TempDir d;
  Sink s(opts(d / "log.csv"));
  ASSERT_TRUE(s.sink.write(sample(1)).ok());
  ASSERT_TRUE(s.sink.write(sample(2, std::chrono::seconds(1))).ok());
  EXPECT_EQ(slurp(d / "log.csv"), kHeader + "2026-11-24T10:15:03,1\r\n2026-11-24T10:15:04,2\r\n");
}

TEST(CsvSink, RowsAreOnDiskBeforeWriteReturns) {
  TempDir d;
  Sink s(opts(d / "log.csv"));
  ASSERT_TRUE(s.sink.write(sample(1)).ok());
  EXPECT_EQ(slurp(d / "log.csv"), kHeader + "2026-11-24T10:15:03,1\r\n");  // no close needed
}

TEST(CsvSink, SameHeaderAppends) {
  TempDir d;
  spit(d / "log.csv", kHeader + "2026-11-24T10:00:00,0\r\n");
  Sink s(opts(d / "log.csv"));
  ASSERT_TRUE(s.sink.write(sample(1)).ok());
  EXPECT_EQ(slurp(d / "log.csv"), kHeader + "2026-11-24T10:00:00,0\r\n2026-11-24T10:15:03,1\r\n");
}

TEST(CsvSink, DifferentHeaderStartsAFileBesideItAndSaysSo) {
  TempDir d;
  spit(d / "log.csv", "ts,other\r\nx,y\r\n");
  Sink s(opts(d / "log.csv"));
  ASSERT_TRUE(s.sink.write(sample(1)).ok());
  EXPECT_EQ(slurp(d / "log.csv"), "ts,other\r\nx,y\r\n");  // never overwritten
  EXPECT_EQ(slurp(d / "log.1.csv"), kHeader + "2026-11-24T10:15:03,1\r\n");
  EXPECT_TRUE(s.said("different header; writing to " + (d / "log.1.csv")));
}

TEST(CsvSink, TornLastRowIsRepairedOnOpen) {
  TempDir d;
  spit(d / "log.csv", kHeader + "2026-11-24T10:00:00,0\r\n2026-11-24T10:00:01,");
  Sink s(opts(d / "log.csv"));
  ASSERT_TRUE(s.sink.write(sample(1)).ok());
  EXPECT_EQ(slurp(d / "log.csv"), kHeader + "2026-11-24T10:00:00,0\r\n2026-11-24T10:15:03,1\r\n");
  EXPECT_TRUE(s.said("removed a partial last row (20 bytes)"));
}

TEST(CsvSink, HourlyRotationPutsEachSampleInTheFileOfItsOwnTimestamp) {
  TempDir d;
  Sink s(opts(d / "log_%Y%m%d_%H.csv"));
  // 10:59:58, 10:59:59, 11:00:00, 11:00:01
  for (int k = 0; k < 4; ++k)
    ASSERT_TRUE(s.sink.write(sample(k, std::chrono::seconds(2695 + k))).ok());
  EXPECT_EQ(slurp(d / "log_20261124_10.csv"),
            kHeader + "2026-11-24T10:59:58,0\r\n2026-11-24T10:59:59,1\r\n");
  EXPECT_EQ(slurp(d / "log_20261124_11.csv"),
            kHeader + "2026-11-24T11:00:00,2\r\n2026-11-24T11:00:01,3\r\n");
}

TEST(CsvSink, FoldersThePatternNamesAreCreatedAlsoWhenRotationMovesOn) {
  TempDir d;
  Sink s(opts(d / "data/%Y/%m/log_%Y%m%d.csv"));
  ASSERT_TRUE(s.sink.write(sample(1)).ok());
  // 2026-11-24 10:15:03 + 7 days: a new month folder
  ASSERT_TRUE(s.sink.write(sample(2, std::chrono::hours(24 * 7))).ok());
  EXPECT_EQ(s.sink.buffered(), 0u);
  EXPECT_EQ(slurp(d / "data/2026/11/log_20261124.csv"), kHeader + "2026-11-24T10:15:03,1\r\n");
  EXPECT_EQ(slurp(d / "data/2026/12/log_20261201.csv"), kHeader + "2026-12-01T10:15:03,2\r\n");
  EXPECT_TRUE(s.messages.empty());
}

TEST(CsvSink, WriteFailureBuffersThenFlushesInOrder) {
  TempDir d;
  spit(d / "blocker", "a regular file, so blocker/log.csv cannot be created");
  Sink s(opts(d / "blocker/log.csv"));
  for (int k = 0; k < 3; ++k) ASSERT_TRUE(s.sink.write(sample(k, std::chrono::seconds(k))).ok());
  EXPECT_EQ(s.sink.buffered(), 3u);
  EXPECT_EQ(s.stats.buffered_rows.load(), 3u);
  EXPECT_TRUE(s.said("cannot create the folder " + (d / "blocker") + " (for " +
                     (d / "blocker/log.csv") + ")"));
  EXPECT_EQ(s.messages.size(), 1u);  // said once, not per retry
  std::filesystem::remove(d / "blocker");
  std::filesystem::create_directory(d / "blocker");
  ASSERT_TRUE(s.sink.write(sample(3, std::chrono::seconds(3))).ok());
  EXPECT_EQ(s.sink.buffered(), 0u);
  EXPECT_EQ(slurp(d / "blocker/log.csv"),
            kHeader +
                "2026-11-24T10:15:03,0\r\n2026-11-24T10:15:04,1\r\n2026-11-24T10:15:05,2\r\n"
                "2026-11-24T10:15:06,3\r\n");
  EXPECT_TRUE(s.said("writable again: wrote 4 buffered rows"));
}

TEST(CsvSink, AReloadKeepsBufferedRowsWithTheHeaderTheyWereMadeFor) {
  TempDir d;
  spit(d / "blocker", "x");
  Sink s(opts(d / "blocker/log.csv"));
  ASSERT_TRUE(s.sink.write(sample(1)).ok());
  ASSERT_TRUE(s.sink.write(sample(2, std::chrono::seconds(1))).ok());
  ASSERT_EQ(s.sink.buffered(), 2u);
  s.sink.close();  // the run stops for the reload: nothing is written, nothing is lost
  EXPECT_EQ(s.sink.buffered(), 2u);
  EXPECT_EQ(s.sink.waiting_for(), d / "blocker/log.csv");
  EXPECT_NE(s.sink.last_error().find("cannot create the folder"), std::string::npos);
  // New columns after the reload.
  auto o = opts(d / "blocker/log.csv");
  o.format.quality = true;
  s.sink.reconfigure(o);
  ASSERT_TRUE(s.sink.open(one_tag()).ok());
  auto third = sample(3, std::chrono::seconds(2));
  ASSERT_TRUE(s.sink.write(third).ok());
  EXPECT_EQ(s.sink.buffered(), 3u);
  std::filesystem::remove(d / "blocker");
  ASSERT_TRUE(s.sink.flush().ok());
  EXPECT_EQ(slurp(d / "blocker/log.csv"),
            kHeader + "2026-11-24T10:15:03,1\r\n2026-11-24T10:15:04,2\r\n");
  EXPECT_EQ(slurp(d / "blocker/log.1.csv"), "ts,counter,quality\r\n2026-11-24T10:15:05,3,ok\r\n");
}

TEST(CsvSink, PastTheBoundTheOldestRowsAreDroppedAndCounted) {
  TempDir d;
  spit(d / "blocker", "x");
  auto o = opts(d / "blocker/log.csv");
  o.buffer_rows = 2;
  Sink s(o);
  for (int k = 0; k < 5; ++k) ASSERT_TRUE(s.sink.write(sample(k, std::chrono::seconds(k))).ok());
  EXPECT_EQ(s.sink.dropped(), 3u);
  EXPECT_EQ(s.stats.dropped_rows.load(), 3u);
  EXPECT_TRUE(s.said("row buffer full (2 rows)"));
  std::filesystem::remove(d / "blocker");
  std::filesystem::create_directory(d / "blocker");
  ASSERT_TRUE(s.sink.flush().ok());
  EXPECT_EQ(slurp(d / "blocker/log.csv"),
            kHeader + "2026-11-24T10:15:06,3\r\n2026-11-24T10:15:07,4\r\n");
  EXPECT_TRUE(s.said("3 older rows were dropped"));
}

// POSIX only: a file-size limit (setrlimit) and a FIFO; Windows has neither. The Windows twin of
// the failing write is the locked file (csv_sink_windows_test.cpp).
#ifndef _WIN32
TEST(CsvSink, AFailingWriteIsReportedAndRowsStayBuffered) {
  // The file-size limit makes write(2) fail with EFBIG as a full disk fails with ENOSPC: the
  // same path (the row is cut back, kept in memory, retried).
  TempDir d;
  Sink s(opts(d / "log.csv"));
  ASSERT_TRUE(s.sink.write(sample(1)).ok());
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto* previous = ::signal(SIGXFSZ, SIG_IGN);
  rlimit tight = old;
  tight.rlim_cur = static_cast<rlim_t>(std::filesystem::file_size(d / "log.csv"));
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tight), 0);
  ASSERT_TRUE(s.sink.write(sample(2, std::chrono::seconds(1))).ok());
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &old), 0);
  ::signal(SIGXFSZ, previous);
  EXPECT_EQ(s.sink.buffered(), 1u);
  EXPECT_TRUE(s.said("cannot write " + (d / "log.csv") + ": File too large"));
  ASSERT_TRUE(s.sink.flush().ok());
  EXPECT_EQ(slurp(d / "log.csv"), kHeader + "2026-11-24T10:15:03,1\r\n2026-11-24T10:15:04,2\r\n");
}

TEST(CsvSink, OnlyRegularFilesAreWritten) {
  TempDir d;
  ASSERT_EQ(::mkfifo((d / "fifo.csv").c_str(), 0600), 0);
  Sink fifo(opts(d / "fifo.csv"));
  ASSERT_TRUE(fifo.sink.write(sample(1)).ok());  // returns at once: no wait for a reader
  EXPECT_EQ(fifo.sink.buffered(), 1u);
  EXPECT_TRUE(fifo.said("cannot write CSV rows to " + (d / "fifo.csv") +
                        ": it is a FIFO (named pipe); s7log writes regular files"));
  if (std::filesystem::exists("/dev/full")) {
    Sink dev(opts("/dev/full"));
    ASSERT_TRUE(dev.sink.write(sample(1)).ok());
    EXPECT_TRUE(dev.said("cannot write CSV rows to /dev/full: it is a device"));
  }
  std::filesystem::create_directory(d / "dir.csv");
  EXPECT_FALSE(logger::CsvSink::check_target(d / "dir.csv").ok());
  EXPECT_TRUE(logger::CsvSink::check_target(d / "new.csv").ok());
  EXPECT_TRUE(logger::CsvSink::check_target("-").ok());
}

#endif  // _WIN32

TEST(CsvSink, ExcelDaFileStartsWithBomAndAppendsBehindIt) {
  TempDir d;
  auto o = opts(d / "log.csv");
  o.format.dialect = logger::Dialect::excel_da;
  {
    Sink s(o);
    ASSERT_TRUE(s.sink.write(sample(1)).ok());
  }
  {
    Sink s(o);
    ASSERT_TRUE(s.sink.write(sample(2, std::chrono::seconds(1))).ok());
    EXPECT_TRUE(s.messages.empty());
  }
  EXPECT_EQ(slurp(d / "log.csv"),
            "\xEF\xBB\xBFts;counter\r\n2026-11-24 10:15:03;1\r\n2026-11-24 10:15:04;2\r\n");
}

// The whole chain over a DST change: a day of 1 s samples with hourly rotation, no sample
// lost or written twice at any boundary.
TEST(CsvSink, HourlyRotationAcrossSpringForwardLosesNothing) {
  TempDir d;
  // 2026-03-29T00:00:00Z = 01:00 CET; run three hours (01:00 CET .. 04:59 CEST).
  logger::FakeClock clock{std::chrono::system_clock::time_point{std::chrono::seconds(1774742400)}};
  logger::testing::FakeReader reader{&clock};
  reader.course_db(5, false);
  logger::Stats stats;
  auto o = opts(d / "log_%Y%m%d_%H.csv");
  o.format.quality = false;
  logger::CsvSink sink(o, &stats, {});
  logger::RunOptions ro;
  ro.max_slots = 3 * 3600;
  logger::Logger lg(reader, clock, logger::course_tags(), ro, logger::Sinks{{&sink}, {}}, stats,
                    {});
  std::atomic<bool> stop{false};
  ASSERT_TRUE(lg.run(stop).ok());
  std::size_t rows = 0;
  for (const char* name : {"log_20260329_01.csv", "log_20260329_03.csv", "log_20260329_04.csv"}) {
    std::string text = slurp(d / name);
    ASSERT_FALSE(text.empty()) << name;
    std::size_t lines = 0;
    for (char c : text) lines += c == '\n';
    EXPECT_EQ(lines, 3601u) << name;  // header + 3600 rows
    rows += lines - 1;
  }
  EXPECT_FALSE(std::filesystem::exists(d / "log_20260329_02.csv"));
  EXPECT_EQ(rows, 3u * 3600u);
}
