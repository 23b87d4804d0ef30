// logger.toml loading with file:line: key: message errors, and the commented sample config.
#include "logger/config.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "logger/rotation.hpp"
#include "logger/tag.hpp"
#include "symbols/config_keys.hpp"
#include "symbols/load.hpp"
#include "symbols/symbol_table.hpp"
#include "util/text.hpp"
#include "util/text_file.hpp"
#include "util/toml_reader.hpp"
#include "util/u8path.hpp"

namespace logger {

s7::ClientOptions LoggerConfig::course_plc() {
  s7::ClientOptions o;
  o.host = "127.0.0.1";
  o.port = 1102;
  o.rack = 0;
  o.slot = 1;
  return o;
}

namespace {

using Nanos = std::chrono::nanoseconds;

// The connection keys of [plc] (prefix "plc") or of one [[plc]] table ("plc[2]", which allows
// `extra` keys too, read by the caller).
s7::Result<void> parse_plc(util::TomlReader& in, const toml::table& t, const std::string& prefix,
                           s7::ClientOptions& o, std::vector<std::string_view> extra = {}) {
  std::vector<std::string_view> allowed{"host", "port",    "rack",       "slot",
                                        "type", "timeout", "local_tsap", "remote_tsap"};
  allowed.insert(allowed.end(), extra.begin(), extra.end());
  if (auto r = in.check_keys(t, prefix, allowed); !r) return r;
  const auto key = [&](const char* k) { return util::TomlReader::child(prefix, k); };
  if (const auto* n = t.get("host")) {
    auto v = in.string(*n, key("host"), util::Empty::refused);
    if (!v) return v.error();
    o.host = *v;
  }
  if (const auto* n = t.get("port")) {
    auto v = in.integer(*n, key("port"), 1, 65535);
    if (!v) return v.error();
    o.port = static_cast<std::uint16_t>(*v);
  }
  if (const auto* n = t.get("rack")) {
    auto v = in.integer(*n, key("rack"), 0, 7);
    if (!v) return v.error();
    o.rack = static_cast<std::uint8_t>(*v);
  }
  if (const auto* n = t.get("slot")) {
    auto v = in.integer(*n, key("slot"), 0, 31);
    if (!v) return v.error();
    o.slot = static_cast<std::uint8_t>(*v);
  }
  if (const auto* n = t.get("type")) {
    auto v = in.string(*n, key("type"));
    if (!v) return v.error();
    const std::string type = util::ascii_lower(*v);
    if (type == "pg")
      o.type = s7::ConnectionType::pg;
    else if (type == "op")
      o.type = s7::ConnectionType::op;
    else if (type == "basic" || type == "s7basic")
      o.type = s7::ConnectionType::basic;
    else
      return in.error(*n, key("type"), "expected \"pg\", \"op\" or \"basic\"");
  }
  if (const auto* n = t.get("timeout")) {
    auto v = in.duration(*n, key("timeout"));
    if (!v) return v.error();
    if (*v <= Nanos::zero()) return in.error(*n, key("timeout"), "must be > 0");
    o.connect_timeout = o.request_timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(*v);
  }
  for (const char* which : {"local_tsap", "remote_tsap"}) {
    const auto* n = t.get(which);
    if (n == nullptr) continue;
    std::optional<std::uint16_t> tsap;
    if (n->is_integer()) {
      auto v = in.integer(*n, key(which), 0, 0xFFFF);
      if (!v) return v.error();
      tsap = static_cast<std::uint16_t>(*v);
    } else {
      auto v = in.string(*n, key(which));
      if (!v) return v.error();
      tsap = s7::parse_tsap(*v);
    }
    if (!tsap)
      return in.error(*n, key(which), "expected a TSAP in hex like \"01.00\" or \"0x0100\"");
    (std::string_view(which) == "local_tsap" ? o.local_tsap : o.remote_tsap) = tsap;
  }
  return {};
}

// An interval: 1 ms to 1 day.
s7::Result<Nanos> read_interval(util::TomlReader& in, const toml::node& n, const std::string& key) {
  auto v = in.duration(n, key);
  if (!v) return v.error();
  if (*v < std::chrono::milliseconds(1)) return in.error(n, key, "must be at least 1ms");
  if (*v > std::chrono::hours(24)) return in.error(n, key, "must be at most 1 day (24h)");
  return *v;
}

// The output keys of [log] (prefix "log"), also those of one [[group]] table ("group[2]",
// which allows `extra` keys too, read by the caller).
s7::Result<void> parse_log(util::TomlReader& in, const toml::table& t, LoggerConfig& cfg,
                           const std::string& prefix = "log",
                           std::vector<std::string_view> extra = {}) {
  std::vector<std::string_view> allowed{"interval",    "out",         "rotate",
                                        "csv_dialect", "quality",     "on_change",
                                        "fsync",       "buffer_rows", "outputs"};
  allowed.insert(allowed.end(), extra.begin(), extra.end());
  if (auto r = in.check_keys(t, prefix, allowed); !r) return r;
  const auto key = [&](const char* k) { return util::TomlReader::child(prefix, k); };
  if (const auto* n = t.get("interval")) {
    auto v = read_interval(in, *n, key("interval"));
    if (!v) return v.error();
    cfg.interval = *v;
  }
  if (const auto* n = t.get("out")) {
    auto v = in.string(*n, key("out"), util::Empty::refused);
    if (!v) return v.error();
    if (*v != "-")
      if (auto r = check_pattern(*v); !r) return in.error(*n, key("out"), r.error().what());
    cfg.out = *v;
  }
  if (const auto* n = t.get("rotate")) {
    auto v = in.string(*n, key("rotate"));
    if (!v) return v.error();
    auto r = parse_rotation(util::ascii_lower(*v));
    if (!r) return in.error(*n, key("rotate"), "expected \"none\", \"hourly\" or \"daily\"");
    cfg.rotate = *r;
  }
  if (const auto* n = t.get("csv_dialect")) {
    auto v = in.string(*n, key("csv_dialect"));
    if (!v) return v.error();
    auto d = parse_dialect(util::ascii_lower(*v));
    if (!d) return in.error(*n, key("csv_dialect"), "expected \"course\" or \"excel-da\"");
    cfg.dialect = *d;
  }
  if (const auto* n = t.get("quality")) {
    auto v = in.boolean(*n, key("quality"));
    if (!v) return v.error();
    cfg.quality = *v;
  }
  if (const auto* n = t.get("fsync")) {
    auto v = in.boolean(*n, key("fsync"));
    if (!v) return v.error();
    cfg.fsync = *v;
  }
  if (const auto* n = t.get("buffer_rows")) {
    auto v = in.integer(*n, key("buffer_rows"), 1, 100'000'000);
    if (!v) return v.error();
    cfg.buffer_rows = static_cast<std::size_t>(*v);
  }
  if (const auto* n = t.get("on_change")) {
    auto v = in.strings(*n, key("on_change"));
    if (!v) return v.error();
    cfg.on_change = std::move(*v);
  }
  if (const auto* n = t.get("outputs")) {
    auto v = in.strings(*n, key("outputs"));
    if (!v) return v.error();
    if (v->empty())
      return in.error(*n, key("outputs"),
                      "is empty: the samples would go nowhere (\"csv\", \"postgres\", \"mqtt\")");
    std::set<std::string> seen;
    for (auto& o : *v) {
      o = util::ascii_lower(o);
      if (o != "csv" && o != "postgres" && o != "mqtt")
        return in.error(*n, key("outputs"),
                        "unknown output '" + util::escape_control(o) +
                            "' (expected \"csv\", \"postgres\" or \"mqtt\")");
      if (!seen.insert(o).second)
        return in.error(*n, key("outputs"), "'" + o + "' is listed twice");
    }
    cfg.outputs = std::move(*v);
  }
  return {};
}

// A size in bytes: an integer, or a string with a unit ("512MiB", "2GB", "64 KiB").
s7::Result<std::uint64_t> read_size(util::TomlReader& in, const toml::node& n,
                                    const std::string& key) {
  if (n.is_integer()) {
    auto v = in.integer(n, key, 1, std::numeric_limits<std::int64_t>::max());
    if (!v) return v.error();
    return static_cast<std::uint64_t>(*v);
  }
  auto text = in.string(n, key, util::Empty::refused);
  if (!text) return text.error();
  const std::string bad = "expected a size like 1073741824, \"512MiB\" or \"2GB\"";
  std::size_t i = 0;
  std::uint64_t number = 0;
  while (i < text->size() && (*text)[i] >= '0' && (*text)[i] <= '9') {
    if (number > (std::numeric_limits<std::uint64_t>::max() - 9) / 10) return in.error(n, key, bad);
    number = number * 10 + static_cast<std::uint64_t>((*text)[i++] - '0');
  }
  if (i == 0) return in.error(n, key, bad);
  while (i < text->size() && (*text)[i] == ' ') ++i;
  const auto unit = util::ascii_lower(text->substr(i));
  static const std::pair<const char*, std::uint64_t> units[] = {{"", 1},
                                                                {"b", 1},
                                                                {"kb", 1000},
                                                                {"kib", 1024},
                                                                {"mb", 1000000},
                                                                {"mib", 1u << 20},
                                                                {"gb", 1000000000},
                                                                {"gib", 1u << 30},
                                                                {"tb", 1000000000000},
                                                                {"tib", std::uint64_t{1} << 40}};
  for (const auto& [name, factor] : units)
    if (unit == name) {
      if (number > std::numeric_limits<std::uint64_t>::max() / factor) return in.error(n, key, bad);
      if (number * factor == 0) return in.error(n, key, "must be more than 0 bytes");
      return number * factor;
    }
  return in.error(n, key, bad);
}

// The spool keys every network output has.
s7::Result<void> parse_spool(util::TomlReader& in, const toml::table& t, const std::string& prefix,
                             const std::string& output, SpoolConfig& spool) {
  spool.dir = "s7log-spool/" + output;
  const auto key = [&](const char* k) { return util::TomlReader::child(prefix, k); };
  if (const auto* n = t.get("spool")) {
    auto v = in.string(*n, key("spool"), util::Empty::refused);
    if (!v) return v.error();
    spool.dir = *v;
  }
  if (const auto* n = t.get("spool_max")) {
    auto v = read_size(in, *n, key("spool_max"));
    if (!v) return v.error();
    if (*v < 64 * 1024) return in.error(*n, key("spool_max"), "must be at least 64KiB");
    spool.max_bytes = *v;
  }
  if (const auto* n = t.get("spool_fsync")) {
    auto v = in.boolean(*n, key("spool_fsync"));
    if (!v) return v.error();
    spool.fsync = *v;
  }
  return {};
}

s7::Result<std::size_t> read_batch_rows(util::TomlReader& in, const toml::table& t,
                                        const std::string& prefix, std::size_t fallback) {
  const auto* n = t.get("batch_rows");
  if (n == nullptr) return fallback;
  auto v = in.integer(*n, util::TomlReader::child(prefix, "batch_rows"), 1, 1'000'000);
  if (!v) return v.error();
  return static_cast<std::size_t>(*v);
}

s7::Result<std::string> read_string(util::TomlReader& in, const toml::table& t,
                                    const std::string& prefix, const char* name,
                                    std::string fallback,
                                    util::Empty empty = util::Empty::refused) {
  const auto* n = t.get(name);
  if (n == nullptr) return fallback;
  return in.string(*n, util::TomlReader::child(prefix, name), empty);
}

// Whether two folder names are the same folder, lexically ("a/./b/" is "a/b").
bool same_folder(const std::string& a, const std::string& b) {
  const auto norm = [](const std::string& s) {
    auto p = util::u8path(s).lexically_normal();
    if (!p.has_filename() && p.has_relative_path()) p = p.parent_path();  // "a/b/" -> "a/b"
    return p;
  };
  return norm(a) == norm(b);
}

// [output.postgres] and [output.mqtt].
s7::Result<void> parse_outputs(util::TomlReader& in, const toml::table& t, OutputsConfig& out) {
  if (auto r = in.check_keys(t, "output", {"postgres", "mqtt"}); !r) return r;
  if (const auto* n = t.get("postgres")) {
    auto pt = in.table(*n, "output.postgres");
    if (!pt) return pt.error();
    const auto& p = **pt;
    const std::string prefix = "output.postgres";
    if (auto r = in.check_keys(
            p, prefix,
            {"url", "schema", "table", "batch_rows", "spool", "spool_max", "spool_fsync"});
        !r)
      return r;
    PostgresOutput o;
    if (p.get("url") == nullptr)
      return in.error(p, prefix,
                      "missing key 'url' (postgresql://user@host:5432/dbname, or libpq keywords "
                      "like \"host=... dbname=...\")");
    auto url = read_string(in, p, prefix, "url", "");
    if (!url) return url.error();
    o.url = *url;
    auto schema = read_string(in, p, prefix, "schema", o.schema);
    if (!schema) return schema.error();
    o.schema = *schema;
    auto table = read_string(in, p, prefix, "table", o.table);
    if (!table) return table.error();
    o.table = *table;
    auto rows = read_batch_rows(in, p, prefix, o.batch_rows);
    if (!rows) return rows.error();
    o.batch_rows = *rows;
    if (auto r = parse_spool(in, p, prefix, "postgres", o.spool); !r) return r;
    out.postgres = std::move(o);
  }
  if (const auto* n = t.get("mqtt")) {
    auto mt = in.table(*n, "output.mqtt");
    if (!mt) return mt.error();
    const auto& m = **mt;
    const std::string prefix = "output.mqtt";
    if (auto r =
            in.check_keys(m, prefix,
                          {"url", "format", "topic", "qos", "retain", "client_id", "username",
                           "password", "ca_file", "cert_file", "key_file", "group_id", "edge_node",
                           "keepalive", "batch_rows", "spool", "spool_max", "spool_fsync"});
        !r)
      return r;
    MqttOutput o;
    if (m.get("url") == nullptr)
      return in.error(m, prefix, "missing key 'url' (mqtt://host:1883, or mqtts://host:8883)");
    auto url = read_string(in, m, prefix, "url", "");
    if (!url) return url.error();
    if (url->rfind("mqtt://", 0) != 0 && url->rfind("mqtts://", 0) != 0)
      return in.error(*m.get("url"), prefix + ".url",
                      "expected mqtt://host[:port] or mqtts://host[:port] (TLS)");
    o.url = *url;
    if (const auto* f = m.get("format")) {
      auto v = in.string(*f, prefix + ".format");
      if (!v) return v.error();
      o.format = util::ascii_lower(*v);
      if (o.format != "json" && o.format != "sparkplug")
        return in.error(*f, prefix + ".format", "expected \"json\" or \"sparkplug\"");
    }
    if (const auto* q = m.get("qos")) {
      auto v = in.integer(*q, prefix + ".qos", 0, 2);
      if (!v) return v.error();
      o.qos = static_cast<int>(*v);
    }
    if (const auto* r = m.get("retain")) {
      auto v = in.boolean(*r, prefix + ".retain");
      if (!v) return v.error();
      o.retain = *v;
    }
    if (const auto* k = m.get("keepalive")) {
      auto v = in.duration(*k, prefix + ".keepalive");
      if (!v) return v.error();
      if (*v < std::chrono::seconds(5) || *v > std::chrono::hours(18))
        return in.error(*k, prefix + ".keepalive", "must be between 5s and 18h");
      o.keepalive = std::chrono::duration_cast<std::chrono::seconds>(*v);
    }
    for (auto [name, field] :
         {std::pair{"topic", &o.topic}, std::pair{"client_id", &o.client_id},
          std::pair{"username", &o.username}, std::pair{"password", &o.password},
          std::pair{"ca_file", &o.ca_file}, std::pair{"cert_file", &o.cert_file},
          std::pair{"key_file", &o.key_file}, std::pair{"group_id", &o.group_id},
          std::pair{"edge_node", &o.edge_node}}) {
      auto v = read_string(in, m, prefix, name, *field);
      if (!v) return v.error();
      *field = *v;
    }
    // Sparkplug ids are topic levels: no '/', '+' or '#'.
    for (auto [name, field] :
         {std::pair{"group_id", &o.group_id}, std::pair{"edge_node", &o.edge_node}})
      if (field->find_first_of("/+#") != std::string::npos)
        return in.error(*m.get(name), prefix + "." + name,
                        "must not contain '/', '+' or '#' (it is one MQTT topic level)");
    if (o.format != "sparkplug" && m.get("topic") == nullptr) {
      // the default pattern
    } else if (o.format == "sparkplug" && m.get("topic") != nullptr) {
      return in.error(*m.get("topic"), prefix + ".topic",
                      "Sparkplug B fixes its topics (spBv1.0/<group_id>/...); set group_id and "
                      "edge_node instead");
    }
    if (!o.key_file.empty() && o.cert_file.empty())
      return in.error(*m.get("key_file"), prefix + ".key_file", "needs cert_file too");
    if (!o.password.empty() && o.username.empty())
      return in.error(*m.get("password"), prefix + ".password", "needs username too");
    auto rows = read_batch_rows(in, m, prefix, o.batch_rows);
    if (!rows) return rows.error();
    o.batch_rows = *rows;
    if (auto r = parse_spool(in, m, prefix, "mqtt", o.spool); !r) return r;
    out.mqtt = std::move(o);
  }
  // The same folder however it is spelled ("spool/pg", "./spool/pg/"): two spools in one folder
  // would take each other's segments. The error names a spool key that was written.
  if (out.postgres && out.mqtt && same_folder(out.postgres->spool.dir, out.mqtt->spool.dir)) {
    const auto* m = t.get("mqtt")->as_table();
    return in.error(
        m != nullptr && m->get("spool") != nullptr ? "output.mqtt.spool" : "output.postgres.spool",
        "output.postgres and output.mqtt spool into the same folder; give each its "
        "own");
  }
  return {};
}

// Each output a group names needs its [output.*] table.
s7::Result<void> check_outputs(util::TomlReader& in, const std::vector<std::string>& outputs,
                               const OutputsConfig& out, const std::string& key) {
  for (const auto& o : outputs)
    if ((o == "postgres" && !out.postgres) || (o == "mqtt" && !out.mqtt))
      return in.error(key, "'" + o + "' needs an [output." + o + "] table (with its url)");
  return {};
}

s7::Result<void> parse_reconnect(util::TomlReader& in, const toml::table& t, BackoffPolicy& b,
                                 const std::string& prefix = "reconnect") {
  if (auto r = in.check_keys(t, prefix, {"initial", "max", "jitter"}); !r) return r;
  const auto key = [&](const char* k) { return util::TomlReader::child(prefix, k); };
  if (const auto* n = t.get("initial")) {
    auto v = in.duration(*n, key("initial"));
    if (!v) return v.error();
    if (*v <= Nanos::zero()) return in.error(*n, key("initial"), "must be > 0");
    b.initial = *v;
  }
  if (const auto* n = t.get("max")) {
    auto v = in.duration(*n, key("max"));
    if (!v) return v.error();
    if (*v < b.initial) return in.error(*n, key("max"), "must be at least " + key("initial"));
    b.cap = *v;
  }
  if (const auto* n = t.get("jitter")) {
    auto v = in.number(*n, key("jitter"));
    if (!v) return v.error();
    if (*v < 0 || *v >= 1)
      return in.error(*n, key("jitter"), "expected a number from 0 to below 1 (0.2 = +-20 %)");
    b.jitter = *v;
  }
  return {};
}

// `raw = [lo, hi]` and `eng = [lo, hi]`: both or neither, two finite numbers each, raw lo != hi.
s7::Result<void> read_scale(util::TomlReader& in, const toml::table& t, const std::string& key,
                            const s7::Address& a, TagInfo& tag) {
  const toml::node* raw = t.get("raw");
  const toml::node* eng = t.get("eng");
  if (raw == nullptr && eng == nullptr) return {};
  if (raw == nullptr || eng == nullptr)
    return in.error(raw ? *raw : *eng, key + (raw ? ".eng" : ".raw"),
                    "missing: scaling needs both raw = [lo, hi] and eng = [lo, hi]");
  auto pair = [&](const toml::node& n, const std::string& k) -> s7::Result<std::array<double, 2>> {
    const auto* arr = n.as_array();
    std::array<double, 2> out{};
    if (arr == nullptr || arr->size() != 2) return in.error(n, k, "expected two numbers [lo, hi]");
    for (std::size_t i = 0; i < 2; ++i) {
      auto v = in.number((*arr)[i], in.item(k, i));
      if (!v) return in.error(n, k, "expected two numbers [lo, hi]");
      out[i] = *v;
    }
    return out;
  };
  auto r = pair(*raw, key + ".raw");
  if (!r) return r.error();
  auto e = pair(*eng, key + ".eng");
  if (!e) return e.error();
  if ((*r)[0] == (*r)[1]) return in.error(*raw, key + ".raw", "lo and hi must differ");
  if (!s7::is_number_type(a.type) || a.is_array)
    return in.error(
        *raw, key + ".raw",
        "only a single integer or REAL/LREAL tag can be scaled, not " + s7::to_string(a));
  tag.scale = LinearScale{(*r)[0], (*r)[1], (*e)[0], (*e)[1]};
  return {};
}

// The PLC program's sources a PLC's tags resolve against (symbols = [...], db_numbers, cpu),
// loaded once for each different set: a plant of 100 PLCs running one program reads it once.
class SymbolSets {
 public:
  SymbolSets(const std::string& base_dir, const SourceReader& read)
      : read_(read ? read : symbols::disk_reader(base_dir)) {}

