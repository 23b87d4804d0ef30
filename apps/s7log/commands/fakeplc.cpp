// `s7log fakeplc`: the course's fake PLC (or a TOML-configured one) with fault injection.
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "../commands.hpp"
#include "connection_options.hpp"
#include "platform/console.hpp"
#include "platform/line_writer.hpp"
#include "s7/server.hpp"
#include "sim/config.hpp"
#include "sim/fake_plc.hpp"
#include "sim/faults.hpp"
#include "util/duration.hpp"

namespace app {
namespace {

// Exit codes: 0 stopped cleanly, 1 cannot listen, 2 bad config or option (nothing started).
constexpr int kExitRuntime = kExitPlc;
constexpr int kExitConfig = kExitUsage;

struct FakePlcArgs {
  std::string config_path;
  bool print_config = false;
  std::optional<std::string> host;
  std::optional<int> port;
  std::optional<int> rack;
  std::optional<int> slot;
  std::optional<long> max_connections;
  bool verbose = false;
  std::string drop_every;
  std::string refuse;
  std::string delay;
  std::vector<std::string> item_errors;
  std::string stop_at;
  std::string stop_for;
  std::string handshake_timeout;
  bool first_item_writes = false;
};

// The stop event that came (kNoEvent: none yet), for the stopping line.
constexpr int kNoEvent = -1;
std::atomic<int> g_event{kNoEvent};

// All output goes through here: one line at a time (tests read through a pipe), and the in-place
// status line (terminals only) is cleared before a normal line. A LineWriter thread does the
// writing, so a blocked stdout never stalls the network thread that reports a READ-ONLY write
// (lines past its bound are dropped and counted, see stop()).
class Console {
 public:
  explicit Console(bool status) : status_enabled_(status), out_(platform::kStdout) {}
  void line(const std::string& text) {
    std::lock_guard lock(mu_);
    out_.write(clear_status() + text + "\n");
  }
  void status(const std::string& text) {
    if (!status_enabled_) return;
    std::lock_guard lock(mu_);
    out_.write("\r\033[K" + text);
    status_shown_ = true;
  }
  void end_status() {
    std::lock_guard lock(mu_);
    if (status_shown_) out_.write(clear_status());
  }
  // Writes what is queued (giving a blocked reader up to 0.8 s) and returns the lines dropped.
  std::uint64_t stop() {
    out_.close(std::chrono::milliseconds(800));
    return out_.dropped_lines();
  }

