// Prometheus text exposition of logger::Stats (text format 0.0.4: HELP, TYPE, samples), the
// totals and the families per PLC, per group and per network output.
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

double d(std::uint64_t v) {
  return static_cast<double>(v);
}

// `labels` is the inside of the braces ('plc="a",group="b"'), possibly empty.
std::string with_labels(std::string_view name, std::string_view labels) {
  return labels.empty() ? std::string(name) : fmt::format("{}{{{}}}", name, labels);
}

// Histogram samples: per-bucket counts are stored, Prometheus wants cumulative counts; _count is
// the sum of the buckets so it always equals the +Inf bucket even while readers race writers.
template <std::size_t N>
void histogram_samples(std::string& out, std::string_view name, std::string_view labels,
                       const std::array<double, N>& bounds,
                       const std::array<std::atomic<std::uint64_t>, N + 1>& buckets,
                       std::uint64_t sum_ns) {
  const std::string prefix = labels.empty() ? std::string() : std::string(labels) + ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < N; ++i) {
    cumulative += load(buckets[i]);
    out += fmt::format("{}_bucket{{{}le=\"{}\"}} {}\n", name, prefix, bounds[i], cumulative);
  }
  cumulative += load(buckets[N]);
  out += fmt::format("{}_bucket{{{}le=\"+Inf\"}} {}\n", name, prefix, cumulative);
  out += fmt::format("{} {}\n", with_labels(std::string(name) + "_sum", labels),
                     static_cast<double>(sum_ns) / 1e9);
  out += fmt::format("{} {}\n", with_labels(std::string(name) + "_count", labels), cumulative);
}

constexpr logger::LinkState kLinkStates[] = {
    logger::LinkState::connecting, logger::LinkState::connected, logger::LinkState::reconnecting,
    logger::LinkState::stopped};

std::string plc_labels(const logger::NamedStats& n) {
  return fmt::format("plc=\"{}\"", escape_label_value(n.plc));
}

std::string group_labels(const logger::NamedStats& n) {
  return fmt::format("plc=\"{}\",group=\"{}\"", escape_label_value(n.plc),
                     escape_label_value(n.group));
}

using List = std::vector<const logger::NamedStats*>;

// One family with a sample per entry of `list`: `value` reads it, `labels` names it.
template <class Labels, class Value>
void per_entry(std::string& out, const List& list, std::string_view name, std::string_view type,
               std::string_view help, Labels labels, Value value) {
  family(out, name, type, help);
  for (const auto* n : list) out += fmt::format("{}{{{}}} {}\n", name, labels(*n), value(n->stats));
}

void render_plcs(std::string& out, const List& plcs) {
  family(out, "s7log_plc_link_state", "gauge",
         "State of each PLC's connection (1 for the current state).");
  for (const auto* n : plcs) {
    const auto link = n->stats.link.load();
    for (auto s : kLinkStates) {
      out += fmt::format("s7log_plc_link_state{{{},state=\"{}\"}} {}\n", plc_labels(*n),
                         logger::to_string(s), s == link ? 1 : 0);
    }
  }
  per_entry(out, plcs, "s7log_plc_reads_total", "counter", "Read requests sent to the PLC.",
            plc_labels, [](const logger::Stats& s) { return d(load(s.latency_count)); });
  per_entry(out, plcs, "s7log_plc_read_errors_total", "counter",
            "Failed read cycles plus item errors of the PLC.", plc_labels,
            [](const logger::Stats& s) { return d(load(s.read_errors)); });
  per_entry(out, plcs, "s7log_plc_reconnects_total", "counter", "Reconnects to the PLC.",
            plc_labels, [](const logger::Stats& s) { return d(load(s.reconnects)); });
  family(out, "s7log_plc_read_latency_seconds", "histogram",
         "Duration of one read request to the PLC.");
  for (const auto* n : plcs) {
    histogram_samples(out, "s7log_plc_read_latency_seconds", plc_labels(*n),
                      logger::Stats::kLatencyBounds, n->stats.latency_buckets,
                      load(n->stats.latency_sum_ns));
  }
}

void render_groups(std::string& out, const List& groups) {
  per_entry(out, groups, "s7log_group_samples_written_total", "counter",
            "Rows of the group handed to the sinks.", group_labels,
            [](const logger::Stats& s) { return d(load(s.samples_written)); });
  per_entry(out, groups, "s7log_group_skipped_samples_total", "counter",
            "Sample slots of the group missed by overrun or outage.", group_labels,
            [](const logger::Stats& s) { return d(load(s.skipped_samples)); });
  per_entry(out, groups, "s7log_group_item_errors_total", "counter",
            "Item errors of the group's tags.", group_labels,
            [](const logger::Stats& s) { return d(load(s.read_errors)); });
  per_entry(out, groups, "s7log_group_last_sample_timestamp_seconds", "gauge",
            "Unix time of the group's last sample (0 before the first).", group_labels,
            [](const logger::Stats& s) {
              return static_cast<double>(s.last_sample_unix_ms.load()) / 1000.0;
            });
  family(out, "s7log_group_sample_lateness_seconds", "histogram",
         "Delay from a slot's deadline to the start of its read, per group (steady clock).");
  for (const auto* n : groups) {
    histogram_samples(out, "s7log_group_sample_lateness_seconds", group_labels(*n),
                      logger::Stats::kLatenessBounds, n->stats.lateness_buckets,
                      load(n->stats.lateness_sum_ns));
  }
  per_entry(out, groups, "s7log_group_sample_lateness_max_seconds", "gauge",
            "The largest lateness of the group so far.", group_labels,
            [](const logger::Stats& s) { return d(load(s.lateness_max_ns)) / 1e9; });
}

