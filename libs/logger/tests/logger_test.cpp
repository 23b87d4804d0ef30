// Scheduler tests with a fake clock and reader: deadlines, drift, overrun, outages, bad tags.
#include "logger/logger.hpp"

#include <gtest/gtest.h>

#include "fake_reader.hpp"
#include "logger/tag.hpp"

using namespace std::chrono_literals;
using logger::testing::FakeReader;
using logger::testing::MemorySink;

namespace {

// 2026-11-24T09:15:03Z, a whole second.
const logger::Clock::wall_time kWallStart{std::chrono::seconds(1795511703)};

struct Rig {
  logger::FakeClock clock{kWallStart};
  FakeReader reader{&clock};
  MemorySink sink;
  logger::Stats stats;
  std::vector<std::string> messages;
  logger::RunOptions options;
  std::vector<logger::TagInfo> tags = logger::course_tags();

  Rig() {
    reader.course_db(1, false);
    options.backoff.jitter = 0;
    options.backoff_seed = 1;
  }
  void run(std::uint64_t slots) {
    options.max_slots = slots;
    logger::Logger lg(reader, clock, tags, options, logger::Sinks{{&sink}, {}}, stats,
                      [this](const std::string& m) { messages.push_back(m); });
    std::atomic<bool> stop{false};
    ASSERT_TRUE(lg.run(stop).ok());
  }
  std::size_t count_messages(std::string_view part) const {
    std::size_t n = 0;
    for (const auto& m : messages) n += m.find(part) != std::string::npos;
    return n;
  }
};

std::int64_t secs_since_start(const logger::Sample& s) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(s.ts - kWallStart).count();
}

}  // namespace

TEST(Logger, AWallClockJustBelowTheSecondStillStampsThatSecond) {
  // The deadline wakes us by the steady clock; the wall clock falls 2 us a second behind it
  // (slewed by NTP), so it reads just short of each whole second: the row belongs to that
  // second, not the one before (which would show twice in the ts column, and this one never).
  Rig rig;
  rig.clock.slew_wall(-2us);
  rig.run(4);
  ASSERT_EQ(rig.sink.samples.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k)
    EXPECT_EQ(rig.sink.samples[k].ts, kWallStart + std::chrono::seconds(k)) << k;
}

TEST(Logger, AWallClockAheadOrLateKeepsEachSampleInItsOwnSlot) {
  Rig rig;
  rig.options.interval = 100ms;
  rig.clock.slew_wall(3ms);  // wall clock gaining: a little ahead, still the slot it is in
  rig.run(3);
  ASSERT_EQ(rig.sink.samples.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k)
    EXPECT_EQ(rig.sink.samples[k].ts, kWallStart + std::chrono::milliseconds(100 * k))
        << (rig.sink.samples[k].ts - kWallStart).count();
}

TEST(Logger, SamplesSitOnAbsoluteDeadlinesDespiteReadLatency) {
  Rig rig;
  rig.reader.latency = 37ms;
  rig.run(5);
  ASSERT_EQ(rig.sink.samples.size(), 5u);
  for (std::size_t k = 0; k < 5; ++k)
    EXPECT_EQ(secs_since_start(rig.sink.samples[k]), static_cast<std::int64_t>(k) * 1000);
  EXPECT_EQ(rig.stats.skipped_samples.load(), 0u);
  EXPECT_EQ(rig.stats.samples_written.load(), 5u);
  EXPECT_TRUE(rig.sink.closed);
}

TEST(Logger, FirstSampleIsAlignedToTheWallClockInterval) {
  Rig rig;
  rig.clock.advance(300ms);  // wall is now 10:15:03.300
  rig.run(1);
  ASSERT_EQ(rig.sink.samples.size(), 1u);
  EXPECT_EQ(secs_since_start(rig.sink.samples[0]), 1000);  // waits for 10:15:04.000
}

