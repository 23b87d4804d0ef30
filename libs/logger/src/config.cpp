// logger.toml loading with file:line: key: message errors, and the commented sample config.
#include "logger/config.hpp"

#include <toml++/toml.h>
#include <array>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "logger/rotation.hpp"
#include "logger/tag.hpp"
#include "util/duration.hpp"
#include "util/text.hpp"
#include "util/text_file.hpp"
#include "util/toml_limits.hpp"

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

struct Ctx {
  std::string source;
  s7::Error fail(const toml::node* node, const std::string& key, const std::string& msg) const {
    std::string where = source;
    if (node != nullptr && node->source().begin.line > 0)
      where += ":" + std::to_string(node->source().begin.line);
    return s7::Error(s7::Errc::invalid_argument, where + ": " + key + ": " + msg);
  }
};

s7::Result<void> check_keys(const Ctx& c, const toml::table& t, const std::string& prefix,
                            std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : t) {
    bool ok = false;
    for (auto a : allowed) ok = ok || k.str() == a;
    if (!ok) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return c.fail(&v, prefix + std::string(k.str()),
                    "unknown key (expected one of: " + list + ")");
    }
  }
  return {};
}

s7::Result<std::string> get_string(const Ctx& c, const toml::node& n, const std::string& key) {
  if (auto s = n.value<std::string>()) return *s;
  return c.fail(&n, key, "expected a string");
}

