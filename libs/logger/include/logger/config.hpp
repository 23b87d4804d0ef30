// logger.toml: the PLC connection, interval, output, rotation, dialect and tags, validated at load.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logger/agent.hpp"
#include "logger/backoff.hpp"
#include "logger/csv.hpp"
#include "logger/outputs.hpp"
#include "logger/rotation.hpp"
#include "logger/sample.hpp"
#include "s7/client.hpp"
#include "s7/error.hpp"

namespace logger {

// Everything `s7log run` needs. Defaults are the course's setup.
struct LoggerConfig {
  s7::ClientOptions plc = course_plc();
  std::chrono::nanoseconds interval = std::chrono::seconds(1);
  std::string out = "log.csv";
  Rotation rotate = Rotation::none;
  Dialect dialect = Dialect::course;
  bool quality = false;
  std::vector<std::string> on_change;
  std::map<std::string, double> deadband;
  std::vector<TagInfo> tags;  // empty: the course's five
  std::size_t buffer_rows = 100'000;
  bool fsync = false;
  // Where samples go: "csv" (out above), "postgres", "mqtt" (their [output.*] tables).
  std::vector<std::string> outputs{"csv"};
  BackoffPolicy backoff;

  // 127.0.0.1:1102, rack 0, slot 1.
  static s7::ClientOptions course_plc();
};

// [live] auth = "none" | "token", token = "...": who may open the live page when it listens on
// an address that is not loopback (docs/live.md).
struct LiveAuth {
  bool none = false;                 // auth = "none": open to anyone who can reach the port
  std::optional<std::string> token;  // else this token (at least 16 characters), or a new one
};

// Which keys a file set (so command-line flags override only what they name).
struct LoadedConfig {
  LoggerConfig config;  // a plain config; for a plant, the [log] and [reconnect] defaults
  bool has_tags = false;
  // A plant config ([[plc]] and [[group]] tables): checked and ready to run. Errors the agent
  // would find (unknown PLC, duplicate names, one file with two headers) are found here already,
  // with the file and line.
  std::optional<AgentConfig> plant;
  LiveAuth live;
  OutputsConfig outputs;  // [output.postgres], [output.mqtt]
};

// Parses TOML text. Errors read "<source>:<line>: <key>: <message>" (Errc::invalid_argument);
// unknown keys are errors too (a typo must not silently fall back to a default).
// The files that `symbols = [...]` names, by their names as written: the bytes, or why not (the
// reason only, e.g. "no such file"). Empty: from the disk, relative to the folder of `source`.
using SourceReader = std::function<s7::Result<std::string>(const std::string& name)>;
s7::Result<LoadedConfig> parse_config(std::string_view text, std::string_view source = "config",
                                      const SourceReader& read = {});
s7::Result<LoadedConfig> load_config(const std::string& path);

// The course's setup as a commented logger.toml (what `s7log run --print-config` prints).
std::string sample_config();
// A commented plant config: two PLCs, three groups, one of them a trigger group (what
// `s7log run --print-config plant` prints).
std::string sample_plant_config();

// Cross-field checks (interval > 0, tags valid, on_change/deadband names exist).
s7::Result<void> validate(const LoggerConfig& c);

}  // namespace logger