  // The table of `o`; an error points at the key it is about under `prefix` ("" for the top,
  // "plc[2]"): symbols[i] for a file, db_numbers.<name> for a DB name.
  s7::Result<const symbols::SymbolTable*> get(util::TomlReader& in, const std::string& prefix,
                                              const symbols::SymbolOptions& o) {
    if (o.empty()) return static_cast<const symbols::SymbolTable*>(nullptr);
    std::string id(symbols::to_string(o.cpu));
    for (const auto& f : o.files) id += '\n' + f;
    for (const auto& [b, n] : o.db_numbers) id += '\0' + b + '=' + std::to_string(n);
    auto& slot = cache_[id];
    if (!slot) {
      symbols::LoadFailure failure;
      auto table = symbols::load_symbols(o, read_, &failure);
      if (!table) {
        const auto symbols_key = util::TomlReader::child(prefix, "symbols");
        std::string at = symbols_key;
        if (failure.key == symbols::LoadFailure::Key::db_numbers)
          at =
              util::TomlReader::child(util::TomlReader::child(prefix, "db_numbers"), failure.block);
        else if (failure.file)
          at = in.item(symbols_key, *failure.file);
        return in.error(at, table.error().what());
      }
      slot = std::make_unique<symbols::SymbolTable>(std::move(*table));
    }
    return static_cast<const symbols::SymbolTable*>(slot.get());
  }

