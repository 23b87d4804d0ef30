// platform/sleep.hpp on POSIX: an absolute clock_nanosleep on CLOCK_MONOTONIC.
#include "platform/sleep.hpp"

#include <time.h>

#include <thread>

#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace platform {

void sleep_until(std::chrono::steady_clock::time_point deadline) {
#if defined(__linux__)
  // The kernel may delay a sleeping thread's wake-up by its timer slack (50 us by default) to
  // batch wake-ups; a sampling deadline wants the exact time. Once per thread.
  thread_local const bool slack_set = ::prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL) == 0;
  (void)slack_set;
  // steady_clock is CLOCK_MONOTONIC on Linux (libstdc++).
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch());
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(ns.count() / 1'000'000'000);
  ts.tv_nsec = static_cast<long>(ns.count() % 1'000'000'000);
  (void)::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);  // EINTR: the caller loops
#else
  std::this_thread::sleep_until(deadline);
#endif
}

void interrupt_sleeps() {}

SleepInfo sleep_info() {
  SleepInfo info;
#if defined(__linux__)
  info.method = "clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME), timer slack 1 ns";
#else
  info.method = "std::this_thread::sleep_until";
#endif
  timespec res{};
  if (::clock_getres(CLOCK_MONOTONIC, &res) == 0)
    info.resolution = std::chrono::seconds(res.tv_sec) + std::chrono::nanoseconds(res.tv_nsec);
  return info;
}

}  // namespace platform
