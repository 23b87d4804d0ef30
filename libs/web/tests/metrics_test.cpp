// Tests of the Prometheus text: HELP/TYPE per family, cumulative histograms, _count == +Inf, the
// families per PLC, group and network output, and the escaping of their label values.
#include "web/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
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

// ---------------------------------------------------------------------------------------------
// Families per PLC and per group.

namespace {

std::unique_ptr<logger::NamedStats> named(std::string plc, std::string group = {}) {
  auto n = std::make_unique<logger::NamedStats>();
  n->plc = std::move(plc);
  n->group = std::move(group);
  return n;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

}  // namespace

TEST(RenderMetrics, PerPlcAndGroupFamiliesCarryLabels) {
  logger::Stats total;
  total.samples_written = 7;
  auto press1 = named("press1");
  press1->stats.link = logger::LinkState::connected;
  press1->stats.read_errors = 2;
  press1->stats.reconnects = 1;
  press1->stats.observe_latency(std::chrono::milliseconds(3));
  auto press2 = named("press2");
  press2->stats.link = logger::LinkState::reconnecting;
  auto fast = named("press1", "fast");
  fast->stats.samples_written = 5;
  fast->stats.skipped_samples = 1;
  fast->stats.last_sample_unix_ms = 1'700'000'000'500;
  fast->stats.observe_lateness(std::chrono::microseconds(8));
  fast->stats.observe_lateness(std::chrono::milliseconds(3));
  auto slow = named("press2", "slow");
  slow->stats.samples_written = 2;

  auto text = render_metrics(total, {}, {press1.get(), press2.get()}, {fast.get(), slow.get()});
  parse(text);  // HELP and TYPE before every sample
  // The totals keep their names, without labels.
  EXPECT_THAT(text, HasSubstr("\ns7log_samples_written_total 7\n"));
  EXPECT_THAT(text, HasSubstr("\ns7log_link_state{state=\"connecting\"} 1\n"));

  EXPECT_THAT(text, HasSubstr("# HELP s7log_plc_link_state State of each PLC's connection (1 for "
                              "the current state).\n"
                              "# TYPE s7log_plc_link_state gauge\n"
                              "s7log_plc_link_state{plc=\"press1\",state=\"connecting\"} 0\n"
                              "s7log_plc_link_state{plc=\"press1\",state=\"connected\"} 1\n"
                              "s7log_plc_link_state{plc=\"press1\",state=\"reconnecting\"} 0\n"
                              "s7log_plc_link_state{plc=\"press1\",state=\"stopped\"} 0\n"
                              "s7log_plc_link_state{plc=\"press2\",state=\"connecting\"} 0\n"
                              "s7log_plc_link_state{plc=\"press2\",state=\"connected\"} 0\n"
                              "s7log_plc_link_state{plc=\"press2\",state=\"reconnecting\"} 1\n"
                              "s7log_plc_link_state{plc=\"press2\",state=\"stopped\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_plc_reads_total counter\n"
                              "s7log_plc_reads_total{plc=\"press1\"} 1\n"
                              "s7log_plc_reads_total{plc=\"press2\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_plc_read_errors_total counter\n"
                              "s7log_plc_read_errors_total{plc=\"press1\"} 2\n"
                              "s7log_plc_read_errors_total{plc=\"press2\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_plc_reconnects_total counter\n"
                              "s7log_plc_reconnects_total{plc=\"press1\"} 1\n"
                              "s7log_plc_reconnects_total{plc=\"press2\"} 0\n"));
  EXPECT_THAT(text,
              HasSubstr("s7log_plc_read_latency_seconds_bucket{plc=\"press1\",le=\"0.002\"} 0\n"
                        "s7log_plc_read_latency_seconds_bucket{plc=\"press1\",le=\"0.005\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("s7log_plc_read_latency_seconds_bucket{plc=\"press1\",le=\"+Inf\"} 1\n"
                        "s7log_plc_read_latency_seconds_sum{plc=\"press1\"} 0.003\n"
                        "s7log_plc_read_latency_seconds_count{plc=\"press1\"} 1\n"
                        "s7log_plc_read_latency_seconds_bucket{plc=\"press2\",le=\"0.0005\"} 0\n"));

  EXPECT_THAT(text,
              HasSubstr("# TYPE s7log_group_samples_written_total counter\n"
                        "s7log_group_samples_written_total{plc=\"press1\",group=\"fast\"} 5\n"
                        "s7log_group_samples_written_total{plc=\"press2\",group=\"slow\"} 2\n"));
  EXPECT_THAT(text,
              HasSubstr("# TYPE s7log_group_skipped_samples_total counter\n"
                        "s7log_group_skipped_samples_total{plc=\"press1\",group=\"fast\"} 1\n"
                        "s7log_group_skipped_samples_total{plc=\"press2\",group=\"slow\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("s7log_group_last_sample_timestamp_seconds{plc=\"press1\",group="
                              "\"fast\"} 1700000000.5\n"));
  EXPECT_THAT(text, HasSubstr("s7log_group_sample_lateness_seconds_bucket{plc=\"press1\",group="
                              "\"fast\",le=\"1e-05\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("s7log_group_sample_lateness_seconds_bucket{plc=\"press1\",group="
                              "\"fast\",le=\"+Inf\"} 2\n"
                              "s7log_group_sample_lateness_seconds_sum{plc=\"press1\",group="
                              "\"fast\"} 0.003008\n"
                              "s7log_group_sample_lateness_seconds_count{plc=\"press1\",group="
                              "\"fast\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_group_sample_lateness_max_seconds gauge\n"
                              "s7log_group_sample_lateness_max_seconds{plc=\"press1\",group="
                              "\"fast\"} 0.003\n"));
  // HELP and TYPE once per family, whatever the number of PLCs and groups.
  for (const char* f : {"s7log_plc_link_state", "s7log_plc_reads_total",
                        "s7log_plc_read_latency_seconds", "s7log_group_samples_written_total",
                        "s7log_group_sample_lateness_seconds", "s7log_read_latency_seconds"}) {
    EXPECT_EQ(count(text, std::string("# TYPE ") + f + " "), 1u) << f;
    EXPECT_EQ(count(text, std::string("# HELP ") + f + " "), 1u) << f;
  }
}

TEST(RenderMetrics, WithoutListsThereAreNoLabelledFamilies) {
  logger::Stats total;
  auto text = render_metrics(total, {});
  EXPECT_EQ(text.find("s7log_plc_"), std::string::npos);
  EXPECT_EQ(text.find("s7log_group_"), std::string::npos);
}

TEST(RenderMetrics, LabelValuesAreEscaped) {
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(escape_label_value("Presse ü"), "Presse ü");  // UTF-8 stays as it is
  logger::Stats total;
  auto odd = named("line \"3\"\\a\nb");
  auto group = named("line \"3\"\\a\nb", "g\"1");
  auto text = render_metrics(total, {}, {odd.get()}, {group.get()});
  EXPECT_THAT(text, HasSubstr("s7log_plc_reconnects_total{plc=\"line \\\"3\\\"\\\\a\\nb\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("s7log_group_samples_written_total{plc=\"line \\\"3\\\"\\\\a\\nb\","
                              "group=\"g\\\"1\"} 0\n"));
  // No sample line is broken by the newline in the name.
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    EXPECT_TRUE(line.rfind("# ", 0) == 0 || line.rfind("s7log_", 0) == 0) << line;
  }
}

// ---------------------------------------------------------------------------------------------
// Families per network output (issue 15).

TEST(RenderMetrics, PerOutputFamiliesCarryTheSinkStats) {
  logger::Stats total;
  logger::SinkStats pg;
  pg.name = "postgres";
  pg.queue_depth = 17;
  pg.spool_bytes = 4096;
  pg.spool_records = 32;
  pg.oldest_spooled_ms = 1'700'000'000'000;
  pg.delivered = 1500;
  pg.dropped = 3;
  pg.failures = 2;
  pg.connected = false;
  logger::SinkStats mqtt;
  mqtt.name = "mqtt";
  mqtt.delivered = 42;
  mqtt.connected = true;  // spool empty: oldest_spooled_ms stays 0

  const std::int64_t now = 1'700'000'012'500;  // 12.5 s after pg's oldest spooled sample
  auto text = render_metrics(total, {}, {}, {}, {&pg, &mqtt}, now);
  parse(text);  // HELP and TYPE before every sample
  EXPECT_THAT(text, HasSubstr("# HELP s7log_output_queue_depth Samples waiting in the output's "
                              "queue.\n"
                              "# TYPE s7log_output_queue_depth gauge\n"
                              "s7log_output_queue_depth{output=\"postgres\"} 17\n"
                              "s7log_output_queue_depth{output=\"mqtt\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_output_spool_bytes gauge\n"
                              "s7log_output_spool_bytes{output=\"postgres\"} 4096\n"
                              "s7log_output_spool_bytes{output=\"mqtt\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_output_spool_records gauge\n"
                              "s7log_output_spool_records{output=\"postgres\"} 32\n"
                              "s7log_output_spool_records{output=\"mqtt\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_output_oldest_spooled_age_seconds gauge\n"
                              "s7log_output_oldest_spooled_age_seconds{output=\"postgres\"} 12.5\n"
                              "s7log_output_oldest_spooled_age_seconds{output=\"mqtt\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_output_delivered_total counter\n"
                              "s7log_output_delivered_total{output=\"postgres\"} 1500\n"
                              "s7log_output_delivered_total{output=\"mqtt\"} 42\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_output_dropped_total counter\n"
                              "s7log_output_dropped_total{output=\"postgres\"} 3\n"
                              "s7log_output_dropped_total{output=\"mqtt\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_output_failures_total counter\n"
                              "s7log_output_failures_total{output=\"postgres\"} 2\n"
                              "s7log_output_failures_total{output=\"mqtt\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE s7log_output_connected gauge\n"
                              "s7log_output_connected{output=\"postgres\"} 0\n"
                              "s7log_output_connected{output=\"mqtt\"} 1\n"));
  for (const char* f :
       {"s7log_output_queue_depth", "s7log_output_spool_bytes", "s7log_output_spool_records",
        "s7log_output_oldest_spooled_age_seconds", "s7log_output_delivered_total",
        "s7log_output_dropped_total", "s7log_output_failures_total", "s7log_output_connected"}) {
    EXPECT_EQ(count(text, std::string("# TYPE ") + f + " "), 1u) << f;
    EXPECT_EQ(count(text, std::string("# HELP ") + f + " "), 1u) << f;
  }
}

TEST(RenderMetrics, AnOldestSampleFromTheFutureIsNoNegativeAge) {
  logger::Stats total;
  logger::SinkStats pg;
  pg.name = "postgres";
  pg.oldest_spooled_ms = 1'700'000'060'000;  // the wall clock was set back since it was spooled
  auto m = parse(render_metrics(total, {}, {}, {}, {&pg}, 1'700'000'000'000));
  EXPECT_EQ(m["s7log_output_oldest_spooled_age_seconds{output=\"postgres\"}"], 0);
}

TEST(RenderMetrics, WithoutNetworkOutputsThereAreNoOutputFamilies) {
  logger::Stats total;
  auto text = render_metrics(total, {}, {}, {}, {}, 1'700'000'000'000);
  EXPECT_EQ(text.find("s7log_output_"), std::string::npos);
}
