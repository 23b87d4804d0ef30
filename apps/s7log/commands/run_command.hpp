// The logger command's arguments and entry point, shared by `s7log run` and `s7log demo`.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connection_options.hpp"
#include "symbol_options.hpp"
#include "web/live_feed.hpp"
#include "web/live_service.hpp"

namespace CLI {
class Option;
}

namespace app {

// What the command line said; unset optionals leave the config file's (or default) value.
struct RunArgs {
  std::string config;
  bool print_config = false;
  std::string print_config_kind;  // --print-config [plant]
  bool check_config = false;      // --check-config: validate and exit
  ConnectionArgs conn;
  SymbolArgs symbols;           // --symbols, --db-number, --cpu: for --tag name=SYMBOL
  std::set<std::string> given;  // connection options named on the command line
  std::optional<std::string> interval, out, rotate, dialect;
  std::vector<std::string> on_change, deadband, tags;
  bool quality = false, fsync = false, once = false;
  std::optional<std::size_t> buffer_rows;
  std::optional<std::uint64_t> count;
  std::string service;     // --service NAME: run as that Windows service (sc.exe)
  std::string stats_json;  // --stats-json FILE: counters and lateness/latency written at exit
};

// Extra sinks beside the CSV: the live page. Objects must outlive the run, so they live here.
struct Extensions {
  CLI::Option* live_opt = nullptr;  // --live [ADDR] as parsed by CLI11
  std::string live_addr;
  std::vector<std::string> live_hosts;  // --live-host NAME: more Host names the page answers to
  std::optional<std::string> live;      // set: serve the live page on this address ("" = default)
  std::function<void(const std::string& url)> on_live;  // called once the page is served
  std::string url;
  std::unique_ptr<web::LiveFeed> feed;
  std::unique_ptr<web::LiveService> server;  // loaded from s7log-live.so
};

// Runs the logger until run_stop_flag() becomes true (SIGINT/SIGTERM set it) or --count is
// reached; SIGHUP reloads the configuration (--config and the same flags) without losing a row.
// Returns the process exit code: 0 clean stop, every row written; 2 bad configuration;
// 3 (kExitRowsLost) rows were dropped or could not be written.
int run_logger(const RunArgs& args, Extensions& ext);
std::atomic<bool>& run_stop_flag();

}  // namespace app
