// util/text_file.hpp: the text of a config file as UTF-8, whichever way Windows tools saved it
// (a UTF-8 byte-order mark from Notepad or Out-File, UTF-16 from PowerShell 5's `>`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "util/text.hpp"
#include "util/u8path.hpp"

namespace util {

// Returns the UTF-8 text of `bytes`: without a byte-order mark as it is; with the UTF-8 mark
// without it; UTF-16 (LE or BE, with its mark) converted to UTF-8. nullopt when UTF-16 text is
// broken (an odd length or an unpaired surrogate), so the caller can say so.
inline std::optional<std::string> decode_text_file(std::string_view bytes) {
  auto starts = [&](std::string_view mark) { return bytes.substr(0, mark.size()) == mark; };
  if (starts("\xEF\xBB\xBF")) return std::string(bytes.substr(3));
  const bool le = starts("\xFF\xFE");
  if (!le && !starts("\xFE\xFF")) return std::string(bytes);
  bytes.remove_prefix(2);
  if (bytes.size() % 2 != 0) return std::nullopt;
  auto unit = [&](std::size_t i) {
    const auto a = static_cast<std::uint8_t>(bytes[i]);
    const auto b = static_cast<std::uint8_t>(bytes[i + 1]);
    return static_cast<std::uint32_t>(le ? (b << 8) | a : (a << 8) | b);
  };
  std::string out;
  out.reserve(bytes.size() / 2);
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    std::uint32_t cp = unit(i);
    if (cp >= 0xDC00 && cp <= 0xDFFF) return std::nullopt;  // a low surrogate first
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 3 >= bytes.size()) return std::nullopt;
      const std::uint32_t low = unit(i + 2);
      if (low < 0xDC00 || low > 0xDFFF) return std::nullopt;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    }
    append_utf8(out, cp);
  }
  return out;
}

// Reads the config file at the UTF-8 path `path` into `text` (decoded as above). On failure
// returns why, in words that follow the path: "cannot open the file", "is UTF-16 with a broken
// character: save it as UTF-8".
inline std::optional<std::string> read_text_file(const std::string& path, std::string& text) {
  std::ifstream in(u8path(path), std::ios::binary);
  if (!in) return std::string("cannot open the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  auto decoded = decode_text_file(ss.str());
  if (!decoded) return std::string("is UTF-16 with a broken character: save it as UTF-8");
  text = std::move(*decoded);
  return std::nullopt;
}

}  // namespace util
