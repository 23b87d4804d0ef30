// Text helpers for messages that quote what a user or a file gave.
#pragma once

#include <string>
#include <string_view>

namespace util {

// Escapes control characters (below 0x20, and 0x7F) as \xNN so that text from a file or the
// command line can be echoed in a message without moving the cursor, ringing the bell or ending
// early at a NUL. Other bytes (UTF-8 included) are kept.
inline std::string escape_control(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

// `text` with the ASCII letters A-Z lower-cased (config keywords such as "PG" or "Daily" match in
// any case); other bytes are kept.
inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

}  // namespace util