 private:
  symbols::FileReader read_;
  std::map<std::string, std::unique_ptr<symbols::SymbolTable>> cache_;
};

// The column name a symbolic address gets without a `name`: its member path ("Telemetry".pressure
// -> pressure, "Plant".motor[3].speed -> motor[3].speed) or the tag table's symbol
// ("Start_Button").
std::string member_path(const std::string& symbol) {
  std::size_t i = 0;
  if (!symbol.empty() && symbol[0] == '"') {
    const auto close = symbol.find('"', 1);
    if (close == std::string::npos) return symbol;
    if (close + 1 >= symbol.size()) return symbol.substr(1, close - 1);
    i = close + 1;
  } else {
    i = symbol.find('.');
    if (i == std::string::npos) return symbol;
  }
  return symbol.substr(i + (symbol[i] == '.' ? 1 : 0));
}

// [[tag]] tables (key "tag"), or a group's [[group.tag]] tables (key "group[2].tag"). With
// `syms`, an address may be a symbol of the PLC program: one of an elementary member, one column
// per element of a struct or array (motor[3].speed), read as one item by the plan.
s7::Result<void> parse_tags(util::TomlReader& in, const toml::node& node, LoggerConfig& cfg,
                            const std::string& list = "tag",
                            const symbols::SymbolTable* syms = nullptr) {
  auto arr = in.array_of_tables(node, list);
  if (!arr) return arr.error();
  if ((*arr)->empty())
    return in.error(node, list,
                    "expected [[" + std::string(list == "tag" ? "tag" : "group.tag") +
                        "]] tables with name and address");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < (*arr)->size(); ++i) {
    const auto& t = *(**arr)[i].as_table();
    const std::string key = in.item(list, i);
    if (auto r = in.check_keys(t, key, {"name", "address", "deadband", "raw", "eng"}); !r) return r;
    const auto* name_node = t.get("name");
    const auto* addr_node = t.get("address");
    if (addr_node == nullptr) return in.error(t, key, "missing key 'address'");
    auto text = in.string(*addr_node, key + ".address");
    if (!text) return text.error();
    const bool symbolic = symbols::SymbolTable::is_symbol(*text, syms != nullptr);
    if (name_node == nullptr && !symbolic) return in.error(t, key, "missing key 'name'");
    std::string name;
    if (name_node != nullptr) {
      auto n = in.string(*name_node, key + ".name", util::Empty::refused);
      if (!n) return n.error();
      name = *n;
    }
    // (name, address) of each column this table makes.
    std::vector<std::pair<std::string, s7::Address>> columns;
    if (symbolic) {
      if (syms == nullptr)
        return in.error(
            *addr_node, key + ".address",
            "'" + util::escape_control(*text) +
                "' is a symbol of the PLC program: add symbols = [\"...\"] with the "
                "DB's source (docs/symbols.md), or write an address like DB1.DBD6:REAL");
      auto r = syms->resolve(*text);
      if (!r) return in.error(*addr_node, key + ".address", r.error().what());
      if (name_node == nullptr) name = member_path(r->symbol);
      for (const auto& leaf : r->leaves) columns.emplace_back(name + leaf.suffix, leaf.address);
      if (columns.empty())
        return in.error(*addr_node, key + ".address", r->symbol + " holds no value s7log can read");
    } else {
      auto a = s7::parse_address(*text);
      if (!a) return in.error(*addr_node, key + ".address", a.error().what());
      columns.emplace_back(name, *a);
    }
    const auto& name_at = name_node != nullptr ? *name_node : *addr_node;
    const auto name_key = key + (name_node != nullptr ? ".name" : ".address");
    for (const auto& [column, address] : columns) {
      if (auto r = check_tag_name(column); !r) return in.error(name_at, name_key, r.error().what());
      if (!seen.insert(column).second)
        return in.error(name_at, name_key,
                        "tag '" + util::escape_control(column) + "' is defined twice");
      if (auto r = s7::check_readable(address); !r)
        return in.error(*addr_node, key + ".address", r.error().what());
      cfg.tags.push_back(TagInfo{column, address, std::nullopt});
    }
    if (columns.size() > 1 && (t.get("raw") != nullptr || t.get("eng") != nullptr))
      return in.error(t.get("raw") ? *t.get("raw") : *t.get("eng"), key + ".raw",
                      "scaling applies to one value; " + util::escape_control(*text) + " gives " +
                          std::to_string(columns.size()) + " columns");
    if (columns.size() == 1)
      if (auto r = read_scale(in, t, key, columns[0].second, cfg.tags.back()); !r) return r;
    if (const auto* d = t.get("deadband")) {
      auto v = in.number(*d, key + ".deadband");
      if (!v) return v.error();
      if (*v < 0) return in.error(*d, key + ".deadband", "expected a number >= 0");
      for (const auto& c : columns) cfg.deadband[c.first] = *v;
    }
  }
  return {};
}

}  // namespace