TEST(Logger, ADayAtOneSecondHolds86400RowsWithoutDrift) {
  Rig rig;
  rig.reader.latency = 12ms;
  rig.run(86'400);
  ASSERT_EQ(rig.sink.samples.size(), 86'400u);
  EXPECT_EQ(secs_since_start(rig.sink.samples.back()), 86'399'000);
  EXPECT_EQ(rig.stats.skipped_samples.load(), 0u);
  EXPECT_EQ(rig.reader.reads, 86'400);
}

TEST(Logger, OverrunSkipsMissedSlotsWithoutCatchUpBurst) {
  Rig rig;
  rig.reader.latency = 2500ms;  // each read outlasts two more slots
  rig.run(9);
  ASSERT_EQ(rig.sink.samples.size(), 3u);
  EXPECT_EQ(rig.reader.reads, 3);
  EXPECT_EQ(secs_since_start(rig.sink.samples[0]), 0);
  EXPECT_EQ(secs_since_start(rig.sink.samples[1]), 3000);
  EXPECT_EQ(secs_since_start(rig.sink.samples[2]), 6000);
  EXPECT_EQ(rig.stats.skipped_samples.load(), 6u);
}

TEST(Logger, OverrunWritesEmptyRowsForSkippedSlotsWithQuality) {
  Rig rig;
  rig.options.quality_rows = true;
  rig.reader.latency = 1500ms;
  rig.run(4);
  ASSERT_EQ(rig.sink.samples.size(), 4u);
  EXPECT_FALSE(rig.sink.samples[0].missed);
  EXPECT_TRUE(rig.sink.samples[1].missed);
  EXPECT_EQ(secs_since_start(rig.sink.samples[1]), 1000);
  EXPECT_EQ(rig.sink.samples[1].quality, logger::Quality::comm_error);
}

TEST(Logger, PlcDownAtStartRetriesWithBackoffAndSaysSoOnce) {
  Rig rig;
  rig.options.quality_rows = true;
  rig.reader.down = true;
  rig.run(8);
  // 0.5 s, 1 s, 2 s, 4 s after the failures at slots 0, 1, 2 and 4: attempts at 0, 1, 2, 4.
  EXPECT_EQ(rig.reader.connects, 4);
  EXPECT_EQ(rig.count_messages("cannot reach the PLC at 127.0.0.1:1102 (rack 0, slot 1)"), 1u);
  ASSERT_EQ(rig.sink.samples.size(), 8u);
  for (const auto& s : rig.sink.samples) {
    EXPECT_TRUE(s.missed);
    EXPECT_FALSE(s.values[0].value.has_value());
  }
  EXPECT_EQ(rig.stats.skipped_samples.load(), 8u);
}

TEST(Logger, ResumesOnTheSameGridAfterAnOutage) {
  Rig rig;
  rig.reader.down = true;
  rig.options.max_slots = 3;
  {
    std::atomic<bool> stop{false};
    logger::Logger lg(rig.reader, rig.clock, rig.tags, rig.options, logger::Sinks{{&rig.sink}, {}},
                      rig.stats, [&](const std::string& m) { rig.messages.push_back(m); });
    ASSERT_TRUE(lg.run(stop).ok());
  }
  EXPECT_TRUE(rig.sink.samples.empty());  // without quality rows a gap is just missing
  rig.reader.down = false;
  rig.run(3);
  ASSERT_EQ(rig.sink.samples.size(), 3u);
  EXPECT_EQ(secs_since_start(rig.sink.samples[0]) % 1000, 0);
}

TEST(Logger, DroppedConnectionGivesEmptyRowThenReconnects) {
  Rig rig;
  rig.options.quality_rows = true;
  rig.run(1);
  rig.reader.fail_reads = 1;
  rig.reader.course_db(2, true);
  rig.sink.samples.clear();
  rig.run(3);
  ASSERT_EQ(rig.sink.samples.size(), 3u);
  EXPECT_TRUE(rig.sink.samples[0].missed);  // no stale value from the previous read
  EXPECT_FALSE(rig.sink.samples[0].values[0].value.has_value());
  ASSERT_TRUE(rig.sink.samples[1].values[0].value.has_value());
  EXPECT_EQ(s7::format_value(*rig.sink.samples[1].values[0].value), "2");
  EXPECT_EQ(rig.count_messages("lost the connection"), 1u);
}

TEST(Logger, ReconnectAfterLosingAnEstablishedLinkIsCounted) {
  Rig rig;
  rig.options.max_slots = 5;
  std::atomic<bool> stop{false};
  // Fail the second read only.
  struct Once : logger::Sink {
    FakeReader* r;
    int n = 0;
    s7::Result<void> open(const std::vector<logger::TagInfo>&) override { return {}; }
    s7::Result<void> write(const logger::Sample&) override {
      if (++n == 1) r->fail_reads = 1;
      return {};
    }
  } once;
  once.r = &rig.reader;
  logger::Logger lg2(rig.reader, rig.clock, rig.tags, rig.options,
                     logger::Sinks{{&rig.sink}, {&once}}, rig.stats, {});
  ASSERT_TRUE(lg2.run(stop).ok());
  EXPECT_EQ(rig.stats.reconnects.load(), 1u);
  EXPECT_EQ(rig.sink.samples.size(), 4u);
  EXPECT_EQ(rig.stats.read_errors.load(), 1u);
}

TEST(Logger, OneBadTagLeavesItsCellEmptyAndIsReportedOnce) {
  Rig rig;
  rig.tags.push_back(logger::TagInfo{"missing", *s7::parse_address("DB9.DBW0:INT")});
  rig.reader.before_read = [&](int n) {
    if (n == 6) rig.reader.dbs[9] = s7::Bytes(2, 0);
  };
  rig.run(6);
  ASSERT_EQ(rig.sink.samples.size(), 6u);
  rig.sink.samples.pop_back();
  for (const auto& s : rig.sink.samples) {
    EXPECT_TRUE(s.values[0].value.has_value());
    EXPECT_FALSE(s.values[5].value.has_value());
    EXPECT_EQ(s.values[5].quality, logger::Quality::item_error);
    EXPECT_EQ(s.quality, logger::Quality::item_error);
  }
  EXPECT_EQ(rig.count_messages("tag 'missing' (DB9.DBW0:INT): "), 1u);
  EXPECT_EQ(rig.count_messages("DB9 does not exist"), 1u);
  EXPECT_EQ(rig.count_messages("tag 'missing' (DB9.DBW0:INT) reads again"), 1u);
}

TEST(Logger, MergedItemFailureIsSplitToFindTheBadTag) {
  Rig rig;
  rig.reader.dbs[1].resize(15);  // DB1 ends at byte 14: DBW14 is out of range
  rig.tags.push_back(logger::TagInfo{"edge", *s7::parse_address("DB1.DBW14:INT")});
  {
    logger::Logger probe(rig.reader, rig.clock, rig.tags, rig.options, {}, rig.stats, {});
    ASSERT_EQ(probe.plan().items.size(), 1u);  // merged with bytes 0..11 (gap 2)
  }
  rig.run(3);
  ASSERT_EQ(rig.sink.samples.size(), 3u);
  for (const auto& s : rig.sink.samples) {
    ASSERT_TRUE(s.values[2].value.has_value());
    EXPECT_EQ(s7::format_value(*s.values[2].value), "1.23");
    EXPECT_FALSE(s.values[5].value.has_value());
  }
  // Cycle 1: merged read + one-by-one retry; cycles 2 and 3: the bad tag is read alone.
  EXPECT_EQ(rig.reader.reads, 4);
  EXPECT_EQ(rig.reader.requests.back().size(), 2u);
  EXPECT_EQ(rig.count_messages("tag 'edge'"), 1u);
}

TEST(Logger, StopFlagEndsTheRunAndMarksTheLinkStopped) {
  Rig rig;
  std::atomic<bool> stop{true};
  logger::Logger lg(rig.reader, rig.clock, rig.tags, rig.options, logger::Sinks{{&rig.sink}, {}},
                    rig.stats, {});
  ASSERT_TRUE(lg.run(stop).ok());
  EXPECT_TRUE(rig.sink.samples.empty());
  EXPECT_EQ(rig.stats.link.load(), logger::LinkState::stopped);
}

TEST(Logger, UnknownOnChangeTagIsAnError) {
  Rig rig;
  rig.options.on_change = {"nope"};
  std::atomic<bool> stop{false};
  logger::Logger lg(rig.reader, rig.clock, rig.tags, rig.options, logger::Sinks{{&rig.sink}, {}},
                    rig.stats, {});
  auto r = lg.run(stop);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find("no tag named 'nope'"), std::string::npos);
}

TEST(Logger, LiveSinksGetEverySampleWhileRowsAreFiltered) {
  Rig rig;
  rig.options.on_change = {"alarm"};
  MemorySink live;
  rig.options.max_slots = 4;
  std::atomic<bool> stop{false};
  logger::Logger lg(rig.reader, rig.clock, rig.tags, rig.options,
                    logger::Sinks{{&rig.sink}, {&live}}, rig.stats, {});
  ASSERT_TRUE(lg.run(stop).ok());
  EXPECT_EQ(live.samples.size(), 4u);
  EXPECT_EQ(rig.sink.samples.size(), 1u);  // alarm never changed: the first row only
  EXPECT_EQ(rig.stats.samples_written.load(), 1u);
}

namespace {
// Wakes up `late` after every deadline, like a loaded machine.
class LateClock : public logger::FakeClock {
 public:
  LateClock(wall_time start, std::chrono::nanoseconds late) : FakeClock(start), late_(late) {}
  void sleep_until(steady_time t, const std::atomic<bool>* stop) override {
    FakeClock::sleep_until(t, stop);
    if (now() == t) advance(late_);
  }

 private:
  std::chrono::nanoseconds late_;
};
}  // namespace

TEST(Logger, SampleLatenessIsTheDelayFromDeadlineToRead) {
  LateClock clock(kWallStart, 300us);
  FakeReader reader{&clock};
  reader.course_db(1, false);
  MemorySink sink;
  logger::Stats stats;
  logger::RunOptions options;
  options.max_slots = 10;
  logger::Logger lg(reader, clock, logger::course_tags(), options, logger::Sinks{{&sink}, {}},
                    stats, {});
  std::atomic<bool> stop{false};
  ASSERT_TRUE(lg.run(stop).ok());
  EXPECT_EQ(stats.lateness_count.load(), 10u);
  EXPECT_EQ(stats.lateness_sum_ns.load(), 10u * 300'000u);
  EXPECT_EQ(stats.lateness_max_ns.load(), 300'000u);
  // 300 us falls in the (0.2 ms, 0.5 ms] bucket: every quantile lies inside it.
  EXPECT_GT(stats.lateness_quantile(0.99), 0.0002);
  EXPECT_LE(stats.lateness_quantile(0.99), 0.0005);
}
