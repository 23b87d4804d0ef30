// Percent-decoding, path and query parameters of a request target (http_target.hpp), per
// RFC 3986 section 2.1 and the form encoding browsers use for queries ('+' is a space).
#include "web/http_target.hpp"

namespace web {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The target up to its fragment.
std::string_view without_fragment(std::string_view target) {
  return target.substr(0, target.find('#'));
}

}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::string target_path(std::string_view target) {
  return percent_decode(target.substr(0, target.find_first_of("?#")), false);
}

std::optional<std::string> query_param(std::string_view target, std::string_view name) {
  target = without_fragment(target);
  auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(q + 1);
  while (true) {
    auto amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    auto eq = item.find('=');
    std::string_view key = item.substr(0, eq);
    if (!item.empty() && percent_decode(key, true) == name) {
      return eq == std::string_view::npos ? std::string()
                                          : percent_decode(item.substr(eq + 1), true);
    }
    if (amp == std::string_view::npos) return std::nullopt;
    query.remove_prefix(amp + 1);
  }
}

}  // namespace web
