// Clocks: the fake clock jumps to deadlines; the system clock's sleep obeys the stop flag.
#include "logger/clock.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;

TEST(FakeClock, SleepJumpsToTheDeadlineAndWallFollows) {
  logger::FakeClock c{std::chrono::system_clock::time_point{std::chrono::seconds(1000)}};
  auto t0 = c.now();
  c.sleep_until(t0 + 1500ms);
  EXPECT_EQ(c.now() - t0, 1500ms);
  EXPECT_EQ(c.wall_now().time_since_epoch(), 1001500ms);
  c.sleep_until(t0);  // the past: no move
  EXPECT_EQ(c.now() - t0, 1500ms);
}

TEST(SystemClock, StopFlagEndsAnHourLongSleep) {
  logger::SystemClock c;
  std::atomic<bool> stop{true};
  c.sleep_until(c.now() + std::chrono::hours(1), &stop);  // returns, or the test hangs
  SUCCEED();
}
