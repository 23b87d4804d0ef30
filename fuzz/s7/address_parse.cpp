// Fuzz target: S7 address parser round trip, then the value codecs on the rest of the input.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "s7/address.hpp"
#include "s7/value.hpp"

// Input: "<address>\n<value text or raw bytes>". Aborts when a property breaks:
// - a parse error must name a column;
// - parse_address(to_string(a)) == a, and to_string is stable;
// - text that parse_value accepts must encode, decode and re-encode to the same bytes;
// - bytes that decode and re-encode must decode again to the same value.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nl = input.find('\n');
  const std::string_view addr_text = input.substr(0, nl);
  const std::string_view rest =
      nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);

  auto a = s7::parse_address(addr_text);
  if (!a) {
    if (a.error().what().find(": column ") == std::string::npos) std::abort();
    return 0;
  }
  const std::string canonical = s7::to_string(*a);
  auto again = s7::parse_address(canonical);
  if (!again || !(*again == *a) || s7::to_string(*again) != canonical) std::abort();
  if (s7::byte_size(*a) > 4096) return 0;

  // The rest as user text.
  if (auto v = s7::parse_value(*a, rest)) {
    auto enc = s7::encode_value(*a, *v);
    if (!enc || enc->size() != s7::byte_size(*a)) std::abort();
    auto dec = s7::decode_value(*a, *enc);
    if (!dec) std::abort();
    (void)s7::format_value(*dec);
    auto enc2 = s7::encode_value(*a, *dec);
    if (!enc2 || *enc2 != *enc) std::abort();
  }

  // The rest as raw PLC bytes (possibly too short).
  const std::span<const std::uint8_t> raw(reinterpret_cast<const std::uint8_t*>(rest.data()),
                                          rest.size());
  if (auto v = s7::decode_value(*a, raw)) {
    (void)s7::format_value(*v);
    for (const auto& e : v->elems) (void)s7::to_double(e);
    if (auto enc = s7::encode_value(*a, *v)) {
      auto dec = s7::decode_value(*a, *enc);
      if (!dec || !(*dec == *v)) {
        // NaN payloads compare unequal to themselves; everything else must survive.
        bool has_nan = false;
        for (const auto& e : v->elems) {
          const bool is_float =
              std::holds_alternative<float>(e) || std::holds_alternative<double>(e);
          has_nan = has_nan || (is_float && std::isnan(s7::to_double(e)));
        }
        if (!dec || !has_nan) std::abort();
      }
    }
  }
  return 0;
}
