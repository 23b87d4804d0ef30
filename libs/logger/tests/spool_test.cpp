// Tests of the disk spool: record bytes, order across segments, restarts, damage, full spool.
#include "logger/spool.hpp"

#include <gtest/gtest.h>

#ifndef _WIN32
#include <signal.h>
#include <sys/resource.h>
#endif

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "test_dir.hpp"
#include "util/u8path.hpp"

using logger::Spool;
using logger::SpoolOptions;
using logger::testing::slurp;
using logger::testing::spit;
using logger::testing::TempDir;

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kHeader = 8;        // segment header
constexpr std::uint64_t kRecord = 16 + 20;  // record header + the 20-byte payloads below

// A 20-byte payload that says which record it is.
std::vector<std::uint8_t> payload(int i, std::size_t size = 20) {
  std::vector<std::uint8_t> p(size, static_cast<std::uint8_t>(i));
  p[0] = static_cast<std::uint8_t>(i >> 8);
  return p;
}

Spool::Record record(int i) {
  return Spool::Record{1'000'000 + i, payload(i)};
}

std::vector<Spool::Record> records(int from, int to) {
  std::vector<Spool::Record> out;
  for (int i = from; i < to; ++i) out.push_back(record(i));
  return out;
}

SpoolOptions opts(const TempDir& d, std::uint64_t segment_bytes = 0,
                  std::uint64_t max_bytes = std::uint64_t{1} << 30) {
  SpoolOptions o;
  o.dir = d / "spool";
  o.segment_bytes = segment_bytes;
  o.max_bytes = max_bytes;
  return o;
}

std::unique_ptr<Spool> open_spool(const SpoolOptions& o) {
  auto s = Spool::open(o);
  EXPECT_TRUE(s.ok()) << s.error().what();
  return s.ok() ? std::move(*s) : nullptr;
}

void append(Spool& s, int from, int to) {
  for (int i = from; i < to; ++i) {
    auto r = s.append(record(i).ts_unix_ms, payload(i));
    ASSERT_TRUE(r.ok()) << r.error().what();
  }
}

std::vector<Spool::Record> peek_all(Spool& s) {
  auto r = s.peek(1'000'000, std::size_t{1} << 30);
  EXPECT_TRUE(r.ok()) << r.error().what();
  return r.ok() ? *r : std::vector<Spool::Record>{};
}

std::vector<std::string> files(const TempDir& d) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(d.path / "spool"))
    out.push_back(util::path_text(e.path().filename()));
  std::sort(out.begin(), out.end());
  return out;
}

std::string seg(const TempDir& d, int n) {
  const std::string digits = std::to_string(n);
  // Joined as the spool joins its file names (a backslash on Windows).
  return util::path_text(d.path / "spool" /
                         (std::string(12 - digits.size(), '0') + digits + ".seg"));
}

