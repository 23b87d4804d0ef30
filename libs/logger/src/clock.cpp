// The real clocks: steady_clock deadlines, system_clock timestamps, interruptible sleep.
#include "logger/clock.hpp"

#include <algorithm>
#include <thread>

namespace logger {

Clock::steady_time SystemClock::now() {
  return std::chrono::steady_clock::now();
}

Clock::wall_time SystemClock::wall_now() {
  return std::chrono::system_clock::now();
}

void SystemClock::sleep_until(steady_time t, const std::atomic<bool>* stop) {
  // Sleep in slices so a stop request (set from a signal handler) is seen quickly.
  constexpr auto kSlice = std::chrono::milliseconds(50);
  for (;;) {
    if (stop != nullptr && stop->load()) return;
    auto current = std::chrono::steady_clock::now();
    if (current >= t) return;
    std::this_thread::sleep_until(std::min<steady_time>(t, current + kSlice));
  }
}

}  // namespace logger
