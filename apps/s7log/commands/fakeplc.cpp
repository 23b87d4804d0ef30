// `s7log fakeplc`: the course's fake PLC (or TOML-configured ones: one PLC or a plant of several in
// one process) with fault injection.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
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
#include "symbol_options.hpp"
#include "symbols/db_source.hpp"
#include "util/duration.hpp"
#include "util/text.hpp"

namespace app {
namespace {

// Exit codes: 0 stopped cleanly, 1 cannot listen, 2 bad config or option (nothing started).
constexpr int kExitRuntime = kExitPlc;
constexpr int kExitConfig = kExitUsage;

struct FakePlcArgs {
  std::string config_path;
  bool print_config = false;
  std::string print_form;  // --print-config's value: "" (= "single") or "plant"
  std::optional<int> plcs;
  std::optional<int> base_port;
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
  // --symbols, --db-number, --cpu: the PLC program's sources instead of the course's memory.
  SymbolArgs symbols;
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

// --symbols FILE... [--db-number [NAME=]N] [--cpu FAMILY]: the course's server settings with the
// sources' DBs (and their BEGIN values) as its only memory.
s7::Result<sim::PlcConfig> sources_plc(const FakePlcArgs& a) {
  sim::PlcConfig c = sim::course_config();
  c.areas.clear();
  c.fields.clear();
  c.read_only.clear();
  c.watch.clear();
  auto o = symbol_options_of(a.symbols);
  if (!o) return o.error();
  c.symbols = std::move(*o);
  if (auto r = sim::load_sources(c, sim::disk_reader(""), "command line"); !r) return r.error();
  return c;
}

// The PLCs to serve: --config's (one PLC or a plant), else --symbols' or the course's (or, for
// --print-config plant, the example plant); --plcs copies; then the command-line overrides and
// faults, which apply to every PLC.
s7::Result<sim::PlantConfig> build_plant(const FakePlcArgs& a) {
  auto bad = [](std::string msg) { return s7::Error(s7::Errc::invalid_argument, std::move(msg)); };
  const bool example = a.print_form == "plant" && a.config_path.empty() && !a.plcs;
  sim::PlantConfig plant =
      example ? sim::example_plant() : sim::PlantConfig{{sim::course_config()}};
  if (!a.symbols.files.empty() && !a.config_path.empty())
    return bad(
        "--symbols: with --config, name the sources in the file: symbols = [\"...\"] "
        "(docs/fakeplc.md)");
  if (!a.config_path.empty()) {
    auto loaded = sim::load_plant_config(a.config_path);
    if (!loaded) return loaded.error();
    plant = std::move(*loaded);
  }
  if (auto o = symbol_options_of(a.symbols); !o) return o.error();
  if (!a.symbols.files.empty()) {
    auto c = sources_plc(a);
    if (!c) return c.error();
    plant = sim::PlantConfig{{std::move(*c)}};
  }
  const std::string where = a.config_path.empty() ? "command line" : a.config_path;
  const bool several = !plant.single();
  if (a.base_port && !a.plcs) return bad("--base-port needs --plcs");
  if (a.plcs && several)
    return bad("--plcs: " + a.config_path +
               " has [[plc]] tables already; --plcs makes copies of a file with one PLC");
  if (a.plcs && a.port)
    return bad("--port: with --plcs the ports are --base-port, --base-port + 1, ...");
  if (a.port && several)
    return bad("--port: each PLC of a plant has its own port (port in its [[plc]] table)");

  // The numeric options' ranges are checked while parsing (whole_number in register_fakeplc).
  std::optional<sim::Nanos> handshake;
  if (!a.handshake_timeout.empty()) {
    auto d = util::parse_duration(a.handshake_timeout);
    if (!d || *d < sim::Nanos::zero())
      return bad("--handshake-timeout " + a.handshake_timeout +
                 ": expected a duration like 5s or 500ms (0 = none)");
    handshake = *d;
  }
  std::vector<sim::Fault> faults;
  auto add = [&](s7::Result<sim::Fault> f) -> s7::Result<void> {
    if (!f) return f.error();
    faults.push_back(*f);
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

  for (sim::PlcConfig& c : plant.plcs) {
    if (a.host) c.host = *a.host;
    if (a.port) c.port = static_cast<std::uint16_t>(*a.port);
    if (a.max_connections) c.max_connections = static_cast<std::uint32_t>(*a.max_connections);
    if (a.rack) c.rack = static_cast<std::uint8_t>(*a.rack);
    if (a.slot) c.slot = static_cast<std::uint8_t>(*a.slot);
    if (a.first_item_writes) c.first_item_writes = true;
    if (handshake) c.handshake_timeout = *handshake;
    c.faults.insert(c.faults.end(), faults.begin(), faults.end());
  }
  if (a.plcs) {
    // Checked as the one PLC it is first, so a mistake reads as it does without --plcs.
    if (auto r = sim::validate_config(plant.plcs[0], where); !r) return r.error();
    const sim::PlcConfig& model = plant.plcs[0];
    auto copies =
        sim::plant_copies(model, static_cast<std::size_t>(*a.plcs),
                          a.base_port ? static_cast<std::uint16_t>(*a.base_port) : model.port);
    if (!copies) return copies.error();
    plant = std::move(*copies);
  }
  if (auto r = sim::validate_plant(plant, where); !r) return r.error();
  return plant;
}

std::atomic<bool> g_stop{false};
void on_console_event(platform::ConsoleEvent e) {
  g_event.store(static_cast<int>(e));
  g_stop.store(true);
}

// The status line: one PLC's as FakePlc::run says it, or a summary of the plant.
std::string status_text(const std::vector<sim::FakePlc::Stats>& stats, std::uint64_t per_second) {
  std::size_t clients = 0;
  std::size_t running = 0;
  for (const auto& s : stats) {
    clients += s.clients;
    running += s.running ? 1 : 0;
  }
  const std::string connected = fmt::format("{} client{} connected, {} requests/s", clients,
                                            clients == 1 ? "" : "s", per_second);
  if (stats.size() == 1)
    return fmt::format("{}, {}, tick {}", connected, running == 1 ? "RUN" : "STOP", stats[0].ticks);
  std::string states = running == stats.size() ? "all RUN"
                       : running == 0
                           ? "all STOP"
                           : fmt::format("{} RUN, {} STOP", running, stats.size() - running);
  return fmt::format("{} PLCs: {}, {}", stats.size(), connected, states);
}

// Serves every PLC of the plant until Ctrl+C/SIGTERM. One thread (this one) ticks them all and
// applies their faults; each s7::Server answers its clients on its own network thread.
int serve(const sim::PlantConfig& plant, bool verbose) {
  platform::prepare_console();
  Console console(platform::is_terminal(platform::kStdout));
  const bool several = plant.plcs.size() > 1;
  std::vector<std::unique_ptr<sim::FakePlc>> plcs;  // after `console`: destroyed first
  for (const sim::PlcConfig& c : plant.plcs) {
    std::string prefix = several ? c.name + ": " : "";
    plcs.push_back(std::make_unique<sim::FakePlc>(
        c, [&console, prefix](const std::string& text) { console.line(prefix + text); }, verbose));
  }
  // Handlers first: a client may send SIGTERM as soon as it sees the ready line.
  g_event.store(kNoEvent);
  g_stop.store(false);
  platform::StopHandling stop_handling(on_console_event, /*reload=*/false);
  // Every PLC binds before any says it is ready: one port in use and nothing is served (the
  // destructors close the listeners already bound).
  for (const auto& plc : plcs) {
    if (auto started = plc->listen(); !started) {
      print_error("s7log fakeplc",
                  (several ? plc->config().name + ": " : "") + started.error().what());
      return kExitRuntime;
    }
  }
  for (const auto& plc : plcs) plc->announce();

  using Clock = sim::FakePlc::Clock;
  auto now = Clock::now();
  std::vector<Clock::time_point> wake;
  for (const auto& plc : plcs) {
    plc->begin(now);
    wake.push_back(plc->step(now));
  }
  auto next_status = now + std::chrono::seconds(1);
  std::uint64_t last_requests = 0;
  std::vector<sim::FakePlc::Stats> stats(plcs.size());
  while (!g_stop.load()) {
    std::this_thread::sleep_until(*std::min_element(wake.begin(), wake.end()));
    now = Clock::now();
    for (std::size_t i = 0; i < plcs.size(); ++i)
      if (wake[i] <= now) wake[i] = plcs[i]->step(now);
    if (now >= next_status) {
      std::uint64_t requests = 0;
      for (std::size_t i = 0; i < plcs.size(); ++i) {
        stats[i] = plcs[i]->stats();
        requests += stats[i].requests;
      }
      console.status(status_text(stats, requests - last_requests));
      last_requests = requests;
      next_status += std::chrono::seconds(1);
      if (next_status < now) next_status = now + std::chrono::seconds(1);
    }
  }
  for (const auto& plc : plcs) plc->halt();
  console.end_status();
  const int event = g_event.load();
  const char* name =
      platform::event_name(event == kNoEvent ? platform::ConsoleEvent::terminate
                                             : static_cast<platform::ConsoleEvent>(event));
  if (several) {
    console.line(fmt::format("{}: stopping {} fake PLCs", name, plcs.size()));
    for (const auto& plc : plcs) console.line(plc->config().name + ": fake PLC stopped");
  } else {
    console.line(fmt::format("{}: stopping the fake PLC", name));
    console.line("fake PLC stopped");
  }
  if (const auto dropped = console.stop(); dropped > 0)
    std::fprintf(stderr, "s7log fakeplc: %llu output lines dropped (stdout was blocked)\n",
                 static_cast<unsigned long long>(dropped));
  return kExitOk;
}

int run_fakeplc(const FakePlcArgs& args) {
  auto plant = build_plant(args);
  if (!plant) {
    print_config_error(plant.error().what());
    return kExitConfig;
  }
  if (args.print_config) {
    sim::PlantConfig printed = *plant;
    // The [[plc]] form asked for: a single PLC becomes a plant of one, which needs a name.
    if (args.print_form == "plant" && printed.single()) printed.plcs[0].name = "plc1";
    std::fputs(sim::format_plant_config(printed).c_str(), stdout);
    std::fflush(stdout);
    return kExitOk;
  }
  return serve(*plant, args.verbose);
}

}  // namespace

void register_fakeplc(CLI::App& app, Runner& selected) {
  auto args = std::make_shared<FakePlcArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fakeplc",
      "Run the course's fake PLC (DB1 telemetry, WRITE lines) or configured ones (several in one "
      "process: a plant), with faults");
  cmd->add_option("--config", args->config_path, "TOML setup (see docs/fakeplc.md)")
      ->check(CLI::ExistingFile);
  CLI::Option* print_config =
      cmd->add_option("--print-config", args->print_form,
                      "Print the setup as commented TOML (a starting point for --config) and "
                      "exit; `--print-config plant` prints it as [[plc]] tables (without "
                      "--config or --plcs: an example plant of two PLCs)")
          ->expected(0, 1)
          ->type_name("single|plant")
          ->check(CLI::Validator(
              [](std::string& form) {
                return form == "single" || form == "plant"
                           ? std::string()
                           : "expected single or plant, got \"" + form + "\"";
              },
              ""));
  cmd->add_option("--symbols", args->symbols.files,
                  "Serve the DBs of the PLC program's sources (.db .udt .scl .awl; tag tables "
                  ".sdf .asc .csv) with their BEGIN values instead of the course's DB1 "
                  "(repeatable; docs/fakeplc.md)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--db-number", args->symbols.db_numbers,
                  "With --symbols: the DB number of a TIA source, which carries none: N for the "
                  "one DB, or NAME=N (repeatable)")
      ->type_name("[NAME=]N")
      ->allow_extra_args(false);
  cmd->add_option("--cpu", args->symbols.cpu,
                  "With --symbols: the CPU family whose types exist: 300, 400, 1200 or 1500 "
                  "(default 1500)")
      ->type_name("FAMILY");
  cmd->add_option("--plcs", args->plcs,
                  "Serve N copies of the PLC (the course's or --config's) from this process, "
                  "named plc1..plcN, each with its own memory, generators and faults")
      ->check(whole_number(1, static_cast<std::int64_t>(sim::kMaxPlantPlcs)));
  cmd->add_option("--base-port", args->base_port,
                  "With --plcs: the first copy's port; the others follow (default: the PLC's "
                  "port; 0 = each picks a free one)")
      ->check(whole_number(0, 65535));
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
      "  s7log fakeplc --print-config > plc.toml && s7log fakeplc --config plc.toml\n"
      "  s7log fakeplc --plcs 3 --base-port 1102\n"
      "  s7log fakeplc --symbols Telemetry.db --db-number 1\n"
      "  s7log fakeplc --print-config plant > plant.toml && s7log fakeplc --config plant.toml");
  cmd->callback([args, print_config, &selected] {
    args->print_config = print_config->count() > 0;
    selected = [args] { return run_fakeplc(*args); };
  });
}

}  // namespace app