bool says(const logger::SpoolRecovery& r, const std::string& text) {
  for (const auto& p : r.problems)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

std::string all_problems(const logger::SpoolRecovery& r) {
  std::string out;
  for (const auto& p : r.problems) out += p + "\n";
  return out;
}

TEST(Crc32, MatchesTheStandardCheckValue) {
  const std::string text = "123456789";
  const std::span<const std::uint8_t> b(reinterpret_cast<const std::uint8_t*>(text.data()),
                                        text.size());
  EXPECT_EQ(logger::crc32(b), 0xCBF43926u);
  EXPECT_EQ(logger::crc32({}), 0u);
  EXPECT_EQ(logger::crc32(b.subspan(4), logger::crc32(b.first(4))), 0xCBF43926u);
}

TEST(Spool, OneRecordIsByteExact) {
  TempDir d;
  auto s = open_spool(opts(d));
  ASSERT_TRUE(s->append(1000, std::vector<std::uint8_t>{0x2A}).ok());
  // Header "S7SPOOL" 01; length 1 (u32 LE); CRC-32 of the 13 bytes 01 00 00 00 e8 03 00 00 00
  // 00 00 00 2a (length, timestamp, payload) = 0x063872C1 (zlib.crc32 gives the same), LE;
  // timestamp 1000 = 0x3E8 as i64 LE; payload 2a.
  const std::string expected(
      "S7SPOOL\x01"
      "\x01\x00\x00\x00"
      "\xC1\x72\x38\x06"
      "\xE8\x03\x00\x00\x00\x00\x00\x00"
      "\x2A",
      25);
  EXPECT_EQ(slurp(seg(d, 1)), expected);
  EXPECT_EQ(s->bytes(), 25u);
  EXPECT_EQ(s->records(), 1u);
  EXPECT_EQ(s->oldest_ts_ms(), 1000);
}

TEST(Spool, StartsEmptyAndCreatesItsFolder) {
  TempDir d;
  auto s = open_spool(opts(d));
  EXPECT_TRUE(fs::is_directory(d.path / "spool"));
  EXPECT_EQ(s->records(), 0u);
  EXPECT_EQ(s->bytes(), 0u);
  EXPECT_EQ(s->dropped(), 0u);
  EXPECT_EQ(s->oldest_ts_ms(), std::nullopt);
  EXPECT_TRUE(s->recovery().clean());
  EXPECT_TRUE(peek_all(*s).empty());
  EXPECT_TRUE(files(d).empty());
}

TEST(Spool, KeepsOrderAcrossSegments) {
  TempDir d;
  auto s = open_spool(opts(d, kHeader + 2 * kRecord));  // two records per segment
  append(*s, 0, 20);
  EXPECT_EQ(files(d).size(), 10u);
  EXPECT_EQ(s->records(), 20u);
  EXPECT_EQ(s->bytes(), 10 * (kHeader + 2 * kRecord));
  EXPECT_EQ(s->oldest_ts_ms(), 1'000'000);

  auto first = s->peek(7, 1 << 20);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, records(0, 7));
  EXPECT_EQ(s->records(), 20u);  // peek consumes nothing
  EXPECT_EQ(*s->peek(7, 1 << 20), records(0, 7));
  ASSERT_TRUE(s->pop(7).ok());
  EXPECT_EQ(s->records(), 13u);
  EXPECT_EQ(s->oldest_ts_ms(), 1'000'007);
  // Segments 1 to 3 are consumed and gone; segment 4 holds record 7 and its consumed record 6.
  EXPECT_EQ(files(d).size(), 7u + 1u);  // and the head file
  EXPECT_EQ(s->bytes(), 7 * (kHeader + 2 * kRecord));

  EXPECT_EQ(peek_all(*s), records(7, 20));
  ASSERT_TRUE(s->pop(13).ok());
  EXPECT_EQ(s->records(), 0u);
  EXPECT_EQ(s->bytes(), 0u);
  EXPECT_EQ(s->oldest_ts_ms(), std::nullopt);
  EXPECT_EQ(files(d), std::vector<std::string>{"head"});

  append(*s, 20, 23);  // goes on after everything was consumed
  EXPECT_EQ(peek_all(*s), records(20, 23));
}

TEST(Spool, PeekLimitsCountAndBytes) {
  TempDir d;
  auto s = open_spool(opts(d));
  append(*s, 0, 5);
  EXPECT_EQ(*s->peek(100, 50), records(0, 2));  // 40 payload bytes; a third would make 60
  EXPECT_EQ(*s->peek(100, 1), records(0, 1));   // the first alone, though larger
  EXPECT_EQ(*s->peek(3, 1 << 20), records(0, 3));
  EXPECT_TRUE(s->peek(0, 1 << 20)->empty());
}

TEST(Spool, PopNeedsAPeek) {
  TempDir d;
  auto s = open_spool(opts(d));
  append(*s, 0, 3);
  auto r = s->pop(1);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(s7::Errc::invalid_argument));
  ASSERT_TRUE(s->peek(2, 1 << 20).ok());
  EXPECT_FALSE(s->pop(3).ok());
  ASSERT_TRUE(s->pop(1).ok());
  ASSERT_TRUE(s->pop(1).ok());  // the second peeked record
  EXPECT_FALSE(s->pop(1).ok());
  EXPECT_EQ(peek_all(*s), records(2, 3));
}

TEST(Spool, ReopenAfterPopDoesNotReturnConsumedRecords) {
  TempDir d;
  const auto o = opts(d, kHeader + 3 * kRecord);
  {
    auto s = open_spool(o);
    append(*s, 0, 10);
    ASSERT_TRUE(s->peek(4, 1 << 20).ok());
    ASSERT_TRUE(s->pop(4).ok());  // the read position is inside segment 2
  }
  auto s = open_spool(o);
  EXPECT_TRUE(s->recovery().clean()) << all_problems(s->recovery());
  EXPECT_EQ(s->recovery().records, 6u);
  EXPECT_EQ(s->records(), 6u);
  EXPECT_EQ(s->oldest_ts_ms(), 1'000'004);
  EXPECT_EQ(peek_all(*s), records(4, 10));
  append(*s, 10, 12);
  EXPECT_EQ(peek_all(*s), records(4, 12));
}

