// Source tests with a fake clock: several groups over a day, merged reads, late and skipped slots.
#include "logger/source.hpp"

#include <gtest/gtest.h>

#include "fake_reader.hpp"
#include "logger/tag.hpp"

using namespace std::chrono_literals;
using logger::testing::FakeReader;
using logger::testing::MemorySink;

namespace {

// 2026-11-24T09:15:03Z, a whole second (and a whole minute plus 3 s).
const logger::Clock::wall_time kWallStart{std::chrono::seconds(1795511703)};

// Counts rows and remembers the first and last timestamps and the group of the last one.
class CountingSink : public logger::Sink {
 public:
  std::uint64_t rows = 0;
  logger::Clock::wall_time first{}, last{};
  std::string group;
  bool ordered = true;
  s7::Result<void> open(const std::vector<logger::TagInfo>&) override { return {}; }
  s7::Result<void> write(const logger::Sample& s) override {
    if (rows == 0) first = s.ts;
    if (rows > 0 && s.ts <= last) ordered = false;
    last = s.ts;
    group = s.group;
    ++rows;
    return {};
  }
};

logger::TagInfo tag(const std::string& name, const std::string& address) {
  auto t = logger::parse_tag_spec(name + "=" + address);
  EXPECT_TRUE(t.ok()) << address;
  return *t;
}

logger::GroupOptions group(const std::string& name, std::chrono::nanoseconds interval,
                           std::vector<logger::TagInfo> tags, logger::Sink& sink) {
  logger::GroupOptions g;
  g.name = name;
  g.interval = interval;
  g.tags = std::move(tags);
  g.sinks.rows.push_back(&sink);
  return g;
}

}  // namespace

