// The course's `LOG: {...}` console line.
#include "logger/console_sink.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "logger/tag.hpp"
#include "platform/time.hpp"

TEST(ConsoleSink, PrintsTheRowLikeThePythonDict) {
  ASSERT_TRUE(platform::use_zone_for_tests("Europe/Copenhagen"));
  logger::ConsoleSink c({});
  ASSERT_TRUE(c.open(logger::course_tags()).ok());
  logger::Sample s;
  s.ts = std::chrono::system_clock::time_point{std::chrono::seconds(1795511703)};
  s.values = {{s7::Value(std::int64_t{42})},
              {s7::Value(std::int64_t{25})},
              {s7::Value(1.23f)},
              {s7::Value(false)},
              {std::nullopt, logger::Quality::item_error}};
  EXPECT_EQ(c.line(s),
            "LOG: {'ts': '2026-11-24T10:15:03', 'counter': 42, 'temperature': 25, "
            "'pressure': 1.23, 'alarm': False, 'mode_ro': None}");
}
