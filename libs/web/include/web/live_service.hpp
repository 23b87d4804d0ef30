// LiveService: the live page's HTTP server behind an interface, loaded on demand.
//
// On Linux the server lives in a separate module (s7log-live.so) that `run --live` and `demo`
// load with dlopen(); every other command, and the logger without --live, never maps it. It was
// split off when the server was built on Debian's cpp-httplib, a shared library linked with
// OpenSSL, zlib and brotli (~3.8 MiB mapped into every process). The server is our own code now
// (server.hpp), but the packages install the module, so it stays one. On Windows (CMake option
// S7LOG_LIVE_AS_MODULE, off there) the server is linked into the program and load_live_service()
// creates it directly: src/live_service_direct.cpp instead of the loader src/live_service.cpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "s7/error.hpp"
#include "web/live_feed.hpp"
#include "web/live_stats.hpp"

namespace web {

class LiveService {
 public:
  virtual ~LiveService() = default;
  // Binds and serves on a background thread; returns the bound port (useful for port 0).
  virtual s7::Result<std::uint16_t> start(const std::string& host, std::uint16_t port) = 0;
  // Ends SSE streams, stops listening and joins the thread. Idempotent.
  virtual void stop() = 0;
};

// What a server is made with besides its feed.
struct LiveServiceOptions {
  LiveStatsView stats;  // the logger's counters (total, per PLC, per group)
  // Non-empty: every request but /metrics must carry this token (LiveServer, docs/live.md).
  std::string token;
};

// A new server (LiveServer with http_limits_from_env()) behind the interface: the module's
// s7log_live_create(), or load_live_service() itself where the server is linked in.
std::unique_ptr<LiveService> create_live_server(LiveFeed& feed, const LiveServiceOptions& options);

// Module builds only (the loader and the module): the module's two C entry points and the tag both
// sides compare, so that a module from another build (other version, other entry point, other
// object layouts) is refused instead of crashing. kLiveModuleApi names the entry point's
// signature and the contract of what it is passed: raise it whenever they change.
inline constexpr const char* kLiveModuleCreate = "s7log_live_create";
inline constexpr const char* kLiveModuleAbi = "s7log_live_abi";
inline constexpr int kLiveModuleApi = 3;  // 2: LiveServiceOptions (stats view, token); 3: sinks
std::string live_module_abi();
using LiveModuleCreateFn = LiveService* (*)(LiveFeed* feed, const LiveServiceOptions* options);
using LiveModuleAbiFn = const char* (*)();

// Where the module is looked for, in order: $S7LOG_LIVE_MODULE if set, then s7log-live.so in the
// executable's directory, then <prefix>/lib/s7log/ beside a bin/ directory.
std::vector<std::filesystem::path> live_module_candidates();

// Loads the module (once per process; it stays loaded) and creates a server for `feed` and
// `options` (what options.stats points to must outlive the server). Errors
// (Errc::invalid_argument) name the paths tried and what dlopen said. Where the server is linked
// in, it just creates the server (never fails).
s7::Result<std::unique_ptr<LiveService>> load_live_service(LiveFeed& feed,
                                                           const LiveServiceOptions& options);

}  // namespace web