TEST(Spool, ReopenWithoutPopReturnsEverything) {
  TempDir d;
  const auto o = opts(d, kHeader + 3 * kRecord);
  {
    auto s = open_spool(o);
    append(*s, 0, 8);
    EXPECT_EQ(s->peek(5, 1 << 20)->size(), 5u);
  }
  auto s = open_spool(o);
  EXPECT_TRUE(s->recovery().clean()) << all_problems(s->recovery());
  EXPECT_EQ(s->recovery().segments, 3u);
  EXPECT_EQ(s->records(), 8u);
  EXPECT_EQ(s->bytes(), 2 * (kHeader + 3 * kRecord) + kHeader + 2 * kRecord);
  EXPECT_EQ(peek_all(*s), records(0, 8));
}

TEST(Spool, AppendedRecordsSurviveWithoutAnOrderlyClose) {
  TempDir d;
  const auto o = opts(d, kHeader + 3 * kRecord);
  auto crashed = open_spool(o);
  append(*crashed, 0, 5);
  ASSERT_TRUE(crashed->peek(2, 1 << 20).ok());
  ASSERT_TRUE(crashed->pop(2).ok());
  // No destructor runs, as after kill -9: nothing may wait in a user-space buffer.
  Spool* leaked = crashed.release();
  (void)leaked;
  auto s = open_spool(o);
  EXPECT_EQ(peek_all(*s), records(2, 5));
  delete leaked;
}

TEST(Spool, ConsumedSegmentLeftByACrashIsNotReplayed) {
  TempDir d;
  const auto o = opts(d, kHeader + 2 * kRecord);
  std::string seg1;
  {
    auto s = open_spool(o);
    append(*s, 0, 4);
    seg1 = slurp(seg(d, 1));
    ASSERT_TRUE(s->peek(2, 1 << 20).ok());
    ASSERT_TRUE(s->pop(2).ok());
    EXPECT_FALSE(fs::exists(seg(d, 1)));
  }
  spit(seg(d, 1), seg1);  // as if the process died between the head update and the delete
  auto s = open_spool(o);
  EXPECT_EQ(peek_all(*s), records(2, 4));
  EXPECT_FALSE(fs::exists(seg(d, 1)));
}

TEST(Spool, TornTailIsCutAndReported) {
  TempDir d;
  const auto o = opts(d);
  {
    auto s = open_spool(o);
    append(*s, 0, 5);
  }
  const std::uint64_t good = kHeader + 4 * kRecord;  // 152: where the fifth record starts
  fs::resize_file(seg(d, 1), good + kRecord - 3);
  auto s = open_spool(o);
  const auto& rec = s->recovery();
  ASSERT_EQ(rec.problems.size(), 1u) << all_problems(rec);
  EXPECT_TRUE(says(rec, seg(d, 1) + ": torn record at offset 152")) << all_problems(rec);
  EXPECT_EQ(rec.bytes_cut, kRecord - 3);
  EXPECT_EQ(rec.records, 4u);
  EXPECT_EQ(fs::file_size(seg(d, 1)), good);
  EXPECT_EQ(s->bytes(), good);
  EXPECT_EQ(peek_all(*s), records(0, 4));
  append(*s, 5, 6);  // appends go on after the cut
  EXPECT_EQ(fs::file_size(seg(d, 1)), good + kRecord);
  s.reset();
  s = open_spool(o);
  EXPECT_TRUE(s->recovery().clean()) << all_problems(s->recovery());
  auto expected = records(0, 4);
  expected.push_back(record(5));
  EXPECT_EQ(peek_all(*s), expected);
}

TEST(Spool, TornRecordHeaderIsCut) {
  TempDir d;
  const auto o = opts(d);
  {
    auto s = open_spool(o);
    append(*s, 0, 2);
  }
  fs::resize_file(seg(d, 1), kHeader + kRecord + 5);  // 5 bytes of the second record header
  auto s = open_spool(o);
  EXPECT_TRUE(says(s->recovery(), "torn record at offset 44 (5 bytes"))
      << all_problems(s->recovery());
  EXPECT_EQ(peek_all(*s), records(0, 1));
}

