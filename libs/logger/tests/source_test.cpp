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

namespace {

// A trigger group on the fake reader: DB5.DBX0.0 is the PLC's trigger, DB5.DBX0.1 our
// acknowledgement; the group reads the counter (DB1.DBD0) on each rising edge, polled at 100 ms.
struct TriggerRig {
  logger::FakeClock clock{kWallStart};
  FakeReader reader{&clock};
  MemorySink sink;
  logger::Stats stats;
  std::vector<std::string> messages;
  logger::SourceOptions so;
  logger::GroupOptions g;
  // The PLC's side, run before every read: `script(t)` with t the time since the start.
  std::function<void(std::chrono::nanoseconds)> script;

  explicit TriggerRig(bool ack) {
    reader.course_db(0, false);
    reader.dbs[5] = s7::Bytes(2, 0);
    so.plc = "press1";
    so.align_to_wall = false;
    so.backoff_seed = 1;
    so.backoff.jitter = 0;
    so.backoff.initial = 100ms;
    g.name = "batch";
    g.interval = 100ms;
    g.tags = {tag("counter", "DB1.DBD0:DINT")};
    g.trigger = *s7::parse_address("DB5.DBX0.0");
    if (ack) g.trigger_ack = *s7::parse_address("DB5.DBX0.1");
    g.sinks.rows.push_back(&sink);
    const auto t0 = clock.now();
    reader.before_read = [this, t0](int) {
      if (script) script(clock.now() - t0);
    };
    reader.before_connect = [this, t0] {
      if (script) script(clock.now() - t0);
    };
  }
  bool bit(std::uint8_t b) { return (reader.dbs[5][0] >> b) & 1; }
  void set_counter(std::int32_t v) { reader.course_db(v, false); }
  void run(std::uint64_t polls) {
    so.max_slots = polls;
    std::vector<logger::GroupOptions> groups{g};
    logger::Source src(reader, clock, so, std::move(groups), stats,
                       [this](const std::string& m) { messages.push_back(m); });
    std::atomic<bool> stop{false};
    ASSERT_TRUE(src.run(stop).ok());
  }
  std::vector<std::int64_t> counters() const {
    std::vector<std::int64_t> out;
    for (const auto& s : sink.samples)
      out.push_back(std::get<std::int64_t>(s.values[0].value->elems[0]));
    return out;
  }
};

}  // namespace

TEST(SourceTrigger, EachRisingEdgeGivesOneRowAndTheHandshakeCompletes) {
  TriggerRig rig(/*ack=*/true);
  // The PLC: a batch record at 0.5 s and one at 1.5 s, each held until acknowledged, then the
  // trigger is lowered; the next record waits until our acknowledgement is low again.
  int next_batch = 1;
  rig.script = [&](std::chrono::nanoseconds t) {
    if (rig.bit(0) && rig.bit(1)) rig.reader.set_bit(5, 0, 0, false);  // acknowledged: lower
    const auto due = next_batch == 1 ? 500ms : 1500ms;
    if (next_batch <= 2 && t >= due && !rig.bit(0) && !rig.bit(1)) {
      rig.set_counter(next_batch * 10);
      rig.reader.set_bit(5, 0, 0, true);
      ++next_batch;
    }
  };
  rig.run(30);  // 3 s of polls
  EXPECT_EQ(rig.counters(), (std::vector<std::int64_t>{10, 20}));
  // Acknowledgement up once per record, and down again after the PLC lowered its trigger.
  std::vector<bool> acks;
  for (const auto& [a, on] : rig.reader.writes) acks.push_back(on);
  EXPECT_EQ(acks, (std::vector<bool>{true, false, true, false}));
  EXPECT_FALSE(rig.bit(1));
  EXPECT_EQ(rig.sink.samples[0].group, "batch");
}

TEST(SourceTrigger, AHighTriggerIsOneEdgeNotOnePerPoll) {
  TriggerRig rig(/*ack=*/false);
  rig.script = [&](std::chrono::nanoseconds t) {
    if (t >= 200ms && t < 300ms) rig.reader.set_bit(5, 0, 0, true);  // raised and left high
  };
  rig.run(20);
  EXPECT_EQ(rig.sink.samples.size(), 1u);
  EXPECT_TRUE(rig.reader.writes.empty());
}