namespace {

// [live]: who may open the live page when it listens beyond loopback.
s7::Result<void> parse_live(util::TomlReader& in, const toml::table& t, LiveAuth& live) {
  if (auto r = in.check_keys(t, "live", {"auth", "token"}); !r) return r;
  if (const auto* n = t.get("auth")) {
    auto v = in.string(*n, "live.auth");
    if (!v) return v.error();
    const auto a = util::ascii_lower(*v);
    if (a != "token" && a != "none")
      return in.error(*n, "live.auth", "expected \"token\" (the default) or \"none\"");
    live.none = a == "none";
  }
  if (const auto* n = t.get("token")) {
    auto v = in.string(*n, "live.token", util::Empty::refused);
    if (!v) return v.error();
    if (v->size() < 16)
      return in.error(*n, "live.token", "must be at least 16 characters (it is a password)");
    for (char c : *v)
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F)
        return in.error(*n, "live.token", "must not hold spaces or control characters");
    live.token = *v;
  }
  if (live.none && live.token)
    return in.error(t, "live", "auth = \"none\" and a token contradict each other; keep one");
  return {};
}

// A PLC or group name: it goes into file names, messages and /metrics labels.
s7::Result<std::string> read_name(util::TomlReader& in, const toml::table& t,
                                  const std::string& key) {
  const auto* n = t.get("name");
  if (n == nullptr) return in.error(t, key, "missing key 'name'");
  auto v = in.string(*n, key + ".name", util::Empty::refused);
  if (!v) return v.error();
  if (v->size() > 64) return in.error(*n, key + ".name", "must be at most 64 characters");
  for (char c : *v) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok)
      return in.error(*n, key + ".name",
                      "'" + util::escape_control(*v) +
                          "': use letters, digits, _ - and . only (it names files and labels)");
  }
  return *v;
}