TEST(Spool, BadChecksumCutsTheRestOfItsSegmentOnly) {
  TempDir d;
  const auto o = opts(d, kHeader + 3 * kRecord);  // three records per segment
  {
    auto s = open_spool(o);
    append(*s, 0, 9);
  }
  // Record 4 is the middle one of segment 2, at offset 8 + 36 = 44; flip a payload byte.
  std::string bytes = slurp(seg(d, 2));
  bytes[44 + 16 + 7] = static_cast<char>(bytes[44 + 16 + 7] ^ 0x01);
  spit(seg(d, 2), bytes);
  auto s = open_spool(o);
  const auto& rec = s->recovery();
  ASSERT_EQ(rec.problems.size(), 1u) << all_problems(rec);
  EXPECT_TRUE(says(rec, seg(d, 2) + ": bad checksum of the record at offset 44"))
      << all_problems(rec);
  EXPECT_EQ(rec.bytes_cut, 2 * kRecord);
  EXPECT_EQ(rec.records, 7u);
  EXPECT_EQ(rec.segments, 3u);
  EXPECT_EQ(fs::file_size(seg(d, 2)), kHeader + kRecord);
  auto expected = records(0, 4);
  for (auto& r : records(6, 9)) expected.push_back(r);
  EXPECT_EQ(peek_all(*s), expected);
  EXPECT_EQ(s->records(), 7u);
}

TEST(Spool, SegmentWithAWrongHeaderIsSetAside) {
  TempDir d;
  const auto o = opts(d);
  {
    auto s = open_spool(o);
    append(*s, 0, 2);
  }
  spit(seg(d, 5), "not a spool segment at all");
  auto s = open_spool(o);
  const auto& rec = s->recovery();
  EXPECT_EQ(rec.segments_set_aside, 1u);
  EXPECT_TRUE(says(rec, seg(d, 5) + ": not a spool segment")) << all_problems(rec);
  EXPECT_TRUE(says(rec, "set aside as " + seg(d, 5) + ".bad")) << all_problems(rec);
  EXPECT_EQ(slurp(seg(d, 5) + ".bad"), "not a spool segment at all");
  EXPECT_FALSE(fs::exists(seg(d, 5)));
  EXPECT_EQ(peek_all(*s), records(0, 2));
  // New segments are numbered after the set-aside one, which stays as it is.
  s.reset();
  s = open_spool(opts(d, kHeader + 2 * kRecord));
  append(*s, 2, 3);
  EXPECT_TRUE(fs::exists(seg(d, 6)));
  EXPECT_EQ(peek_all(*s), records(0, 3));
}

TEST(Spool, SegmentWithATornHeaderIsRemovedAndReported) {
  TempDir d;
  const auto o = opts(d);
  fs::create_directories(d.path / "spool");
  spit(seg(d, 3), "S7SP");  // a crash while the segment was being created
  auto s = open_spool(o);
  EXPECT_TRUE(says(s->recovery(), seg(d, 3) + ": only 4 bytes of its 8-byte header"))
      << all_problems(s->recovery());
  EXPECT_FALSE(fs::exists(seg(d, 3)));
  EXPECT_EQ(s->records(), 0u);
}

TEST(Spool, DamagedHeadFileReplaysEverything) {
  TempDir d;
  const auto o = opts(d);
  {
    auto s = open_spool(o);
    append(*s, 0, 3);
    ASSERT_TRUE(s->peek(1, 1 << 20).ok());
    ASSERT_TRUE(s->pop(1).ok());
  }
  std::string head = slurp(d / "spool/head");
  ASSERT_EQ(head.size(), 28u);
  head[12] = static_cast<char>(head[12] ^ 0x40);
  spit(d / "spool/head", head);
  auto s = open_spool(o);
  EXPECT_TRUE(says(s->recovery(), "head: not a valid read position"))
      << all_problems(s->recovery());
  EXPECT_EQ(peek_all(*s), records(0, 3));  // twice rather than never
}