 private:
  std::string clear_status() {
    const bool shown = status_shown_;
    status_shown_ = false;
    return shown ? "\r\033[K" : "";
  }
  std::mutex mu_;
  bool status_enabled_;
  bool status_shown_ = false;
  platform::LineWriter out_;
};

void print_config_error(const std::string& message) {
  print_error("s7log fakeplc", message);
}

// Config from --config (or the course's), then the command-line overrides and faults.
s7::Result<sim::PlcConfig> build_config(const FakePlcArgs& a) {
  sim::PlcConfig c = sim::course_config();
  if (!a.config_path.empty()) {
    auto loaded = sim::load_config(a.config_path);
    if (!loaded) return loaded.error();
    c = *loaded;
  }
  auto bad = [](std::string msg) { return s7::Error(s7::Errc::invalid_argument, std::move(msg)); };
  if (a.host) c.host = *a.host;
  // The numeric options' ranges are checked while parsing (whole_number in register_fakeplc).
  if (a.port) c.port = static_cast<std::uint16_t>(*a.port);
  if (a.max_connections) c.max_connections = static_cast<std::uint32_t>(*a.max_connections);
  if (a.rack) c.rack = static_cast<std::uint8_t>(*a.rack);
  if (a.slot) c.slot = static_cast<std::uint8_t>(*a.slot);
  if (a.first_item_writes) c.first_item_writes = true;
  if (!a.handshake_timeout.empty()) {
    auto d = util::parse_duration(a.handshake_timeout);
    if (!d || *d < sim::Nanos::zero())
      return bad("--handshake-timeout " + a.handshake_timeout +
                 ": expected a duration like 5s or 500ms (0 = none)");
    c.handshake_timeout = *d;
  }
  auto add = [&](s7::Result<sim::Fault> f) -> s7::Result<void> {
    if (!f) return f.error();
    c.faults.push_back(*f);
    return {};
  };
  if (!a.drop_every.empty())
    if (auto r = add(sim::parse_drop_every(a.drop_every)); !r) return r.error();
  if (!a.refuse.empty())
    if (auto r = add(sim::parse_refuse(a.refuse)); !r) return r.error();
  if (!a.delay.empty())
    if (auto r = add(sim::parse_delay(a.delay)); !r) return r.error();
  for (const auto& text : a.item_errors)
    if (auto r = add(sim::parse_item_error(text)); !r) return r.error();
  if (!a.stop_for.empty() && a.stop_at.empty()) return bad("--stop-for needs --stop-at");
  if (!a.stop_at.empty())
    if (auto r = add(sim::parse_stop(a.stop_at, a.stop_for)); !r) return r.error();
  std::string where = a.config_path.empty() ? "command line" : a.config_path;
  if (auto r = sim::validate_config(c, where); !r) return r.error();
  return c;
}

std::atomic<bool> g_stop{false};
void on_console_event(platform::ConsoleEvent e) {
  g_event.store(static_cast<int>(e));
  g_stop.store(true);
}

int run_fakeplc(const FakePlcArgs& args) {
  auto config = build_config(args);
  if (!config) {
    print_config_error(config.error().what());
    return kExitConfig;
  }
  if (args.print_config) {
    std::fputs(sim::format_config(*config).c_str(), stdout);
    std::fflush(stdout);
    return kExitOk;
  }

  platform::prepare_console();
  Console console(platform::is_terminal(platform::kStdout));
  sim::FakePlc plc(
      *config, [&console](const std::string& text) { console.line(text); }, args.verbose);
  // Handlers first: a client may send SIGTERM as soon as it sees the ready line.
  g_event.store(kNoEvent);
  g_stop.store(false);
  platform::StopHandling stop_handling(on_console_event, /*reload=*/false);
  if (auto started = plc.start(); !started) {
    print_error("s7log fakeplc", started.error().what());
    return kExitRuntime;
  }
  plc.run(g_stop, [&console](const std::string& text) { console.status(text); });
  console.end_status();
  const int event = g_event.load();
  const char* name =
      platform::event_name(event == kNoEvent ? platform::ConsoleEvent::terminate
                                             : static_cast<platform::ConsoleEvent>(event));
  console.line(fmt::format("{}: stopping the fake PLC", name));
  console.line("fake PLC stopped");
  if (const auto dropped = console.stop(); dropped > 0)
    std::fprintf(stderr, "s7log fakeplc: %llu output lines dropped (stdout was blocked)\n",
                 static_cast<unsigned long long>(dropped));
  return kExitOk;
}

}  // namespace

void register_fakeplc(CLI::App& app, Runner& selected) {
  auto args = std::make_shared<FakePlcArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fakeplc",
      "Run the course's fake PLC (DB1 telemetry, WRITE lines) or a configured one, with faults");
  cmd->add_option("--config", args->config_path, "TOML setup (see docs/fakeplc.md)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--print-config", args->print_config,
                "Print the setup as commented TOML (a starting point for --config) and exit");
  cmd->add_option("--host", args->host, "Listen address (default 127.0.0.1)");
  cmd->add_option("--port", args->port, "TCP port (default 1102; 0 picks a free one)")
      ->check(whole_number(0, 65535));
  cmd->add_option("--rack", args->rack, "Rack the PLC answers to (default 0)")
      ->check(whole_number(0, 7));
  cmd->add_option("--slot", args->slot, "Slot the PLC answers to (default 1)")
      ->check(whole_number(0, 31));
  cmd->add_option("--max-connections", args->max_connections,
                  "Clients served at once; more are refused (default 256)")
      ->check(whole_number(1, 100000));
  cmd->add_flag("-v,--verbose", args->verbose, "Log each connection and request");
  cmd->add_option("--handshake-timeout", args->handshake_timeout,
                  "Close a connection that has not finished the COTP connect and S7 setup in "
                  "this time (default 5s; 0 = never)");
  cmd->add_flag("--first-item-writes", args->first_item_writes,
                "Imitate the python-snap7 server: a multi-item write stores and confirms only "
                "its first item");
  cmd->add_option("--drop-every", args->drop_every,
                  "Fault: close every connection every DURATION (e.g. 10s)");
  cmd->add_option("--refuse", args->refuse,
                  "Fault: refuse connections in the window FROM..TO (e.g. 5s..15s)");
  cmd->add_option("--delay", args->delay,
                  "Fault: answer DURATION late, always or in a window (200ms or 200ms@5s..15s)");
  cmd->add_option("--item-error", args->item_errors,
                  "Fault: FIELD=CODE answers that field with an item error (pressure=0x0A; "
                  "optional @FROM..TO); repeatable")
      ->allow_extra_args(false);
  cmd->add_option("--stop-at", args->stop_at, "Fault: go to STOP at this time (e.g. 10s)");
  cmd->add_option("--stop-for", args->stop_for,
                  "How long the --stop-at STOP lasts (default: for good)");
  cmd->footer(
      "Times count from the start. Examples:\n"
      "  s7log fakeplc\n"
      "  s7log fakeplc --port 11102 --drop-every 10s --item-error pressure=0x0A\n"
      "  s7log fakeplc --print-config > plc.toml && s7log fakeplc --config plc.toml");
  cmd->callback([args, &selected] { selected = [args] { return run_fakeplc(*args); }; });
}

}  // namespace app
