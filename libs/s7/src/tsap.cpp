// TSAP text ("01.00", "0x0100") to its 16-bit value, for options and config files.
#include <charconv>
#include <string>

#include "s7/client.hpp"

namespace s7 {

std::optional<std::uint16_t> parse_tsap(std::string_view text) {
  std::string digits;
  std::string_view t = text;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) t.remove_prefix(2);
  const auto dot = t.find('.');
  if (dot != std::string_view::npos) {
    // "01.00": high byte, dot, low byte.
    const auto hi = t.substr(0, dot);
    const auto lo = t.substr(dot + 1);
    if (hi.empty() || lo.empty() || hi.size() > 2 || lo.size() > 2) return std::nullopt;
    digits = std::string(2 - hi.size(), '0') + std::string(hi) + std::string(2 - lo.size(), '0') +
             std::string(lo);
  } else {
    digits = std::string(t);
  }
  if (digits.empty() || digits.size() > 4) return std::nullopt;
  unsigned v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, 16);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

}  // namespace s7