TEST(Spool, FullSpoolDropsTheOldestSegments) {
  TempDir d;
  const std::uint64_t segment = kHeader + 3 * kRecord;  // 116
  auto s = open_spool(opts(d, segment, 3 * segment));
  append(*s, 0, 9);
  EXPECT_EQ(s->bytes(), 3 * segment);
  EXPECT_EQ(s->dropped(), 0u);
  ASSERT_TRUE(s->peek(1, 1 << 20).ok());
  ASSERT_TRUE(s->pop(1).ok());  // one record of the oldest segment is consumed already
  append(*s, 9, 10);            // needs a fourth segment: the first goes
  EXPECT_EQ(s->dropped(), 2u);
  EXPECT_EQ(s->records(), 7u);
  EXPECT_EQ(s->bytes(), 2 * segment + kHeader + kRecord);
  EXPECT_EQ(s->oldest_ts_ms(), 1'000'003);
  EXPECT_FALSE(fs::exists(seg(d, 1)));
  EXPECT_EQ(peek_all(*s), records(3, 10));
  append(*s, 10, 14);  // 10, 11 fill segment 4; 12 needs segment 5: segment 2 goes
  EXPECT_EQ(s->dropped(), 5u);
  EXPECT_EQ(peek_all(*s), records(6, 14));
  EXPECT_LE(s->bytes(), 3 * segment);
}

TEST(Spool, PopAfterTheRecordsWereDroppedIsHarmless) {
  TempDir d;
  const std::uint64_t segment = kHeader + 2 * kRecord;
  auto s = open_spool(opts(d, segment, 2 * segment));
  append(*s, 0, 4);
  ASSERT_EQ(s->peek(3, 1 << 20)->size(), 3u);
  append(*s, 4, 6);  // drops segment 1 (records 0 and 1) under the peek
  EXPECT_EQ(s->dropped(), 2u);
  ASSERT_TRUE(s->pop(3).ok());  // records 0 and 1 are gone, record 2 is consumed
  EXPECT_EQ(s->records(), 3u);
  EXPECT_EQ(peek_all(*s), records(3, 6));
}

TEST(Spool, SmallerMaxBytesAtOpenDropsAndSays) {
  TempDir d;
  const std::uint64_t segment = kHeader + 2 * kRecord;
  {
    auto s = open_spool(opts(d, segment));
    append(*s, 0, 6);
  }
  auto s = open_spool(opts(d, segment, 2 * segment));
  EXPECT_EQ(s->dropped(), 2u);
  EXPECT_TRUE(says(s->recovery(), "more than max_bytes")) << all_problems(s->recovery());
  EXPECT_EQ(peek_all(*s), records(2, 6));
}

TEST(Spool, RecordLargerThanTheSpoolIsRefused) {
  TempDir d;
  auto s = open_spool(opts(d, 0, 100));
  auto r = s->append(1, payload(0, 77));  // 8 + 16 + 77 = 101 bytes
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(s7::Errc::invalid_argument));
  EXPECT_NE(r.error().what().find("a record of 77 bytes does not fit max_bytes 100"),
            std::string::npos)
      << r.error().what();
  EXPECT_EQ(s->records(), 0u);
  EXPECT_EQ(s->bytes(), 0u);
  EXPECT_TRUE(files(d).empty());
  ASSERT_TRUE(s->append(2, payload(0, 76)).ok());  // exactly 100 bytes
  EXPECT_EQ(s->bytes(), 100u);
  ASSERT_TRUE(s->append(3, payload(1, 76)).ok());  // replaces it
  EXPECT_EQ(s->dropped(), 1u);
  EXPECT_EQ(s->oldest_ts_ms(), 3);
}

TEST(Spool, AppendBatchIsOneWritePerSegment) {
  TempDir d;
  auto s = open_spool(opts(d, kHeader + 3 * kRecord));
  std::vector<std::vector<std::uint8_t>> payloads;
  for (int i = 0; i < 7; ++i) payloads.push_back(payload(i));
  std::vector<Spool::Input> batch;
  for (int i = 0; i < 7; ++i) batch.push_back(Spool::Input{record(i).ts_unix_ms, payloads[i]});
  ASSERT_TRUE(s->append_batch(batch).ok());
  EXPECT_EQ(s->records(), 7u);
  EXPECT_EQ(files(d).size(), 3u);
  EXPECT_EQ(fs::file_size(seg(d, 1)), kHeader + 3 * kRecord);
  EXPECT_EQ(fs::file_size(seg(d, 3)), kHeader + kRecord);
  EXPECT_EQ(peek_all(*s), records(0, 7));
  // The same bytes as one append at a time.
  TempDir d2;
  auto one = open_spool(opts(d2, kHeader + 3 * kRecord));
  append(*one, 0, 7);
  for (int n = 1; n <= 3; ++n) EXPECT_EQ(slurp(seg(d, n)), slurp(seg(d2, n)));
  ASSERT_TRUE(s->append_batch({}).ok());
  EXPECT_EQ(s->records(), 7u);
}

