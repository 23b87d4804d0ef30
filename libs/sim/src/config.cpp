// Fake PLC config: the course's setup, TOML parsing with file:line: key errors, validation,
// printing.
#include "sim/config.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "s7/value.hpp"
#include "symbols/config_keys.hpp"
#include "symbols/literal.hpp"
#include "symbols/symbol_table.hpp"
#include "symbols/tag_table.hpp"
#include "util/duration.hpp"
#include "util/text.hpp"
#include "util/text_file.hpp"
#include "util/toml_reader.hpp"
#include "util/u8path.hpp"

namespace sim {

namespace {

struct AreaName {
  s7::Area area;
  std::string_view name;
};
constexpr AreaName kAreaNames[] = {{s7::Area::db, "DB"},    {s7::Area::merkers, "M"},
                                   {s7::Area::inputs, "I"}, {s7::Area::outputs, "Q"},
                                   {s7::Area::timers, "T"}, {s7::Area::counters, "C"}};

std::optional<s7::Area> area_from(std::string_view text) {
  std::string up;
  for (char ch : text) up += static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
  if (up == "E") up = "I";
  if (up == "A") up = "Q";
  if (up == "Z") up = "C";
  for (const auto& a : kAreaNames)
    if (a.name == up) return a.area;
  return std::nullopt;
}

std::string_view area_name(s7::Area area) {
  for (const auto& a : kAreaNames)
    if (a.area == area) return a.name;
  return "?";
}

std::string area_label(const AreaSpec& a) {
  return a.area == s7::Area::db ? fmt::format("DB{}", a.db) : std::string(area_name(a.area));
}

// The keys each generator accepts (besides "address" and "generator").
const std::map<std::string, std::vector<std::string_view>, std::less<>>& generator_keys() {
  static const std::map<std::string, std::vector<std::string_view>, std::less<>> keys = {
      {"none", {}},
      {"constant", {"value"}},
      {"counter", {"start", "step", "wrap"}},
      {"ramp", {"from", "to", "period"}},
      {"sine", {"amplitude", "offset", "period"}},
      {"square", {"low", "high", "period", "duty"}},
      {"random_walk", {"seed", "start", "step", "min", "max"}},
      {"toggle", {"period", "initial"}},
      {"copy", {"source"}},
  };
  return keys;
}

std::string join(const std::vector<std::string_view>& v) {
  std::string out;
  for (auto s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

// The keys of the single form's [plc] table; a [[plc]] table of a plant takes these, kBodyKeys
// and "name".
const std::vector<std::string_view> kServerKeys = {"host",
                                                   "port",
                                                   "rack",
                                                   "slot",
                                                   "enforce_rack_slot",
                                                   "max_pdu",
                                                   "max_parallel",
                                                   "max_connections",
                                                   "tick",
                                                   "handshake_timeout",
                                                   "idle_timeout",
                                                   "first_item_writes",
                                                   "state",
                                                   "identity"};
// The keys of one PLC's memory and faults: top-level in the single form, in [[plc]] in a plant.
const std::vector<std::string_view> kBodyKeys = {"areas", "fields", "faults", "read_only", "watch"};

// Where a PLC's keys live, for messages: "plc.port" and "areas[0]" in the single form,
// "plc[1].port" and "plc[1].areas[0]" for the second [[plc]] table of a plant.
struct Keys {
  std::string server;  // prefix of the [plc] keys
  std::string body;    // prefix of areas, fields, faults, read_only, watch
  std::string toml;    // the TOML table path of the body: "" or "plc" (for hints)
  std::string server_key(std::string_view name) const {
    return util::TomlReader::child(server, name);
  }
  std::string body_key(std::string_view name) const { return util::TomlReader::child(body, name); }
};

Keys single_keys() {
  return Keys{"plc", "", ""};
}
Keys plant_keys(const util::TomlReader& in, std::size_t index) {
  std::string key = in.item("plc", index);
  return Keys{key, key, "plc"};
}

bool is_body_key(std::string_view k) {
  return std::find(kBodyKeys.begin(), kBodyKeys.end(), k) != kBodyKeys.end() ||
         std::find(symbols::kConfigKeys.begin(), symbols::kConfigKeys.end(), k) !=
             symbols::kConfigKeys.end();
}

s7::Result<void> apply_sources(PlcConfig& c, const SourceReader& read, const util::TomlReader& in,
                               const Keys& keys);

// Reads a TOML document into PlcConfigs; `in` remembers the line of every key it saw.
class Reader {
 public:
  Reader(util::TomlReader& in, const SourceReader& read) : in_(in), read_(read) {}

  // Whether the document is a plant: `plc` is an array ([[plc]] tables), not a [plc] table.
  static bool plant_form(const toml::table& root) {
    const toml::node* plc = root.get("plc");
    return plc != nullptr && plc->is_array();
  }

  // Today's file: top-level watch, read_only, [[areas]], [fields.*], [[faults]] and [plc].
  s7::Result<PlcConfig> read(const toml::table& root) {
    PlcConfig c = course_defaults();
    std::vector<std::string_view> allowed = {"plc"};
    allowed.insert(allowed.end(), kBodyKeys.begin(), kBodyKeys.end());
    allowed.insert(allowed.end(), symbols::kConfigKeys.begin(), symbols::kConfigKeys.end());
    if (auto r = in_.check_keys(root, "", allowed); !r) return r.error();
    const Keys keys = single_keys();
    if (const auto* node = root.get("plc")) {
      auto plc = in_.table(*node, "plc");
      if (!plc) return plc.error();
      if (auto r = in_.check_keys(**plc, "plc", kServerKeys); !r) return r.error();
      if (auto r = read_server(**plc, keys, c); !r) return r.error();
    }
    if (auto r = read_body(root, keys, c); !r) return r.error();
    if (auto r = apply_sources(c, read_, in_, keys); !r) return r.error();
    return c;
  }

  // A plant: [[plc]] tables only, each read like a whole single-PLC file.
  s7::Result<PlantConfig> read_plant(const toml::table& root) {
    for (const auto& [k, v] : root) {
      if (k == "plc") continue;
      in_.mark(k.str(), v);
      if (!is_body_key(k.str()))
        return in_.error(v, util::escape_control(k.str()),
                         "unknown key (a file with [[plc]] tables has only [[plc]] tables at the "
                         "top level)");
      // The single-PLC spelling of the key and its place in a [[plc]] table.
      const std::string_view key = k.str();
      const std::string_view as_single = key == "areas"    ? "[[areas]]"
                                         : key == "fields" ? "[fields.<name>]"
                                         : key == "faults" ? "[[faults]]"
                                                           : key;
      // symbols, db_numbers and cpu of one PLC belong in its [[plc]] table too.
      const std::string_view in_plc = key == "areas" ? "give each PLC its own [[plc.areas]]"
                                      : key == "fields"
                                          ? "give each PLC its own [plc.fields.<name>]"
                                      : key == "faults" ? "give each PLC its own [[plc.faults]]"
                                                        : "set it in each [[plc]] table";
      return in_.error(
          v, key,
          fmt::format("top-level {} cannot be mixed with [[plc]] tables: {}", as_single, in_plc));
    }
    const toml::node& node = *root.get("plc");
    auto arr = in_.array_of_tables(node, "plc");
    if (!arr) return arr.error();
    if ((*arr)->empty()) return in_.error(node, "plc", "expected at least one [[plc]] table");
    if ((*arr)->size() > kMaxPlantPlcs)
      return in_.error(node, "plc", fmt::format("at most {} PLCs in one plant", kMaxPlantPlcs));
    PlantConfig plant;
    for (std::size_t i = 0; i < (*arr)->size(); ++i) {
      auto c = read_plant_plc(*(**arr)[i].as_table(), plant_keys(in_, i));
      if (!c) return c.error();
      plant.plcs.push_back(std::move(*c));
    }
    return plant;
  }

 private:
  // A file without [plc]/areas/fields still gets the course's server settings; areas, fields,
  // watch and read_only present in the file replace the course's.
  static PlcConfig course_defaults() { return course_config(); }

  s7::Result<PlcConfig> read_plant_plc(const toml::table& t, const Keys& keys) {
    PlcConfig c = course_defaults();
    std::vector<std::string_view> allowed = kServerKeys;
    allowed.insert(allowed.end(), kBodyKeys.begin(), kBodyKeys.end());
    allowed.insert(allowed.end(), symbols::kConfigKeys.begin(), symbols::kConfigKeys.end());
    allowed.push_back("name");
    if (auto r = in_.check_keys(t, keys.server, allowed); !r) return r.error();
    const auto* name = t.get("name");
    if (!name)
      return in_.error(t, keys.server,
                       "missing key name (each [[plc]] table needs a unique name, e.g. name = "
                       "\"press1\")");
    auto s = in_.string(*name, keys.server_key("name"), util::Empty::refused);
    if (!s) return s.error();
    c.name = *s;
    if (auto r = read_server(t, keys, c); !r) return r.error();
    if (auto r = read_body(t, keys, c); !r) return r.error();
    if (auto r = apply_sources(c, read_, in_, keys); !r) return r.error();
    return c;
  }

  // Durations resolve to whole microseconds (so --print-config writes them back exactly) and
  // stay at most 10^6 s, whatever unit the text used ("1588889us" is fine: found by fuzzing).
  s7::Result<Nanos> duration(const toml::node& n, const std::string& key) {
    auto d = in_.duration(n, key, std::chrono::seconds(1'000'000));
    if (!d) return d.error();
    return Nanos(std::chrono::round<std::chrono::microseconds>(*d));
  }

  // The memory and faults of one PLC: from the root (single form) or its [[plc]] table.
  s7::Result<void> read_body(const toml::table& root, const Keys& keys, PlcConfig& c) {
    // symbols = [...], db_numbers, cpu: read here, applied by apply_sources once the file's own
    // areas and fields are known.
    symbols::SymbolOptions so;
    auto has_symbols = symbols::read_config_keys(in_, root, keys.body, so);
    if (!has_symbols) return has_symbols.error();
    c.symbols = so;
    if (const auto* node = root.get("areas")) {
      const std::string key = keys.body_key("areas");
      auto arr = in_.array_of_tables(*node, key);
      if (!arr) return arr.error();
      c.areas.clear();
      for (std::size_t i = 0; i < (*arr)->size(); ++i) {
        auto a = read_area(*(**arr)[i].as_table(), in_.item(key, i));
        if (!a) return a.error();
        c.areas.push_back(*a);
      }
    }
    if (const auto* node = root.get("read_only")) {
      auto r = in_.strings(*node, keys.body_key("read_only"));
      if (!r) return r.error();
      c.read_only = std::move(*r);
    }
    if (const auto* node = root.get("watch")) {
      auto r = in_.strings(*node, keys.body_key("watch"));
      if (!r) return r.error();
      c.watch = std::move(*r);
    }
    if (const auto* node = root.get("fields")) {
      const std::string fields_key = keys.body_key("fields");
      const auto* fields = node->as_table();
      if (!fields)
        return in_.error(*node, fields_key,
                         fmt::format("expected tables [{}.<name>]",
                                     util::TomlReader::child(keys.toml, "fields")));
      c.fields.clear();
      std::vector<std::pair<std::uint32_t, FieldSpec>> ordered;
      for (const auto& [name, field] : *fields) {
        std::string key = util::TomlReader::child(fields_key, name.str());
        auto t = in_.table(field, key);
        if (!t) return t.error();
        auto f = read_field(std::string(name.str()), **t, key);
        if (!f) return f.error();
        ordered.emplace_back(in_.line_of(key), std::move(*f));
      }
      // toml++ sorts keys; the file order is nicer (print-config round trip, status output).
      std::stable_sort(ordered.begin(), ordered.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto& [line, f] : ordered) c.fields.push_back(std::move(f));
    }
    if (root.contains("areas") || root.contains("fields") || !c.symbols.empty()) {
      // The file describes its own memory (areas, fields or the PLC program's sources): no
      // course read-only range, and the course's watched names only where the file has such
      // fields.
      if (!root.contains("areas")) c.areas.clear();
      if (!root.contains("fields")) c.fields.clear();
      if (!root.contains("read_only")) c.read_only.clear();
      if (!root.contains("watch")) {
        std::vector<std::string> watch;
        for (const auto& w : c.watch)
          for (const auto& f : c.fields)
            if (f.name == w) watch.push_back(w);
        c.watch = watch;
      }
    }
    if (const auto* node = root.get("faults")) {
      const std::string key = keys.body_key("faults");
      auto arr = in_.array_of_tables(*node, key);
      if (!arr) return arr.error();
      for (std::size_t i = 0; i < (*arr)->size(); ++i) {
        auto f = read_fault(*(**arr)[i].as_table(), in_.item(key, i));
        if (!f) return f.error();
        c.faults.push_back(*f);
      }
    }
    return {};
  }

  // The server keys of `t` ([plc], or a [[plc]] table whose other keys the caller reads).
  s7::Result<void> read_server(const toml::table& t, const Keys& keys, PlcConfig& c) {
    for (const auto& [k, v] : t) {
      if (std::find(kServerKeys.begin(), kServerKeys.end(), k.str()) == kServerKeys.end()) continue;
      std::string key = keys.server_key(k.str());
      if (k == "host") {
        auto s = in_.string(v, key, util::Empty::refused);
        if (!s) return s.error();
        c.host = *s;
      } else if (k == "port") {
        auto i = in_.integer(v, key, 0, 65535);
        if (!i) return i.error();
        c.port = static_cast<std::uint16_t>(*i);
      } else if (k == "rack") {
        auto i = in_.integer(v, key, 0, 7);
        if (!i) return i.error();
        c.rack = static_cast<std::uint8_t>(*i);
      } else if (k == "slot") {
        auto i = in_.integer(v, key, 0, 31);
        if (!i) return i.error();
        c.slot = static_cast<std::uint8_t>(*i);
      } else if (k == "enforce_rack_slot") {
        auto b = in_.boolean(v, key);
        if (!b) return b.error();
        c.enforce_rack_slot = *b;
      } else if (k == "max_pdu") {
        auto i = in_.integer(v, key, 0, 65535);
        if (!i) return i.error();
        c.max_pdu = static_cast<std::uint16_t>(*i);
      } else if (k == "max_parallel") {
        auto i = in_.integer(v, key, 1, 64);
        if (!i) return i.error();
        c.max_parallel = static_cast<std::uint16_t>(*i);
      } else if (k == "max_connections") {
        auto i = in_.integer(v, key, 1, 100000);
        if (!i) return i.error();
        c.max_connections = static_cast<std::uint32_t>(*i);
      } else if (k == "tick" || k == "handshake_timeout" || k == "idle_timeout") {
        auto d = duration(v, key);
        if (!d) return d.error();
        (k == "tick"                ? c.tick
         : k == "handshake_timeout" ? c.handshake_timeout
                                    : c.idle_timeout) = *d;
      } else if (k == "first_item_writes") {
        auto b = in_.boolean(v, key);
        if (!b) return b.error();
        c.first_item_writes = *b;
      } else if (k == "state") {
        auto s = in_.string(v, key);
        if (!s) return s.error();
        const std::string state = util::ascii_lower(*s);
        if (state == "run") {
          c.run = true;
        } else if (state == "stop") {
          c.run = false;
        } else {
          return in_.error(v, key, fmt::format("expected \"run\" or \"stop\", got \"{}\"", *s));
        }
      } else if (k == "identity") {
        auto id = in_.table(v, key);
        if (!id) return id.error();
        if (auto r = in_.check_keys(**id, key, {"order_code", "module_name", "serial_number"}); !r)
          return r;
        for (const auto& [ik, iv] : **id) {
          auto s = in_.string(iv, util::TomlReader::child(key, ik.str()));
          if (!s) return s.error();
          if (ik == "order_code") c.order_code = *s;
          if (ik == "module_name") c.module_name = *s;
          if (ik == "serial_number") c.serial_number = *s;
        }
      }
    }
    return {};
  }

  s7::Result<AreaSpec> read_area(const toml::table& t, const std::string& key) {
    if (auto r = in_.check_keys(t, key, {"area", "number", "size", "init"}); !r) return r.error();
    AreaSpec a;
    auto* kind = t.get("area");
    if (!kind) return in_.error(t, key, "missing key area (DB, M, I, Q, T or C)");
    auto s = in_.string(*kind, key + ".area");
    if (!s) return s.error();
    auto area = area_from(*s);
    if (!area)
      return in_.error(*kind, key + ".area",
                       fmt::format("unknown area \"{}\" (DB, M, I, Q, T or C)", *s));
    a.area = *area;
    if (auto* n = t.get("number")) {
      if (a.area != s7::Area::db)
        return in_.error(*n, key + ".number", "only DB areas have a number");
      auto i = in_.integer(*n, key + ".number", 1, 65535);
      if (!i) return i.error();
      a.db = static_cast<std::uint16_t>(*i);
    } else if (a.area == s7::Area::db) {
      return in_.error(t, key, "missing key number (the DB number)");
    }
    auto* size = t.get("size");
    if (!size) return in_.error(t, key, "missing key size");
    auto i = in_.integer(*size, key + ".size", 1, 65536);
    if (!i) return i.error();
    a.size = static_cast<std::uint32_t>(*i);
    if (auto* init = t.get("init")) {
      auto v = in_.string(*init, key + ".init");
      if (!v) return v.error();
      const std::string mode = util::ascii_lower(*v);
      if (mode == "pattern")
        a.init = AreaInit::pattern;
      else if (mode != "zero")
        return in_.error(*init, key + ".init",
                         fmt::format("unknown init \"{}\" (zero or pattern)", *v));
    }
    return a;
  }

  s7::Result<FieldSpec> read_field(std::string name, const toml::table& t, const std::string& key) {
    FieldSpec f;
    f.name = std::move(name);
    std::string gen_name = "none";
    if (auto* g = t.get("generator")) {
      auto s = in_.string(*g, key + ".generator");
      if (!s) return s.error();
      gen_name = util::ascii_lower(*s);
      if (!generator_keys().count(gen_name)) {
        std::vector<std::string_view> names;
        for (const auto& [n, k] : generator_keys()) names.push_back(n);
        return in_.error(
            *g, key + ".generator",
            fmt::format("unknown generator \"{}\" (expected one of {})", *s, join(names)));
      }
    }
    const std::vector<std::string_view>& params = generator_keys().find(gen_name)->second;
    std::vector<std::string_view> allowed = params;
    allowed.push_back("address");
    allowed.push_back("generator");
    std::string hint = params.empty()
                           ? fmt::format("generator {} takes no parameters", gen_name)
                           : fmt::format("generator {} takes {}", gen_name, join(params));
    if (auto r = in_.check_keys(t, key, allowed, hint); !r) return r.error();
    auto* addr = t.get("address");
    if (!addr) return in_.error(t, key, "missing key address (e.g. address = \"DB1.DBW4\")");
    auto a = in_.string(*addr, key + ".address");
    if (!a) return a.error();
    f.address = *a;

    // Parameter helpers with defaults from the generator structs.
    std::optional<s7::Error> failed;
    auto num = [&](const char* k, double& out) {
      if (failed) return;
      if (auto* n = t.get(k)) {
        auto v = in_.number(*n, key + "." + k);
        if (!v)
          failed = v.error();
        else
          out = *v;
      }
    };
    auto dur = [&](const char* k, Nanos& out) {
      if (failed) return;
      if (auto* n = t.get(k)) {
        auto v = duration(*n, key + "." + k);
        if (!v)
          failed = v.error();
        else
          out = *v;
      }
    };
    auto required = [&](const char* k) {
      if (!failed && !t.get(k))
        failed = in_.error(t, key, fmt::format("generator {} needs key {}", gen_name, k));
    };

    if (gen_name == "none") {
      f.generator = NoGenerator{};
    } else if (gen_name == "constant") {
      required("value");
      if (failed) return *failed;
      const toml::node& v = *t.get("value");
      Constant g;
      if (auto i = v.as_integer())
        g.text = std::to_string(i->get());
      else if (auto d = v.as_floating_point())
        g.text = fmt::format("{}", d->get());
      else if (auto b = v.as_boolean())
        g.text = b->get() ? "true" : "false";
      else if (auto s = v.as_string())
        g.text = s->get();
      else
        return in_.error(v, key + ".value", "expected a number, true/false or a string");
      f.generator = g;
    } else if (gen_name == "counter") {
      Counter g;
      num("start", g.start);
      num("step", g.step);
      if (t.get("wrap")) {
        double w = 0;
        num("wrap", w);
        g.wrap = w;
      }
      f.generator = g;
    } else if (gen_name == "ramp") {
      Ramp g;
      num("from", g.from);
      num("to", g.to);
      dur("period", g.period);
      f.generator = g;
    } else if (gen_name == "sine") {
      Sine g;
      num("amplitude", g.amplitude);
      num("offset", g.offset);
      dur("period", g.period);
      f.generator = g;
    } else if (gen_name == "square") {
      Square g;
      num("low", g.low);
      num("high", g.high);
      dur("period", g.period);
      num("duty", g.duty);
      f.generator = g;
    } else if (gen_name == "random_walk") {
      RandomWalk g;
      if (auto* s = t.get("seed")) {
        auto i = in_.integer(*s, key + ".seed", 0, INT64_MAX);
        if (!i) return i.error();
        g.seed = static_cast<std::uint64_t>(*i);
      }
      num("start", g.start);
      num("step", g.step);
      num("min", g.min);
      num("max", g.max);
      f.generator = g;
    } else if (gen_name == "toggle") {
      Toggle g;
      dur("period", g.period);
      if (auto* b = t.get("initial")) {
        auto v = in_.boolean(*b, key + ".initial");
        if (!v) return v.error();
        g.initial = *v;
      }
      f.generator = g;
    } else if (gen_name == "copy") {
      required("source");
      if (failed) return *failed;
      auto s = in_.string(*t.get("source"), key + ".source");
      if (!s) return s.error();
      f.generator = Copy{*s};
    }
    if (failed) return *failed;
    return f;
  }

  s7::Result<Fault> read_fault(const toml::table& t, const std::string& key) {
    if (auto r = in_.check_keys(t, key,
                                {"kind", "start", "duration", "every", "delay", "field", "code"});
        !r)
      return r.error();
    Fault f;
    auto* kind = t.get("kind");
    if (!kind)
      return in_.error(t, key, "missing key kind (drop, refuse, delay, item_error or stop)");
    auto s = in_.string(*kind, key + ".kind");
    if (!s) return s.error();
    auto k = fault_kind_from(util::ascii_lower(*s));
    if (!k)
      return in_.error(
          *kind, key + ".kind",
          fmt::format("unknown fault \"{}\" (drop, refuse, delay, item_error or stop)", *s));
    f.kind = *k;
    for (const auto& [name, v] : t) {
      std::string nkey = util::TomlReader::child(key, name.str());
      if (name == "start" || name == "duration" || name == "every" || name == "delay") {
        auto d = duration(v, nkey);
        if (!d) return d.error();
        if (name == "start") f.start = *d;
        if (name == "duration") f.duration = *d;
        if (name == "every") f.every = *d;
        if (name == "delay") f.delay = *d;
      } else if (name == "field") {
        auto fs = in_.string(v, nkey);
        if (!fs) return fs.error();
        f.field = *fs;
      } else if (name == "code") {
        auto i = in_.integer(v, nkey, 0, 255);
        if (!i) return i.error();
        f.code = static_cast<std::uint8_t>(*i);
      }
    }
    // Keys of another kind would be lost by --print-config: refuse them.
    if (t.get("delay") && f.kind != FaultKind::delay)
      return in_.error(key + ".delay", "only a fault of kind delay takes delay");
    if ((t.get("field") || t.get("code")) && f.kind != FaultKind::item_error)
      return in_.error(key + (t.get("field") ? ".field" : ".code"),
                       "only a fault of kind item_error takes field and code");
    if (auto r = validate(f); !r) return in_.error(t, key, r.error().what());
    return f;
  }

  util::TomlReader& in_;
  const SourceReader& read_;
};

// ---------------------------------------------------------------------------------------------
// The PLC program's sources: symbols = [...], db_numbers, cpu.

// The symbols' table of `s`; errors at the key they are about ("symbols[1]",
// "plc[1].db_numbers.Telemtry"), a source's own errors behind its file and line.
s7::Result<symbols::SymbolTable> read_table(const SymbolSources& s, const SourceReader& read,
                                            const util::TomlReader& in, const Keys& keys) {
  const std::string key = keys.body_key("symbols");
  if (!read)
    return in.error(key,
                    "the sources cannot be read here: load the config from its file (s7log "
                    "fakeplc --config FILE)");
  symbols::LoadFailure failure;
  auto table = symbols::load_symbols(s, read, &failure);
  if (table) return table;
  std::string at = key;
  if (failure.key == symbols::LoadFailure::Key::db_numbers)
    at = failure.block.empty()
             ? keys.body_key("db_numbers")
             : util::TomlReader::child(keys.body_key("db_numbers"), failure.block);
  else if (failure.file)
    at = in.item(key, *failure.file);
  return in.error(at, table.error().what());
}

// The initial value of a member without one whose zero bytes are not its type's default: a
// STRING's header holds its length, DT and DTL start in 1990 and 1970.
std::string default_literal(s7::DataType t) {
  switch (t) {
    case s7::DataType::String:
    case s7::DataType::WString:
      return "''";
    case s7::DataType::DateAndTime:
      return "DT#1990-01-01-00:00:00";
    case s7::DataType::Dtl:
      return "DTL#1970-01-01-00:00:00";
    default:
      return {};
  }
}

// One member's address for a field (one value: an elementary member or an array of an
// elementary type) or a read_only range (any member: its whole bytes).
s7::Result<s7::Address> symbol_address(const symbols::SymbolTable& table, const std::string& text,
                                       bool whole) {
  auto r = table.resolve(text);
  if (!r) return r.error();
  if (whole) return r->whole;
  auto one = symbols::single_address(*r);
  if (!one)
    return s7::Error(s7::Errc::invalid_argument, one.error().what() + " (a field holds one)");
  return *one;
}

// Reads c.symbols: the sources' DBs become areas (or are checked against the file's), their
// members' values become initial_values, and the symbols of fields and read_only resolve.
s7::Result<void> apply_sources(PlcConfig& c, const SourceReader& read, const util::TomlReader& in,
                               const Keys& keys) {
  // Again from the start (the command line may apply the sources to a config read before).
  c.areas.erase(std::remove_if(c.areas.begin(), c.areas.end(),
                               [](const AreaSpec& a) { return !a.block.empty(); }),
                c.areas.end());
  c.initial_values.clear();
  c.symbol_addresses.clear();
  if (c.symbols.empty()) return {};
  auto table = read_table(c.symbols, read, in, keys);
  if (!table) return table.error();
  // The unnamed number is now the DB's own entry (what --print-config writes).
  if (c.symbols.db_number) {
    for (const auto& l : table->layouts())
      if (l.kind == symbols::Block::Kind::data_block && l.number == c.symbols.db_number &&
          !c.symbols.db_numbers.count(l.block))
        c.symbols.db_numbers[l.block] = *c.symbols.db_number;
    c.symbols.db_number.reset();
  }
  const std::string key = keys.body_key("symbols");
  for (const auto& l : table->layouts()) {
    if (l.kind != symbols::Block::Kind::data_block || !l.number) continue;
    const std::uint16_t number = *l.number;
    const std::uint32_t size = std::max<std::uint32_t>(l.size, 2);  // an empty DB still exists
    const std::string what = fmt::format("DB \"{}\" ({})", l.block, util::escape_control(l.file));
    if (size > 65536)
      return in.error(
          key, fmt::format("{} has {} bytes; the fake PLC's DBs hold at most 65536", what, l.size));
    auto same = std::find_if(c.areas.begin(), c.areas.end(), [&](const AreaSpec& a) {
      return a.area == s7::Area::db && a.db == number;
    });
    if (same == c.areas.end()) {
      AreaSpec a;
      a.area = s7::Area::db;
      a.db = number;
      a.size = size;
      a.block = l.block;
      c.areas.push_back(a);
    } else if (!same->block.empty()) {
      return in.error(key, fmt::format("DB{} is both \"{}\" and {}", number, same->block, what));
    } else if (same->size < l.size) {
      const auto i = static_cast<std::size_t>(same - c.areas.begin());
      return in.error(
          util::TomlReader::child(in.item(keys.body_key("areas"), i), "size"),
          fmt::format("DB{} has {} bytes, but {} needs {}; make it at least {} or leave DB{} out "
                      "of [[areas]]",
                      number, same->size, what, l.size, l.size, number));
    }
    for (const auto& m : l.members) {
      if (!m.address) continue;
      s7::Address a = *m.address;
      a.db = number;
      std::string text = m.initial.empty() ? default_literal(a.type) : m.initial;
      if (text.empty()) continue;
      const std::string member = "\"" + l.block + "\"." + m.path;
      const std::string place =
          util::escape_control(l.file) + (m.line > 0 ? fmt::format(":{}", m.line) : std::string());
      auto v = symbols::parse_literal(a, text);
      if (!v) return in.error(key, fmt::format("{}: {}: {}", place, member, v.error().what()));
      auto bytes = s7::encode_value(a, *v);
      if (!bytes)
        return in.error(key, fmt::format("{}: {}: {}", place, member, bytes.error().what()));
      c.initial_values.push_back(InitialValue{member, s7::to_string(a), std::move(*bytes)});
    }
    // STEP 7's BEGIN sets array elements one by one (values[3] := 5;): after the array's own.
    for (const auto& [path, text] : l.element_initial) {
      const std::string member = "\"" + l.block + "\"." + path;
      auto r = table->resolve(member);
      if (!r || r->leaves.size() != 1)
        return in.error(key, fmt::format("{}: {}: {}", util::escape_control(l.file), member,
                                         r ? "not one value" : r.error().what()));
      const s7::Address& a = r->leaves[0].address;
      auto v = symbols::parse_literal(a, text);
      if (!v)
        return in.error(
            key, fmt::format("{}: {}: {}", util::escape_control(l.file), member, v.error().what()));
      auto bytes = s7::encode_value(a, *v);
      if (!bytes)
        return in.error(key, fmt::format("{}: {}: {}", util::escape_control(l.file), member,
                                         bytes.error().what()));
      c.initial_values.push_back(InitialValue{r->symbol, s7::to_string(a), std::move(*bytes)});
    }
  }
  // Symbols in fields and read_only.
  for (const auto& f : c.fields) {
    if (!symbols::SymbolTable::looks_symbolic(f.address) || s7::parse_address(f.address)) continue;
    const std::string fkey = keys.body_key("fields." + f.name) + ".address";
    auto a = symbol_address(*table, f.address, false);
    if (!a) return in.error(fkey, a.error().what());
    c.symbol_addresses[f.address] = s7::to_string(*a);
  }
  for (std::size_t i = 0; i < c.read_only.size(); ++i) {
    const std::string& text = c.read_only[i];
    if (!symbols::SymbolTable::looks_symbolic(text) || s7::parse_address(text)) continue;
    auto a = symbol_address(*table, text, true);
    if (!a) return in.error(in.item(keys.body_key("read_only"), i), a.error().what());
    // A field and a read_only range may name the same member: one address serves both.
    c.symbol_addresses.emplace(text, s7::to_string(*a));
  }
  return {};
}

s7::Result<void> validate_with(const PlcConfig& c, const util::TomlReader& in, const Keys& at) {
  auto err = [&](const std::string& key, std::string_view msg) { return in.error(key, msg); };
  auto srv = [&](std::string_view name) { return at.server_key(name); };
  auto body = [&](const std::string& name) { return at.body_key(name); };
  if (c.max_pdu != 240 && c.max_pdu != 480 && c.max_pdu != 960)
    return err(srv("max_pdu"), fmt::format("{} is not one of 240, 480, 960", c.max_pdu));
  if (c.max_parallel < 1) return err(srv("max_parallel"), "must be at least 1");
  if (c.max_connections < 1 || c.max_connections > 100000)
    return err(srv("max_connections"), "must be 1..100000");
  if (c.tick.count() <= 0) return err(srv("tick"), "must be more than 0");
  if (c.rack > 7) return err(srv("rack"), "must be 0..7");
  if (c.slot > 31) return err(srv("slot"), "must be 0..31");
  if (c.host.empty()) return err(srv("host"), "must not be empty");

  std::set<s7::AreaKey> keys;
  std::map<s7::AreaKey, std::size_t> sizes;
  for (std::size_t i = 0; i < c.areas.size(); ++i) {
    const AreaSpec& a = c.areas[i];
    s7::AreaKey k{a.area, a.area == s7::Area::db ? a.db : std::uint16_t{0}};
    if (!keys.insert(k).second)
      return err(body(fmt::format("areas[{}]", i)),
                 fmt::format("{} is declared twice", area_label(a)));
    sizes[k] = area_bytes(a);
  }

  // Checks that an address parses and fits a declared area.
  auto check_address = [&](const std::string& key,
                           const std::string& text) -> s7::Result<s7::Address> {
    auto a = config_address(c, text);
    if (!a) return err(key, a.error().what());
    auto it = sizes.find(area_key(*a));
    if (it == sizes.end())
      return err(key,
                 fmt::format("{}: area {} is not declared in [[areas]]", text,
                             a->area == s7::Area::db ? fmt::format("DB{}", a->db)
                                                     : std::string(area_name(area_key(*a).area))));
    std::uint64_t end = std::uint64_t{store_offset(*a)} + s7::byte_size(*a);
    if (end > it->second)
      return err(key, fmt::format("{} needs bytes up to {} but the area has {} bytes", text, end,
                                  it->second));
    return *a;
  };

  for (std::size_t i = 0; i < c.read_only.size(); ++i) {
    auto a = check_address(body(fmt::format("read_only[{}]", i)), c.read_only[i]);
    if (!a) return a.error();
  }

  std::map<std::string, const FieldSpec*> by_name;
  for (const auto& f : c.fields) {
    std::string key = body("fields." + f.name);
    if (f.name.empty()) return err(body("fields"), "a field needs a name");
    if (!by_name.emplace(f.name, &f).second) return err(key, "field is declared twice");
    auto a = check_address(key + ".address", f.address);
    if (!a) return a.error();
    const Generator& g = f.generator;
    std::string gen = std::string(generator_name(g));
    if (auto* k = std::get_if<Constant>(&g)) {
      auto v = s7::parse_value(*a, k->text);
      if (!v) return err(key + ".value", v.error().what());
      if (auto enc = s7::encode_value(*a, *v); !enc) return err(key + ".value", enc.error().what());
    } else if (!std::holds_alternative<NoGenerator>(g) && !std::holds_alternative<Copy>(g)) {
      if (!numeric_type(a->type))
        return err(key + ".generator",
                   fmt::format("generator {} needs a number or BOOL field, {} is {}", gen,
                               f.address, s7::to_string(a->type)));
    }
    if (auto* k = std::get_if<Counter>(&g); k && k->wrap) {
      if (k->step <= 0) return err(key + ".wrap", "wrap needs a step > 0");
      if (*k->wrap < k->start) return err(key + ".wrap", "wrap must not be below start");
    }
    auto period_ok = [&](Nanos p) { return p.count() > 0; };
    if (auto* k = std::get_if<Ramp>(&g); k && !period_ok(k->period))
      return err(key + ".period", "must be more than 0");
    if (auto* k = std::get_if<Sine>(&g); k && !period_ok(k->period))
      return err(key + ".period", "must be more than 0");
    if (auto* k = std::get_if<Toggle>(&g); k && !period_ok(k->period))
      return err(key + ".period", "must be more than 0");
    if (auto* k = std::get_if<Square>(&g)) {
      if (!period_ok(k->period)) return err(key + ".period", "must be more than 0");
      if (!(k->duty >= 0 && k->duty <= 1)) return err(key + ".duty", "must be 0..1");
    }
    if (auto* k = std::get_if<RandomWalk>(&g)) {
      if (!(k->min <= k->max)) return err(key + ".min", "min must not be above max");
      if (!(k->step >= 0)) return err(key + ".step", "must not be negative");
    }
  }
  // Copy sources exist and do not form a loop.
  for (const auto& f : c.fields) {
    auto* k = std::get_if<Copy>(&f.generator);
    if (!k) continue;
    std::string key = body("fields." + f.name) + ".source";
    if (!by_name.count(k->source)) return err(key, fmt::format("no field named \"{}\"", k->source));
    std::set<std::string> seen{f.name};
    for (const Copy* cur = k; cur;) {
      if (!seen.insert(cur->source).second)
        return err(key, fmt::format("copy loop through \"{}\"", cur->source));
      cur = std::get_if<Copy>(&by_name.at(cur->source)->generator);
    }
  }
  for (std::size_t i = 0; i < c.watch.size(); ++i)
    if (!by_name.count(c.watch[i]))
      return err(body(fmt::format("watch[{}]", i)),
                 fmt::format("no field named \"{}\"", c.watch[i]));
  for (std::size_t i = 0; i < c.faults.size(); ++i) {
    const Fault& f = c.faults[i];
    std::string key = body(fmt::format("faults[{}]", i));
    if (auto r = validate(f); !r) return err(key, r.error().what());
    if (f.kind == FaultKind::item_error && !by_name.count(f.field))
      return err(key + ".field", fmt::format("no field named \"{}\"", f.field));
  }
  return {};
}

// TOML text of a string (basic string with escapes).
std::string toml_quoted(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) {
      out += fmt::format("\\u{:04X}", static_cast<unsigned>(static_cast<unsigned char>(ch)));
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

// A bare key when TOML allows one, else a quoted key.
std::string toml_key(std::string_view k) {
  bool bare = !k.empty();
  for (char ch : k)
    bare = bare && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-');
  return bare ? std::string(k) : toml_quoted(k);
}

std::string num(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  return fmt::format("{}", d);
}

std::string dur(Nanos d) {
  return toml_quoted(util::format_duration(d));
}

// The value of a constant as TOML: bare when it reads back to the same text.
std::string constant_toml(const std::string& text) {
  if (text == "true" || text == "false") return text;
  std::int64_t i = 0;
  auto [ie, iec] = std::from_chars(text.data(), text.data() + text.size(), i);
  if (iec == std::errc() && ie == text.data() + text.size() && std::to_string(i) == text)
    return text;
  double d = 0;
  auto [de, dec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (dec == std::errc() && de == text.data() + text.size() && std::isfinite(d) &&
      fmt::format("{}", d) == text && text.find_first_of(".eE") != std::string::npos)
    return text;
  return toml_quoted(text);
}

std::string generator_toml(const Generator& g) {
  std::string out = fmt::format("generator = {}\n", toml_quoted(generator_name(g)));
  if (auto* k = std::get_if<Constant>(&g)) out += "value = " + constant_toml(k->text) + "\n";
  if (auto* k = std::get_if<Counter>(&g)) {
    out += fmt::format("start = {}\nstep = {}\n", num(k->start), num(k->step));
    if (k->wrap) out += fmt::format("wrap = {}\n", num(*k->wrap));
  }
  if (auto* k = std::get_if<Ramp>(&g))
    out +=
        fmt::format("from = {}\nto = {}\nperiod = {}\n", num(k->from), num(k->to), dur(k->period));
  if (auto* k = std::get_if<Sine>(&g))
    out += fmt::format("amplitude = {}\noffset = {}\nperiod = {}\n", num(k->amplitude),
                       num(k->offset), dur(k->period));
  if (auto* k = std::get_if<Square>(&g))
    out += fmt::format("low = {}\nhigh = {}\nperiod = {}\nduty = {}\n", num(k->low), num(k->high),
                       dur(k->period), num(k->duty));
  if (auto* k = std::get_if<RandomWalk>(&g))
    out += fmt::format("seed = {}\nstart = {}\nstep = {}\nmin = {}\nmax = {}\n", k->seed,
                       num(k->start), num(k->step), num(k->min), num(k->max));
  if (auto* k = std::get_if<Toggle>(&g))
    out += fmt::format("period = {}\ninitial = {}\n", dur(k->period), k->initial);
  if (auto* k = std::get_if<Copy>(&g)) out += fmt::format("source = {}\n", toml_quoted(k->source));
  return out;
}

std::string string_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + toml_quoted(v[i]);
  return out + "]";
}

}  // namespace

s7::AreaKey area_key(const s7::Address& a) {
  // The fake PLC's I/O modules are its I and Q bytes: PIW256 is IW256, PQW256 is QW256.
  if (a.area == s7::Area::periphery)
    return s7::AreaKey{a.periphery_output ? s7::Area::outputs : s7::Area::inputs, 0};
  return s7::AreaKey{a.area, a.area == s7::Area::db ? a.db : std::uint16_t{0}};
}

std::size_t area_bytes(const AreaSpec& a) {
  bool tc = a.area == s7::Area::timers || a.area == s7::Area::counters;
  return tc ? std::size_t{a.size} * 2 : a.size;
}

std::uint32_t store_offset(const s7::Address& a) {
  bool tc = a.area == s7::Area::timers || a.area == s7::Area::counters;
  return tc ? a.offset * 2 : a.offset;
}

bool numeric_type(s7::DataType t) {
  return t == s7::DataType::Bool || s7::is_number_type(t);
}

PlcConfig course_config() {
  PlcConfig c;
  c.areas = {{s7::Area::db, 1, 64}};
  c.read_only = {"DB1.DBB11"};
  c.fields = {
      {"counter", "DB1.DBD0:DINT", Counter{0, 1, std::nullopt}},
      {"temperature", "DB1.DBW4:INT", Constant{"25"}},
      {"pressure", "DB1.DBD6:REAL", Constant{"1.23"}},
      {"alarm", "DB1.DBX10.0", Toggle{std::chrono::milliseconds(500), true}},
      {"mode_ro", "DB1.DBB11", Constant{"7"}},
      {"setpoint_int", "DB1.DBW20:INT", NoGenerator{}},
      {"setpoint_real", "DB1.DBD22:REAL", NoGenerator{}},
      {"cmd_start", "DB1.DBX26.0", NoGenerator{}},
      {"cmd_stop", "DB1.DBX26.1", NoGenerator{}},
      {"mode", "DB1.DBB27", NoGenerator{}},
  };
  c.watch = {"setpoint_int", "setpoint_real", "cmd_start", "cmd_stop", "mode"};
  return c;
}

namespace {

bool wildcard_host(std::string_view host) {
  return host == "0.0.0.0" || host == "::" || host == "[::]";
}

// Checks every PLC and the rules between them (see validate_plant).
s7::Result<void> validate_plant_with(const PlantConfig& p, const util::TomlReader& in) {
  if (p.plcs.empty()) return in.error("plc", "expected at least one [[plc]] table");
  if (p.plcs.size() > kMaxPlantPlcs)
    return in.error("plc", fmt::format("at most {} PLCs in one plant", kMaxPlantPlcs));
  if (p.single()) return validate_with(p.plcs[0], in, single_keys());
  for (std::size_t i = 0; i < p.plcs.size(); ++i) {
    const PlcConfig& c = p.plcs[i];
    const Keys keys = plant_keys(in, i);
    const std::string name_key = keys.server_key("name");
    if (c.name.empty()) return in.error(name_key, "must not be empty");
    if (c.name.size() > 64) return in.error(name_key, "must be at most 64 characters");
    const bool name_ok = std::all_of(c.name.begin(), c.name.end(), [](char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             ch == '_' || ch == '-' || ch == '.';
    });
    if (!name_ok)
      return in.error(name_key, fmt::format("\"{}\": use letters, digits, _, - and . only",
                                            util::escape_control(c.name)));
    for (std::size_t j = 0; j < i; ++j)
      if (p.plcs[j].name == c.name)
        return in.error(name_key,
                        fmt::format("\"{}\" is already the name of {}", c.name, in.item("plc", j)));
    if (auto r = validate_with(c, in, keys); !r) return r;
    if (c.port == 0) continue;  // any free port: never the same as another's
    for (std::size_t j = 0; j < i; ++j) {
      const PlcConfig& other = p.plcs[j];
      if (other.port != c.port) continue;
      if (other.host == c.host || wildcard_host(other.host) || wildcard_host(c.host)) {
        // Name the other's host only when it differs (0.0.0.0 overlaps every host).
        const std::string other_where =
            other.host == c.host ? "" : fmt::format(" on {}:{}", other.host, other.port);
        return in.error(keys.server_key("port"),
                        fmt::format("{}:{} is already used by {} (\"{}\"{}); give each PLC its "
                                    "own port (0 picks a free one)",
                                    c.host, c.port, in.item("plc", j), other.name, other_where));
      }
    }
  }
  return {};
}

// The [plc] keys of one PLC (without the table header), with their comments.
std::string server_toml(const PlcConfig& c, bool plant) {
  std::string o;
  o += fmt::format("host = {}            # listen address (--host)\n", toml_quoted(c.host));
  o += fmt::format("port = {}                    # TCP port{}; S7 PLCs use 102\n", c.port,
                   plant ? ", one per PLC (0 = any free one)" : " (--port)");
  o += fmt::format("rack = {}\nslot = {}\n", c.rack, c.slot);
  o += fmt::format("enforce_rack_slot = {}     # refuse connections for another rack/slot\n",
                   c.enforce_rack_slot);
  o += fmt::format("max_pdu = {}                  # 240, 480 or 960\n", c.max_pdu);
  o += fmt::format("max_parallel = {}               # parallel jobs (AmQ) offered\n",
                   c.max_parallel);
  o += fmt::format("max_connections = {}          # clients at once; more are refused\n",
                   c.max_connections);
  o += fmt::format("tick = {}                # generators step once per tick\n", dur(c.tick));
  o += fmt::format(
      "handshake_timeout = {}     # COTP connect + setup must finish in this; 0 = none\n",
      dur(c.handshake_timeout));
  o += fmt::format("idle_timeout = {}       # a silent connection is closed; 0 = none\n",
                   dur(c.idle_timeout));
  o += fmt::format(
      "first_item_writes = {}     # true: like the python-snap7 server, a multi-item "
      "write stores only its first item\n",
      c.first_item_writes);
  o += fmt::format("state = {}                 # \"run\" or \"stop\" (STOP freezes generators)\n",
                   toml_quoted(c.run ? "run" : "stop"));
  return o;
}

// watch and read_only with their comments.
std::string watch_toml(const PlcConfig& c) {
  std::string o;
  o += "# Fields whose changes (by a client) print one line: WRITE: {'name': value, ...}\n";
  o += "watch = " + string_list(c.watch) + "\n";
  o += "# Address ranges clients may not write (item error 0x03; the write is not stored).\n";
  o += "read_only = " + string_list(c.read_only) + "\n";
  return o;
}

// symbols, db_numbers and cpu (nothing without sources, but a hint in the single form).
std::string symbols_toml(const SymbolSources& s, bool explain) {
  std::string o;
  if (s.empty()) {
    if (explain)
      o += "# The PLC program's DB sources: each DB becomes a DB area holding the BEGIN values\n"
           "# (see docs/fakeplc.md). E.g. symbols = [\"Telemetry.db\"], db_numbers = { "
           "Telemetry = 1 }\n";
    return o;
  }
  if (explain)
    o += "# The PLC program's DB sources (relative to this file's folder): each DB becomes a DB\n"
         "# area holding the BEGIN values; fields may name members, e.g. "
         "'\"Telemetry\".pressure'.\n";
  o += "symbols = " + string_list(s.files) + "\n";
  if (!s.db_numbers.empty()) {
    o += "db_numbers = { ";
    bool first = true;
    for (const auto& [block, number] : s.db_numbers) {
      o += fmt::format("{}{} = {}", first ? "" : ", ", toml_key(block), number);
      first = false;
    }
    o += " }           # TIA sources carry no DB number\n";
  }
  std::string_view cpu = symbols::to_string(s.cpu);
  if (cpu.rfind("S7-", 0) == 0) cpu.remove_prefix(3);
  o += fmt::format("cpu = {}                # 300, 400, 1200 or 1500: the layout rules\n",
                   toml_quoted(cpu));
  return o;
}

// [plc.identity], the areas, the fields and the faults. `t` is the table path of the PLC's body
// ("" in the single form, "plc" in a plant); `explain` adds the comments that explain each part.
std::string body_toml(const PlcConfig& c, std::string_view t, bool explain) {
  const std::string areas = util::TomlReader::child(t, "areas");
  const std::string fields = util::TomlReader::child(t, "fields");
  const std::string faults = util::TomlReader::child(t, "faults");
  std::string o;
  o += "[plc.identity]                  # served through SZL 0x0011 / 0x001C\n";
  o += fmt::format("order_code = {}\nmodule_name = {}\nserial_number = {}\n\n",
                   toml_quoted(c.order_code), toml_quoted(c.module_name),
                   toml_quoted(c.serial_number));
  if (explain)
    o += "# Memory areas: DB (with number), M, I, Q (size in bytes), T, C (size in "
         "timers/counters).\n";
  for (const auto& a : c.areas) {
    if (!a.block.empty()) continue;  // the sources make it again
    o += fmt::format("[[{}]]\n", areas);
    o += fmt::format("area = {}\n", toml_quoted(area_name(a.area)));
    if (a.area == s7::Area::db) o += fmt::format("number = {}\n", a.db);
    o += fmt::format("size = {}\n", a.size);
    if (a.init == AreaInit::pattern) o += "init = \"pattern\"   # byte i = i mod 256\n";
    o += "\n";
  }
  if (explain) {
    o += "# Fields: a name, an address and a generator. Generators (see docs/fakeplc.md):\n";
    o += "#   none (clients write it), constant (value), counter (start, step, wrap),\n";
    o += "#   ramp (from, to, period), sine (amplitude, offset, period),\n";
    o += "#   square (low, high, period, duty), random_walk (seed, start, step, min, max),\n";
    o += "#   toggle (period, initial), copy (source = another field).\n";
  }
  for (const auto& f : c.fields) {
    o += fmt::format("[{}.{}]\n", fields, toml_key(f.name));
    o += fmt::format("address = {}\n", toml_quoted(f.address));
    o += generator_toml(f.generator) + "\n";
  }
  if (explain) {
    o += "# Fault injection timeline (times from start). Kinds: drop (every), refuse, delay "
         "(delay),\n";
    o += "# item_error (field, code), stop. Keys: start, duration, every. Example:\n";
    o += fmt::format(
        "# [[{}]]\n# kind = \"delay\"\n# start = \"10s\"\n# duration = \"5s\"\n# delay = "
        "\"200ms\"\n",
        faults);
  }
  for (std::size_t i = 0; i < c.faults.size(); ++i) {
    const Fault& f = c.faults[i];
    if (explain || i > 0) o += "\n";
    o += fmt::format("[[{}]]\n", faults);
    o += fmt::format("kind = {}\nstart = {}\n", toml_quoted(to_string(f.kind)), dur(f.start));
    if (f.duration) o += fmt::format("duration = {}\n", dur(*f.duration));
    if (f.every) o += fmt::format("every = {}\n", dur(*f.every));
    if (f.kind == FaultKind::delay) o += fmt::format("delay = {}\n", dur(f.delay));
    if (f.kind == FaultKind::item_error)
      o += fmt::format("field = {}\ncode = 0x{:02X}\n", toml_quoted(f.field), f.code);
  }
  return o;
}

}  // namespace

s7::Result<PlcConfig> parse_config(std::string_view toml_text, std::string_view filename,
                                   const SourceReader& read) {
  util::TomlReader in{std::string(filename)};
  auto root = in.parse(toml_text);
  if (!root) return root.error();
  if (Reader::plant_form(*root))
    return in.error(*root->get("plc"), "plc",
                    "[[plc]] tables describe a plant of several PLCs; one PLC is wanted here");
  auto c = Reader(in, read).read(*root);
  if (!c) return c.error();
  if (auto r = validate_with(*c, in, single_keys()); !r) return r.error();
  return c;
}

s7::Result<PlcConfig> load_config(const std::string& path) {
  std::string text;
  if (auto why = util::read_text_file(path, text))
    return s7::Error(s7::Errc::invalid_argument, path + ": " + *why);
  return parse_config(text, path, disk_reader(symbols::folder_of(path)));
}

s7::Result<void> load_sources(PlcConfig& c, const SourceReader& read, std::string_view where) {
  const util::TomlReader in{std::string(where)};
  return apply_sources(c, read, in, single_keys());
}

SourceReader disk_reader(const std::string& folder) {
  return symbols::disk_reader(folder);
}

s7::Result<s7::Address> config_address(const PlcConfig& c, const std::string& text) {
  if (auto it = c.symbol_addresses.find(text); it != c.symbol_addresses.end())
    return s7::parse_address(it->second);
  auto a = s7::parse_address(text);
  if (a || !symbols::SymbolTable::looks_symbolic(text)) return a;
  // Not an address (its error says at which column) and written like a symbol.
  return s7::Error(s7::Errc::invalid_argument,
                   fmt::format("{}; as a symbol of the PLC program it needs symbols = [\"...\"] "
                               "with its DB's source (docs/fakeplc.md)",
                               a.error().what()));
}

s7::Result<void> validate_config(const PlcConfig& c, std::string_view filename) {
  return validate_with(c, util::TomlReader(std::string(filename)), single_keys());
}

s7::Result<PlantConfig> parse_plant_config(std::string_view toml_text, std::string_view filename,
                                           const SourceReader& read) {
  util::TomlReader in{std::string(filename)};
  auto root = in.parse(toml_text);
  if (!root) return root.error();
  PlantConfig plant;
  if (Reader::plant_form(*root)) {
    auto p = Reader(in, read).read_plant(*root);
    if (!p) return p.error();
    plant = std::move(*p);
  } else {
    auto c = Reader(in, read).read(*root);
    if (!c) return c.error();
    plant.plcs.push_back(std::move(*c));
  }
  if (auto r = validate_plant_with(plant, in); !r) return r.error();
  return plant;
}

s7::Result<PlantConfig> load_plant_config(const std::string& path) {
  std::string text;
  if (auto why = util::read_text_file(path, text))
    return s7::Error(s7::Errc::invalid_argument, path + ": " + *why);
  return parse_plant_config(text, path, disk_reader(symbols::folder_of(path)));
}

s7::Result<void> validate_plant(const PlantConfig& p, std::string_view filename) {
  return validate_plant_with(p, util::TomlReader(std::string(filename)));
}

s7::Result<PlantConfig> plant_copies(const PlcConfig& c, std::size_t n, std::uint16_t base_port) {
  auto bad = [](std::string msg) { return s7::Error(s7::Errc::invalid_argument, std::move(msg)); };
  if (n == 0 || n > kMaxPlantPlcs)
    return bad(fmt::format("--plcs {}: expected 1..{} PLCs", n, kMaxPlantPlcs));
  if (base_port != 0 && base_port + (n - 1) > 65535)
    return bad(
        fmt::format("--plcs {} --base-port {}: the ports would run past 65535", n, base_port));
  PlantConfig p;
  for (std::size_t i = 0; i < n; ++i) {
    PlcConfig copy = c;
    copy.name = fmt::format("plc{}", i + 1);
    copy.port = base_port == 0 ? std::uint16_t{0} : static_cast<std::uint16_t>(base_port + i);
    p.plcs.push_back(std::move(copy));
  }
  return p;
}

std::string format_config(const PlcConfig& c) {
  std::string o;
  o += "# s7log fakeplc configuration (TOML). Start it with: s7log fakeplc --config <this file>\n";
  o += "# Reference: docs/fakeplc.md. Durations: \"500ms\", \"10s\", \"2min\" or seconds (0.5).\n";
  o += "# Addresses use s7log's syntax: DB1.DBX10.0, DB1.DBW4, DB1.DBD6:REAL, MW10, IB0, T5, "
       "C3.\n\n";
  o += watch_toml(c);
  o += symbols_toml(c.symbols, true) + "\n";
  o += "[plc]\n";
  o += server_toml(c, false) + "\n";
  o += body_toml(c, "", true);
  return o;
}

std::string format_plant_config(const PlantConfig& p) {
  if (p.single()) return format_config(p.plcs[0]);
  std::string o;
  o += "# s7log fakeplc plant (TOML): several fake PLCs in one process, one [[plc]] table each.\n";
  o += "# Start it with: s7log fakeplc --config <this file>\n";
  o += "# Reference: docs/fakeplc.md (\"A plant in one process\"). A [[plc]] table holds what a\n";
  o += "# single fake PLC's file holds: a unique name, the keys of its [plc] table (host, port,\n";
  o += "# ...), watch and read_only; the tables after it ([plc.identity], [[plc.areas]],\n";
  o += "# [plc.fields.<name>], [[plc.faults]]) belong to that PLC. No two PLCs on one port.\n";
  o += "# Durations: \"500ms\", \"10s\", \"2min\" or seconds (0.5).\n";
  o += "# Addresses use s7log's syntax: DB1.DBX10.0, DB1.DBW4, DB1.DBD6:REAL, MW10, IB0, T5, "
       "C3.\n";
  for (std::size_t i = 0; i < p.plcs.size(); ++i) {
    const PlcConfig& c = p.plcs[i];
    o += "\n[[plc]]\n";
    o += fmt::format("name = {}       # unique in the plant; prefixes this PLC's lines\n",
                     toml_quoted(c.name));
    o += server_toml(c, true);
    o += watch_toml(c);
    o += symbols_toml(c.symbols, false) + "\n";
    o += body_toml(c, "plc", i == 0);
  }
  return o;
}

PlantConfig example_plant() {
  PlcConfig press1 = course_config();
  press1.name = "press1";
  press1.port = 1102;

  PlcConfig press2 = course_config();
  press2.name = "press2";
  press2.port = 1103;
  press2.tick = std::chrono::seconds(1);
  press2.order_code = "6ES7 214-1AG40-0XB0";
  press2.module_name = "CPU 1214C DC/DC/DC";
  press2.serial_number = "S C-S7LOG0000002";
  press2.areas = {{s7::Area::db, 1, 16}};
  press2.read_only = {};
  press2.fields = {
      {"strokes", "DB1.DBD0:DINT", Counter{0, 1, std::nullopt}},
      {"force", "DB1.DBD4:REAL", Sine{5, 80, std::chrono::seconds(20)}},
      {"running", "DB1.DBX8.0", Toggle{std::chrono::seconds(30), true}},
      {"setpoint", "DB1.DBW10:INT", NoGenerator{}},
  };
  press2.watch = {"setpoint"};
  Fault slow;
  slow.kind = FaultKind::delay;
  slow.start = std::chrono::seconds(30);
  slow.duration = std::chrono::seconds(10);
  slow.every = std::chrono::seconds(60);
  slow.delay = std::chrono::milliseconds(300);
  press2.faults = {slow};
  return PlantConfig{{press1, press2}};
}

s7::ServerOptions server_options(const PlcConfig& c) {
  s7::ServerOptions o;
  o.host = c.host;
  o.port = c.port;
  o.max_pdu = c.max_pdu;
  o.max_parallel = c.max_parallel;
  o.max_connections = c.max_connections;
  o.handshake_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(c.handshake_timeout);
  o.idle_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(c.idle_timeout);
  if (c.enforce_rack_slot) {
    o.enforce_rack = c.rack;
    o.enforce_slot = c.slot;
  }
  o.identity.order_code = c.order_code;
  o.identity.module_name = c.module_name;
  o.identity.module_type = c.module_name;  // a CPU reports the same text in both records
  o.identity.serial_number = c.serial_number;
  return o;
}

}  // namespace sim
