// Limits checked on a config file's text before the TOML library parses it: the library recurses
// per dotted key segment and per nesting level, so a hostile file (a 40,000-level dotted table
// header) could exhaust the stack. A small lexical scan (strings and comments skipped) is enough.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace util {

struct TomlLimits {
  std::size_t max_bytes = 8u << 20;          // the whole file
  std::size_t max_depth = 32;                // nested arrays / inline tables / table headers
  std::size_t max_key_segments = 32;         // a.b.c = 3 segments
  std::size_t max_key_bytes = 256;           // one key segment (bare or quoted)
  std::size_t max_string_bytes = 64u << 10;  // one string value
};

struct TomlLimitError {
  std::size_t line = 1;
  std::string what;  // "a key with more than 32 dotted parts"
};

// nullopt when `text` is within the limits; otherwise the (first) line and what was too big.
inline std::optional<TomlLimitError> check_toml_limits(std::string_view text,
                                                       const TomlLimits& limits = {}) {
  auto fail = [](std::size_t line, const std::string& what) -> std::optional<TomlLimitError> {
    return TomlLimitError{line, what};
  };
  if (text.size() > limits.max_bytes)
    return fail(1, "the file is larger than " + std::to_string(limits.max_bytes >> 20) + " MiB");
  std::size_t line = 1;
  std::vector<char> open;  // '[' array, '{' inline table, 'T' table header
  bool key = true;         // in a key: at the start of a line, in a header, after '{' or ','
  bool line_start = true;  // only whitespace so far on this line
  std::size_t segments = 1;
  std::size_t segment_bytes = 0;
  auto new_key = [&] {
    key = true;
    segments = 1;
    segment_bytes = 0;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = true;
      if (open.empty()) new_key();
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    const bool at_line_start = line_start;
    line_start = false;
    if (c == '"' || c == '\'') {
      const bool triple = text.substr(i, 3) == std::string_view(c == '"' ? "\"\"\"" : "'''");
      const std::size_t start_line = line;
      std::size_t j = i + (triple ? 3 : 1);
      std::size_t length = 0;
      for (;; ++j, ++length) {
        if (j >= text.size()) return std::nullopt;  // unterminated: the parser reports it
        if (text[j] == '\n') {
          if (!triple) break;
          ++line;
        }
        if (c == '"' && text[j] == '\\') {
          ++j;
          continue;
        }
        if (text[j] == c && (!triple || text.substr(j, 3) == text.substr(i, 3))) break;
      }
      const std::size_t limit = key ? limits.max_key_bytes : limits.max_string_bytes;
      if (length > limit)
        return fail(start_line, std::string(key ? "a key" : "a string") + " longer than " +
                                    std::to_string(limit) + " bytes");
      i = triple ? j + 2 : j;
      if (j < text.size() && text[j] == '\n') --i;  // let the loop count the line
      continue;
    }
    if (key) {
      if (c == '[' && at_line_start && open.empty()) {  // [table] or [[array.of.tables]]
        open.push_back('T');
        if (i + 1 < text.size() && text[i + 1] == '[') ++i;
        continue;
      }
      if (c == ']' && !open.empty() && open.back() == 'T') {
        open.pop_back();
        if (i + 1 < text.size() && text[i + 1] == ']') ++i;
        key = false;
        continue;
      }
      if (c == '.') {
        segment_bytes = 0;
        if (++segments > limits.max_key_segments)
          return fail(line, "a key with more than " + std::to_string(limits.max_key_segments) +
                                " dotted parts");
        continue;
      }
      if (c == '=') {
        key = false;
        continue;
      }
      if (c == '}' && !open.empty() && open.back() == '{') {  // {} (empty inline table)
        open.pop_back();
        key = false;
        continue;
      }
      if (++segment_bytes > limits.max_key_bytes)
        return fail(line, "a key longer than " + std::to_string(limits.max_key_bytes) + " bytes");
      continue;
    }
    if (c == '[' || c == '{') {
      open.push_back(c);
      if (open.size() > limits.max_depth)
        return fail(line, "arrays or tables nested deeper than " +
                              std::to_string(limits.max_depth) + " levels");
      if (c == '{') new_key();
    } else if ((c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
    } else if (c == ',' && !open.empty() && open.back() == '{') {
      new_key();
    }
  }
  return std::nullopt;
}

}  // namespace util