s7::Result<std::optional<s7::Address>> read_bit(util::TomlReader& in, const toml::table& t,
                                                const std::string& key, const char* which,
                                                bool writable) {
  const auto* n = t.get(which);
  if (n == nullptr) return std::optional<s7::Address>{};
  const auto k = util::TomlReader::child(key, which);
  auto text = in.string(*n, k, util::Empty::refused);
  if (!text) return text.error();
  auto a = s7::parse_address(*text);
  if (!a) return in.error(*n, k, a.error().what());
  if (a->type != s7::DataType::Bool || a->is_array)
    return in.error(*n, k,
                    s7::to_string(*a) + " is not a BOOL; a trigger is one bit, like DB5.DBX0.0");
  auto r = writable ? s7::check_writable(*a) : s7::check_readable(*a);
  if (!r) return in.error(*n, k, r.error().what());
  return std::optional<s7::Address>{*a};
}

// A plant config: [[plc]] tables and [[group]] tables, with [log] and [reconnect] as defaults.
s7::Result<AgentConfig> parse_plant(util::TomlReader& in, const toml::table& root,
                                    const LoggerConfig& defaults, bool out_given,
                                    const OutputsConfig& outputs, SymbolSets& sets,
                                    const symbols::SymbolOptions& top_symbols) {
  AgentConfig plant;
  const auto* plcs_node = root.get("plc");
  if (plcs_node == nullptr)
    return in.error(*root.get("group"), "group",
                    "[[group]] tables need [[plc]] tables (each with a name) to read from");
  if (plcs_node->is_table())
    return in.error(*plcs_node, "plc",
                    "with [[group]] tables the PLCs have names: write [[plc]] with name = \"...\"");
  if (root.get("tag") != nullptr)
    return in.error(*root.get("tag"), "tag",
                    "in a plant config the tags belong to groups: write [[group.tag]] tables");
  auto plcs = in.array_of_tables(*plcs_node, "plc");
  if (!plcs) return plcs.error();
  std::set<std::string> plc_names;
  std::map<std::string, const symbols::SymbolTable*> plc_symbols;
  for (std::size_t i = 0; i < (*plcs)->size(); ++i) {
    const auto& t = *(**plcs)[i].as_table();
    const auto key = in.item("plc", i);
    PlcSpec p;
    p.client = LoggerConfig::course_plc();
    p.backoff = defaults.backoff;
    if (auto r =
            parse_plc(in, t, key, p.client, {"name", "reconnect", "symbols", "db_numbers", "cpu"});
        !r)
      return r.error();
    auto name = read_name(in, t, key);
    if (!name) return name.error();
    if (!plc_names.insert(*name).second)
      return in.error(*t.get("name"), key + ".name", "PLC '" + *name + "' is defined twice");
    p.name = *name;
    // The PLC's program: its own symbols/db_numbers/cpu, each key defaulting to the top level's.
    symbols::SymbolOptions so = top_symbols;
    auto own = symbols::read_config_keys(in, t, key, so);
    if (!own) return own.error();
    // Keys this table sets are reported at its lines, the top's at theirs.
    auto table = sets.get(in, t.get("symbols") != nullptr ? key : std::string(), so);
    if (!table) return table.error();
    plc_symbols[p.name] = *table;
    if (const auto* n = t.get("reconnect")) {
      auto rt = in.table(*n, key + ".reconnect");
      if (!rt) return rt.error();
      if (auto r = parse_reconnect(in, **rt, p.backoff, key + ".reconnect"); !r) return r.error();
    }
    plant.plcs.push_back(std::move(p));
  }
  const auto* groups_node = root.get("group");
  if (groups_node == nullptr)
    return in.error(*plcs_node, "group",
                    "missing: [[group]] tables say what to read from the PLCs");
  auto groups = in.array_of_tables(*groups_node, "group");
  if (!groups) return groups.error();
  std::set<std::pair<std::string, std::string>> group_names;
  std::map<std::string, std::pair<std::string, std::string>> files;  // file -> header, group key
  std::string names;
  for (const auto& p : plant.plcs) names += (names.empty() ? "" : ", ") + p.name;
  for (std::size_t i = 0; i < (*groups)->size(); ++i) {
    const auto& t = *(**groups)[i].as_table();
    const auto key = in.item("group", i);
    LoggerConfig g = defaults;
    g.tags.clear();
    g.deadband.clear();
    if (!out_given) g.out = "{plc}_{group}.csv";
    if (auto r = parse_log(in, t, g, key, {"name", "plc", "poll", "trigger", "trigger_ack", "tag"});
        !r)
      return r.error();
    auto name = read_name(in, t, key);
    if (!name) return name.error();
    const auto* plc_node = t.get("plc");
    if (plc_node == nullptr) return in.error(t, key, "missing key 'plc' (the [[plc]] it reads)");
    auto plc = in.string(*plc_node, key + ".plc", util::Empty::refused);
    if (!plc) return plc.error();
    if (!plc_names.count(*plc))
      return in.error(
          *plc_node, key + ".plc",
          "no PLC named '" + util::escape_control(*plc) + "' (the [[plc]] tables: " + names + ")");
    if (!group_names.insert({*plc, *name}).second)
      return in.error(*t.get("name"), key + ".name",
                      "group '" + *name + "' of PLC '" + *plc + "' is defined twice");
    GroupSpec spec;
    spec.name = *name;
    spec.plc = *plc;
    auto trigger = read_bit(in, t, key, "trigger", false);
    if (!trigger) return trigger.error();
    auto ack = read_bit(in, t, key, "trigger_ack", true);
    if (!ack) return ack.error();
    spec.trigger = *trigger;
    spec.trigger_ack = *ack;
    if (spec.trigger_ack && !spec.trigger)
      return in.error(*t.get("trigger_ack"), key + ".trigger_ack",
                      "needs trigger = \"...\" (the bit it acknowledges)");
    if (spec.trigger) {
      if (t.get("interval") != nullptr)
        return in.error(*t.get("interval"), key + ".interval",
                        "a trigger group is read on each rising edge of its trigger; poll = "
                        "\"100ms\" says how often the trigger is read");
      if (!g.on_change.empty())
        return in.error(*t.get("on_change"), key + ".on_change",
                        "a trigger group writes one row per edge; on_change does not apply");
      g.interval = std::chrono::milliseconds(100);
      if (const auto* n = t.get("poll")) {
        auto v = read_interval(in, *n, key + ".poll");
        if (!v) return v.error();
        g.interval = *v;
      }
    } else if (const auto* n = t.get("poll")) {
      return in.error(*n, key + ".poll",
                      "only trigger groups poll (add trigger = \"DB5.DBX0.0\"), others have "
                      "an interval");
    }
    const auto* tags = t.get("tag");
    if (tags == nullptr)
      return in.error(t, key + ".tag", "missing: [[group.tag]] tables with name and address");
    if (auto r = parse_tags(in, *tags, g, key + ".tag", plc_symbols[*plc]); !r) return r.error();
    for (const auto& n : g.on_change) {
      bool found = false;
      for (const auto& tg : g.tags) found = found || tg.name == n;
      if (!found)
        return in.error(key + ".on_change",
                        "no tag named '" + util::escape_control(n) + "' in group '" + *name + "'");
    }
    if (auto r = check_outputs(in, g.outputs, outputs,
                               t.get("outputs") ? key + ".outputs" : std::string("log.outputs"));
        !r)
      return r.error();
    spec.outputs = g.outputs;
    spec.interval = g.interval;
    spec.tags = std::move(g.tags);
    spec.on_change = g.on_change;
    spec.deadband = g.deadband;
    spec.quality = g.quality;
    spec.csv.pattern = file_pattern(g.out, g.rotate);
    spec.csv.format.dialect = g.dialect;
    spec.csv.format.quality = g.quality;
    spec.csv.format.millis = spec.trigger || g.interval % std::chrono::seconds(1) != Nanos::zero();
    spec.csv.buffer_rows = g.buffer_rows;
    spec.csv.fsync = g.fsync;
    const auto file = expand_names(spec.csv.pattern, spec.plc, spec.name);
    const auto header = spec.csv.format.header(spec.tags);
    const bool csv =
        std::find(spec.outputs.begin(), spec.outputs.end(), "csv") != spec.outputs.end();
    auto [it, fresh] =
        csv ? files.emplace(file, std::pair{header, key}) : std::pair{files.end(), true};
    if (!fresh && it->second.first != header)
      return in.error(
          t.get("out") ? *t.get("out") : static_cast<const toml::node&>(t), key + ".out",
          file + " is written by " + it->second.second +
              " too, with other columns; give this group another out (\"{plc}_{group}.csv\")");
    plant.queue_rows = std::max(plant.queue_rows, g.buffer_rows);
    plant.groups.push_back(std::move(spec));
  }
  return plant;
}

}  // namespace

