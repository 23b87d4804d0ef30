// platform/sleep.hpp: sleep_until never returns before its deadline (precision is not asserted:
// tests never assert wall-clock times), and interrupt_sleeps() ends a sleep (Windows).
#include "platform/sleep.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

namespace {

TEST(SleepUntil, NeverReturnsBeforeTheDeadline) {
  for (auto d : {0us, 1us, 50us, 300us, 999us, 1000us, 1500us, 3000us, 20000us}) {
    for (int i = 0; i < 5; ++i) {
      const auto deadline = SteadyClock::now() + d;
      platform::sleep_until(deadline);
      ASSERT_GE(SteadyClock::now(), deadline) << d.count() << " us";
    }
  }
}

TEST(SleepUntil, ADeadlineInThePastReturns) {
  const auto deadline = SteadyClock::now() - 1s;
  platform::sleep_until(deadline);
  SUCCEED();
}

TEST(SleepUntil, SleepsOnManyThreadsAtOnce) {
  std::atomic<int> early{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&early] {
      for (int i = 0; i < 10; ++i) {
        const auto deadline = SteadyClock::now() + 2ms;
        platform::sleep_until(deadline);
        if (SteadyClock::now() < deadline) ++early;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(early.load(), 0);
}

TEST(SleepUntil, InterruptSleepsEndsASleep) {
#ifdef _WIN32
  const auto deadline = SteadyClock::now() + 60s;
  std::atomic<bool> done{false};
  std::thread sleeper([&] {
    platform::sleep_until(deadline);
    done.store(true);
  });
  // Until the sleeper is asleep, an interrupt finds nobody: repeat until it ends.
  while (!done.load()) {
    platform::interrupt_sleeps();
    std::this_thread::sleep_for(10ms);
  }
  sleeper.join();
  EXPECT_LT(SteadyClock::now(), deadline);
  // Later sleeps are not affected.
  const auto next = SteadyClock::now() + 2ms;
  platform::sleep_until(next);
  EXPECT_GE(SteadyClock::now(), next);
#else
  GTEST_SKIP() << "POSIX: a signal ends the sleep (EINTR); interrupt_sleeps() does nothing there";
#endif
}

TEST(SleepInfo, SaysHowItWaits) {
  const platform::SleepInfo info = platform::sleep_info();
  EXPECT_FALSE(info.method.empty());
  EXPECT_GE(info.resolution.count(), 0);
  std::cout << "[ info ] sleep_until: " << info.method << "; timer resolution "
            << info.resolution.count() << " ns\n";
}

}  // namespace
