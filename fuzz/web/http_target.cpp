// Fuzz target: the live page's request-target helpers (percent-decoding, path, query parameters):
// any bytes must decode without crashing, decoding never grows the text, and a text without '%'
// or '+' decodes to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "web/http_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto path = web::target_path(text);
  if (path.size() > text.size()) __builtin_trap();
  for (std::string_view name : {"last", "", "a b", "window"}) {
    auto value = web::query_param(text, name);
    if (value && value->size() > text.size()) __builtin_trap();
  }
  // The first parameter's name, whatever it is, is found again.
  auto before_fragment = text.substr(0, text.find('#'));
  if (auto q = before_fragment.find('?'); q != std::string_view::npos) {
    auto query = before_fragment.substr(q + 1);
    auto first = query.substr(0, query.find('&'));
    if (!first.empty()) {
      auto name = web::percent_decode(first.substr(0, first.find('=')), true);
      if (!web::query_param(text, name)) __builtin_trap();
    }
  }
  for (bool plus : {false, true}) {
    auto decoded = web::percent_decode(text, plus);
    if (decoded.size() > text.size()) __builtin_trap();
    if (text.find_first_of("%+") == std::string_view::npos && decoded != text) __builtin_trap();
  }
  return 0;
}
