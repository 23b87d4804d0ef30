// platform/sleep.hpp: a precise sleep until a steady_clock deadline (the sampling clock's wait).
#pragma once

#include <chrono>
#include <string>

namespace platform {

// Sleeps until std::chrono::steady_clock::now() >= deadline, as precisely as the system allows.
// It never returns before the deadline except when interrupted: on POSIX by a signal handled by
// this thread (the sleep ends with EINTR), on Windows by interrupt_sleeps(). Callers that must
// reach the deadline loop.
// - Linux: one clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME), with the thread's timer slack
//   set to 1 ns (once per thread) so the kernel does not batch the wake-up late.
// - Windows: a high-resolution waitable timer (CREATE_WAITABLE_TIMER_HIGH_RESOLUTION, Windows
//   10 1803+), else a plain waitable timer with timeBeginPeriod(1); it is set to wake 1.5 ms
//   early and the rest is spun on the steady clock, yielding (Wine 8's timers wake 1.06-1.3 ms
//   late and return at once for waits under 1 ms).
void sleep_until(std::chrono::steady_clock::time_point deadline);

// Ends every sleep_until() in progress at once (the caller's loop then looks at its stop flag).
// Windows: the console's stop handling calls it, as a signal interrupts a sleep on POSIX. POSIX:
// nothing (signals do it).
void interrupt_sleeps();

// How sleep_until waits and the timer resolution the system reports for it, for the docs and
// `--stats-json`: e.g. "clock_nanosleep(CLOCK_MONOTONIC), resolution 1 ns, timer slack 1 ns".
struct SleepInfo {
  std::string method;
  std::chrono::nanoseconds resolution{0};  // 0: unknown
};
SleepInfo sleep_info();

}  // namespace platform
