// Tests of the signal generators: values at given ticks/times.
#include "sim/generators.hpp"

#include <gtest/gtest.h>

#include <chrono>

using namespace std::chrono_literals;

namespace sim {
namespace {

TEST(Counter, AddsStepPerTickFromStart) {
  Counter c{10, 2, std::nullopt};
  EXPECT_EQ(counter_value(c, 0), 10);
  EXPECT_EQ(counter_value(c, 1), 12);
  EXPECT_EQ(counter_value(c, 100), 210);
}

TEST(Counter, WrapReturnsToStartAfterWrapValue) {
  Counter c{0, 1, 9.0};
  EXPECT_EQ(counter_value(c, 9), 9);
  EXPECT_EQ(counter_value(c, 10), 0);
  EXPECT_EQ(counter_value(c, 23), 3);
  Counter by_two{0, 2, 10.0};
  EXPECT_EQ(counter_value(by_two, 5), 10);
  EXPECT_EQ(counter_value(by_two, 6), 0);
}

TEST(Ramp, RisesLinearlyOverPeriodThenRestarts) {
  Ramp r{0, 100, 10s};
  EXPECT_DOUBLE_EQ(ramp_value(r, 0s), 0);
  EXPECT_DOUBLE_EQ(ramp_value(r, 2500ms), 25);
  EXPECT_DOUBLE_EQ(ramp_value(r, 9s), 90);
  EXPECT_DOUBLE_EQ(ramp_value(r, 10s), 0);
  EXPECT_DOUBLE_EQ(ramp_value(r, 15s), 50);
}

TEST(Ramp, CanFall) {
  Ramp r{50, 10, 4s};
  EXPECT_DOUBLE_EQ(ramp_value(r, 1s), 40);
}

TEST(Sine, FollowsOffsetPlusAmplitudeSine) {
  Sine s{2, 10, 4s};
  EXPECT_NEAR(sine_value(s, 0s), 10, 1e-9);
  EXPECT_NEAR(sine_value(s, 1s), 12, 1e-9);
  EXPECT_NEAR(sine_value(s, 2s), 10, 1e-9);
  EXPECT_NEAR(sine_value(s, 3s), 8, 1e-9);
  EXPECT_NEAR(sine_value(s, 5s), 12, 1e-9);
}

TEST(Square, HighForDutyPartOfPeriod) {
  Square q{1, 5, 10s, 0.3};
  EXPECT_EQ(square_value(q, 0s), 5);
  EXPECT_EQ(square_value(q, 2999ms), 5);
  EXPECT_EQ(square_value(q, 3s), 1);
  EXPECT_EQ(square_value(q, 9s), 1);
  EXPECT_EQ(square_value(q, 10s), 5);
}

TEST(Toggle, FlipsEveryPeriodStartingWithInitial) {
  Toggle t{500ms, true};
  EXPECT_TRUE(toggle_value(t, 0ms));
  EXPECT_FALSE(toggle_value(t, 500ms));
  EXPECT_TRUE(toggle_value(t, 1000ms));
  EXPECT_FALSE(toggle_value(t, 1700ms));
  Toggle f{1s, false};
  EXPECT_FALSE(toggle_value(f, 0s));
  EXPECT_TRUE(toggle_value(f, 1s));
}

TEST(RandomWalk, SameSeedGivesSameValues) {
  RandomWalk w{42, 50, 2, 0, 100};
  RandomWalk same = w;
  for (std::uint64_t t : {0u, 1u, 7u, 100u})
    EXPECT_EQ(random_walk_value(w, t), random_walk_value(same, t));
  EXPECT_EQ(random_walk_value(w, 0), 50);
}

TEST(RandomWalk, DifferentSeedsDiverge) {
  RandomWalk a{1, 50, 2, 0, 100};
  RandomWalk b{2, 50, 2, 0, 100};
  EXPECT_NE(random_walk_value(a, 10), random_walk_value(b, 10));
}

TEST(RandomWalk, StepsAtMostStepAndStaysWithinBounds) {
  RandomWalk w{7, 0.5, 0.3, 0, 1};
  double prev = random_walk_value(w, 0);
  for (std::uint64_t t = 1; t <= 500; ++t) {
    double v = random_walk_next(w, prev, t);
    EXPECT_LE(std::abs(v - prev), 0.3 + 1e-12);
    EXPECT_GE(v, 0);
    EXPECT_LE(v, 1);
    prev = v;
  }
  EXPECT_EQ(prev, random_walk_value(w, 500));
}

TEST(GeneratorName, NamesEachKindAsTheConfigSpellsIt) {
  EXPECT_EQ(generator_name(Generator{RandomWalk{}}), "random_walk");
  EXPECT_EQ(generator_name(Generator{Copy{"x"}}), "copy");
  EXPECT_EQ(generator_name(Generator{NoGenerator{}}), "none");
}

}  // namespace
}  // namespace sim
