// Tests of the fake PLC's tick phase: where its ticks fall against a logger's sample grid, and
// what the course's alarm (counter even) looks like to a logger sampling on that grid; its
// stepping (begin/step), as a plant drives several fake PLCs from one thread.
#include "sim/fake_plc.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using std::chrono::system_clock;

namespace sim {
namespace {

const system_clock::time_point kWhole{std::chrono::seconds(1795511703)};  // x.000 s

TEST(FirstTickDelay, TicksFallAQuarterTickAfterTheWallClocksMultiples) {
  EXPECT_EQ(first_tick_delay(kWhole, 500ms), 125ms);
  EXPECT_EQ(first_tick_delay(kWhole + 200ms, 500ms), 425ms);  // next tick at x.625
  EXPECT_EQ(first_tick_delay(kWhole + 600ms, 500ms), 25ms);
  EXPECT_EQ(first_tick_delay(kWhole + 125ms, 500ms), 500ms);  // on a tick: the next one
  EXPECT_EQ(first_tick_delay(kWhole + 130ms, 500ms), 495ms);
  EXPECT_EQ(first_tick_delay(kWhole + 300ms, 1s), 950ms);  // a 1 s tick: at x.250
}

// The counter a logger reads at wall time `t` when the fake PLC started at `start` (ticks from
// first_tick_delay on, one per `tick`).
std::int64_t counter_at(system_clock::time_point start, system_clock::time_point t, Nanos tick) {
  const auto first = start + first_tick_delay(start, tick);
  if (t < first) return 0;
  return (t - first) / tick + 1;
}

// Samples on the logger's grid (multiples of `interval` since the epoch) for ~12 s.
std::vector<bool> alarms_sampled(system_clock::time_point start, Nanos interval) {
  std::vector<bool> alarms;
  auto t = start + interval - (start.time_since_epoch() % interval);
  for (int k = 0; k < static_cast<int>(12s / interval); ++k, t += interval)
    alarms.push_back(counter_at(start, t, 500ms) % 2 == 0);
  return alarms;
}

int edges(const std::vector<bool>& alarms) {
  int n = 0;
  for (std::size_t i = 1; i < alarms.size(); ++i) n += alarms[i] != alarms[i - 1] ? 1 : 0;
  return n;
}

TEST(CourseAlarm, SampledEverySecondItNeverChangesWhateverTheStartTime) {
  // The counter goes up twice between two samples a second apart: the parity never changes.
  for (auto offset : {0ms, 1ms, 124ms, 125ms, 126ms, 499ms, 500ms, 777ms})
    EXPECT_EQ(edges(alarms_sampled(kWhole + offset, 1s)), 0) << offset.count();
}

TEST(CourseAlarm, SampledEvery750msItChangesEveryOtherSample) {
  // The README's exercise: 1.5 ticks per sample, so the counter goes up 1, 2, 1, 2, ...
  for (auto offset : {0ms, 1ms, 125ms, 333ms, 500ms, 999ms}) {
    const auto alarms = alarms_sampled(kWhole + offset, 750ms);
    EXPECT_GE(edges(alarms), static_cast<int>(alarms.size()) / 2 - 1) << offset.count();
    EXPECT_LE(edges(alarms), static_cast<int>(alarms.size()) / 2 + 1) << offset.count();
  }
}

TEST(CourseAlarm, SamplesOnQuarterSecondsAreNeverCloseToATick) {
  // Grids of 250 ms, 500 ms, 750 ms, 1 s: every sample is >= 125 ms from the nearest tick.
  for (auto offset : {0ms, 3ms, 125ms, 260ms, 900ms}) {
    const auto start = kWhole + offset;
    const auto first = start + first_tick_delay(start, 500ms);
    for (auto t = kWhole + 2s; t < kWhole + 10s; t += 250ms) {
      const auto since = (t - first) % 500ms;
      const auto distance = std::min<Nanos>(since, 500ms - since);
      EXPECT_GE(distance, 125ms);
    }
  }
}

// Steps on a made-up clock: ticks and fault edges follow the times given to step().
TEST(FakePlcStep, TicksAndFaultEdgesFollowTheTimesGiven) {
  PlcConfig c = course_config();
  c.tick = 100ms;
  c.faults.push_back(*parse_delay("300ms@1s..2s"));
  std::vector<std::string> lines;
  FakePlc plc(c, [&lines](const std::string& text) { lines.push_back(text); });
  const auto t0 = FakePlc::Clock::now();
  plc.begin(t0);
  EXPECT_LE(plc.step(t0), t0 + 20ms);
  EXPECT_EQ(plc.stats().ticks, 0u);
  plc.step(t0 + 500ms);  // one tick however late: skip, don't queue
  EXPECT_EQ(plc.stats().ticks, 1u);
  EXPECT_TRUE(lines.empty());
  EXPECT_EQ(plc.server().control().delay_ms.load(), 0);
  plc.step(t0 + 1500ms);
  EXPECT_EQ(plc.stats().ticks, 2u);
  EXPECT_EQ(lines, std::vector<std::string>{"FAULT start: delay answers by 300ms for 1s"});
  EXPECT_EQ(plc.server().control().delay_ms.load(), 300);
  plc.step(t0 + 2500ms);
  EXPECT_EQ(plc.stats().ticks, 3u);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1], "FAULT end: delay answers by 300ms for 1s");
  EXPECT_EQ(plc.server().control().delay_ms.load(), 0);
  EXPECT_EQ(plc.simulation().field_value("counter"), s7::Value(std::int64_t{3}));
  plc.halt();
}

// The copies of a plant share nothing: each listens on its own port and keeps its own memory.
TEST(FakePlcStep, PlantCopiesHaveTheirOwnPortsAndMemory) {
  auto plant = plant_copies(course_config(), 2, 0);
  ASSERT_TRUE(plant.ok()) << plant.error().what();
  std::vector<std::unique_ptr<FakePlc>> plcs;
  for (const auto& c : plant->plcs) plcs.push_back(std::make_unique<FakePlc>(c, [](auto&) {}));
  for (auto& plc : plcs) ASSERT_TRUE(plc->listen().ok());
  EXPECT_NE(plcs[0]->port(), 0);
  EXPECT_NE(plcs[1]->port(), 0);
  EXPECT_NE(plcs[0]->port(), plcs[1]->port());
  const auto t0 = FakePlc::Clock::now();
  for (auto& plc : plcs) plc->begin(t0);
  plcs[0]->step(t0 + 1s);
  plcs[0]->step(t0 + 2s);
  EXPECT_EQ(plcs[0]->simulation().field_value("counter"), s7::Value(std::int64_t{2}));
  EXPECT_EQ(plcs[1]->simulation().field_value("counter"), s7::Value(std::int64_t{0}));
  for (auto& plc : plcs) plc->halt();
}

}  // namespace
}  // namespace sim
