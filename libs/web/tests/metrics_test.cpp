// Tests of the Prometheus text: HELP/TYPE per family, cumulative histogram, _count == +Inf.
#include "web/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

using namespace web;
using ::testing::HasSubstr;

namespace {

// Sample lines "name{labels} value" -> value; checks every sample's family has HELP and TYPE.
std::map<std::string, double> parse(const std::string& text) {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;
  std::set<std::string> helps;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      helps.insert(line.substr(7, line.find(' ', 7) - 7));
    } else if (line.rfind("# TYPE ", 0) == 0) {
      auto name = line.substr(7, line.find(' ', 7) - 7);
      types[name] = line.substr(line.rfind(' ') + 1);
    } else if (!line.empty()) {
      auto sp = line.rfind(' ');
      auto key = line.substr(0, sp);
      auto base = key.substr(0, key.find('{'));
      std::string family = base;
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        auto n = std::string(suffix).size();
        if (!types.count(family) && base.size() > n &&
            base.compare(base.size() - n, n, suffix) == 0) {
          family = base.substr(0, base.size() - n);
        }
      }
      EXPECT_TRUE(types.count(family)) << "no # TYPE before " << line;
      EXPECT_TRUE(helps.count(family)) << "no # HELP before " << line;
      samples[key] = std::stod(line.substr(sp + 1));
    }
  }
  return samples;
}

}  // namespace

TEST(RenderMetrics, CountersCarryTheStatsValues) {
  logger::Stats st;
  st.samples_written = 12;
  st.read_errors = 2;
  st.reconnects = 1;
  st.skipped_samples = 3;
  st.buffered_rows = 5;
  st.buffer_capacity = 10;
  st.console_lines_dropped = 4;
  st.link = logger::LinkState::connected;
  auto text = render_metrics(st, WebGauges{2, 7, 100});
  auto m = parse(text);
  EXPECT_EQ(m["s7log_samples_written_total"], 12);
  EXPECT_EQ(m["s7log_read_errors_total"], 2);
  EXPECT_EQ(m["s7log_reconnects_total"], 1);
  EXPECT_EQ(m["s7log_skipped_samples_total"], 3);
  EXPECT_EQ(m["s7log_console_lines_dropped_total"], 4);
  EXPECT_EQ(m["s7log_buffer_fill_ratio"], 0.5);
  EXPECT_EQ(m["s7log_link_state{state=\"connected\"}"], 1);
  EXPECT_EQ(m["s7log_link_state{state=\"reconnecting\"}"], 0);
  EXPECT_EQ(m["s7log_live_clients"], 2);
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_samples_written_total counter\n"));
}

TEST(RenderMetrics, LatencyHistogramIsCumulative) {
  logger::Stats st;
  st.observe_latency(std::chrono::microseconds(300));  // <= 0.0005
  st.observe_latency(std::chrono::milliseconds(3));    // <= 0.005
  st.observe_latency(std::chrono::milliseconds(4));    // <= 0.005
  st.observe_latency(std::chrono::seconds(2));         // +Inf
  auto text = render_metrics(st, {});
  auto m = parse(text);
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_read_latency_seconds histogram\n"));
  EXPECT_EQ(m["s7log_read_latency_seconds_bucket{le=\"0.0005\"}"], 1);
  EXPECT_EQ(m["s7log_read_latency_seconds_bucket{le=\"0.002\"}"], 1);
  EXPECT_EQ(m["s7log_read_latency_seconds_bucket{le=\"0.005\"}"], 3);
  EXPECT_EQ(m["s7log_read_latency_seconds_bucket{le=\"1\"}"], 3);
  EXPECT_EQ(m["s7log_read_latency_seconds_bucket{le=\"+Inf\"}"], 4);
  EXPECT_EQ(m["s7log_read_latency_seconds_count"], 4);
  EXPECT_NEAR(m["s7log_read_latency_seconds_sum"], 2.0073, 1e-9);
}

TEST(RenderMetrics, BucketsNeverDecrease) {
  logger::Stats st;
  for (int i = 0; i < 50; ++i) st.observe_latency(std::chrono::microseconds(i * 997));
  std::istringstream in(render_metrics(st, {}));
  std::string line;
  double prev = -1;
  int buckets = 0;
  while (std::getline(in, line)) {
    if (line.rfind("s7log_read_latency_seconds_bucket", 0) != 0) continue;
    double v = std::stod(line.substr(line.rfind(' ') + 1));
    EXPECT_GE(v, prev) << line;
    prev = v;
    ++buckets;
  }
  EXPECT_EQ(buckets, 11);
  EXPECT_EQ(prev, 50);
}

TEST(RenderMetrics, SampleLatenessHistogramIsExported) {
  logger::Stats st;
  st.observe_lateness(std::chrono::microseconds(8));    // <= 1e-05
  st.observe_lateness(std::chrono::microseconds(150));  // <= 0.0002
  st.observe_lateness(std::chrono::microseconds(700));  // <= 0.001
  st.observe_lateness(std::chrono::milliseconds(3));    // <= 0.005
  st.observe_lateness(std::chrono::microseconds(-5));   // early wake-up counts as 0
  auto text = render_metrics(st, {});
  auto m = parse(text);
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_sample_lateness_seconds histogram\n"));
  EXPECT_EQ(m["s7log_sample_lateness_seconds_bucket{le=\"1e-05\"}"], 2);
  EXPECT_EQ(m["s7log_sample_lateness_seconds_bucket{le=\"0.0002\"}"], 3);
  EXPECT_EQ(m["s7log_sample_lateness_seconds_bucket{le=\"0.001\"}"], 4);
  EXPECT_EQ(m["s7log_sample_lateness_seconds_bucket{le=\"0.005\"}"], 5);
  EXPECT_EQ(m["s7log_sample_lateness_seconds_bucket{le=\"+Inf\"}"], 5);
  EXPECT_EQ(m["s7log_sample_lateness_seconds_count"], 5);
  EXPECT_NEAR(m["s7log_sample_lateness_seconds_sum"], 0.003858, 1e-12);
}
