// The real clocks: steady_clock deadlines, system_clock timestamps, interruptible sleep.
#include "logger/clock.hpp"

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <thread>

#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace logger {

Clock::steady_time SystemClock::now() {
  return std::chrono::steady_clock::now();
}

Clock::wall_time SystemClock::wall_now() {
  return std::chrono::system_clock::now();
}

void SystemClock::sleep_until(steady_time t, const std::atomic<bool>* stop) {
  // One absolute sleep per deadline up to a second away (a slot at 1 s or faster wakes the
  // thread once): no polling slices. Longer waits go in 1 s slices so a stop flag set by
  // another thread is seen within a second. A signal (Ctrl+C) ends clock_nanosleep at once
  // with EINTR - Linux delivers a process signal to the main thread, where `run` sleeps - and
  // the flag is checked again.
  constexpr auto kSlice = std::chrono::seconds(1);
#if defined(__linux__)
  // The kernel may delay a sleeping thread's wake-up by its timer slack (50 us by default) to
  // batch wake-ups; a sampling deadline wants the exact time. Once per thread.
  thread_local const bool slack_set = ::prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL) == 0;
  (void)slack_set;
#endif
  for (;;) {
    if (stop != nullptr && stop->load()) return;
    const auto current = std::chrono::steady_clock::now();
    if (current >= t) return;
    const auto until = std::min<steady_time>(t, current + kSlice);
#if defined(__linux__)
    // steady_clock is CLOCK_MONOTONIC on Linux (libstdc++).
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(until.time_since_epoch());
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(ns.count() / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(ns.count() % 1'000'000'000);
    (void)::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);  // EINTR: loop
#else
    std::this_thread::sleep_until(until);
#endif
  }
}

}  // namespace logger