s7::Result<LoadedConfig> parse_config(std::string_view text, std::string_view source,
                                      const SourceReader& read) {
  util::TomlReader in{std::string(source), 1};  // [[tag]] tables count from 1: tag[1] is the first
  auto root = in.parse(text);
  if (!root) return root.error();
  LoadedConfig out;
  const auto* plc_node = root->get("plc");
  const bool plant = root->get("group") != nullptr || (plc_node != nullptr && plc_node->is_array());
  if (auto r = in.check_keys(
          *root, "",
          plant ? std::vector<std::string_view>{"plc", "group", "log", "reconnect", "live", "tag",
                                                "output", "symbols", "db_numbers", "cpu"}
                : std::vector<std::string_view>{"plc", "log", "reconnect", "tag", "live", "output",
                                                "symbols", "db_numbers", "cpu"});
      !r)
    return r.error();
  // symbols = [...] (db_numbers, cpu): the PLC program's sources, relative to the config's folder.
  symbols::SymbolOptions top_symbols;
  if (auto r = symbols::read_config_keys(in, *root, "", top_symbols); !r) return r.error();
  SymbolSets sets(symbols::folder_of(std::string(source)), read);
  auto section = [&](const char* name) -> s7::Result<const toml::table*> {
    const auto* n = root->get(name);
    if (n == nullptr) return static_cast<const toml::table*>(nullptr);
    return in.table(*n, name);
  };
  auto log = section("log");
  if (!log) return log.error();
  auto rec = section("reconnect");
  if (!rec) return rec.error();
  auto live = section("live");
  if (!live) return live.error();
  if (*log)
    if (auto r = parse_log(in, **log, out.config); !r) return r.error();
  if (*rec)
    if (auto r = parse_reconnect(in, **rec, out.config.backoff); !r) return r.error();
  if (*live)
    if (auto r = parse_live(in, **live, out.live); !r) return r.error();
  auto output = section("output");
  if (!output) return output.error();
  if (*output)
    if (auto r = parse_outputs(in, **output, out.outputs); !r) return r.error();
  if (plant) {
    if (*log && (*log)->get("on_change") != nullptr)
      return in.error(*(*log)->get("on_change"), "log.on_change",
                      "in a plant config on_change belongs to a [[group]]");
    auto p = parse_plant(in, *root, out.config, *log && (*log)->get("out") != nullptr, out.outputs,
                         sets, top_symbols);
    if (!p) return p.error();
    out.plant = std::move(*p);
    return out;
  }
  auto plc = section("plc");
  if (!plc) return plc.error();
  if (*plc)
    if (auto r = parse_plc(in, **plc, "plc", out.config.plc); !r) return r.error();
  auto syms = sets.get(in, "", top_symbols);
  if (!syms) return syms.error();
  if (const auto* tags = root->get("tag")) {
    if (auto r = parse_tags(in, *tags, out.config, "tag", *syms); !r) return r.error();
    out.has_tags = true;
  }
  if (auto r = check_outputs(in, out.config.outputs, out.outputs, "log.outputs"); !r)
    return r.error();
  // Names in on_change must exist (with the file's tags, or the course's five without any).
  const auto& names = out.has_tags ? out.config.tags : course_tags();
  for (const auto& n : out.config.on_change) {
    bool found = false;
    for (const auto& t : names) found = found || t.name == n;
    if (!found) return in.error("log.on_change", "no tag named '" + util::escape_control(n) + "'");
  }
  return out;
}

