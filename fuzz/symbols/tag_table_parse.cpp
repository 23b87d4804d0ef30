// Fuzz target: PLC tag tables (STEP 7 .sdf and .asc, TIA Portal CSV) and format detection. Any
// bytes must give entries or a file:line error, never crash; entries are well-formed UTF-8 with
// unique names and either an address that prints and parses back or a block.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "s7/address.hpp"
#include "symbols/tag_table.hpp"

namespace {

// Well-formed UTF-8 (what every text of an entry must be after the Windows-1252 conversion).
bool utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80                 ? 1
                    : c >= 0xC2 && c <= 0xDF ? 2
                    : c >= 0xE0 && c <= 0xEF ? 3
                    : c >= 0xF0 && c <= 0xF4 ? 4
                                             : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

void check(std::string_view text, std::string_view file, symbols::TagTableFormat format) {
  auto r = symbols::parse_tag_table(text, file, format);
  if (!r.ok()) {
    if (!r.error().is(s7::Errc::invalid_argument)) __builtin_trap();
    if (r.error().what().rfind(std::string(file) + ":", 0) != 0) __builtin_trap();
    return;
  }
  int last_line = 0;
  for (const auto& e : *r) {
    if (e.name.empty() || e.line <= last_line) __builtin_trap();  // rows in order, named
    last_line = e.line;
    if (!utf8(e.name) || !utf8(e.type) || !utf8(e.comment)) __builtin_trap();
    if (e.address.has_value() == !e.block_kind.empty()) __builtin_trap();  // one or the other
    if (e.address) {
      auto back = s7::parse_address(s7::to_string(*e.address));
      if (!back.ok() || !(*back == *e.address)) __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(text, "fuzz.sdf", symbols::TagTableFormat::sdf);
  check(text, "fuzz.asc", symbols::TagTableFormat::asc);
  check(text, "fuzz.csv", symbols::TagTableFormat::tia_csv);
  // Detection reads any bytes; by the file name it does not look at them.
  (void)symbols::detect_tag_table(text, "fuzz");
  if (symbols::detect_tag_table(text, "fuzz.SDF") != symbols::TagTableFormat::sdf) __builtin_trap();
  return 0;
}
