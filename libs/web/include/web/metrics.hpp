// Prometheus text exposition (format 0.0.4) of the logger's Stats, for GET /metrics: the run's
// totals, unlabelled, families per PLC ({plc="..."}) and per group ({plc="...",group="..."}), and
// per network output ({output="..."}).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "logger/agent.hpp"
#include "logger/network_sink.hpp"
#include "logger/stats.hpp"

namespace web {

// Extra gauges only the web layer knows.
struct WebGauges {
  std::size_t live_clients = 0;   // open SSE streams
  std::size_t live_buffered = 0;  // samples held by the live feed (every group)
  std::size_t live_capacity = 0;  // samples it can hold (every group)
};

// Every family has one "# HELP" and one "# TYPE" line before its samples; counters end in
// _total; histograms are in seconds with cumulative _bucket{le="..."} lines ending at le="+Inf",
// then _sum and _count (_count equals the +Inf bucket).
// The totals keep their names and carry no labels. `plcs` adds the s7log_plc_* families (label
// plc), `groups` the s7log_group_* families (labels plc and group), `sinks` the s7log_output_*
// families (label output, the SinkStats' name); none when a list is empty. `now_unix_ms` (Unix
// ms) is what the age of an output's oldest spooled sample is measured against; that age is 0
// while the spool is empty (and never negative).
// Label values are escaped (escape_label_value).
std::string render_metrics(const logger::Stats& stats, const WebGauges& gauges,
                           const std::vector<const logger::NamedStats*>& plcs = {},
                           const std::vector<const logger::NamedStats*>& groups = {},
                           const std::vector<const logger::SinkStats*>& sinks = {},
                           std::int64_t now_unix_ms = 0);

// A label value as the text format wants it: backslash, double quote and line feed become \\,
// \" and \n; everything else (UTF-8 too) is kept.
std::string escape_label_value(std::string_view value);

}  // namespace web
