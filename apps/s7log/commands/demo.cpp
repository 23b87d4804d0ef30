// `s7log demo`: the course's fake PLC and the logger with its live page, in one process.
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "../commands.hpp"
#include "platform/console.hpp"
#include "platform/line_writer.hpp"
#include "platform/net.hpp"
#include "run_command.hpp"
#include "sim/config.hpp"
#include "sim/fake_plc.hpp"
#include "util/duration.hpp"
#include "util/u8path.hpp"
#include "web/listen_address.hpp"

namespace app {
namespace {

struct DemoArgs {
  std::string duration;  // empty: until Ctrl+C
  std::string live = "127.0.0.1:8080";
  int plc_port = 1102;
  std::string interval = "1s";
  std::string out = "log.csv";
};

void on_console_event(platform::ConsoleEvent) {
  run_stop_flag().store(true);
}

// True when nothing listens on 127.0.0.1:port (so the demo can take it).
bool loopback_port_free(std::uint16_t port) {
  std::error_code ec;
  std::uint16_t bound = 0;
  const auto s = platform::listen_tcp("127.0.0.1", port, bound, ec);
  if (s == platform::kInvalidSocket) return false;
  platform::close_socket(s);
  return true;
}

int run_demo(const DemoArgs& d) {
  std::optional<std::chrono::nanoseconds> duration;
  if (!d.duration.empty()) {
    duration = util::parse_duration(d.duration);
    if (!duration) {
      print_error("s7log demo",
                  "--duration " + d.duration + ": expected a duration like 30s or 2min");
      return kExitUsage;
    }
  }
  auto live = web::parse_listen_address(d.live);
  if (!live) {
    print_error("s7log demo", "--live: " + live.error().what());
    return kExitUsage;
  }

  // Stop handling first and ended last: on Windows a closed console window waits for it (up to
  // 4 s), so the last lines are out before the process ends.
  std::atomic<bool>& stop = run_stop_flag();
  stop.store(false);
  platform::StopHandling stop_handling(on_console_event, /*reload=*/false);
  platform::prepare_console();
  // The fake PLC's lines come from its network thread: a writer thread keeps a blocked stdout
  // from stalling it.
  platform::LineWriter out(platform::kStdout);
  auto print = [&out](const std::string& line) { out.write(line + "\n"); };

  // The course's fake PLC; when its port is taken (another fake PLC?), pick a free one.
  sim::PlcConfig plc_config = sim::course_config();
  plc_config.port = static_cast<std::uint16_t>(d.plc_port);
  if (plc_config.port != 0 && !loopback_port_free(plc_config.port)) {
    print(fmt::format("port {} is taken: the demo's fake PLC picks a free port", plc_config.port));
    plc_config.port = 0;
  }
  sim::FakePlc plc(plc_config, print);
  if (auto r = plc.start(); !r) {
    print_error("s7log demo", r.error().what());
    return kExitPlc;
  }
  std::atomic<bool> plc_stop{false};
  std::thread plc_thread([&] { plc.run(plc_stop); });
  std::thread timer;
  if (duration) {
    timer = std::thread([&stop, &plc_stop, until = std::chrono::steady_clock::now() + *duration] {
      while (!stop.load() && !plc_stop.load() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      stop.store(true);
    });
  }

  RunArgs args;
  args.conn.port = plc.port();
  args.interval = d.interval;
  args.out = d.out;
  Extensions ext;
  if (live->port != 0 && !loopback_port_free(live->port) &&
      (live->host == "127.0.0.1" || live->host == "localhost")) {
    print(fmt::format("port {} is taken: the live page picks a free port", live->port));
    live->port = 0;
  }
  ext.live = fmt::format("{}:{}", live->host, live->port);
  const std::uint16_t plc_port = plc.port();
  const std::string csv = util::path_text(std::filesystem::absolute(util::u8path(d.out)));
  ext.on_live = [&, plc_port, csv](const std::string& url) {
    std::string port_opt = plc_port == 1102 ? "" : fmt::format(" --port {}", plc_port);
    print("");
    print("s7log demo: the course's fake PLC and the logger, in one process");
    print(fmt::format("  live chart : {}", url));
    print(fmt::format("  CSV file   : {}", csv));
    print(fmt::format("  try, in another terminal:"));
    print(fmt::format("    s7log write{} DB1.DBW20:INT=123 DB1.DBX26.0:BOOL=true", port_opt));
    print("      (the fake PLC prints a WRITE line with the new command fields)");
    print(fmt::format("    s7log read{} DB1.DBD0 DB1.DBW4 DB1.DBD6:REAL --json", port_opt));
    print(fmt::format("    s7log plot {} -o log.html", d.out));
    print(duration ? fmt::format("  stops by itself after {} (or Ctrl+C)", d.duration)
                   : std::string("  Ctrl+C stops the demo"));
    print("");
  };

  int rc = run_logger(args, ext);
  stop.store(true);
  plc_stop.store(true);
  if (timer.joinable()) timer.join();
  plc_thread.join();
  print("s7log demo: stopped");
  return rc;
}

}  // namespace

void register_demo(CLI::App& app, Runner& selected) {
  auto d = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Run the course's fake PLC and the logger with its live chart in one process");
  cmd->add_option("--duration", d->duration, "Stop by itself after this long (e.g. 30s, 2min)");
  cmd->add_option("--live", d->live,
                  "Live page address [HOST:]PORT (default 127.0.0.1:8080; a free port if taken; "
                  "beyond loopback the page asks for the token printed in its URL)");
  cmd->add_option("--plc-port", d->plc_port,
                  "Fake PLC port (default 1102, the course's; a free port if taken)")
      ->check(whole_number(0, 65535));
  cmd->add_option("--interval", d->interval, "Sample interval (default 1s)");
  cmd->add_option("--out", d->out, "CSV file (default log.csv)");
  cmd->callback([d, &selected] { selected = [d] { return run_demo(*d); }; });
}

}  // namespace app