s7::Result<std::int64_t> get_int(const Ctx& c, const toml::node& n, const std::string& key,
                                 std::int64_t lo, std::int64_t hi) {
  auto v = n.value<std::int64_t>();
  if (!v || !n.is_integer()) return c.fail(&n, key, "expected an integer");
  if (*v < lo || *v > hi)
    return c.fail(&n, key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return *v;
}

s7::Result<std::chrono::nanoseconds> get_duration(const Ctx& c, const toml::node& n,
                                                  const std::string& key) {
  std::optional<std::chrono::nanoseconds> d;
  if (n.is_string())
    d = util::parse_duration(*n.value<std::string>());
  else if (n.is_number() && *n.value<double>() >= 0)
    d = std::chrono::nanoseconds(static_cast<std::int64_t>(*n.value<double>() * 1e9));
  if (!d) return c.fail(&n, key, "expected a duration like \"500ms\", \"1s\" or \"2min\"");
  return *d;
}

s7::Result<bool> get_bool(const Ctx& c, const toml::node& n, const std::string& key) {
  if (auto b = n.value<bool>(); b && n.is_boolean()) return *b;
  return c.fail(&n, key, "expected true or false");
}

#define S7LOG_TRY(var, expr)            \
  auto var##_r = (expr);                \
  if (!var##_r) return var##_r.error(); \
  auto var = std::move(*var##_r)

s7::Result<void> parse_plc(const Ctx& c, const toml::table& t, s7::ClientOptions& o) {
  if (auto r = check_keys(c, t, "plc.", {"host", "port", "rack", "slot", "type", "timeout"}); !r)
    return r;
  if (auto* n = t.get("host")) {
    S7LOG_TRY(v, get_string(c, *n, "plc.host"));
    if (v.empty()) return c.fail(n, "plc.host", "must not be empty");
    o.host = v;
  }
  if (auto* n = t.get("port")) {
    S7LOG_TRY(v, get_int(c, *n, "plc.port", 1, 65535));
    o.port = static_cast<std::uint16_t>(v);
  }
  if (auto* n = t.get("rack")) {
    S7LOG_TRY(v, get_int(c, *n, "plc.rack", 0, 7));
    o.rack = static_cast<std::uint8_t>(v);
  }
  if (auto* n = t.get("slot")) {
    S7LOG_TRY(v, get_int(c, *n, "plc.slot", 0, 31));
    o.slot = static_cast<std::uint8_t>(v);
  }
  if (auto* n = t.get("type")) {
    S7LOG_TRY(v, get_string(c, *n, "plc.type"));
    if (v == "pg")
      o.type = s7::ConnectionType::pg;
    else if (v == "op")
      o.type = s7::ConnectionType::op;
    else if (v == "basic" || v == "s7basic")
      o.type = s7::ConnectionType::basic;
    else
      return c.fail(n, "plc.type", "expected \"pg\", \"op\" or \"basic\"");
  }
  if (auto* n = t.get("timeout")) {
    S7LOG_TRY(v, get_duration(c, *n, "plc.timeout"));
    if (v <= std::chrono::nanoseconds::zero()) return c.fail(n, "plc.timeout", "must be > 0");
    o.connect_timeout = o.request_timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(v);
  }
  return {};
}

s7::Result<void> parse_log(const Ctx& c, const toml::table& t, LoggerConfig& cfg) {
  if (auto r = check_keys(c, t, "log.",
                          {"interval", "out", "rotate", "csv_dialect", "quality", "on_change",
                           "buffer_rows", "fsync"});
      !r)
    return r;
  if (auto* n = t.get("interval")) {
    S7LOG_TRY(v, get_duration(c, *n, "log.interval"));
    if (v < std::chrono::milliseconds(1)) return c.fail(n, "log.interval", "must be at least 1ms");
    cfg.interval = v;
  }
  if (auto* n = t.get("out")) {
    S7LOG_TRY(v, get_string(c, *n, "log.out"));
    if (v.empty()) return c.fail(n, "log.out", "must not be empty");
    if (v != "-")
      if (auto r = check_pattern(v); !r) return c.fail(n, "log.out", r.error().what());
    cfg.out = v;
  }
  if (auto* n = t.get("rotate")) {
    S7LOG_TRY(v, get_string(c, *n, "log.rotate"));
    auto r = parse_rotation(v);
    if (!r) return c.fail(n, "log.rotate", "expected \"none\", \"hourly\" or \"daily\"");
    cfg.rotate = *r;
  }
  if (auto* n = t.get("csv_dialect")) {
    S7LOG_TRY(v, get_string(c, *n, "log.csv_dialect"));
    auto d = parse_dialect(v);
    if (!d) return c.fail(n, "log.csv_dialect", "expected \"course\" or \"excel-da\"");
    cfg.dialect = *d;
  }
  if (auto* n = t.get("quality")) {
    S7LOG_TRY(v, get_bool(c, *n, "log.quality"));
    cfg.quality = v;
  }
  if (auto* n = t.get("fsync")) {
    S7LOG_TRY(v, get_bool(c, *n, "log.fsync"));
    cfg.fsync = v;
  }
  if (auto* n = t.get("buffer_rows")) {
    S7LOG_TRY(v, get_int(c, *n, "log.buffer_rows", 1, 100'000'000));
    cfg.buffer_rows = static_cast<std::size_t>(v);
  }
  if (auto* n = t.get("on_change")) {
    const auto* arr = n->as_array();
    if (arr == nullptr) return c.fail(n, "log.on_change", "expected a list of tag names");
    cfg.on_change.clear();
    for (const auto& e : *arr) {
      S7LOG_TRY(v, get_string(c, e, "log.on_change"));
      cfg.on_change.push_back(v);
    }
  }
  return {};
}

s7::Result<void> parse_reconnect(const Ctx& c, const toml::table& t, BackoffPolicy& b) {
  if (auto r = check_keys(c, t, "reconnect.", {"initial", "max", "jitter"}); !r) return r;
  if (auto* n = t.get("initial")) {
    S7LOG_TRY(v, get_duration(c, *n, "reconnect.initial"));
    if (v <= std::chrono::nanoseconds::zero()) return c.fail(n, "reconnect.initial", "must be > 0");
    b.initial = v;
  }
  if (auto* n = t.get("max")) {
    S7LOG_TRY(v, get_duration(c, *n, "reconnect.max"));
    if (v < b.initial) return c.fail(n, "reconnect.max", "must be at least reconnect.initial");
    b.cap = v;
  }
  if (auto* n = t.get("jitter")) {
    auto v = n->value<double>();
    if (!v || !n->is_number() || *v < 0 || *v >= 1)
      return c.fail(n, "reconnect.jitter", "expected a number from 0 to below 1 (0.2 = +-20 %)");
    b.jitter = *v;
  }
  return {};
}

// `raw = [lo, hi]` and `eng = [lo, hi]`: both or neither, two finite numbers each, raw lo != hi.
s7::Result<void> read_scale(const Ctx& c, const toml::table& t, const std::string& key,
                            const s7::Address& a, TagInfo& tag) {
  const toml::node* raw = t.get("raw");
  const toml::node* eng = t.get("eng");
  if (raw == nullptr && eng == nullptr) return {};
  if (raw == nullptr || eng == nullptr)
    return c.fail(raw ? raw : eng, key + (raw ? ".eng" : ".raw"),
                  "missing: scaling needs both raw = [lo, hi] and eng = [lo, hi]");
  auto pair = [&](const toml::node& n, const std::string& k) -> s7::Result<std::array<double, 2>> {
    const auto* arr = n.as_array();
    std::array<double, 2> out{};
    if (arr == nullptr || arr->size() != 2) return c.fail(&n, k, "expected two numbers [lo, hi]");
    for (std::size_t i = 0; i < 2; ++i) {
      auto v = (*arr)[i].value<double>();
      if (!v || !(*arr)[i].is_number() || !std::isfinite(*v))
        return c.fail(&n, k, "expected two numbers [lo, hi]");
      out[i] = *v;
    }
    return out;
  };
  S7LOG_TRY(r, pair(*raw, key + ".raw"));
  S7LOG_TRY(e, pair(*eng, key + ".eng"));
  if (r[0] == r[1]) return c.fail(raw, key + ".raw", "lo and hi must differ");
  if (!s7::is_number_type(a.type) || a.is_array)
    return c.fail(raw, key + ".raw",
                  "only a single integer or REAL/LREAL tag can be scaled, not " + s7::to_string(a));
  tag.scale = LinearScale{r[0], r[1], e[0], e[1]};
  return {};
}

s7::Result<void> parse_tags(const Ctx& c, const toml::node& node, LoggerConfig& cfg) {
  const auto* arr = node.as_array();
  if (arr == nullptr || !arr->is_array_of_tables())
    return c.fail(&node, "tag", "expected [[tag]] tables with name and address");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto& t = *(*arr)[i].as_table();
    std::string key = "tag[" + std::to_string(i + 1) + "]";
    if (auto r = check_keys(c, t, key + ".", {"name", "address", "deadband", "raw", "eng"}); !r)
      return r;
    const auto* name_node = t.get("name");
    const auto* addr_node = t.get("address");
    if (name_node == nullptr) return c.fail(&t, key, "missing key 'name'");
    if (addr_node == nullptr) return c.fail(&t, key, "missing key 'address'");
    S7LOG_TRY(name, get_string(c, *name_node, key + ".name"));
    S7LOG_TRY(text, get_string(c, *addr_node, key + ".address"));
    if (name.empty()) return c.fail(name_node, key + ".name", "must not be empty");
    if (auto r = check_tag_name(name); !r)
      return c.fail(name_node, key + ".name", r.error().what());
    if (!seen.insert(name).second)
      return c.fail(name_node, key + ".name",
                    "tag '" + util::escape_control(name) + "' is defined twice");
    auto a = s7::parse_address(text);
    if (!a) return c.fail(addr_node, key + ".address", a.error().what());
    if (auto r = s7::check_readable(*a); !r)
      return c.fail(addr_node, key + ".address", r.error().what());
    cfg.tags.push_back(TagInfo{name, *a, std::nullopt});
    if (auto r = read_scale(c, t, key, *a, cfg.tags.back()); !r) return r;
    if (auto* d = t.get("deadband")) {
      auto v = d->value<double>();
      if (!v || !d->is_number() || *v < 0)
        return c.fail(d, key + ".deadband", "expected a number >= 0");
      cfg.deadband[name] = *v;
    }
  }
  return {};
}

}  // namespace

s7::Result<LoadedConfig> parse_config(std::string_view text, std::string_view source) {
  Ctx c{std::string(source)};
  if (auto too_big = util::check_toml_limits(text))
    return s7::Error(s7::Errc::invalid_argument,
                     c.source + ":" + std::to_string(too_big->line) + ": " + too_big->what);
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return s7::Error(s7::Errc::invalid_argument, c.source + ":" +
                                                     std::to_string(e.source().begin.line) + ": " +
                                                     std::string(e.description()));
  }
  LoadedConfig out;
  if (auto r = check_keys(c, root, "", {"plc", "log", "reconnect", "tag"}); !r) return r.error();
  auto section = [&](const char* name) -> s7::Result<const toml::table*> {
    const auto* n = root.get(name);
    if (n == nullptr) return static_cast<const toml::table*>(nullptr);
    if (!n->is_table()) return c.fail(n, name, "expected a table [" + std::string(name) + "]");
    return n->as_table();
  };
  S7LOG_TRY(plc, section("plc"));
  S7LOG_TRY(log, section("log"));
  S7LOG_TRY(rec, section("reconnect"));
  if (plc)
    if (auto r = parse_plc(c, *plc, out.config.plc); !r) return r.error();
  if (log)
    if (auto r = parse_log(c, *log, out.config); !r) return r.error();
  if (rec)
    if (auto r = parse_reconnect(c, *rec, out.config.backoff); !r) return r.error();
  if (const auto* tags = root.get("tag")) {
    if (auto r = parse_tags(c, *tags, out.config); !r) return r.error();
    out.has_tags = true;
  }
  // Names in on_change must exist (with the file's tags, or the course's five without any).
  const auto& names = out.has_tags ? out.config.tags : course_tags();
  for (const auto& n : out.config.on_change) {
    bool found = false;
    for (const auto& t : names) found = found || t.name == n;
    if (!found) {
      const toml::node* node = log != nullptr ? log->get("on_change") : nullptr;
      return c.fail(node, "log.on_change", "no tag named '" + n + "'");
    }
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
# Command-line flags override these values. Durations: "500ms", "1s", "2min".

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
