// The network outputs of `s7log run`: PostgreSQL and MQTT from the module s7log-outputs.so, loaded
// only when the config has [output.*] tables (sinks/outputs_module.hpp says why).
#include "network_outputs.hpp"

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <tuple>

#include "platform/module.hpp"
#include "util/u8path.hpp"

#ifdef S7LOG_OUTPUTS_MODULE
#include "sinks/outputs_module.hpp"
#endif

namespace app {

namespace {

constexpr const char* kModuleName = "s7log-outputs.so";

logger::NetworkSinkOptions sink_options(const std::string& name, const logger::SpoolConfig& spool,
                                        std::size_t batch_rows) {
  logger::NetworkSinkOptions o;
  o.name = name;
  o.spool_dir = spool.dir;
  o.spool_max = spool.max_bytes;
  o.spool_fsync = spool.fsync;
  o.batch_rows = batch_rows;
  return o;
}

#ifdef S7LOG_OUTPUTS_MODULE
struct Loaded {
  sinks::OutputsCheckFn check = nullptr;
  sinks::OutputsCreateFn create = nullptr;
  std::string error;
};

// Where the module is looked for, in order: $S7LOG_OUTPUTS_MODULE, beside the executable, then
// <prefix>/lib/s7log/ beside a bin/ folder (the installed layout).
std::vector<std::string> candidates() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("S7LOG_OUTPUTS_MODULE"); env && *env) out.emplace_back(env);
  const auto dir = util::u8path(platform::executable_dir());
  if (!dir.empty()) {
    out.push_back(util::path_text(dir / kModuleName));
    if (dir.filename() == "bin")
      out.push_back(util::path_text(dir.parent_path() / "lib" / "s7log" / kModuleName));
  }
  return out;
}

Loaded load_once() {
  Loaded out;
  std::string tried;
  auto note = [&](const std::string& what) { tried += (tried.empty() ? "" : "; ") + what; };
  for (const auto& path : candidates()) {
    std::error_code ec;
    if (!std::filesystem::exists(util::u8path(path), ec)) {
      note(path + " (not there)");
      continue;
    }
    std::string why;
    void* h = platform::load_module(path, why);
    if (h == nullptr) {
      note(path + " (" + why + ")");
      continue;
    }
    auto abi =
        reinterpret_cast<sinks::OutputsAbiFn>(platform::module_symbol(h, sinks::kOutputsModuleAbi));
    auto check = reinterpret_cast<sinks::OutputsCheckFn>(
        platform::module_symbol(h, sinks::kOutputsModuleCheck));
    auto create = reinterpret_cast<sinks::OutputsCreateFn>(
        platform::module_symbol(h, sinks::kOutputsModuleCreate));
    if (abi == nullptr || check == nullptr || create == nullptr) {
      note(path + " (not an s7log outputs module)");
      continue;
    }
    const std::string expected = sinks::outputs_module_abi(S7LOG_VERSION);
    if (const std::string found = abi(); found != expected) {
      note(path + " (from another build of s7log: expected '" + expected + "', found '" + found +
           "')");
      continue;
    }
    out.check = check;
    out.create = create;
    return out;
  }
  out.error = std::string("the network outputs need ") + kModuleName +
              ", installed beside the s7log binary; tried: " + tried +
              ". Reinstall s7log or set S7LOG_OUTPUTS_MODULE to the module's path";
  return out;
}

const Loaded& module() {
  static std::once_flag once;
  static Loaded loaded;
  std::call_once(once, [] { loaded = load_once(); });
  return loaded;
}
#endif

}  // namespace

s7::Result<void> check_outputs_in_build(const logger::OutputsConfig& outputs) {
  if (!outputs.postgres && !outputs.mqtt) return {};
#ifdef S7LOG_OUTPUTS_MODULE
  const auto& m = module();
  if (m.check == nullptr) return s7::Error(s7::Errc::invalid_argument, m.error);
  std::string error;
  if (!m.check(&outputs, &error)) return s7::Error(s7::Errc::invalid_argument, error);
  return {};
#else
  const bool pg = outputs.postgres.has_value();
  const std::string name = pg ? "postgres" : "mqtt";
  return s7::Error(s7::Errc::invalid_argument,
                   "[output." + name + "]: this build of s7log has no " + name +
                       " output (it was built without " +
                       (pg ? "libpq" : "libmosquitto and protobuf-c") +
                       "; the Windows .exe has CSV only). docs/outputs.md lists what each build "
                       "has; log to CSV here, or run s7log for Linux (the .deb) for this output");
#endif
}

s7::Result<void> attach_network_outputs(NetworkOutputs& out, const logger::OutputsConfig& config,
                                        logger::Agent& agent,
                                        const std::function<void(const std::string&)>& notify) {
  if (!config.postgres && !config.mqtt) return {};  // the module is not even loaded
  if (auto r = check_outputs_in_build(config); !r) return r;
  auto add = [&](std::unique_ptr<logger::Delivery> d, const std::string& name,
                 const logger::SpoolConfig& spool, std::size_t batch_rows) {
    auto sink = std::make_unique<logger::NetworkSink>(*d, sink_options(name, spool, batch_rows),
                                                      &agent.stats(), notify);
    sink->set_link_source([&agent](const std::string& plc) { return agent.link_of(plc); });
    agent.add_output(*sink, name, &sink->stats());
    out.deliveries.push_back(std::move(d));
    out.sinks.push_back(std::move(sink));
  };
#ifdef S7LOG_OUTPUTS_MODULE
  const auto& m = module();
  for (const auto& [kind, spool, rows] :
       {std::tuple{"postgres", config.postgres ? config.postgres->spool : logger::SpoolConfig{},
                   config.postgres ? config.postgres->batch_rows : 0},
        std::tuple{"mqtt", config.mqtt ? config.mqtt->spool : logger::SpoolConfig{},
                   config.mqtt ? config.mqtt->batch_rows : 0}}) {
    const bool wanted =
        std::string(kind) == "postgres" ? config.postgres.has_value() : config.mqtt.has_value();
    if (!wanted) continue;
    std::string error;
    std::unique_ptr<logger::Delivery> d(m.create(&config, kind, &error));
    if (!d)
      return s7::Error(s7::Errc::invalid_argument, "[output." + std::string(kind) + "]: " + error);
    add(std::move(d), kind, spool, rows);
  }
#else
  (void)add;  // check_outputs_in_build() refused every [output.*] table already
#endif
  return {};
}

}  // namespace app
