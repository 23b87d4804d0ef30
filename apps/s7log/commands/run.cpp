// `s7log run`: the data logger (course module 07 + exercises + module 08 error handling).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../commands.hpp"
#include "connection_options.hpp"
#include "logger/agent.hpp"
#include "logger/config.hpp"
#include "logger/console_sink.hpp"
#include "logger/csv_sink.hpp"
#include "logger/rotation.hpp"
#include "logger/tag.hpp"
#include "network_outputs.hpp"
#include "platform/console.hpp"
#include "platform/line_writer.hpp"
#include "platform/memory.hpp"
#include "platform/service.hpp"
#include "platform/sleep.hpp"
#include "run_command.hpp"
#include "util/duration.hpp"
#include "util/text.hpp"
#include "util/u8path.hpp"
#include "web/http_limits.hpp"
#include "web/listen_address.hpp"
#include "web/live_auth.hpp"
#include "web/live_feed.hpp"
#include "web/live_service.hpp"

namespace app {

namespace {

std::atomic<bool> g_stop{false};    // ends the current Logger::run (any of the events below)
std::atomic<bool> g_quit{false};    // Ctrl+C, SIGTERM, ...: stop for good
std::atomic<bool> g_reload{false};  // SIGHUP: reload the configuration, then go on
// SIGHUP from kill(1)/systemctl reload asks for a reload (POSIX only). When the terminal the
// logger runs in goes away (its window was closed: a SIGHUP from the kernel, Windows' close
// event) stop cleanly, as for Ctrl+C and SIGTERM, instead of logging on unseen.
void on_console_event(platform::ConsoleEvent e) {
  if (e == platform::ConsoleEvent::reload)
    g_reload.store(true);
  else
    g_quit.store(true);
  g_stop.store(true);
}

// ---------------------------------------------------------------------------------------------
// HOOK for extra sinks (the live web page). Add options in add_extension_options() and create
// sinks in attach_extensions(): sinks in `sinks.samples` receive EVERY sample (unfiltered by
// --on-change) on the sampling thread; `stats` is live for /metrics. Objects must outlive the run:
// keep them in `Extensions`.
void add_extension_options(CLI::App& cmd, Extensions& ext) {
  ext.live_opt =
      cmd.add_option("--live", ext.live_addr,
                     "Serve a live chart, /api and /metrics on [HOST:]PORT (default "
                     "127.0.0.1:8080; port 0 picks a free one). On an address that is not "
                     "loopback the page asks for a token (a new one is printed in the URL at "
                     "start, or [live] token in the config; [live] auth = \"none\" serves it "
                     "openly); /metrics stays open. See docs/live.md")
          ->expected(0, 1);
  cmd.add_option("--live-host", ext.live_hosts,
                 "Another host name browsers may use for the live page (repeatable; localhost and "
                 "IP addresses always work); adds to $S7LOG_LIVE_ALLOWED_HOSTS, see docs/live.md");
}
s7::Result<void> attach_extensions(Extensions& ext, logger::Agent& agent,
                                   const logger::LiveAuth& auth) {
  if (ext.live_opt && ext.live_opt->count() > 0) ext.live = ext.live_addr;
  if (!ext.live) return {};
  auto addr = web::parse_listen_address(ext.live->empty() ? "127.0.0.1:8080" : *ext.live);
  if (!addr) return s7::Error(addr.error().code, "--live: " + addr.error().what());
  if (!ext.live_hosts.empty()) {
    // The module reads the allowed names from the environment (web::http_limits_from_env).
    std::string names;
    if (const char* env = std::getenv(web::kAllowedHostsEnv)) names = env;
    for (const auto& h : ext.live_hosts) names += (names.empty() ? "" : ",") + h;
    platform::set_env(web::kAllowedHostsEnv, names.c_str());
  }
  ext.feed = std::make_unique<web::LiveFeed>();
  // Asked while the agent opens the feed's groups (inside its run, so its config is settled).
  ext.feed->set_interval_lookup(
      [&agent](const std::string& plc,
               const std::string& group) -> std::optional<std::chrono::nanoseconds> {
        for (const auto& g : agent.config().groups)
          if (g.plc == plc && g.name == group) return g.interval;
        return std::nullopt;
      });
  // Beyond loopback the page asks for a token unless the config says auth = "none".
  const bool open = web::is_loopback_host(addr->host) || auth.none;
  web::LiveServiceOptions options;
  options.stats.total = &agent.stats();
  options.stats.plcs = [&agent] { return agent.plc_stats(); };
  options.stats.groups = [&agent] { return agent.group_stats(); };
  options.stats.sinks = [&agent] { return agent.sink_stats(); };
  if (!open) options.token = auth.token ? *auth.token : web::new_live_token();
  auto server = web::load_live_service(*ext.feed, options);
  if (!server) return s7::Error(server.error().code, "--live: " + server.error().what());
  ext.server = std::move(*server);
  auto port = ext.server->start(addr->host, addr->port);
  if (!port) return s7::Error(port.error().code, "--live: " + port.error().what());
  std::string host = addr->host == "0.0.0.0" || addr->host == "::" ? "127.0.0.1" : addr->host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  ext.url = "http://" + host + ":" + std::to_string(*port) + "/";
  std::string note;
  if (!options.token.empty() && !auth.token) {
    ext.url += "?token=" + options.token;  // a new token: this line is the only place it is shown
  } else if (!options.token.empty()) {
    note = " (asks for the token set in the config's [live] section)";
  } else if (!web::is_loopback_host(addr->host)) {
    note = " (open to anyone who can reach it: the config says [live] auth = \"none\")";
  }
  print_error("s7log run", "live chart at " + ext.url + note);
  if (ext.on_live) ext.on_live(ext.url);
  agent.add_sample_sink(*ext.feed, "the live page");
  return {};
}
// Ends the live page's streams before `stats` (and the agent the page reads) go away.
void detach_extensions(Extensions& ext) {
  if (ext.server) ext.server->stop();
  if (ext.feed) ext.feed->set_interval_lookup({});
}
// ---------------------------------------------------------------------------------------------

int fail_config(const std::string& msg) {
  print_error("s7log run", msg);
  return 2;
}

// What a run logs: a plain config (one PLC, `cfg` and `tags`), or a plant (`plant`).
struct Effective {
  logger::LoggerConfig cfg;  // plain: everything; plant: the [log] defaults
  std::vector<logger::TagInfo> tags;
  std::optional<logger::AgentConfig> plant;
  logger::LiveAuth live;
  logger::OutputsConfig outputs;  // [output.postgres], [output.mqtt]
};

// A plant config takes its PLCs and groups from the file only: the options that describe one
// PLC and its one group are refused (the message says where the setting lives instead).
s7::Result<void> check_plant_flags(const RunArgs& a) {
  std::vector<std::string> named(a.given.begin(), a.given.end());
  if (a.interval) named.emplace_back("--interval");
  if (a.out) named.emplace_back("--out");
  if (a.rotate) named.emplace_back("--rotate");
  if (a.dialect) named.emplace_back("--csv-dialect");
  if (!a.on_change.empty()) named.emplace_back("--on-change");
  if (!a.deadband.empty()) named.emplace_back("--deadband");
  if (!a.tags.empty()) named.emplace_back("--tag");
  if (a.quality) named.emplace_back("--quality");
  if (a.fsync) named.emplace_back("--fsync");
  if (a.buffer_rows) named.emplace_back("--buffer-rows");
  if (named.empty()) return {};
  return s7::Error(s7::Errc::invalid_argument,
                   named.front() + ": " + a.config +
                       " is a plant config ([[plc]] and [[group]] tables); set this in its "
                       "[[plc]] or [[group]] tables (or [log] for every group)");
}

// Builds the effective configuration: defaults < config file < flags. Errors -> exit code 2.
s7::Result<Effective> effective(const RunArgs& a) {
  Effective eff;
  logger::LoggerConfig& cfg = eff.cfg;
  bool file_tags = false;
  if (!a.config.empty()) {
    auto loaded = logger::load_config(a.config);
    if (!loaded) return loaded.error();
    cfg = loaded->config;
    file_tags = loaded->has_tags;
    eff.live = loaded->live;
    eff.outputs = loaded->outputs;
    if (auto r = check_outputs_in_build(eff.outputs); !r)
      return s7::Error(r.error().code, a.config + ": " + r.error().what());
    if (loaded->plant) {
      if (auto r = check_plant_flags(a); !r) return r.error();
      // A FIFO, a device or a folder where a file should be: say so now, before connecting.
      for (const auto& g : loaded->plant->groups) {
        const auto name = logger::expand_names(g.csv.pattern, g.plc, g.name);
        if (name == "-") continue;
        const auto first = logger::expand_pattern(name, std::chrono::system_clock::now());
        if (auto r = logger::CsvSink::check_target(first); !r) return r.error();
      }
      eff.plant = std::move(loaded->plant);
      return eff;
    }
  }
  auto bad = [](const std::string& m) { return s7::Error(s7::Errc::invalid_argument, m); };
  auto co = make_client_options(a.conn);
  if (!co) return co.error();
  auto has = [&](const char* name) { return a.given.count(name) > 0; };
  if (a.config.empty() || has("--host")) cfg.plc.host = co->host;
  if (a.config.empty() || has("--port") || has("--host")) cfg.plc.port = co->port;
  if (a.config.empty() || has("--rack")) cfg.plc.rack = co->rack;
  if (a.config.empty() || has("--slot")) cfg.plc.slot = co->slot;
  if (a.config.empty() || has("--type")) cfg.plc.type = co->type;
  if (has("--local-tsap")) cfg.plc.local_tsap = co->local_tsap;
  if (has("--remote-tsap")) cfg.plc.remote_tsap = co->remote_tsap;
  if (a.config.empty() || has("--timeout")) {
    cfg.plc.connect_timeout = co->connect_timeout;
    cfg.plc.request_timeout = co->request_timeout;
  }
  if (a.interval) {
    auto d = util::parse_duration(*a.interval);
    if (!d || *d < std::chrono::milliseconds(1))
      return bad("--interval: expected a duration of at least 1ms, like 500ms, 1s or 2min");
    cfg.interval = *d;
  }
  if (a.out) cfg.out = *a.out;
  if (a.rotate) {
    auto r = logger::parse_rotation(*a.rotate);
    if (!r) return bad("--rotate: expected none, hourly or daily");
    cfg.rotate = *r;
  }
  if (cfg.out != "-") {
    if (auto r = logger::check_pattern(cfg.out); !r)
      return bad("--out " + cfg.out + ": " + r.error().what());
    // A FIFO, a device or a folder where the file should be: say so now, before connecting.
    const auto first = logger::expand_pattern(logger::file_pattern(cfg.out, cfg.rotate),
                                              std::chrono::system_clock::now());
    if (auto r = logger::CsvSink::check_target(first); !r) return r.error();
  }
  if (cfg.out == "-" && cfg.rotate != logger::Rotation::none)
    return bad("--out -: standard output cannot rotate; drop --rotate (or write to a file)");
  if (a.dialect) {
    auto d = logger::parse_dialect(*a.dialect);
    if (!d) return bad("--csv-dialect: expected course or excel-da");
    cfg.dialect = *d;
  }
  if (a.quality) cfg.quality = true;
  if (a.fsync) cfg.fsync = true;
  if (a.buffer_rows) {
    cfg.buffer_rows = *a.buffer_rows;
  }
  std::vector<logger::TagInfo> tags = file_tags ? cfg.tags : logger::course_tags();
  auto table = load_symbol_args(a.symbols);  // --symbols: for --tag name=SYMBOL
  if (!table) return bad(table.error().what());
  for (const auto& spec : a.tags) {
    // name="DB".member: one column per value of the member (name, name[1].speed, ...).
    const auto eq = spec.find('=');
    const std::string address =
        eq == std::string::npos ? std::string() : std::string(util::trim(spec.substr(eq + 1)));
    if (symbols::SymbolTable::is_symbol(address, table->has_value())) {
      if (!*table)
        return bad("--tag " + util::escape_control(spec) +
                   ": a symbol needs the PLC program's sources: --symbols FILE (docs/symbols.md)");
      auto r = (*table)->resolve(address);
      if (!r) return bad("--tag " + util::escape_control(spec) + ": " + r.error().what());
      const std::string name(util::trim(spec.substr(0, eq)));
      for (const auto& leaf : r->leaves) {
        if (auto ok = s7::check_readable(leaf.address); !ok)
          return bad("--tag " + util::escape_control(spec) + ": " + ok.error().what());
        tags.push_back(logger::TagInfo{name + leaf.suffix, leaf.address, std::nullopt});
      }
      continue;
    }
    auto t = logger::parse_tag_spec(spec);
    if (!t) return bad("--tag: " + t.error().what());
    tags.push_back(*t);
  }
  if (auto r = logger::validate_tags(tags); !r) return r.error();
  if (!a.on_change.empty()) {
    cfg.on_change.clear();
    for (const auto& list : a.on_change) {
      std::size_t start = 0;
      while (start <= list.size()) {
        auto comma = list.find(',', start);
        auto name =
            list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!name.empty()) cfg.on_change.push_back(name);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
  }
  for (const auto& spec : a.deadband) {
    auto d = logger::parse_name_number(spec);
    if (!d) return bad("--deadband: " + d.error().what());
    cfg.deadband[d->first] = d->second;
  }
  if (auto f = logger::ChangeFilter::create(tags, cfg.on_change, cfg.deadband); !f)
    return f.error();
  eff.tags = std::move(tags);
  return eff;
}

// --stats-json: the run's counters and the sample lateness (deadline to start of the read,
// steady clock) and read latency, as one JSON object. Quantiles come from the histograms
// (linear inside a bucket, so they are as fine as the buckets: 10 us steps below 0.1 ms).
// The counters of one Stats (the run's, a PLC's or a group's) as JSON.
nlohmann::json stats_json(const logger::Stats& st) {
  nlohmann::json j;
  j["samples_written"] = st.samples_written.load();
  j["skipped_samples"] = st.skipped_samples.load();
  j["read_errors"] = st.read_errors.load();
  j["reconnects"] = st.reconnects.load();
  const auto n = st.lateness_count.load();
  j["lateness_count"] = n;
  j["lateness_p50_ms"] = st.lateness_quantile(0.50) * 1e3;
  j["lateness_p99_ms"] = st.lateness_quantile(0.99) * 1e3;
  j["lateness_max_ms"] = static_cast<double>(st.lateness_max_ns.load()) / 1e6;
  j["lateness_mean_ms"] =
      n ? static_cast<double>(st.lateness_sum_ns.load()) / 1e6 / static_cast<double>(n) : 0.0;
  const auto lc = st.latency_count.load();
  j["read_latency_mean_ms"] =
      lc ? static_cast<double>(st.latency_sum_ns.load()) / 1e6 / static_cast<double>(lc) : 0.0;
  return j;
}

bool write_stats_json(const std::string& path, const logger::Agent& agent) {
  const logger::Stats& st = agent.stats();
  nlohmann::json j = stats_json(st);
  j["rows_dropped"] = st.dropped_rows.load();
  j["console_lines_dropped"] = st.console_lines_dropped.load();
  nlohmann::json buckets = nlohmann::json::array();
  for (std::size_t i = 0; i < st.lateness_buckets.size(); ++i) {
    buckets.push_back({{"le", i < logger::Stats::kLatenessBounds.size()
                                  ? nlohmann::json(logger::Stats::kLatenessBounds[i])
                                  : nlohmann::json("+Inf")},
                       {"count", st.lateness_buckets[i].load()}});
  }
  j["lateness_buckets"] = buckets;
  // Per PLC and per group (a plain config: one of each, unnamed).
  j["plcs"] = nlohmann::json::array();
  for (const auto& p : agent.plc_stats()) {
    auto e = stats_json(p->stats);
    e["plc"] = p->plc;
    e["link"] = logger::to_string(p->stats.link.load());
    j["plcs"].push_back(e);
  }
  j["groups"] = nlohmann::json::array();
  for (const auto& g : agent.group_stats()) {
    auto e = stats_json(g->stats);
    e["plc"] = g->plc;
    e["group"] = g->group;
    j["groups"].push_back(e);
  }
  j["outputs"] = nlohmann::json::array();
  for (const auto* o : agent.sink_stats())
    j["outputs"].push_back({{"output", o->name},
                            {"delivered", o->delivered.load()},
                            {"dropped", o->dropped.load()},
                            {"spooled", o->spooled.load()},
                            {"spool_records", o->spool_records.load()},
                            {"spool_bytes", o->spool_bytes.load()},
                            {"failures", o->failures.load()}});
  // How this system waits for a deadline and the timer resolution it reports (docs/windows.md).
  const platform::SleepInfo wait = platform::sleep_info();
  j["sampling_wait"] = {{"method", wait.method}, {"resolution_ns", wait.resolution.count()}};
  std::ofstream out(util::u8path(path));
  out << j.dump() << "\n";
  return static_cast<bool>(out);
}

}  // namespace

std::atomic<bool>& run_stop_flag() {
  return g_stop;
}

namespace {

logger::CsvSinkOptions csv_options(const logger::LoggerConfig& cfg) {
  logger::CsvSinkOptions so;
  so.pattern = logger::file_pattern(cfg.out, cfg.rotate);
  so.format.dialect = cfg.dialect;
  so.format.quality = cfg.quality;
  so.format.millis = cfg.interval % std::chrono::seconds(1) != std::chrono::nanoseconds::zero();
  so.buffer_rows = cfg.buffer_rows;
  so.fsync = cfg.fsync;
  return so;
}

std::string describe_run(const Effective& eff) {
  if (eff.plant) {
    const auto& p = *eff.plant;
    std::size_t tags = 0;
    for (const auto& g : p.groups) tags += g.tags.size();
    std::string plcs;
    for (const auto& plc : p.plcs)
      plcs += (plcs.empty() ? "" : ", ") + plc.name + " " + plc.client.describe();
    return "logging " + std::to_string(p.groups.size()) + " groups (" + std::to_string(tags) +
           " tags) from " + std::to_string(p.plcs.size()) + " PLCs: " + plcs;
  }
  const auto& cfg = eff.cfg;
  return "logging " + std::to_string(eff.tags.size()) + " tags from " + cfg.plc.describe() +
         " every " + util::format_duration(cfg.interval) + " to " +
         (cfg.out == "-" ? std::string("standard output")
                         : logger::file_pattern(cfg.out, cfg.rotate));
}

// The agent's configuration: the plant's, or for a plain config one PLC and one group, both
// unnamed (the messages and the CSV are those of the course's logger).
logger::AgentConfig agent_config(const RunArgs& a, const Effective& eff) {
  logger::AgentConfig ac;
  if (eff.plant) {
    ac = *eff.plant;
  } else {
    const auto& cfg = eff.cfg;
    logger::PlcSpec plc;
    plc.client = cfg.plc;
    plc.backoff = cfg.backoff;
    ac.plcs.push_back(plc);
    logger::GroupSpec g;
    g.interval = cfg.interval;
    g.tags = eff.tags;
    g.on_change = cfg.on_change;
    g.deadband = cfg.deadband;
    g.quality = cfg.quality;
    g.csv = csv_options(cfg);
    g.outputs = cfg.outputs;
    ac.groups.push_back(std::move(g));
    ac.queue_rows = cfg.buffer_rows;
  }
  if (a.count) ac.max_slots = *a.count;
  if (a.once) {
    ac.max_slots = 1;
    ac.align_to_wall = false;
  }
  return ac;
}

// Every file's header, to tell on a reload whether columns changed.
std::vector<std::string> headers(const logger::AgentConfig& ac) {
  std::vector<std::string> out;
  for (const auto& g : ac.groups) out.push_back(g.csv.format.header(g.tags));
  return out;
}

}  // namespace

int run_logger(const RunArgs& a, Extensions& ext) {
  if (a.print_config) {
    if (a.print_config_kind != "" && a.print_config_kind != "plant") {
      print_error("s7log run", "--print-config " + a.print_config_kind +
                                   ": expected nothing (the course's setup) or plant");
      return kExitUsage;
    }
    const auto text =
        a.print_config_kind == "plant" ? logger::sample_plant_config() : logger::sample_config();
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  auto first = effective(a);
  if (!first) return fail_config(first.error().what());
  Effective eff = std::move(*first);
  if (a.check_config) {
    // For scripts and the service's ExecStartPre: everything run would check before starting.
    NetworkOutputs probe_outputs;  // made, not connected: the groups' outputs must exist
    logger::Agent probe;
    if (auto r = attach_network_outputs(probe_outputs, eff.outputs, probe, {}); !r)
      return fail_config(r.error().what());
    if (auto r = probe.configure(agent_config(a, eff)); !r) return fail_config(r.error().what());
    std::printf("%s: ok, %s\n", a.config.empty() ? "defaults" : a.config.c_str(),
                describe_run(eff).c_str());
    return 0;
  }

  // Handlers before any output: a user (or test) may stop us as soon as a line appears.
  g_quit.store(false);
  g_reload.store(false);
  // Windows: a closed console window waits (up to 4 s) until this object ends, after the last
  // row and the summary; and the console shows UTF-8 tag names.
  platform::StopHandling stop_handling(on_console_event, /*reload=*/true);
  platform::prepare_console();
  // Console output is written by its own threads: a blocked terminal or pipe never stalls
  // sampling (lines past the bound are dropped and counted), and a stop never waits for it.
  platform::LineWriter out_lines(platform::kStdout), err_lines(platform::kStderr);
  logger::Stats* counters = nullptr;  // the agent's, once it exists
  auto count_drops = [&] {
    if (counters != nullptr)
      counters->console_lines_dropped.store(out_lines.dropped_lines() + err_lines.dropped_lines());
  };
  auto notify = [&](const std::string& m) {
    err_lines.write("s7log run: " + util::escape_control(m) + "\n");
    count_drops();
  };
  NetworkOutputs network;  // outlives the agent, which hands them their last samples
  logger::Agent agent(notify);
  std::string running = describe_run(eff);
  if (auto r = attach_network_outputs(network, eff.outputs, agent, notify); !r)
    return fail_config(r.error().what());
  if (auto r = agent.configure(agent_config(a, eff)); !r) return fail_config(r.error().what());
  // The agent holds the plant now (100,000 tags are ~10 MB a copy): keep only its shape here.
  if (eff.plant) *eff.plant = logger::AgentConfig{};
  // The config's parse tree is gone; do not keep its peak resident for the whole run.
  platform::release_free_memory();
  logger::Stats& stats = agent.stats();
  counters = &stats;
  // With --out - the CSV owns stdout: the LOG lines and the summary go to stderr.
  platform::LineWriter* text_out = eff.cfg.out == "-" && !eff.plant ? &err_lines : &out_lines;
  auto text_line = [&](std::string line) {
    text_out->write(std::move(line));
    count_drops();
  };
  // The course's LOG: lines, for a plain config (a plant's rows would flood the terminal).
  logger::ConsoleSink console(csv_options(eff.cfg).format, text_line);
  if (!eff.plant) agent.add_row_sink(console, "the console");
  if (auto r = attach_extensions(ext, agent, eff.live); !r) return fail_config(r.error().what());

  notify(running + " (Ctrl+C stops)");
  const bool started_on_terminal = platform::has_terminal();
  std::uint64_t slots = 0;  // taken or missed, over reloads (for --count)
  int rc = kExitOk;
  for (;;) {
    auto r = agent.run(g_stop);
    slots += agent.slots(0);
    if (!r) {
      rc = fail_config(r.error().what());
      break;
    }
    if (g_quit.load() || !g_reload.load()) break;  // Ctrl+C, SIGTERM, --count or demo's stop
    // A shell passes its window's SIGHUP on to its background jobs with kill(): when the
    // terminal we started in is gone, that is a stop too, not a reload.
    if (started_on_terminal && !platform::has_terminal()) break;
    // SIGHUP: the same command line over the file as it is now; on error keep what runs.
    g_reload.store(false);
    g_stop.store(false);
    if (g_quit.load()) break;  // a stop signal that came in meanwhile wins
    auto next = effective(a);
    if (!next) {
      notify("reload failed, going on unchanged: " + next.error().what());
      continue;
    }
    if (next->plant.has_value() != eff.plant.has_value()) {
      notify(
          "reload failed, going on unchanged: the file switched between one PLC and a plant "
          "([[plc]] tables); restart s7log for that");
      continue;
    }
    if (next->outputs != eff.outputs) {
      notify(
          "reload failed, going on unchanged: the [output.*] tables changed; restart s7log for "
          "that");
      continue;
    }
    std::string next_running = describe_run(*next);
    auto next_agent = agent_config(a, *next);
    if (next->plant) *next->plant = logger::AgentConfig{};
    const bool new_columns = headers(next_agent) != headers(agent.config());
    if (a.count) next_agent.max_slots = *a.count - std::min(slots, *a.count);
    if (auto c = agent.configure(std::move(next_agent)); !c) {
      notify("reload failed, going on unchanged: " + c.error().what());
      continue;
    }
    eff = std::move(*next);
    platform::release_free_memory();
    console.reconfigure(csv_options(eff.cfg).format);
    text_out = eff.cfg.out == "-" && !eff.plant ? &err_lines : &out_lines;
    notify("reloaded " + (a.config.empty() ? std::string("the defaults") : a.config) + ": " +
           next_running +
           (new_columns ? " (new columns: a file with another header is not appended to)" : ""));
  }
  detach_extensions(ext);
  if (rc != kExitOk) return rc;
  const std::uint64_t dropped = stats.dropped_rows.load();
  std::size_t unwritten = 0;
  for (const auto& o : agent.outputs()) unwritten += o.unwritten;
  std::string summary = "stopped: " + std::to_string(stats.samples_written.load()) + " rows, " +
                        std::to_string(stats.read_errors.load()) + " read errors, " +
                        std::to_string(stats.reconnects.load()) + " reconnects, " +
                        std::to_string(stats.skipped_samples.load()) + " skipped samples";
  if (dropped > 0) summary += ", " + std::to_string(dropped) + " rows dropped";
  if (unwritten > 0) summary += ", " + std::to_string(unwritten) + " rows not written";
  if (const auto lines = stats.console_lines_dropped.load(); lines > 0)
    summary += ", " + std::to_string(lines) + " console lines dropped (output blocked)";
  text_line(summary + "\n");
  for (const auto* o : agent.sink_stats()) {
    std::string line = o->name + ": " + std::to_string(o->delivered.load()) + " samples delivered";
    if (const auto waiting = o->spool_records.load(); waiting > 0)
      line += ", " + std::to_string(waiting) +
              " wait in the spool (sent when the server is back, also after a restart)";
    if (const auto lost = o->dropped.load(); lost > 0)
      line += ", " + std::to_string(lost) + " lost";
    text_line(line + "\n");
  }
  for (const auto& o : agent.outputs())
    if (o.unwritten > 0)
      notify(std::to_string(o.unwritten) + " rows could not be written to " + o.waiting_for +
             " and are lost (" + o.last_error + ")");
  if (dropped > 0)
    notify(std::to_string(dropped) + " rows were dropped while the file could not be written " +
           "(the buffer holds --buffer-rows " + std::to_string(eff.cfg.buffer_rows) + ")");
  // Ctrl+C and SIGTERM stop within a second even when nobody reads our output.
  out_lines.close(std::chrono::milliseconds(400));
  err_lines.close(std::chrono::milliseconds(400));
  count_drops();
  if (!a.stats_json.empty() && !write_stats_json(a.stats_json, agent)) {
    print_error("s7log run", "cannot write --stats-json file " + a.stats_json);
    return 1;
  }
  return dropped > 0 || unwritten > 0 ? kExitRowsLost : kExitOk;
}

// --service NAME: the logger under the Windows service control manager. The service starts in
// the system folder with no console, so the config's folder becomes the working folder and the
// messages go to <config>.log beside it.
int run_service(const RunArgs& a, Extensions& ext) {
  if (a.config.empty()) {
    print_error("s7log run", "--service needs --config FILE (the service's settings)");
    return kExitUsage;
  }
  const std::filesystem::path config = std::filesystem::absolute(util::u8path(a.config));
  std::filesystem::path log = config;
  log.replace_extension(".log");
  RunArgs args = a;
  args.config = util::path_text(config);
  std::error_code ec;
  std::filesystem::current_path(config.parent_path(), ec);
  const auto r = platform::run_as_service(a.service, util::path_text(log),
                                          [&args, &ext] { return run_logger(args, ext); });
  if (!r.started) {
    print_error("s7log run", r.error);
    return kExitUsage;
  }
  return r.exit_code;
}

void register_run(CLI::App& app, Runner& selected) {
  auto* cmd = app.add_subcommand(
      "run",
      "Log PLC tags to CSV: the course's DB1 logger, with rotation, on-change, reconnect.\n"
      "Defaults: 127.0.0.1:1102, rack 0, slot 1, DB1 bytes 0..11 every second into log.csv");
  auto a = std::make_shared<RunArgs>();
  auto ext = std::make_shared<Extensions>();
  cmd->add_option("--config", a->config, "TOML config file (see --print-config)");
  auto* print_opt = cmd->add_option("--print-config", a->print_config_kind,
                                    "Print the course's setup as a commented logger.toml and "
                                    "exit; --print-config plant prints a two-PLC, three-group "
                                    "plant config")
                        ->expected(0, 1);
  cmd->add_flag("--check-config", a->check_config,
                "Check the configuration (--config and the other options) and exit: 0 when it "
                "is valid, 2 with the error otherwise; nothing is connected or written");
  add_connection_options(*cmd, a->conn);
  add_symbol_options(*cmd, a->symbols);
  cmd->add_option("--interval", a->interval, "Sample interval: 500ms, 1s (default), 2min");
  cmd->add_option("--out", a->out,
                  "Output file or strftime pattern (default log.csv); - for standard output");
  cmd->add_option("--rotate", a->rotate, "none (default), hourly or daily");
  cmd->add_option("--on-change", a->on_change,
                  "Comma list of tags: write a row only when one changed (first row always)");
  cmd->add_option("--deadband", a->deadband, "name=number: ignore smaller changes (repeatable)");
  cmd->add_option("--tag", a->tags,
                  "name=ADDRESS, e.g. setpoint_int=DB1.DBW20:INT, or name=SYMBOL with --symbols, "
                  "e.g. sp='\"Telemetry\".setpoint_int' (repeatable)");
  cmd->add_flag("--quality", a->quality,
                "Add a quality column and a row with empty values for every missed sample");
  cmd->add_option("--csv-dialect", a->dialect,
                  "course (default: comma) or excel-da (semicolon, decimal comma, BOM)");
  cmd->add_option("--buffer-rows", a->buffer_rows,
                  "Rows kept in memory while the file cannot be written (default 100000)")
      ->check(whole_number(1));
  cmd->add_flag("--fsync", a->fsync, "fsync after every row (survives power loss; slower)");
  cmd->add_option("--count", a->count, "Stop after this many samples (taken or missed)")
      ->check(whole_number(1));
  cmd->add_flag("--once", a->once, "Take one sample at once and exit");
  cmd->add_option("--stats-json", a->stats_json,
                  "At exit, write counters and sample lateness p50/p99/max (JSON) to this file");
  cmd->add_option("--service", a->service,
                  "Windows: run as the service NAME created with sc.exe (needs --config; messages "
                  "go to the config's name with .log; relative paths are from the config's "
                  "folder; docs/windows.md)");
  add_extension_options(*cmd, *ext);
  cmd->footer(
      "Signals: Ctrl+C (SIGINT) and SIGTERM stop cleanly; SIGHUP reloads --config without losing "
      "a row.\n"
      "Exit codes: 0 stopped, every row written; 1 the --stats-json file could not be written; "
      "2 bad option or configuration (nothing started); 3 rows were lost (dropped from the full "
      "buffer, or unwritten at the stop).\n"
      "Docs: docs/logger.md (options, config file, CSV format), docs/live.md (--live).");
  cmd->callback([cmd, a, ext, print_opt, &selected] {
    a->print_config = print_opt->count() > 0;
    for (const char* name : {"--host", "--port", "--rack", "--slot", "--type", "--timeout",
                             "--local-tsap", "--remote-tsap"})
      if (cmd->get_option_no_throw(name) != nullptr && cmd->count(name) > 0) a->given.insert(name);
    if (!a->service.empty()) {
      selected = [a, ext] { return run_service(*a, *ext); };
      return;
    }
    selected = [a, ext] { return run_logger(*a, *ext); };
  });
}

}  // namespace app
