// Parsing the --live address (listen_address.hpp).
#include "web/listen_address.hpp"

#include <charconv>

#include <fmt/format.h>

namespace web {

namespace {

bool parse_port(std::string_view s, std::uint64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

s7::Result<ListenAddress> parse_listen_address(std::string_view text) {
  ListenAddress a;
  auto bad = [&](std::string_view why) {
    return s7::Error(
        s7::Errc::invalid_argument,
        fmt::format("listen address '{}': {} (expected HOST:PORT, :PORT or PORT)", text, why));
  };
  std::string_view host = text;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {  // [v6]:port
    auto close = text.find(']');
    if (close == std::string_view::npos) return bad("missing ']'");
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("expected ':' after ']'");
      port = rest.substr(1);
    }
  } else if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  } else if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
    host = {};
    port = text;
  }
  if (!host.empty()) a.host = std::string(host);
  if (!port.empty() || (text.size() && text.back() == ':')) {
    std::uint64_t p = 0;
    if (!parse_port(port, p) || p > 65535) return bad("port must be a number 0..65535");
    a.port = static_cast<std::uint16_t>(p);
  }
  return a;
}

}  // namespace web