s7::Result<LoadedConfig> load_config(const std::string& path) {
  std::string text;
  if (auto why = util::read_text_file(path, text))
    return s7::Error(s7::Errc::invalid_argument, path + ": " + *why);
  return parse_config(text, path);
}

s7::Result<void> validate(const LoggerConfig& c) {
  if (c.interval <= std::chrono::nanoseconds::zero())
    return s7::Error(s7::Errc::invalid_argument, "the interval must be greater than zero");
  return validate_tags(c.tags.empty() ? course_tags() : c.tags);
}

std::string sample_config() {
  return R"(# logger.toml: what `s7log run --config logger.toml` reads (this is the course's setup).
# Command-line flags override these values. Durations: "500ms", "1s", "2min" or seconds (0.5).

[plc]
host = "127.0.0.1"     # the PLC (or `s7log fakeplc`)
port = 1102            # 102 on a real PLC; the course's fake PLC listens on 1102
rack = 0
slot = 1               # S7-300: 2; S7-1200/1500 and the fake PLC: 1 (or 0)
type = "op"            # connection resource: "op" (default), "pg" or "basic"
timeout = "3s"         # connect and read timeout

[log]
interval = "1s"        # below 1s the ts column carries milliseconds
out = "log.csv"        # may hold strftime fields, e.g. "data/log_%Y%m%d.csv"
rotate = "none"        # "none", "hourly" (log_YYYYMMDD_HH.csv) or "daily" (log_YYYYMMDD.csv)
csv_dialect = "course" # "course" (comma) or "excel-da" (semicolon, decimal comma, BOM)
quality = false        # true: a `quality` column and a row for every missed sample
on_change = []         # e.g. ["alarm"]: a row only when one of these changed
buffer_rows = 100000   # rows kept in memory while the file cannot be written
fsync = false          # true: fsync after every row (survives power loss; slower)

[reconnect]
initial = "500ms"      # first retry delay, doubling up to max, +-jitter
max = "30s"
jitter = 0.2

# The columns, in this order, after ts. Address syntax: DB1.DBD0:DINT, DB1.DBX10.0, MW10, ...
# `deadband = 0.5` on a tag ignores smaller changes (and records on change of that tag).
# `raw = [0, 27648]` with `eng = [0.0, 100.0]` scales a number linearly (e.g. an analog input).
[[tag]]
name = "counter"
address = "DB1.DBD0:DINT"

[[tag]]
name = "temperature"
address = "DB1.DBW4:INT"

[[tag]]
name = "pressure"
address = "DB1.DBD6:REAL"

[[tag]]
name = "alarm"
address = "DB1.DBX10.0:BOOL"

[[tag]]
name = "mode_ro"
address = "DB1.DBB11:BYTE"
)";
}

}  // namespace logger

