// Finding and loading s7log-live.so with dlopen() (POSIX module builds; see live_service.hpp).
#include "web/live_service.hpp"

#include <cstdlib>
#include <mutex>
#include <system_error>

#include <fmt/format.h>

#include "platform/module.hpp"

namespace web {

namespace {

constexpr const char* kModuleName = "s7log-live.so";

// The module, once loaded, is never dlclose()d: servers it created may live until exit.
struct Loaded {
  LiveModuleCreateFn create = nullptr;
  std::string error;
};

Loaded load_once() {
  Loaded out;
  std::vector<std::string> tried;
  for (const auto& path : live_module_candidates()) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      tried.push_back(path.string() + " (not there)");
      continue;
    }
    std::string why;
    void* h = platform::load_module(path.string(), why);
    if (!h) {
      tried.push_back(fmt::format("{} ({})", path.string(), why));
      continue;
    }
    auto abi = reinterpret_cast<LiveModuleAbiFn>(platform::module_symbol(h, kLiveModuleAbi));
    auto create =
        reinterpret_cast<LiveModuleCreateFn>(platform::module_symbol(h, kLiveModuleCreate));
    if (!abi || !create) {
      tried.push_back(path.string() + " (not an s7log live module)");
      continue;
    }
    if (std::string found = abi(); found != live_module_abi()) {
      tried.push_back(fmt::format("{} (from another build of s7log: expected '{}', found '{}')",
                                  path.string(), live_module_abi(), found));
      continue;
    }
    out.create = create;
    return out;
  }
  out.error = fmt::format(
      "the live page needs {}, installed beside the s7log binary; tried: {}. Reinstall s7log "
      "or set S7LOG_LIVE_MODULE to the module's path",
      kModuleName, fmt::join(tried, "; "));
  return out;
}

}  // namespace

std::string live_module_abi() {
  return fmt::format("s7log-live {} api={} feed={} stats={} named={} view={} options={}",
                     S7LOG_LIVE_VERSION, kLiveModuleApi, sizeof(LiveFeed), sizeof(logger::Stats),
                     sizeof(logger::NamedStats), sizeof(LiveStatsView), sizeof(LiveServiceOptions));
}

std::vector<std::filesystem::path> live_module_candidates() {
  std::vector<std::filesystem::path> out;
  if (const char* env = std::getenv("S7LOG_LIVE_MODULE"); env && *env) out.emplace_back(env);
  if (const std::filesystem::path dir = platform::executable_dir(); !dir.empty()) {
    out.push_back(dir / kModuleName);
    if (dir.filename() == "bin") out.push_back(dir.parent_path() / "lib" / "s7log" / kModuleName);
  }
  return out;
}

s7::Result<std::unique_ptr<LiveService>> load_live_service(LiveFeed& feed,
                                                           const LiveServiceOptions& options) {
  static std::once_flag once;
  static Loaded loaded;
  std::call_once(once, [] { loaded = load_once(); });
  if (!loaded.create) return s7::Error(s7::Errc::invalid_argument, loaded.error);
  return std::unique_ptr<LiveService>(loaded.create(&feed, &options));
}

}  // namespace web
