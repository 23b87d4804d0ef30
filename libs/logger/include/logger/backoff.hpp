// Reconnect delay policy: capped exponential backoff with +-jitter (0.5 s doubling to 30 s, +-20
// %).
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace logger {

struct BackoffPolicy {
  std::chrono::nanoseconds initial = std::chrono::milliseconds(500);
  double factor = 2.0;
  std::chrono::nanoseconds cap = std::chrono::seconds(30);
  double jitter = 0.2;  // each delay is the nominal delay times a uniform factor in [1-j, 1+j]
};

// Not thread-safe. next() gives the delay before the next attempt: initial, initial*factor, ...
// up to cap (the nominal value), each multiplied by the jitter factor. reset() after a success.
class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy = {}, std::uint64_t seed = std::random_device{}());
  std::chrono::nanoseconds next();
  // Nominal (jitter-free) delay of attempt `n` (0-based).
  std::chrono::nanoseconds nominal(std::uint32_t n) const;
  void reset() { attempt_ = 0; }
  std::uint32_t attempts() const { return attempt_; }

 private:
  BackoffPolicy policy_;
  std::mt19937_64 rng_;
  std::uint32_t attempt_ = 0;
};

}  // namespace logger
