// util/toml_reader.hpp: the one TOML reading layer of both config files (logger.toml and the fake
// PLC's): parsing within limits, "file:line: key: message" errors, unknown keys, typed getters.
#pragma once

#include <toml++/toml.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "s7/error.hpp"

namespace util {

// Whether a string value may be "".
enum class Empty : std::uint8_t { allowed, refused };

// Reads the values of one TOML document for a config loader.
//
// Keys are the dotted paths a user sees: "plc.port", "fields.x.period", "areas[0]". Every error
// is Errc::invalid_argument with the text
//   "<source>:<line>: <key>: <message>"   or, when no line is known, "<source>: <key>: <message>".
// The line is the node's own; for a node without one (built in code), and for errors about a key
// rather than a node (checks made after reading), it is the line remembered for the key or, failing
// that, for its nearest parent ("fields.x.period" -> "fields.x" -> "fields"). The getters and
// check_keys remember the line of every key they see, so later cross-field checks still point into
// the file.
//
// Lists count from `first_index` in keys ("watch[0]" with 0, "tag[1]" with 1).
// Not thread-safe (it remembers lines); one reader per document.
class TomlReader {
 public:
  explicit TomlReader(std::string source, std::size_t first_index = 0);

  const std::string& source() const { return source_; }

  // The root table of `text`. The text is checked with util::check_toml_limits first
  // ("<source>:<line>: <what was too big>"), then parsed ("<source>:<line>: syntax: <why>").
  s7::Result<toml::table> parse(std::string_view text) const;

  // "plc" + "port" -> "plc.port"; at the root ("" + "watch") -> "watch".
  static std::string child(std::string_view prefix, std::string_view name);
  // "areas" + 0 -> "areas[0]" (plus first_index).
  std::string item(std::string_view key, std::size_t index) const;

  // Remembers the line of `key` (nothing when the node has no line).
  void mark(std::string_view key, const toml::node& node);
  // The line of `key` or of its nearest remembered parent; 0 when none is known.
  std::uint32_t line_of(std::string_view key) const;

  // An error about `key` (line as above).
  s7::Error error(std::string_view key, std::string_view message) const;
  // An error about the value `node` of `key`: the node's line, else as above.
  s7::Error error(const toml::node& node, std::string_view key, std::string_view message) const;

  // Every key of `table` (whose own key is `prefix`, "" for the root) must be one of `allowed`:
  //   "<prefix>.<key>: unknown key (expected one of: a, b, c)"
  // or "unknown key (<hint>)" when a hint is given. Remembers the line of each key.
  s7::Result<void> check_keys(const toml::table& table, std::string_view prefix,
                              const std::vector<std::string_view>& allowed,
                              std::string_view hint = {});

  // Typed getters: each remembers the line of `key` and returns the value or the error.

  // A TOML string ("expected a string"); with Empty::refused "" is "must not be empty".
  s7::Result<std::string> string(const toml::node& node, std::string_view key,
                                 Empty empty = Empty::allowed);
  // A TOML integer (decimal, 0x, 0o, 0b) in lo..hi: "expected an integer",
  // "must be between <lo> and <hi>".
  s7::Result<std::int64_t> integer(const toml::node& node, std::string_view key, std::int64_t lo,
                                   std::int64_t hi);
  // An integer or a float that is finite: "expected a number", "expected a finite number".
  s7::Result<double> number(const toml::node& node, std::string_view key);
  // true or false: "expected true or false".
  s7::Result<bool> boolean(const toml::node& node, std::string_view key);
  // A duration: a string with a unit ("500ms", "1s", "2min", also "20us", "1h"; see
  // util::parse_duration; a bare "2" is seconds) or a number of seconds (2, 0.5). Never negative:
  //   "expected a duration like "500ms", "1s" or "2min"";
  // longer than `max`: "must be at most <max>".
  s7::Result<std::chrono::nanoseconds> duration(
      const toml::node& node, std::string_view key,
      std::chrono::nanoseconds max = std::chrono::nanoseconds::max());
  // An array of strings: "expected an array of strings"; a bad element is
  // "<key>[i]: expected a string" at the element's line.
  s7::Result<std::vector<std::string>> strings(const toml::node& node, std::string_view key);
  // A table: "expected a table [<key>]".
  s7::Result<const toml::table*> table(const toml::node& node, std::string_view key);
  // An array whose elements are tables: "expected an array of tables [[<key>]]"; a bad element
  // is "<key>[i]: expected a table". Remembers the line of each element.
  s7::Result<const toml::array*> array_of_tables(const toml::node& node, std::string_view key);

 private:
  std::string source_;
  std::size_t first_index_;
  std::map<std::string, std::uint32_t, std::less<>> lines_;
};

}  // namespace util
