// Counters and state of a running logger, readable from any thread (for /metrics and the page).
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace logger {

enum class LinkState : std::uint8_t { connecting, connected, reconnecting, stopped };

// "connecting", "connected", "reconnecting", "stopped" (for /metrics and the live page).
constexpr const char* to_string(LinkState s) {
  switch (s) {
    case LinkState::connecting:
      return "connecting";
    case LinkState::connected:
      return "connected";
    case LinkState::reconnecting:
      return "reconnecting";
    case LinkState::stopped:
      return "stopped";
  }
  return "stopped";
}

struct Stats {
  std::atomic<std::uint64_t> samples_written{0};  // rows handed to the sinks
  std::atomic<std::uint64_t> read_errors{0};      // failed cycles (comm) + item errors
  std::atomic<std::uint64_t> reconnects{0};
  std::atomic<std::uint64_t> skipped_samples{0};  // slots missed by overrun or outage
  std::atomic<std::uint64_t> dropped_rows{0};     // rows lost past the buffer bound
  // Console lines (LOG:, messages) dropped because stdout/stderr was blocked (platform::LineWriter)
  std::atomic<std::uint64_t> console_lines_dropped{0};
  std::atomic<std::uint64_t> buffered_rows{0};  // rows waiting for the file (buffer fill)
  std::atomic<std::uint64_t> buffer_capacity{0};
  std::atomic<LinkState> link{LinkState::connecting};
  std::atomic<std::int64_t> last_sample_unix_ms{0};

  // Read latency histogram (seconds buckets, Prometheus style, cumulative when exported).
  static constexpr std::array<double, 10> kLatencyBounds{0.0005, 0.001, 0.002, 0.005, 0.01,
                                                         0.02,   0.05,  0.1,   0.5,   1.0};
  std::array<std::atomic<std::uint64_t>, kLatencyBounds.size() + 1>
      latency_buckets{};  // last: +Inf
  std::atomic<std::uint64_t> latency_count{0};
  std::atomic<std::uint64_t> latency_sum_ns{0};

  void observe_latency(std::chrono::nanoseconds d) {
    double s = static_cast<double>(d.count()) / 1e9;
    std::size_t i = 0;
    while (i < kLatencyBounds.size() && s > kLatencyBounds[i]) ++i;
    latency_buckets[i].fetch_add(1, std::memory_order_relaxed);
    latency_count.fetch_add(1, std::memory_order_relaxed);
    latency_sum_ns.fetch_add(static_cast<std::uint64_t>(d.count()), std::memory_order_relaxed);
  }

  // Sample lateness: how long after its slot's deadline (steady clock) a read started. Finer
  // buckets than latency: the scheduler aims at well under a millisecond.
  static constexpr std::array<double, 14> kLatenessBounds{0.00001, 0.00002, 0.00005, 0.0001, 0.0002,
                                                          0.0005,  0.001,   0.002,   0.005,  0.01,
                                                          0.02,    0.05,    0.1,     1.0};
  std::array<std::atomic<std::uint64_t>, kLatenessBounds.size() + 1> lateness_buckets{};  // +Inf
  std::atomic<std::uint64_t> lateness_count{0};
  std::atomic<std::uint64_t> lateness_sum_ns{0};
  std::atomic<std::uint64_t> lateness_max_ns{0};

  void observe_lateness(std::chrono::nanoseconds d) {
    const auto ns = static_cast<std::uint64_t>(std::max<std::int64_t>(d.count(), 0));
    const double s = static_cast<double>(ns) / 1e9;
    std::size_t i = 0;
    while (i < kLatenessBounds.size() && s > kLatenessBounds[i]) ++i;
    lateness_buckets[i].fetch_add(1, std::memory_order_relaxed);
    lateness_count.fetch_add(1, std::memory_order_relaxed);
    lateness_sum_ns.fetch_add(ns, std::memory_order_relaxed);
    auto max = lateness_max_ns.load(std::memory_order_relaxed);
    while (ns > max && !lateness_max_ns.compare_exchange_weak(max, ns, std::memory_order_relaxed)) {
    }
  }

  // Quantile q (0..1) of the lateness in seconds, interpolated linearly inside its bucket
  // (Prometheus histogram_quantile style; the +Inf bucket answers with the maximum seen).
  double lateness_quantile(double q) const {
    std::uint64_t total = 0;
    for (const auto& b : lateness_buckets) total += b.load(std::memory_order_relaxed);
    if (total == 0) return 0.0;
    const double rank = q * static_cast<double>(total);
    std::uint64_t below = 0;
    for (std::size_t i = 0; i < lateness_buckets.size(); ++i) {
      const auto n = lateness_buckets[i].load(std::memory_order_relaxed);
      if (n > 0 && static_cast<double>(below + n) >= rank) {
        if (i == kLatenessBounds.size())
          return static_cast<double>(lateness_max_ns.load(std::memory_order_relaxed)) / 1e9;
        const double lo = i == 0 ? 0.0 : kLatenessBounds[i - 1];
        const double frac = (rank - static_cast<double>(below)) / static_cast<double>(n);
        return lo + (kLatenessBounds[i] - lo) * std::clamp(frac, 0.0, 1.0);
      }
      below += n;
    }
    return static_cast<double>(lateness_max_ns.load(std::memory_order_relaxed)) / 1e9;
  }
};

}  // namespace logger