TEST(Source, GroupsOverOneSimulatedDayHaveTheRowsOfTheirInterval) {
  logger::FakeClock clock(kWallStart);
  FakeReader reader(&clock);
  reader.course_db(1, false);
  reader.record_requests = false;
  CountingSink fast, slow, minute;
  logger::Stats stats;
  std::vector<logger::GroupOptions> groups;
  groups.push_back(group("fast", 100ms, {tag("counter", "DB1.DBD0:DINT")}, fast));
  groups.push_back(group("slow", 1s, {tag("pressure", "DB1.DBD6:REAL")}, slow));
  groups.push_back(group("minute", 1min, {tag("mode", "DB1.DBB11:BYTE")}, minute));
  logger::SourceOptions so;
  so.backoff_seed = 1;
  logger::Source src(reader, clock, so, std::move(groups), stats);
  // Stop after exactly one day of the steady clock: the stop flag is set by the reader once the
  // clock passed start + 24 h (09:15:03 next day), before that read is answered.
  std::atomic<bool> stop{false};
  const auto t0 = clock.now();
  reader.before_read = [&](int) {
    if (clock.now() - t0 >= 24h) stop = true;
  };
  ASSERT_TRUE(src.run(stop).ok());
  // In [09:15:03, 09:15:03 next day): 864,000 tenths, 86,400 seconds and 1,440 minutes; the
  // read at exactly +24 h is the one the stop ended (it was sent, its row was still written).
  EXPECT_EQ(fast.rows, 864'000u + 1);
  EXPECT_EQ(slow.rows, 86'400u + 1);
  EXPECT_EQ(minute.rows, 1'440u);
  EXPECT_EQ(minute.first, kWallStart + 57s);
  // One read per 100 ms slot: the 1 s and 1 min deadlines are 100 ms ones too, and merged.
  EXPECT_EQ(src.reads(), 864'001u);
  EXPECT_EQ(stats.skipped_samples.load(), 0u);
}

TEST(Source, GroupsWhoseDeadlinesMeetShareOneRequest) {
  logger::FakeClock clock(kWallStart);
  FakeReader reader(&clock);
  reader.course_db(1, false);
  reader.dbs[2] = s7::Bytes(16, 0);
  MemorySink fast, slow;
  logger::Stats stats;
  std::vector<logger::GroupOptions> groups;
  groups.push_back(group("fast", 500ms, {tag("counter", "DB1.DBD0:DINT")}, fast));
  groups.push_back(group("slow", 1s, {tag("energy", "DB2.DBD4:DINT")}, slow));
  logger::SourceOptions so;
  so.backoff_seed = 1;
  so.max_slots = 4;  // fast: 0, 0.5, 1.0, 1.5 s; slow: 0, 1, 2, 3 s
  logger::Source src(reader, clock, so, std::move(groups), stats);
  std::atomic<bool> stop{false};
  ASSERT_TRUE(src.run(stop).ok());
  ASSERT_EQ(fast.samples.size(), 4u);
  ASSERT_EQ(slow.samples.size(), 4u);
  // t=0: both (DB1 + DB2 items in one request); 0.5: fast; 1.0: both; 1.5: fast; 2, 3: slow.
  ASSERT_EQ(reader.requests.size(), 6u);
  EXPECT_EQ(reader.requests[0].size(), 2u);
  EXPECT_EQ(reader.requests[1].size(), 1u);
  EXPECT_EQ(reader.requests[2].size(), 2u);
  EXPECT_EQ(reader.requests[3].size(), 1u);
  EXPECT_EQ(reader.requests[4].size(), 1u);
  EXPECT_EQ(reader.requests[4][0].db, 2u);
  EXPECT_EQ(slow.samples[1].ts - slow.samples[0].ts, 1s);
  EXPECT_EQ(slow.samples[0].group, "slow");
  EXPECT_EQ(fast.samples[0].ts, slow.samples[0].ts);
}

TEST(Source, AGroupHeldUpByAnotherGroupsReadIsLateNotSkipped) {
  logger::FakeClock clock(kWallStart);
  FakeReader reader(&clock);
  reader.course_db(1, false);
  reader.dbs[2] = s7::Bytes(16, 0);
  MemorySink a, b;
  logger::Stats stats, a_stats, b_stats;
  std::vector<logger::GroupOptions> groups;
  groups.push_back(group("a", 1s, {tag("counter", "DB1.DBD0:DINT")}, a));
  groups.push_back(group("b", 1500ms, {tag("energy", "DB2.DBD4:DINT")}, b));
  groups[0].stats = &a_stats;
  groups[1].stats = &b_stats;
  logger::SourceOptions so;
  so.align_to_wall = false;
  so.backoff_seed = 1;
  so.max_slots = 4;
  reader.latency = 600ms;  // every read takes 600 ms
  logger::Source src(reader, clock, so, std::move(groups), stats);
  std::atomic<bool> stop{false};
  ASSERT_TRUE(src.run(stop).ok());
  // 0.0 a+b (one request) | 1.0 a, ends 1.6 | b's 1.5 read at 1.6 (100 ms late), ends 2.2 |
  // a's 2.0 read at 2.2 (200 ms late) | 3.0 a+b | 4.5 b.
  ASSERT_EQ(reader.requests.size(), 6u);
  EXPECT_EQ(reader.requests[0].size(), 2u);
  EXPECT_EQ(reader.requests[2][0].db, 2u);
  EXPECT_EQ(reader.requests[4].size(), 2u);
  EXPECT_EQ(a.samples.size(), 4u);
  EXPECT_EQ(b.samples.size(), 4u);
  EXPECT_EQ(a_stats.skipped_samples.load() + b_stats.skipped_samples.load(), 0u);
  EXPECT_EQ(b_stats.lateness_max_ns.load(), 100'000'000u);
  EXPECT_EQ(a_stats.lateness_max_ns.load(), 200'000'000u);
  // Without wall alignment a row is stamped when its read started.
  EXPECT_EQ(b.samples[1].ts - b.samples[0].ts, 1600ms);
  EXPECT_EQ(a.samples[2].ts - a.samples[0].ts, 2200ms);
}

TEST(Source, OverrunOfOneGroupSkipsOnlyItsOwnSlots) {
  logger::FakeClock clock(kWallStart);
  FakeReader reader(&clock);
  reader.course_db(1, false);
  MemorySink fast, slow;
  logger::Stats stats, fast_stats, slow_stats;
  std::vector<logger::GroupOptions> groups;
  groups.push_back(group("fast", 100ms, {tag("counter", "DB1.DBD0:DINT")}, fast));
  groups.push_back(group("slow", 1s, {tag("pressure", "DB1.DBD6:REAL")}, slow));
  groups[0].stats = &fast_stats;
  groups[1].stats = &slow_stats;
  logger::SourceOptions so;
  so.backoff_seed = 1;
  so.max_slots = 10;
  // Every read takes 250 ms: the fast group can take every third slot at best.
  reader.latency = 250ms;
  logger::Source src(reader, clock, so, std::move(groups), stats);
  std::atomic<bool> stop{false};
  ASSERT_TRUE(src.run(stop).ok());
  EXPECT_EQ(fast_stats.skipped_samples.load() + fast.samples.size(), 10u);
  EXPECT_GT(fast_stats.skipped_samples.load(), 5u);
  EXPECT_EQ(slow.samples.size(), 10u);
  EXPECT_EQ(slow_stats.skipped_samples.load(), 0u);
  for (std::size_t i = 1; i < slow.samples.size(); ++i)
    EXPECT_EQ(slow.samples[i].ts - slow.samples[i - 1].ts, 1s);
}

TEST(Source, AnItemErrorInOneGroupLeavesTheOtherGroupsValues) {
  logger::FakeClock clock(kWallStart);
  FakeReader reader(&clock);
  reader.course_db(1, false);
  MemorySink good, bad;
  logger::Stats stats;
  std::vector<logger::GroupOptions> groups;
  groups.push_back(group("good", 1s, {tag("counter", "DB1.DBD0:DINT")}, good));
  groups.push_back(group("bad", 1s, {tag("missing", "DB9.DBW0:INT")}, bad));
  logger::SourceOptions so;
  so.plc = "press1";
  so.backoff_seed = 1;
  so.max_slots = 3;
  std::vector<std::string> messages;
  logger::Source src(reader, clock, so, std::move(groups), stats,
                     [&](const std::string& m) { messages.push_back(m); });
  std::atomic<bool> stop{false};
  ASSERT_TRUE(src.run(stop).ok());
  ASSERT_EQ(good.samples.size(), 3u);
  EXPECT_EQ(good.samples[2].quality, logger::Quality::ok);
  ASSERT_TRUE(good.samples[2].values[0].value.has_value());
  ASSERT_EQ(bad.samples.size(), 3u);
  EXPECT_EQ(bad.samples[0].quality, logger::Quality::item_error);
  std::size_t said = 0;
  for (const auto& m : messages) said += m.find("tag 'bad.missing' (press1 DB9.DBW0") == 0;
  EXPECT_EQ(said, 1u);
}

TEST(Source, AnOutageMissesEveryGroupsSlotsAndNamesThePlc) {
  logger::FakeClock clock(kWallStart);
  FakeReader reader(&clock);
  reader.course_db(1, false);
  reader.down = true;
  MemorySink a, b;
  logger::Stats stats, a_stats, b_stats;
  std::vector<logger::GroupOptions> groups;
  groups.push_back(group("a", 1s, {tag("counter", "DB1.DBD0:DINT")}, a));
  groups.push_back(group("b", 2s, {tag("pressure", "DB1.DBD6:REAL")}, b));
  groups[0].stats = &a_stats;
  groups[1].stats = &b_stats;
  groups[1].quality_rows = true;
  logger::SourceOptions so;
  so.plc = "press2";
  so.backoff_seed = 1;
  so.backoff.jitter = 0;
  so.max_slots = 4;
  std::vector<std::string> messages;
  logger::Source src(reader, clock, so, std::move(groups), stats,
                     [&](const std::string& m) { messages.push_back(m); });
  std::atomic<bool> stop{false};
  ASSERT_TRUE(src.run(stop).ok());
  EXPECT_EQ(a.samples.size(), 0u);
  EXPECT_EQ(a_stats.skipped_samples.load(), 4u);
  ASSERT_EQ(b.samples.size(), 4u);  // quality rows, 2 s apart
  EXPECT_TRUE(b.samples[0].missed);
  EXPECT_EQ(b.samples[3].ts - b.samples[0].ts, 6s);
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages[0].rfind("cannot reach the PLC 'press2' at 127.0.0.1:1102", 0), 0u)
      << messages[0];
}
