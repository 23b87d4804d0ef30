// symbols / db_numbers / cpu in a TOML config (see config_keys.hpp).
#include "symbols/config_keys.hpp"

#include "util/text.hpp"

namespace symbols {

s7::Result<bool> read_config_keys(util::TomlReader& in, const toml::table& t,
                                  const std::string& prefix, SymbolOptions& o) {
  const auto key = [&](std::string_view k) { return util::TomlReader::child(prefix, k); };
  bool any = false;
  if (const auto* n = t.get("symbols")) {
    auto v = in.strings(*n, key("symbols"));
    if (!v) return v.error();
    if (v->empty())
      return in.error(*n, key("symbols"),
                      "expected the PLC program's sources, e.g. [\"Telemetry.db\"]");
    for (std::size_t i = 0; i < v->size(); ++i)
      if ((*v)[i].empty()) return in.error(*n, in.item(key("symbols"), i), "must not be empty");
    o.files = std::move(*v);
    any = true;
  }
  if (const auto* n = t.get("db_numbers")) {
    auto tt = in.table(*n, key("db_numbers"));
    if (!tt) return tt.error();
    o.db_numbers.clear();
    for (const auto& [k, v] : **tt) {
      const std::string name(k.str());
      auto num = in.integer(v, key("db_numbers") + "." + name, 1, 65535);
      if (!num) return num.error();
      o.db_numbers[name] = static_cast<std::uint16_t>(*num);
    }
    any = true;
  }
  if (const auto* n = t.get("cpu")) {
    std::string text;
    if (n->is_integer()) {
      text = std::to_string(n->as_integer()->get());
      in.mark(key("cpu"), *n);
    } else {
      auto v = in.string(*n, key("cpu"), util::Empty::refused);
      if (!v) return v.error();
      text = *v;
    }
    auto cpu = parse_cpu(text);
    if (!cpu) return in.error(*n, key("cpu"), cpu.error().what());
    o.cpu = *cpu;
    any = true;
  }
  if (any && o.files.empty())
    return in.error(t, prefix.empty() ? std::string("symbols") : key("symbols"),
                    "db_numbers and cpu need symbols = [\"...\"] (the sources they apply to)");
  return any;
}

}  // namespace symbols
