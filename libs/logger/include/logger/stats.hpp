// Counters and state of a running logger, readable from any thread (for /metrics and the page).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace logger {

enum class LinkState : std::uint8_t { connecting, connected, reconnecting, stopped };

struct Stats {
  std::atomic<std::uint64_t> samples_written{0};  // rows handed to the sinks
  std::atomic<std::uint64_t> read_errors{0};      // failed cycles (comm) + item errors
  std::atomic<std::uint64_t> reconnects{0};
  std::atomic<std::uint64_t> skipped_samples{0};  // slots missed by overrun or outage
  std::atomic<std::uint64_t> dropped_rows{0};     // rows lost past the buffer bound
  std::atomic<std::uint64_t> buffered_rows{0};    // rows waiting for the file (buffer fill)
  std::atomic<std::uint64_t> buffer_capacity{0};
  std::atomic<LinkState> link{LinkState::connecting};
  std::atomic<std::int64_t> last_sample_unix_ms{0};

  // Read latency histogram (seconds buckets, Prometheus style, cumulative when exported).
  static constexpr std::array<double, 10> kLatencyBounds{0.0005, 0.001, 0.002, 0.005, 0.01,
                                                         0.02,   0.05,  0.1,   0.5,   1.0};
  std::array<std::atomic<std::uint64_t>, kLatencyBounds.size() + 1> latency_buckets{};  // last: +Inf
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
};

}  // namespace logger
