// The TOML reading layer shared by the config loaders: errors with file:line: key, typed getters.
#include "util/toml_reader.hpp"

#include <cmath>
#include <optional>
#include <utility>

#include "util/duration.hpp"
#include "util/text.hpp"
#include "util/toml_limits.hpp"

namespace util {

namespace {

std::uint32_t line_of_node(const toml::node& node) {
  return static_cast<std::uint32_t>(node.source().begin.line);
}

s7::Error invalid(std::string text) {
  return s7::Error(s7::Errc::invalid_argument, std::move(text));
}

}  // namespace

TomlReader::TomlReader(std::string source, std::size_t first_index)
    : source_(std::move(source)), first_index_(first_index) {}

s7::Result<toml::table> TomlReader::parse(std::string_view text) const {
  if (auto too_big = check_toml_limits(text))
    return invalid(source_ + ":" + std::to_string(too_big->line) + ": " + too_big->what);
  try {
    return toml::parse(text, std::string_view(source_));
  } catch (const toml::parse_error& e) {
    return invalid(source_ + ":" + std::to_string(e.source().begin.line) +
                   ": syntax: " + std::string(e.description()));
  }
}

std::string TomlReader::child(std::string_view prefix, std::string_view name) {
  std::string key(prefix);
  if (!key.empty()) key += '.';
  return key.append(name);
}

std::string TomlReader::item(std::string_view key, std::size_t index) const {
  return std::string(key) + "[" + std::to_string(index + first_index_) + "]";
}

void TomlReader::mark(std::string_view key, const toml::node& node) {
  if (auto line = line_of_node(node)) lines_.insert_or_assign(std::string(key), line);
}

std::uint32_t TomlReader::line_of(std::string_view key) const {
  for (;;) {
    if (auto it = lines_.find(key); it != lines_.end()) return it->second;
    auto cut = key.find_last_of(".[");
    if (cut == std::string_view::npos) return 0;
    key = key.substr(0, cut);
  }
}

s7::Error TomlReader::error(std::string_view key, std::string_view message) const {
  std::string text = source_;
  if (auto line = line_of(key)) text += ":" + std::to_string(line);
  text += ": ";
  text += key;
  text += ": ";
  text += message;
  return invalid(std::move(text));
}

s7::Error TomlReader::error(const toml::node& node, std::string_view key,
                            std::string_view message) const {
  auto line = line_of_node(node);
  if (line == 0) return error(key, message);
  return invalid(source_ + ":" + std::to_string(line) + ": " + std::string(key) + ": " +
                 std::string(message));
}

s7::Result<void> TomlReader::check_keys(const toml::table& table, std::string_view prefix,
                                        const std::vector<std::string_view>& allowed,
                                        std::string_view hint) {
  for (const auto& [name, value] : table) {
    const std::string key = child(prefix, name.str());
    mark(key, value);
    bool known = false;
    for (auto a : allowed) known = known || name.str() == a;
    if (known) continue;
    std::string why(hint);
    if (why.empty()) {
      why = "expected one of: ";
      for (std::size_t i = 0; i < allowed.size(); ++i) {
        if (i > 0) why += ", ";
        why += allowed[i];
      }
    }
    return error(value, child(prefix, escape_control(name.str())), "unknown key (" + why + ")");
  }
  return {};
}

s7::Result<std::string> TomlReader::string(const toml::node& node, std::string_view key,
                                           Empty empty) {
  mark(key, node);
  const auto* s = node.as_string();
  if (s == nullptr) return error(node, key, "expected a string");
  if (empty == Empty::refused && s->get().empty()) return error(node, key, "must not be empty");
  return s->get();
}

s7::Result<std::int64_t> TomlReader::integer(const toml::node& node, std::string_view key,
                                             std::int64_t lo, std::int64_t hi) {
  mark(key, node);
  const auto* i = node.as_integer();
  if (i == nullptr) return error(node, key, "expected an integer");
  if (i->get() < lo || i->get() > hi)
    return error(node, key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return i->get();
}

s7::Result<double> TomlReader::number(const toml::node& node, std::string_view key) {
  mark(key, node);
  if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
  const auto* f = node.as_floating_point();
  if (f == nullptr) return error(node, key, "expected a number");
  if (!std::isfinite(f->get())) return error(node, key, "expected a finite number");
  return f->get();
}

s7::Result<bool> TomlReader::boolean(const toml::node& node, std::string_view key) {
  mark(key, node);
  if (const auto* b = node.as_boolean()) return b->get();
  return error(node, key, "expected true or false");
}

s7::Result<std::chrono::nanoseconds> TomlReader::duration(const toml::node& node,
                                                          std::string_view key,
                                                          std::chrono::nanoseconds max) {
  mark(key, node);
  std::optional<std::chrono::nanoseconds> d;
  if (const auto* s = node.as_string()) {
    d = parse_duration(s->get());
  } else if (node.is_number()) {
    const double seconds = node.value<double>().value_or(-1);
    const double ns = seconds * 1e9;
    // Same bound as parse_duration: what 64-bit nanoseconds hold (NaN fails the test too).
    if (seconds >= 0 && ns < 9.2e18) d = std::chrono::nanoseconds(std::llround(ns));
  }
  if (!d) return error(node, key, R"(expected a duration like "500ms", "1s" or "2min")");
  if (*d > max) return error(node, key, "must be at most " + format_duration(max));
  return *d;
}

s7::Result<std::vector<std::string>> TomlReader::strings(const toml::node& node,
                                                         std::string_view key) {
  mark(key, node);
  const auto* arr = node.as_array();
  if (arr == nullptr) return error(node, key, "expected an array of strings");
  std::vector<std::string> out;
  out.reserve(arr->size());
  for (std::size_t i = 0; i < arr->size(); ++i) {
    auto s = string((*arr)[i], item(key, i));
    if (!s) return s.error();
    out.push_back(std::move(*s));
  }
  return out;
}

s7::Result<const toml::table*> TomlReader::table(const toml::node& node, std::string_view key) {
  mark(key, node);
  if (const auto* t = node.as_table()) return t;
  return error(node, key, "expected a table [" + std::string(key) + "]");
}

s7::Result<const toml::array*> TomlReader::array_of_tables(const toml::node& node,
                                                           std::string_view key) {
  mark(key, node);
  const auto* arr = node.as_array();
  if (arr == nullptr)
    return error(node, key, "expected an array of tables [[" + std::string(key) + "]]");
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string k = item(key, i);
    mark(k, (*arr)[i]);
    if (!(*arr)[i].is_table()) return error((*arr)[i], k, "expected a table");
  }
  return arr;
}

}  // namespace util
