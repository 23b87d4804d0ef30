// The live page's token: loopback test of the listen host, new tokens, constant-time comparison,
// Bearer and Cookie header parsing (live_auth.hpp).
#include "web/live_auth.hpp"

#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include <fmt/format.h>

#include "web/http_limits.hpp"

namespace web {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Dotted decimal (already checked by is_ip_literal) -> its four bytes.
std::array<int, 4> ipv4_bytes(std::string_view s) {
  std::array<int, 4> out{};
  std::size_t i = 0;
  for (char c : s) {
    if (c == '.') {
      ++i;
    } else if (i < out.size()) {
      out[i] = out[i] * 10 + (c - '0');
    }
  }
  return out;
}

// Groups of one side of "::" ("1:2:192.0.2.7" -> 1, 2, 0xc000, 0x0207).
std::vector<std::uint32_t> ipv6_groups(std::string_view s) {
  std::vector<std::uint32_t> out;
  while (!s.empty()) {
    auto colon = s.find(':');
    auto part = s.substr(0, colon);
    if (part.find('.') != std::string_view::npos) {
      auto b = ipv4_bytes(part);
      out.push_back(static_cast<std::uint32_t>(b[0] * 256 + b[1]));
      out.push_back(static_cast<std::uint32_t>(b[2] * 256 + b[3]));
    } else {
      std::uint32_t v = 0;
      for (char c : part) v = v * 16 + static_cast<std::uint32_t>(hex_value(c));
      out.push_back(v);
    }
    if (colon == std::string_view::npos) break;
    s.remove_prefix(colon + 1);
  }
  return out;
}

// An IPv6 address (already checked) as its eight groups.
std::array<std::uint32_t, 8> ipv6_address(std::string_view s) {
  std::array<std::uint32_t, 8> out{};
  auto gap = s.find("::");
  auto head = ipv6_groups(gap == std::string_view::npos ? s : s.substr(0, gap));
  auto tail =
      gap == std::string_view::npos ? std::vector<std::uint32_t>{} : ipv6_groups(s.substr(gap + 2));
  for (std::size_t i = 0; i < head.size() && i < 8; ++i) out[i] = head[i];
  for (std::size_t i = 0; i < tail.size() && i < 8; ++i) out[8 - tail.size() + i] = tail[i];
  return out;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  auto name = lower(host);
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (name == "localhost") return true;
  if (name.size() > 2 && name.front() == '[' && name.back() == ']')
    name = name.substr(1, name.size() - 2);
  if (is_ip_literal(name)) return ipv4_bytes(name)[0] == 127;  // dotted decimal
  if (!is_ip_literal("[" + name + "]")) return false;
  auto a = ipv6_address(name);
  bool zeros = true;  // the first five groups
  for (std::size_t i = 0; i < 5; ++i) zeros = zeros && a[i] == 0;
  if (zeros && a[5] == 0 && a[6] == 0 && a[7] == 1) return true;  // ::1
  return zeros && a[5] == 0xffff && (a[6] >> 8) == 127;           // ::ffff:127.x.y.z
}

std::string new_live_token() {
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 4; ++i) out += fmt::format("{:08x}", static_cast<std::uint32_t>(rd()));
  return out;
}

bool token_equal(std::string_view given, std::string_view expected) {
  unsigned diff = given.size() == expected.size() ? 0u : 1u;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char g = i < given.size() ? given[i] : '\0';
    diff |= static_cast<unsigned char>(g ^ expected[i]);
  }
  return diff == 0 && !expected.empty();
}

std::optional<std::string> bearer_token(std::string_view authorization) {
  auto sp = authorization.find(' ');
  if (sp == std::string_view::npos || lower(authorization.substr(0, sp)) != "bearer")
    return std::nullopt;
  auto token = authorization.substr(sp + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return std::string(token);
}

std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    auto semi = cookie_header.find(';');
    auto pair = cookie_header.substr(0, semi);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      auto value = pair.substr(eq + 1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
    if (semi == std::string_view::npos) break;
    cookie_header.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

}  // namespace web
