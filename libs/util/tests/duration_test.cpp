#include "util/duration.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;

TEST(ParseDuration, AcceptsUnits) {
  EXPECT_EQ(util::parse_duration("500ms"), std::chrono::nanoseconds(500ms));
  EXPECT_EQ(util::parse_duration("0.5s"), std::chrono::nanoseconds(500ms));
  EXPECT_EQ(util::parse_duration("2min"), std::chrono::nanoseconds(120s));
  EXPECT_EQ(util::parse_duration("1"), std::chrono::nanoseconds(1s));
  EXPECT_EQ(util::parse_duration("10 ms"), std::nullopt);  // inner space is not a unit
}

TEST(ParseDuration, RejectsGarbage) {
  EXPECT_EQ(util::parse_duration("fast"), std::nullopt);
  EXPECT_EQ(util::parse_duration("-1s"), std::nullopt);
  EXPECT_EQ(util::parse_duration("1parsec"), std::nullopt);
  // Too long for 64-bit nanoseconds: refused, not wrapped (found by fuzzing the config loader).
  EXPECT_EQ(util::parse_duration("7777777777777777777777777777"), std::nullopt);
  EXPECT_EQ(util::parse_duration("1e300h"), std::nullopt);
}

TEST(FormatDuration, PicksLargestExactUnit) {
  EXPECT_EQ(util::format_duration(1500ms), "1500ms");
  EXPECT_EQ(util::format_duration(2s), "2s");
  EXPECT_EQ(util::format_duration(120s), "2min");
}

TEST(FormatDuration, RoundTripsThroughParseAtAnyResolution) {
  for (long long ns : {1LL, 999LL, 1'000LL, 1'588'888'889LL, 20'000'000LL, 3'600'000'000'000LL}) {
    std::chrono::nanoseconds d(ns);
    EXPECT_EQ(util::parse_duration(util::format_duration(d)), d) << util::format_duration(d);
  }
}
