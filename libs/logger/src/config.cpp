// logger.toml loading with file:line: key: message errors, and the commented sample config.
#include "logger/config.hpp"

#include <array>
#include <cmath>
#include <set>

#include "logger/rotation.hpp"
#include "logger/tag.hpp"
#include "util/text.hpp"
#include "util/text_file.hpp"
#include "util/toml_reader.hpp"

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

s7::Result<void> parse_plc(util::TomlReader& in, const toml::table& t, s7::ClientOptions& o) {
  if (auto r = in.check_keys(t, "plc", {"host", "port", "rack", "slot", "type", "timeout"}); !r)
    return r;
  if (const auto* n = t.get("host")) {
    auto v = in.string(*n, "plc.host", util::Empty::refused);
    if (!v) return v.error();
    o.host = *v;
  }
  if (const auto* n = t.get("port")) {
    auto v = in.integer(*n, "plc.port", 1, 65535);
    if (!v) return v.error();
    o.port = static_cast<std::uint16_t>(*v);
  }
  if (const auto* n = t.get("rack")) {
    auto v = in.integer(*n, "plc.rack", 0, 7);
    if (!v) return v.error();
    o.rack = static_cast<std::uint8_t>(*v);
  }
  if (const auto* n = t.get("slot")) {
    auto v = in.integer(*n, "plc.slot", 0, 31);
    if (!v) return v.error();
    o.slot = static_cast<std::uint8_t>(*v);
  }
  if (const auto* n = t.get("type")) {
    auto v = in.string(*n, "plc.type");
    if (!v) return v.error();
    const std::string type = util::ascii_lower(*v);
    if (type == "pg")
      o.type = s7::ConnectionType::pg;
    else if (type == "op")
      o.type = s7::ConnectionType::op;
    else if (type == "basic" || type == "s7basic")
      o.type = s7::ConnectionType::basic;
    else
      return in.error(*n, "plc.type", "expected \"pg\", \"op\" or \"basic\"");
  }
  if (const auto* n = t.get("timeout")) {
    auto v = in.duration(*n, "plc.timeout");
    if (!v) return v.error();
    if (*v <= Nanos::zero()) return in.error(*n, "plc.timeout", "must be > 0");
    o.connect_timeout = o.request_timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(*v);
  }
  return {};
}

s7::Result<void> parse_log(util::TomlReader& in, const toml::table& t, LoggerConfig& cfg) {
  if (auto r = in.check_keys(t, "log",
                             {"interval", "out", "rotate", "csv_dialect", "quality", "on_change",
                              "buffer_rows", "fsync"});
      !r)
    return r;
  if (const auto* n = t.get("interval")) {
    auto v = in.duration(*n, "log.interval");
    if (!v) return v.error();
    if (*v < std::chrono::milliseconds(1))
      return in.error(*n, "log.interval", "must be at least 1ms");
    cfg.interval = *v;
  }
  if (const auto* n = t.get("out")) {
    auto v = in.string(*n, "log.out", util::Empty::refused);
    if (!v) return v.error();
    if (*v != "-")
      if (auto r = check_pattern(*v); !r) return in.error(*n, "log.out", r.error().what());
    cfg.out = *v;
  }
  if (const auto* n = t.get("rotate")) {
    auto v = in.string(*n, "log.rotate");
    if (!v) return v.error();
    auto r = parse_rotation(util::ascii_lower(*v));
    if (!r) return in.error(*n, "log.rotate", "expected \"none\", \"hourly\" or \"daily\"");
    cfg.rotate = *r;
  }
  if (const auto* n = t.get("csv_dialect")) {
    auto v = in.string(*n, "log.csv_dialect");
    if (!v) return v.error();
    auto d = parse_dialect(util::ascii_lower(*v));
    if (!d) return in.error(*n, "log.csv_dialect", "expected \"course\" or \"excel-da\"");
    cfg.dialect = *d;
  }
  if (const auto* n = t.get("quality")) {
    auto v = in.boolean(*n, "log.quality");
    if (!v) return v.error();
    cfg.quality = *v;
  }
  if (const auto* n = t.get("fsync")) {
    auto v = in.boolean(*n, "log.fsync");
    if (!v) return v.error();
    cfg.fsync = *v;
  }
  if (const auto* n = t.get("buffer_rows")) {
    auto v = in.integer(*n, "log.buffer_rows", 1, 100'000'000);
    if (!v) return v.error();
    cfg.buffer_rows = static_cast<std::size_t>(*v);
  }
  if (const auto* n = t.get("on_change")) {
    auto v = in.strings(*n, "log.on_change");
    if (!v) return v.error();
    cfg.on_change = std::move(*v);
  }
  return {};
}

