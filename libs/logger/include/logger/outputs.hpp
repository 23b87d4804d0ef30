// The [output.postgres] and [output.mqtt] tables of a config: where network outputs send samples
// and where they spool them meanwhile (plain settings; the sinks live in libs/sinks).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace logger {

// Every network output spools on disk while its server cannot take samples.
struct SpoolConfig {
  std::string dir;                                   // default: "s7log-spool/<output>"
  std::uint64_t max_bytes = std::uint64_t{1} << 30;  // spool_max: 1 GiB
  bool fsync = false;                                // spool_fsync: survive power loss too
  friend bool operator==(const SpoolConfig&, const SpoolConfig&) = default;
};

struct PostgresOutput {
  std::string url;  // postgresql://user@host:port/db or "host=... dbname=..." (libpq)
  std::string schema = "public";
  std::string table = "{group}";  // {plc} and {group} are replaced
  std::size_t batch_rows = 1000;
  SpoolConfig spool;
  friend bool operator==(const PostgresOutput&, const PostgresOutput&) = default;
};

struct MqttOutput {
  std::string url;                            // mqtt://host[:1883] or mqtts://host[:8883]
  std::string format = "json";                // "json" or "sparkplug"
  std::string topic = "s7log/{plc}/{group}";  // JSON only
  int qos = 1;
  bool retain = false;
  std::string client_id;  // empty: s7log-<host>-<pid>
  std::string username;
  std::string password;
  std::string ca_file;  // mqtts: the CA that signed the broker's certificate (else system CAs)
  std::string cert_file;
  std::string key_file;
  std::string group_id = "s7log";  // Sparkplug group id
  std::string edge_node;           // Sparkplug edge node id; empty: the host name
  std::chrono::seconds keepalive{30};
  std::size_t batch_rows = 1000;
  SpoolConfig spool;
  friend bool operator==(const MqttOutput&, const MqttOutput&) = default;
};

struct OutputsConfig {
  std::optional<PostgresOutput> postgres;
  std::optional<MqttOutput> mqtt;
  friend bool operator==(const OutputsConfig&, const OutputsConfig&) = default;
};

}  // namespace logger
