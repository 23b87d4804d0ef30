// Tests of the fault timeline (active faults at t, start/end events) and the fault flags.
#include "sim/faults.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;

namespace sim {
namespace {

Fault window(FaultKind k, Nanos start, Nanos duration) {
  Fault f;
  f.kind = k;
  f.start = start;
  f.duration = duration;
  return f;
}

TEST(FaultTimeline, WindowIsActiveFromStartUntilEnd) {
  FaultTimeline t({window(FaultKind::refuse, 5s, 10s)});
  EXPECT_TRUE(t.active_at(4999ms).empty());
  EXPECT_EQ(t.active_at(5s), std::vector<std::size_t>{0});
  EXPECT_EQ(t.active_at(14s), std::vector<std::size_t>{0});
  EXPECT_TRUE(t.active_at(15s).empty());
}

TEST(FaultTimeline, WithoutDurationStaysActive) {
  Fault f;
  f.kind = FaultKind::delay;
  f.delay = 200ms;
  FaultTimeline t({f});
  EXPECT_EQ(t.active_at(0s).size(), 1u);
  EXPECT_EQ(t.active_at(10h).size(), 1u);
}

TEST(FaultTimeline, RepeatsEveryPeriod) {
  Fault f = window(FaultKind::stop, 10s, 2s);
  f.every = 30s;
  FaultTimeline t({f});
  EXPECT_EQ(t.active_at(11s).size(), 1u);
  EXPECT_TRUE(t.active_at(12s).empty());
  EXPECT_TRUE(t.active_at(39s).empty());
  EXPECT_EQ(t.active_at(41s).size(), 1u);
}

TEST(FaultTimeline, DropIsNeverActiveButHasEvents) {
  auto f = parse_drop_every("10s");
  ASSERT_TRUE(f.ok());
  FaultTimeline t({*f});
  EXPECT_TRUE(t.active_at(10s).empty());
  auto ev = t.events(0s, 35s);
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0], (FaultEvent{10s, 0, true}));
  EXPECT_EQ(ev[1], (FaultEvent{20s, 0, true}));
  EXPECT_EQ(ev[2], (FaultEvent{30s, 0, true}));
}

TEST(FaultTimeline, EventsInHalfOpenSlicesAreReportedOnce) {
  FaultTimeline t({window(FaultKind::refuse, 5s, 10s), window(FaultKind::delay, 15s, 1s)});
  std::vector<FaultEvent> all;
  for (Nanos at = 0s; at < 20s; at += 500ms) {
    auto ev = t.events(at, at + 500ms);
    all.insert(all.end(), ev.begin(), ev.end());
  }
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0], (FaultEvent{5s, 0, true}));
  // At 15 s the refuse window ends before the delay begins.
  EXPECT_EQ(all[1], (FaultEvent{15s, 0, false}));
  EXPECT_EQ(all[2], (FaultEvent{15s, 1, true}));
  EXPECT_EQ(all[3], (FaultEvent{16s, 1, false}));
}

TEST(FaultTimeline, RepeatedWindowHasBeginAndEndEachTime) {
  Fault f = window(FaultKind::refuse, 0s, 1s);
  f.every = 4s;
  FaultTimeline t({f});
  auto ev = t.events(3s, 10s);
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[0], (FaultEvent{4s, 0, true}));
  EXPECT_EQ(ev[1], (FaultEvent{5s, 0, false}));
  EXPECT_EQ(ev[2], (FaultEvent{8s, 0, true}));
  EXPECT_EQ(ev[3], (FaultEvent{9s, 0, false}));
}

TEST(FaultFlags, RefuseTakesAWindow) {
  auto f = parse_refuse("5s..15s");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->start, 5s);
  EXPECT_EQ(*f->duration, 10s);
  EXPECT_FALSE(parse_refuse("15s..5s").ok());
  EXPECT_FALSE(parse_refuse("5s").ok());
}

TEST(FaultFlags, DelayWithOptionalWindow) {
  auto always = parse_delay("200ms");
  ASSERT_TRUE(always.ok());
  EXPECT_EQ(always->delay, 200ms);
  EXPECT_FALSE(always->duration.has_value());
  auto windowed = parse_delay("1s@2s..3s");
  ASSERT_TRUE(windowed.ok());
  EXPECT_EQ(windowed->delay, 1s);
  EXPECT_EQ(windowed->start, 2s);
  EXPECT_EQ(*windowed->duration, 1s);
  EXPECT_FALSE(parse_delay("fast").ok());
}

TEST(FaultFlags, ItemErrorTakesFieldAndHexCode) {
  auto f = parse_item_error("pressure=0x0A");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->field, "pressure");
  EXPECT_EQ(f->code, 0x0A);
  auto dec = parse_item_error("counter=5");
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(dec->code, 5);
  EXPECT_FALSE(parse_item_error("pressure").ok());
  EXPECT_FALSE(parse_item_error("pressure=0x100").ok());
  auto bad = parse_item_error("=5");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().what().find("--item-error"), std::string::npos);
}

TEST(FaultFlags, StopAtWithAndWithoutDuration) {
  auto f = parse_stop("10s", "5s");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->start, 10s);
  EXPECT_EQ(*f->duration, 5s);
  auto forever = parse_stop("1s", "");
  ASSERT_TRUE(forever.ok());
  EXPECT_FALSE(forever->duration.has_value());
}

TEST(FaultValidate, RejectsEveryWithoutShorterDuration) {
  Fault f = window(FaultKind::refuse, 0s, 5s);
  f.every = 5s;
  EXPECT_FALSE(validate(f).ok());
  f.every = 6s;
  EXPECT_TRUE(validate(f).ok());
  Fault drop;
  drop.duration = 1s;
  EXPECT_FALSE(validate(drop).ok());
}

TEST(FaultDescribe, SaysWhatHappens) {
  auto f = parse_item_error("pressure=0x0A");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(describe(*f), "item error 0x0A on pressure");
  EXPECT_EQ(describe(*parse_delay("200ms")), "delay answers by 200ms");
}

}  // namespace
}  // namespace sim