s7::Result<void> parse_reconnect(util::TomlReader& in, const toml::table& t, BackoffPolicy& b) {
  if (auto r = in.check_keys(t, "reconnect", {"initial", "max", "jitter"}); !r) return r;
  if (const auto* n = t.get("initial")) {
    auto v = in.duration(*n, "reconnect.initial");
    if (!v) return v.error();
    if (*v <= Nanos::zero()) return in.error(*n, "reconnect.initial", "must be > 0");
    b.initial = *v;
  }
  if (const auto* n = t.get("max")) {
    auto v = in.duration(*n, "reconnect.max");
    if (!v) return v.error();
    if (*v < b.initial) return in.error(*n, "reconnect.max", "must be at least reconnect.initial");
    b.cap = *v;
  }
  if (const auto* n = t.get("jitter")) {
    auto v = in.number(*n, "reconnect.jitter");
    if (!v) return v.error();
    if (*v < 0 || *v >= 1)
      return in.error(*n, "reconnect.jitter", "expected a number from 0 to below 1 (0.2 = +-20 %)");
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

s7::Result<void> parse_tags(util::TomlReader& in, const toml::node& node, LoggerConfig& cfg) {
  auto arr = in.array_of_tables(node, "tag");
  if (!arr) return arr.error();
  if ((*arr)->empty())
    return in.error(node, "tag", "expected [[tag]] tables with name and address");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < (*arr)->size(); ++i) {
    const auto& t = *(**arr)[i].as_table();
    const std::string key = in.item("tag", i);
    if (auto r = in.check_keys(t, key, {"name", "address", "deadband", "raw", "eng"}); !r) return r;
    const auto* name_node = t.get("name");
    const auto* addr_node = t.get("address");
    if (name_node == nullptr) return in.error(t, key, "missing key 'name'");
    if (addr_node == nullptr) return in.error(t, key, "missing key 'address'");
    auto name = in.string(*name_node, key + ".name", util::Empty::refused);
    if (!name) return name.error();
    auto text = in.string(*addr_node, key + ".address");
    if (!text) return text.error();
    if (auto r = check_tag_name(*name); !r)
      return in.error(*name_node, key + ".name", r.error().what());
    if (!seen.insert(*name).second)
      return in.error(*name_node, key + ".name",
                      "tag '" + util::escape_control(*name) + "' is defined twice");
    auto a = s7::parse_address(*text);
    if (!a) return in.error(*addr_node, key + ".address", a.error().what());
    if (auto r = s7::check_readable(*a); !r)
      return in.error(*addr_node, key + ".address", r.error().what());
    cfg.tags.push_back(TagInfo{*name, *a, std::nullopt});
    if (auto r = read_scale(in, t, key, *a, cfg.tags.back()); !r) return r;
    if (const auto* d = t.get("deadband")) {
      auto v = in.number(*d, key + ".deadband");
      if (!v) return v.error();
      if (*v < 0) return in.error(*d, key + ".deadband", "expected a number >= 0");
      cfg.deadband[*name] = *v;
    }
  }
  return {};
}

}  // namespace

s7::Result<LoadedConfig> parse_config(std::string_view text, std::string_view source) {
  util::TomlReader in{std::string(source), 1};  // [[tag]] tables count from 1: tag[1] is the first
  auto root = in.parse(text);
  if (!root) return root.error();
  LoadedConfig out;
  if (auto r = in.check_keys(*root, "", {"plc", "log", "reconnect", "tag"}); !r) return r.error();
  auto section = [&](const char* name) -> s7::Result<const toml::table*> {
    const auto* n = root->get(name);
    if (n == nullptr) return static_cast<const toml::table*>(nullptr);
    return in.table(*n, name);
  };
  auto plc = section("plc");
  if (!plc) return plc.error();
  auto log = section("log");
  if (!log) return log.error();
  auto rec = section("reconnect");
  if (!rec) return rec.error();
  if (*plc)
    if (auto r = parse_plc(in, **plc, out.config.plc); !r) return r.error();
  if (*log)
    if (auto r = parse_log(in, **log, out.config); !r) return r.error();
  if (*rec)
    if (auto r = parse_reconnect(in, **rec, out.config.backoff); !r) return r.error();
  if (const auto* tags = root->get("tag")) {
    if (auto r = parse_tags(in, *tags, out.config); !r) return r.error();
    out.has_tags = true;
  }
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
