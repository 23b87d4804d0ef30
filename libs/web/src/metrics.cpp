// Prometheus text exposition of logger::Stats (text format 0.0.4: HELP, TYPE, samples).
#include "web/metrics.hpp"

#include <array>
#include <atomic>

#include <fmt/format.h>

namespace web {

namespace {

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void simple(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            double value) {
  family(out, name, type, help);
  out += fmt::format("{} {}\n", name, value);
}

std::uint64_t load(const std::atomic<std::uint64_t>& a) {
  return a.load(std::memory_order_relaxed);
}

// Histogram: per-bucket counts are stored, Prometheus wants cumulative counts; _count is the
// sum of the buckets so it always equals the +Inf bucket even while readers race writers.
template <std::size_t N>
void histogram(std::string& out, const char* name, const char* help,
               const std::array<double, N>& bounds,
               const std::array<std::atomic<std::uint64_t>, N + 1>& buckets, std::uint64_t sum_ns) {
  family(out, name, "histogram", help);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < N; ++i) {
    cumulative += load(buckets[i]);
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, bounds[i], cumulative);
  }
  cumulative += load(buckets[N]);
  out += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n", name, cumulative);
  out += fmt::format("{}_sum {}\n", name, static_cast<double>(sum_ns) / 1e9);
  out += fmt::format("{}_count {}\n", name, cumulative);
}

}  // namespace

std::string render_metrics(const logger::Stats& st, const WebGauges& g) {
  std::string out;
  auto d = [](std::uint64_t v) { return static_cast<double>(v); };
  simple(out, "s7log_samples_written_total", "counter", "Rows handed to the sinks.",
         d(load(st.samples_written)));
  simple(out, "s7log_read_errors_total", "counter", "Failed read cycles plus item errors.",
         d(load(st.read_errors)));
  simple(out, "s7log_reconnects_total", "counter", "Reconnects to the PLC.",
         d(load(st.reconnects)));
  simple(out, "s7log_skipped_samples_total", "counter", "Sample slots missed by overrun or outage.",
         d(load(st.skipped_samples)));
  simple(out, "s7log_dropped_rows_total", "counter", "Rows lost past the write buffer bound.",
         d(load(st.dropped_rows)));
  simple(out, "s7log_console_lines_dropped_total", "counter",
         "LOG lines and messages dropped because stdout/stderr was blocked.",
         d(load(st.console_lines_dropped)));
  simple(out, "s7log_buffer_rows", "gauge", "Rows waiting to be written to the file.",
         d(load(st.buffered_rows)));
  simple(out, "s7log_buffer_capacity_rows", "gauge", "Capacity of the write buffer in rows.",
         d(load(st.buffer_capacity)));
  auto cap = load(st.buffer_capacity);
  simple(out, "s7log_buffer_fill_ratio", "gauge", "Write buffer fill (buffered / capacity).",
         cap ? d(load(st.buffered_rows)) / d(cap) : 0.0);

  family(out, "s7log_link_state", "gauge",
         "State of the PLC connection (1 for the current state).");
  auto link = st.link.load();
  for (auto s : {logger::LinkState::connecting, logger::LinkState::connected,
                 logger::LinkState::reconnecting, logger::LinkState::stopped}) {
    out += fmt::format("s7log_link_state{{state=\"{}\"}} {}\n", logger::to_string(s),
                       s == link ? 1 : 0);
  }
  simple(out, "s7log_last_sample_timestamp_seconds", "gauge",
         "Unix time of the last sample (0 before the first).",
         static_cast<double>(st.last_sample_unix_ms.load()) / 1000.0);

  histogram(out, "s7log_read_latency_seconds", "Duration of one read cycle.",
            logger::Stats::kLatencyBounds, st.latency_buckets, load(st.latency_sum_ns));
  histogram(out, "s7log_sample_lateness_seconds",
            "Delay from a sample slot's deadline to the start of its read (steady clock).",
            logger::Stats::kLatenessBounds, st.lateness_buckets, load(st.lateness_sum_ns));

  simple(out, "s7log_live_clients", "gauge", "Open live-page event streams.", d(g.live_clients));
  simple(out, "s7log_live_buffered_samples", "gauge", "Samples held for the live page.",
         d(g.live_buffered));
  simple(out, "s7log_live_capacity_samples", "gauge", "Samples the live page buffer can hold.",
         d(g.live_capacity));
  return out;
}

}  // namespace web
