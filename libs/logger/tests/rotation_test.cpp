// File name patterns and rotation boundaries, including the DST changes of Europe/Copenhagen.
#include "logger/rotation.hpp"
#include "platform/time.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include <cstdlib>
#include <ctime>

namespace {
struct Tz {
  explicit Tz(const char* zone) {
    if (!platform::use_zone_for_tests(zone))
      std::fprintf(stderr, "these tests expect local time in %s (on Windows: the system zone)\n",
                   zone);
  }
};
const Tz kCopenhagen("Europe/Copenhagen");
std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
  return std::chrono::system_clock::time_point{std::chrono::seconds(unix_seconds)};
}
}  // namespace

TEST(FilePattern, InsertsDateFieldsBeforeTheExtension) {
  EXPECT_EQ(logger::file_pattern("log.csv", logger::Rotation::hourly), "log_%Y%m%d_%H.csv");
  EXPECT_EQ(logger::file_pattern("log.csv", logger::Rotation::daily), "log_%Y%m%d.csv");
  EXPECT_EQ(logger::file_pattern("data/plant.csv", logger::Rotation::daily),
            "data/plant_%Y%m%d.csv");
  EXPECT_EQ(logger::file_pattern("log.csv", logger::Rotation::none), "log.csv");
}

TEST(FilePattern, PatternWithFieldsIsKeptAsGiven) {
  EXPECT_EQ(logger::file_pattern("x/%Y/%m/log_%d.csv", logger::Rotation::daily),
            "x/%Y/%m/log_%d.csv");
}

TEST(ExpandPattern, UsesLocalTime) {
  // 2026-11-24T09:15:03Z is 10:15 in Copenhagen.
  EXPECT_EQ(logger::expand_pattern("log_%Y%m%d_%H.csv", at(1795511703)), "log_20261124_10.csv");
}

TEST(ExpandPattern, HourBoundaryChangesTheName) {
  auto last = at(1795514399);  // 10:59:59 local
  EXPECT_EQ(logger::expand_pattern("log_%Y%m%d_%H.csv", last), "log_20261124_10.csv");
  EXPECT_EQ(logger::expand_pattern("log_%Y%m%d_%H.csv", last + std::chrono::seconds(1)),
            "log_20261124_11.csv");
}

TEST(ExpandPattern, DayBoundaryAtLocalMidnightNotUtc) {
  auto t = at(1798757940);  // 2026-12-31T22:59:00Z = 23:59 local
  EXPECT_EQ(logger::expand_pattern("log_%Y%m%d.csv", t), "log_20261231.csv");
  EXPECT_EQ(logger::expand_pattern("log_%Y%m%d.csv", t + std::chrono::minutes(1)),
            "log_20270101.csv");
}

TEST(ExpandPattern, SpringForwardSkipsTheMissingHour) {
  auto t = at(1774745940);  // 2026-03-29T00:59Z = 01:59 CET; the next minute is 03:00 CEST
  EXPECT_EQ(logger::expand_pattern("log_%Y%m%d_%H.csv", t), "log_20260329_01.csv");
  EXPECT_EQ(logger::expand_pattern("log_%Y%m%d_%H.csv", t + std::chrono::minutes(1)),
            "log_20260329_03.csv");
}

TEST(ExpandPattern, FallBackRepeatsTheHourIntoTheSameFile) {
  auto t = at(1792889940);  // 2026-10-25T00:59Z = 02:59 CEST; the next minute is 02:00 CET
  EXPECT_EQ(logger::expand_pattern("log_%Y%m%d_%H.csv", t), "log_20261025_02.csv");
  EXPECT_EQ(logger::expand_pattern("log_%Y%m%d_%H.csv", t + std::chrono::minutes(1)),
            "log_20261025_02.csv");
  EXPECT_EQ(logger::expand_pattern("log_%Y%m%d_%H.csv", t + std::chrono::minutes(61)),
            "log_20261025_03.csv");
}

TEST(ParseRotation, AcceptsTheThreeModes) {
  EXPECT_EQ(logger::parse_rotation("hourly"), logger::Rotation::hourly);
  EXPECT_EQ(logger::parse_rotation("daily"), logger::Rotation::daily);
  EXPECT_EQ(logger::parse_rotation("none"), logger::Rotation::none);
  EXPECT_FALSE(logger::parse_rotation("weekly"));
}
