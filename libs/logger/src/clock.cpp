// The real clocks: steady_clock deadlines, system_clock timestamps, interruptible sleep.
#include "logger/clock.hpp"

#include <algorithm>

#include "platform/sleep.hpp"

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
  // another thread is seen within a second. A stop request ends platform::sleep_until at once
  // (POSIX: the signal interrupts the main thread's sleep - Linux delivers a process signal to the
  // main thread, where `run` sleeps; Windows: the console's stop handling interrupts sleeps) and
  // the flag is checked again.
  constexpr auto kSlice = std::chrono::seconds(1);
  for (;;) {
    if (stop != nullptr && stop->load()) return;
    const auto current = std::chrono::steady_clock::now();
    if (current >= t) return;
    platform::sleep_until(std::min<steady_time>(t, current + kSlice));
  }
}

}  // namespace logger
