// Reconnect backoff policy: doubling, cap, jitter bounds, reset.
#include "logger/backoff.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace std::chrono_literals;

TEST(Backoff, DoublesFromHalfASecondUpToThirtySecondsWithoutJitter) {
  logger::BackoffPolicy p;
  p.jitter = 0;
  logger::Backoff b(p, 1);
  std::vector<std::chrono::nanoseconds> want{500ms, 1s, 2s, 4s, 8s, 16s, 30s, 30s, 30s};
  for (auto w : want) EXPECT_EQ(b.next(), w);
}

TEST(Backoff, JitterStaysWithinTwentyPercentAndVaries) {
  logger::Backoff b({}, 42);
  std::set<std::int64_t> seen;
  for (int round = 0; round < 200; ++round) {
    b.reset();
    for (std::uint32_t n = 0; n < 10; ++n) {
      auto d = b.next();
      auto nominal = b.nominal(n);
      EXPECT_GE(d.count(), static_cast<std::int64_t>(0.8 * static_cast<double>(nominal.count())));
      EXPECT_LE(d.count(), static_cast<std::int64_t>(1.2 * static_cast<double>(nominal.count())));
      if (n == 0) seen.insert(d.count());
    }
  }
  EXPECT_GT(seen.size(), 100u);  // different delays, so many loggers do not retry in lockstep
}

TEST(Backoff, ResetStartsAgainFromTheInitialDelay) {
  logger::BackoffPolicy p;
  p.jitter = 0;
  logger::Backoff b(p, 1);
  (void)b.next();
  (void)b.next();
  EXPECT_EQ(b.attempts(), 2u);
  b.reset();
  EXPECT_EQ(b.next(), 500ms);
}

TEST(Backoff, CapHoldsForVeryLongOutages) {
  logger::BackoffPolicy p;
  p.jitter = 0;
  logger::Backoff b(p, 1);
  std::chrono::nanoseconds last{};
  for (int i = 0; i < 5000; ++i) last = b.next();
  EXPECT_EQ(last, 30s);
}