using SinkList = std::vector<const logger::SinkStats*>;

// One family with a sample per network output (label output).
template <class Value>
void per_sink(std::string& out, const SinkList& sinks, std::string_view name, std::string_view type,
              std::string_view help, Value value) {
  family(out, name, type, help);
  for (const auto* s : sinks)
    out += fmt::format("{}{{output=\"{}\"}} {}\n", name, escape_label_value(s->name), value(*s));
}

void render_sinks(std::string& out, const SinkList& sinks, std::int64_t now_ms) {
  using S = logger::SinkStats;
  per_sink(out, sinks, "s7log_output_queue_depth", "gauge",
           "Samples waiting in the output's queue.",
           [](const S& s) { return d(s.queue_depth.load(std::memory_order_relaxed)); });
  per_sink(out, sinks, "s7log_output_spool_bytes", "gauge", "Bytes in the output's disk spool.",
           [](const S& s) { return d(load(s.spool_bytes)); });
  per_sink(out, sinks, "s7log_output_spool_records", "gauge",
           "Samples waiting in the output's disk spool.",
           [](const S& s) { return d(load(s.spool_records)); });
  per_sink(out, sinks, "s7log_output_oldest_spooled_age_seconds", "gauge",
           "Age of the oldest sample in the output's spool (0 when the spool is empty).",
           [now_ms](const S& s) {
             const auto oldest = s.oldest_spooled_ms.load(std::memory_order_relaxed);
             if (oldest <= 0 || now_ms <= oldest) return 0.0;
             return static_cast<double>(now_ms - oldest) / 1000.0;
           });
  per_sink(out, sinks, "s7log_output_delivered_total", "counter",
           "Samples the output's server acknowledged.",
           [](const S& s) { return d(load(s.delivered)); });
  per_sink(out, sinks, "s7log_output_dropped_total", "counter",
           "Samples the output lost (spool full or unwritable).",
           [](const S& s) { return d(load(s.dropped)); });
  per_sink(out, sinks, "s7log_output_failures_total", "counter",
           "Failed connects and deliveries of the output.",
           [](const S& s) { return d(load(s.failures)); });
  per_sink(out, sinks, "s7log_output_connected", "gauge",
           "1 while the output is connected to its server, else 0.",
           [](const S& s) { return s.connected.load(std::memory_order_relaxed) ? 1 : 0; });
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_metrics(const logger::Stats& st, const WebGauges& g, const List& plcs,
                           const List& groups, const SinkList& sinks, std::int64_t now_unix_ms) {
  std::string out;
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
  for (auto s : kLinkStates) {
    out += fmt::format("s7log_link_state{{state=\"{}\"}} {}\n", logger::to_string(s),
                       s == link ? 1 : 0);
  }
  simple(out, "s7log_last_sample_timestamp_seconds", "gauge",
         "Unix time of the last sample (0 before the first).",
         static_cast<double>(st.last_sample_unix_ms.load()) / 1000.0);

  family(out, "s7log_read_latency_seconds", "histogram", "Duration of one read cycle.");
  histogram_samples(out, "s7log_read_latency_seconds", "", logger::Stats::kLatencyBounds,
                    st.latency_buckets, load(st.latency_sum_ns));
  family(out, "s7log_sample_lateness_seconds", "histogram",
         "Delay from a sample slot's deadline to the start of its read (steady clock).");
  histogram_samples(out, "s7log_sample_lateness_seconds", "", logger::Stats::kLatenessBounds,
                    st.lateness_buckets, load(st.lateness_sum_ns));

  simple(out, "s7log_live_clients", "gauge", "Open live-page event streams.", d(g.live_clients));
  simple(out, "s7log_live_buffered_samples", "gauge", "Samples held for the live page.",
         d(g.live_buffered));
  simple(out, "s7log_live_capacity_samples", "gauge", "Samples the live page buffer can hold.",
         d(g.live_capacity));

  if (!plcs.empty()) render_plcs(out, plcs);
  if (!groups.empty()) render_groups(out, groups);
  if (!sinks.empty()) render_sinks(out, sinks, now_unix_ms);
  return out;
}

}  // namespace web
