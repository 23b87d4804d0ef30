// Test program for the browser tests: serves the live page and feeds synthetic samples every
// 200 ms (no PLC). Prints "live page at URL" once listening; SIGTERM/SIGINT stop it cleanly.
// Options: --interval-ms N (the sample interval), --history N (N samples already held, one
// interval apart up to now, as after a logger has run for a while), --groups (two PLCs with a
// group each, other tags in each: press1/line connected, press2/tank reconnecting), --token T
// (the page asks for token T).
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "web/live_feed.hpp"
#include "web/server.hpp"

namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) {
  g_stop = true;
}

logger::TagInfo tag(const char* name, s7::DataType type) {
  logger::TagInfo t;
  t.name = name;
  t.address.type = type;
  return t;
}

logger::Sample make_sample(std::int64_t i, std::chrono::system_clock::time_point ts) {
  logger::Sample s;
  s.ts = ts;
  bool outage = i % 40 == 12;  // one missed sample now and then: a gap and a band
  auto val = [&](s7::Scalar x) {
    return outage ? logger::TagValue{std::nullopt, logger::Quality::comm_error}
                  : logger::TagValue{s7::Value(std::move(x)), logger::Quality::ok};
  };
  s.values = {val(std::int64_t{i}),
              val(static_cast<float>(25.0 + 3.0 * std::sin(static_cast<double>(i) / 8.0))),
              val((i / 5) % 2 == 0), val(std::uint64_t{7}), val(std::string("demo"))};
  s.quality = outage ? logger::Quality::comm_error : logger::Quality::ok;
  s.missed = outage;
  return s;
}

// The second group of --groups: a tank's level, valve and flow.
logger::Sample make_tank_sample(std::int64_t i, std::chrono::system_clock::time_point ts) {
  logger::Sample s;
  s.ts = ts;
  s.plc = "press2";
  s.group = "tank";
  auto ok = [](s7::Scalar x) {
    return logger::TagValue{s7::Value(std::move(x)), logger::Quality::ok};
  };
  s.values = {ok(std::int64_t{500 + (i % 50)}), ok((i / 10) % 2 == 0),
              ok(static_cast<float>(3.0 + std::cos(static_cast<double>(i) / 5.0)))};
  return s;
}

std::unique_ptr<logger::NamedStats> named(const char* plc, const char* group,
                                          logger::LinkState link) {
  auto n = std::make_unique<logger::NamedStats>();
  n->plc = plc;
  n->group = group;
  n->stats.link = link;
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  long interval_ms = 200;
  long history = 0;
  bool groups = false;
  std::string token;
  for (int a = 1; a < argc; ++a) {
    const bool has_value = a + 1 < argc;
    long value = has_value ? std::strtol(argv[a + 1], nullptr, 10) : -1;
    if (std::strcmp(argv[a], "--interval-ms") == 0 && value > 0) {
      interval_ms = value;
      ++a;
    } else if (std::strcmp(argv[a], "--history") == 0 && value >= 0 && value <= 600) {
      history = value;
      ++a;
    } else if (std::strcmp(argv[a], "--groups") == 0) {
      groups = true;
    } else if (std::strcmp(argv[a], "--token") == 0 && has_value) {
      token = argv[++a];
    } else {
      std::fprintf(stderr,
                   "usage: live_page_server [--interval-ms N] [--history 0..600] [--groups] "
                   "[--token T]\n");
      return 2;
    }
  }
  const auto interval = std::chrono::milliseconds(interval_ms);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  web::LiveFeed feed(600);
  logger::Stats stats;
  std::vector<logger::TagInfo> tags = {
      tag("counter", s7::DataType::DInt), tag("temperature", s7::DataType::Real),
      tag("alarm", s7::DataType::Bool), tag("mode_ro", s7::DataType::Byte),
      tag("label", s7::DataType::String)};
  // --groups: the counters of each PLC and group, as the logger's agent keeps them.
  std::vector<std::unique_ptr<logger::NamedStats>> plc_stats, group_stats;
  web::LiveStatsView view(stats);
  if (groups) {
    (void)feed.open_group("press1", "line", tags);
    (void)feed.open_group("press2", "tank",
                          {tag("level", s7::DataType::Int), tag("valve_open", s7::DataType::Bool),
                           tag("flow", s7::DataType::Real)});
    plc_stats.push_back(named("press1", "", logger::LinkState::connected));
    plc_stats.push_back(named("press2", "", logger::LinkState::reconnecting));
    group_stats.push_back(named("press1", "line", logger::LinkState::connecting));
    group_stats.push_back(named("press2", "tank", logger::LinkState::connecting));
    auto list = [](const std::vector<std::unique_ptr<logger::NamedStats>>& from) {
      std::vector<const logger::NamedStats*> out;
      for (const auto& n : from) out.push_back(n.get());
      return out;
    };
    view.plcs = [&plc_stats, list] { return list(plc_stats); };
    view.groups = [&group_stats, list] { return list(group_stats); };
  } else {
    (void)feed.open(tags);
  }
  web::LiveServer server(feed, view, {}, token);
  auto port = server.start("127.0.0.1", 0);
  if (!port) {
    std::fprintf(stderr, "live_page_server: %s\n", port.error().what().c_str());
    return 1;
  }
  std::printf("live page at http://127.0.0.1:%u/\n", static_cast<unsigned>(*port));
  std::fflush(stdout);
  stats.link = logger::LinkState::connected;
  // Sample i is taken at base + i * interval. A held history ends on a whole interval, as the
  // logger's drift-free clock takes them.
  auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  auto base =
      history == 0 ? now : now - now.time_since_epoch() % interval - (history - 1) * interval;
  auto write = [&](std::int64_t i, std::chrono::system_clock::time_point ts) {
    auto s = make_sample(i, ts);
    if (groups) {
      s.plc = "press1";
      s.group = "line";
      (void)feed.write(make_tank_sample(i, ts));
    }
    (void)feed.write(s);
  };
  for (std::int64_t i = 0; i < history; ++i) write(i, base + i * interval);
  // At most two minutes, so a crashed test runner never leaves it behind.
  auto end = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  for (std::int64_t i = history; !g_stop && std::chrono::steady_clock::now() < end; ++i) {
    auto ts = base + i * interval;
    while (!g_stop && std::chrono::system_clock::now() < ts)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    write(i, ts);
    stats.samples_written.fetch_add(1);
    stats.observe_latency(std::chrono::microseconds(800 + (i % 7) * 300));
    stats.last_sample_unix_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(ts.time_since_epoch()).count();
  }
  server.stop();
  std::printf("live_page_server: stopped\n");
  return 0;
}