TEST(Spool, BatchWithARecordTooLargeWritesNothing) {
  TempDir d;
  auto s = open_spool(opts(d, 0, 100));
  const auto small = payload(0);
  const auto big = payload(1, 90);
  const Spool::Input batch[] = {{1, small}, {2, big}};
  EXPECT_FALSE(s->append_batch(batch).ok());
  EXPECT_EQ(s->records(), 0u);
  EXPECT_TRUE(files(d).empty());
}

TEST(Spool, CreateErrorNamesTheFileAndLeavesTheSpoolUsable) {
  TempDir d;
  auto s = open_spool(opts(d, kHeader + kRecord));  // one record per segment
  append(*s, 0, 1);
  fs::create_directory(seg(d, 2));  // segment 2 cannot be created
  auto r = s->append(5, payload(1));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find("spool: cannot create " + seg(d, 2) + ": "), std::string::npos)
      << r.error().what();
  EXPECT_EQ(s->records(), 1u);
  EXPECT_EQ(s->bytes(), kHeader + kRecord);
  append(*s, 1, 2);  // the next number is free
  EXPECT_EQ(peek_all(*s), records(0, 2));
}

TEST(Spool, OpenErrors) {
  TempDir d;
  spit(d / "file", "x");
  SpoolOptions o;
  o.dir = d / "file";
  auto r = Spool::open(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find(d / "file"), std::string::npos) << r.error().what();
  o.dir = "";
  EXPECT_TRUE(Spool::open(o).error().is(s7::Errc::invalid_argument));
  o = opts(d, 0, 10);
  EXPECT_TRUE(Spool::open(o).error().is(s7::Errc::invalid_argument));
}

// POSIX only: a file-size limit (setrlimit) makes write(2) fail with EFBIG part way, as a full
// disk fails with ENOSPC.
#ifndef _WIN32
struct FileSizeLimit {
  rlimit old{};
  void (*previous)(int) = nullptr;
  explicit FileSizeLimit(std::uint64_t bytes) {
    EXPECT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
    previous = ::signal(SIGXFSZ, SIG_IGN);
    rlimit tight = old;
    tight.rlim_cur = static_cast<rlim_t>(bytes);
    EXPECT_EQ(::setrlimit(RLIMIT_FSIZE, &tight), 0);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old);
    ::signal(SIGXFSZ, previous);
  }
};

TEST(Spool, FailedWriteIsCutBackAndReported) {
  TempDir d;
  const auto o = opts(d);
  auto s = open_spool(o);
  append(*s, 0, 1);
  {
    FileSizeLimit limit(kHeader + kRecord + 10);  // the next record gets 10 bytes out
    auto r = s->append(7, payload(1));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().what().find("spool: cannot write " + seg(d, 1) + ": File too large"),
              std::string::npos)
        << r.error().what();
  }
  EXPECT_EQ(fs::file_size(seg(d, 1)), kHeader + kRecord);
  EXPECT_EQ(s->records(), 1u);
  append(*s, 1, 3);
  s.reset();
  s = open_spool(o);
  EXPECT_TRUE(s->recovery().clean()) << all_problems(s->recovery());
  EXPECT_EQ(peek_all(*s), records(0, 3));
}

TEST(Spool, FailedBatchTakesBackWhatItWrote) {
  TempDir d;
  const auto o = opts(d, kHeader + 3 * kRecord);
  auto s = open_spool(o);
  append(*s, 0, 1);
  const auto p1 = payload(1), p2 = payload(2), big = payload(3, 100);
  const Spool::Input batch[] = {{1, p1}, {2, p2}, {3, big}};
  {
    // Segment 1 fills up to 116 bytes; the big record needs a segment of 124 and fails.
    FileSizeLimit limit(kHeader + 3 * kRecord);
    auto r = s->append_batch(batch);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().what().find("cannot write " + seg(d, 2)), std::string::npos)
        << r.error().what();
  }
  EXPECT_EQ(s->records(), 1u);
  EXPECT_EQ(s->bytes(), kHeader + kRecord);
  EXPECT_EQ(fs::file_size(seg(d, 1)), kHeader + kRecord);
  EXPECT_FALSE(fs::exists(seg(d, 2)));
  append(*s, 1, 3);
  EXPECT_EQ(peek_all(*s), records(0, 3));
  s.reset();
  s = open_spool(o);
  EXPECT_TRUE(s->recovery().clean()) << all_problems(s->recovery());
  EXPECT_EQ(peek_all(*s), records(0, 3));
}
#endif

}  // namespace