TEST(SourceTrigger, AnEdgeDuringAnOutageIsTakenOnceAfterTheReconnect) {
  TriggerRig rig(/*ack=*/true);
  // The link drops at 0.3 s for about a second; the PLC raises its trigger at 0.6 s, in the
  // outage, and holds it until acknowledged.
  bool raised = false;
  rig.script = [&](std::chrono::nanoseconds t) {
    rig.reader.down = t >= 300ms && t < 1300ms;
    if (!raised && t >= 600ms) {
      raised = true;
      rig.set_counter(7);
      rig.reader.set_bit(5, 0, 0, true);
    }
    if (rig.bit(0) && rig.bit(1)) rig.reader.set_bit(5, 0, 0, false);
  };
  rig.run(40);
  EXPECT_EQ(rig.counters(), (std::vector<std::int64_t>{7}));
  EXPECT_GT(rig.stats.reconnects.load(), 0u);
}

TEST(SourceTrigger, AnEdgeWhoseDataReadFailsIsTakenAfterTheReconnectNotLost) {
  TriggerRig rig(/*ack=*/false);
  int data_reads = 0;
  rig.reader.before_read = [&, t0 = rig.clock.now()](int) {
    if (rig.clock.now() - t0 >= 200ms) rig.reader.set_bit(5, 0, 0, true);
    // The read right after the first poll that sees the trigger is the group's data read.
    if (rig.bit(0) && rig.reader.requests.size() >= 1 &&
        rig.reader.requests.back().front().db == 5 && data_reads++ == 0)
      rig.reader.fail_reads = 1;
  };
  rig.run(20);
  EXPECT_EQ(rig.sink.samples.size(), 1u);  // once, after the reconnect
  EXPECT_EQ(rig.stats.reconnects.load(), 1u);
}

TEST(SourceTrigger, AtStartARaisedUnacknowledgedTriggerIsARecordAnAcknowledgedOneIsNot) {
  {
    TriggerRig rig(/*ack=*/true);
    rig.reader.set_bit(5, 0, 0, true);  // waiting for us since before the start
    rig.run(3);
    EXPECT_EQ(rig.sink.samples.size(), 1u);
  }
  {
    TriggerRig rig(/*ack=*/true);
    rig.reader.set_bit(5, 0, 0, true);
    rig.reader.set_bit(5, 0, 1, true);  // we acknowledged it before a restart
    rig.run(3);
    EXPECT_EQ(rig.sink.samples.size(), 0u);
  }
  {
    TriggerRig rig(/*ack=*/false);
    rig.reader.set_bit(5, 0, 0, true);  // no handshake: a level at start is no edge
    rig.run(3);
    EXPECT_EQ(rig.sink.samples.size(), 0u);
  }
}

TEST(Source, ARowReadLateKeepsItsOwnSlotsTimestamp) {
  // "fast" at 100 ms and "slow" at 250 ms, both on the wall clock's grid. slow's read at 0.25
  // takes 130 ms (a slow answer), so fast's slot 0.3 is read at 0.38: 80 ms late, more than
  // three quarters of an interval, but less than a whole one, so it is late, not skipped. Its
  // row is still slot 0.3's: the wall clock at the read less how late the read started. Stamped
  // from the wall clock alone it came out as 0.4, the next slot's, and the file had it twice.
  logger::FakeClock clock(kWallStart);
  FakeReader reader(&clock);
  reader.course_db(1, false);
  reader.dbs[2] = s7::Bytes(16, 0);
  reader.before_read = [&](int n) {
    if (n == 4) clock.advance(130ms);
  };
  MemorySink fast, slow;
  logger::Stats stats, fast_stats, slow_stats;
  std::vector<logger::GroupOptions> groups;
  groups.push_back(group("fast", 100ms, {tag("counter", "DB1.DBD0:DINT")}, fast));
  groups.push_back(group("slow", 250ms, {tag("energy", "DB2.DBD4:DINT")}, slow));
  groups[0].stats = &fast_stats;
  groups[1].stats = &slow_stats;
  logger::SourceOptions so;
  so.backoff_seed = 1;
  so.max_slots = 8;
  logger::Source src(reader, clock, so, std::move(groups), stats);
  std::atomic<bool> stop{false};
  ASSERT_TRUE(src.run(stop).ok());
  EXPECT_EQ(fast_stats.skipped_samples.load(), 0u);
  EXPECT_EQ(fast_stats.lateness_max_ns.load(), 80'000'000u);
  ASSERT_EQ(fast.samples.size(), 8u);
  for (std::size_t i = 1; i < fast.samples.size(); ++i)
    EXPECT_EQ(fast.samples[i].ts - fast.samples[i - 1].ts, 100ms) << "row " << i;
}