namespace logger {

std::string sample_plant_config() {
  return R"(# plant.toml: several PLCs and groups in one `s7log run --config plant.toml`.
# Each [[plc]] gets its own connection and reconnect; each [[group]] its own interval and CSV
# file. Groups of one PLC whose deadlines meet are read in one request. Durations: "100ms",
# "1s", "2min" or seconds (0.5). docs/logger.md explains every key.

[log]                    # defaults for every group (each [[group]] may set its own)
csv_dialect = "course"   # "course" (comma) or "excel-da" (semicolon, decimal comma, BOM)
out = "data/{plc}_{group}_%Y%m%d.csv"   # {plc} and {group} besides strftime fields

[reconnect]              # defaults for every PLC (a [plc.reconnect] table may set its own)
initial = "500ms"
max = "30s"

[[plc]]
name = "press1"          # letters, digits, _ - . (it names files and /metrics labels)
host = "127.0.0.1"
port = 1102              # 102 on a real PLC
rack = 0
slot = 1                 # or local_tsap = "01.00" and remote_tsap = "03.01"
timeout = "2s"

[[plc]]
name = "press2"
host = "127.0.0.1"
port = 1103
rack = 0
slot = 1

# A fast group: the valve and the counter every 100 ms.
[[group]]
name = "fast"
plc = "press1"
interval = "100ms"
  [[group.tag]]
  name = "counter"
  address = "DB1.DBD0:DINT"
  [[group.tag]]
  name = "alarm"
  address = "DB1.DBX10.0:BOOL"

# A slow group on the same PLC: every 1 s deadline is a 100 ms one too, so both groups share
# that request.
[[group]]
name = "energy"
plc = "press1"
interval = "1s"
quality = true           # a quality column, and a row for every missed sample
  [[group.tag]]
  name = "pressure"
  address = "DB1.DBD6:REAL"
  [[group.tag]]
  name = "temperature"
  address = "DB1.DBW4:INT"
  raw = [0, 27648]       # scaled linearly into engineering units
  eng = [0.0, 100.0]

# A batch record: one row on each rising edge of DB1.DBX26.0, polled every 100 ms; s7log sets
# DB1.DBX26.1 once the row is in the file and clears it when the PLC lowers its trigger.
[[group]]
name = "batch"
plc = "press2"
trigger = "DB1.DBX26.0"
trigger_ack = "DB1.DBX26.1"
poll = "100ms"
  [[group.tag]]
  name = "counter"
  address = "DB1.DBD0:DINT"
  [[group.tag]]
  name = "setpoint"
  address = "DB1.DBW20:INT"
)";
}

}  // namespace logger
