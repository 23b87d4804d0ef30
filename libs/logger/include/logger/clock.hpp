// Time source of the scheduler: steady now() for deadlines, wall_now() for timestamps,
// sleep_until().
#pragma once

#include <atomic>
#include <chrono>

namespace logger {

// The scheduler owns time through this interface so tests can run a day in milliseconds.
class Clock {
 public:
  using steady_time = std::chrono::steady_clock::time_point;
  using wall_time = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual steady_time now() = 0;
  virtual wall_time wall_now() = 0;
  // Returns at `t` or soon after `*stop` becomes true (for the system clock: at once when a
  // signal interrupts the sleeping thread or, on Windows, the console's stop handling ends the
  // sleeps; else within 1 s).
  virtual void sleep_until(steady_time t, const std::atomic<bool>* stop = nullptr) = 0;
};

// The real clocks.
class SystemClock : public Clock {
 public:
  steady_time now() override;
  wall_time wall_now() override;
  void sleep_until(steady_time t, const std::atomic<bool>* stop = nullptr) override;
};

// A clock that only moves when told: sleep_until() jumps to the deadline; wall time follows
// steady time from the wall start given. Single-threaded use.
class FakeClock : public Clock {
 public:
  explicit FakeClock(wall_time wall_start = wall_time{}) : wall_start_(wall_start) {}
  steady_time now() override { return now_; }
  wall_time wall_now() override {
    const auto elapsed = now_ - steady_time{};
    const auto slewed = slew_per_second_ * (elapsed.count() / 1'000'000'000);
    return wall_start_ + std::chrono::duration_cast<wall_time::duration>(elapsed) +
           std::chrono::duration_cast<wall_time::duration>(wall_offset_ + slewed);
  }
  // Moves the wall clock against the steady clock: once (a step), or by `per_second` for every
  // whole second of steady time (NTP slewing it; a timer that wakes a little early).
  void shift_wall(std::chrono::nanoseconds d) { wall_offset_ += d; }
  void slew_wall(std::chrono::nanoseconds per_second) { slew_per_second_ = per_second; }
  void sleep_until(steady_time t, const std::atomic<bool>* = nullptr) override {
    if (t > now_) now_ = t;
    ++sleeps_;
  }
  void advance(std::chrono::nanoseconds d) { now_ += d; }
  std::uint64_t sleeps() const { return sleeps_; }

 private:
  wall_time wall_start_;
  steady_time now_{};
  std::chrono::nanoseconds wall_offset_{0};
  std::chrono::nanoseconds slew_per_second_{0};
  std::uint64_t sleeps_ = 0;
};

}  // namespace logger
