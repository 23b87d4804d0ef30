// Capped exponential backoff with uniform jitter.
#include "logger/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace logger {

Backoff::Backoff(BackoffPolicy policy, std::uint64_t seed) : policy_(policy), rng_(seed) {}

std::chrono::nanoseconds Backoff::nominal(std::uint32_t n) const {
  double d = static_cast<double>(policy_.initial.count()) *
             std::pow(policy_.factor, static_cast<double>(n));
  double cap = static_cast<double>(policy_.cap.count());
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::min(d, cap)));
}

std::chrono::nanoseconds Backoff::next() {
  auto base = nominal(attempt_);
  if (attempt_ < 1000) ++attempt_;
  if (policy_.jitter <= 0) return base;
  std::uniform_real_distribution<double> dist(1.0 - policy_.jitter, 1.0 + policy_.jitter);
  return std::chrono::nanoseconds(
      static_cast<std::int64_t>(static_cast<double>(base.count()) * dist(rng_)));
}

}  // namespace logger
