// Prometheus text exposition (format 0.0.4) of the logger's Stats, for GET /metrics.
#pragma once

#include <cstddef>
#include <string>

#include "logger/stats.hpp"

namespace web {

// Extra gauges only the web layer knows.
struct WebGauges {
  std::size_t live_clients = 0;   // open SSE streams
  std::size_t live_buffered = 0;  // samples held by the live feed
  std::size_t live_capacity = 0;
};

// Every family has "# HELP" and "# TYPE" lines; counters end in _total; the read latency is a
// histogram in seconds with cumulative _bucket{le="..."} lines ending at le="+Inf", then _sum
// and _count (_count equals the +Inf bucket).
std::string render_metrics(const logger::Stats& stats, const WebGauges& gauges);

}  // namespace web
