// Request head parsing and the body-size and Host checks of the live page's server
// (http_limits.hpp). Header syntax per RFC 9112 sections 3 and 5, Host per RFC 9110 section 7.2.
#include "web/http_limits.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

namespace web {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && lower(a) == lower(b);
}

// RFC 9110 token characters (method and header names).
bool is_tchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_tchar);
}

// Field values: visible characters, obs-text and inner spaces/tabs; no CR, LF, NUL or other CTLs.
bool is_field_value(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c == '\t' || (c >= 0x20 && c != 0x7f);
  });
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Digits only; saturates at UINT64_MAX instead of failing on huge values (they are refused as
// too large, not as malformed).
std::uint64_t saturating_u64(std::string_view digits) {
  std::uint64_t v = 0;
  for (char c : digits) {
    auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10)
      return std::numeric_limits<std::uint64_t>::max();
    v = v * 10 + d;
  }
  return v;
}

// Splits "name[:port]" or "[v6][:port]"; false when the port part is not 1..5 digits.
bool split_host_port(std::string_view host, std::string_view& name) {
  std::string_view rest;
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    if (close == std::string_view::npos) return false;
    name = host.substr(0, close + 1);
    rest = host.substr(close + 1);
  } else {
    auto colon = host.find(':');
    name = host.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view{} : host.substr(colon);
  }
  if (rest.empty()) return true;
  rest.remove_prefix(1);  // ':'
  return all_digits(rest) && rest.size() <= 5;
}

std::string normalize_name(std::string_view name) {
  auto out = lower(name);
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Dotted decimal, as inet_pton(AF_INET) takes it: exactly four parts of 1..3 digits, each at
// most 255, and "0" the only part starting with 0.
bool is_ipv4(std::string_view s) {
  int parts = 0;
  while (true) {
    std::size_t n = 0;
    int value = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9' && n < 3) value = value * 10 + (s[n++] - '0');
    if (n == 0 || value > 255 || (n > 1 && s[0] == '0')) return false;
    ++parts;
    s.remove_prefix(n);
    if (s.empty()) return parts == 4;
    if (s[0] != '.' || parts == 4) return false;
    s.remove_prefix(1);
  }
}

// RFC 4291 section 2.2 text form: eight groups of 1..4 hex digits, or fewer around one "::",
// the last two groups possibly written as dotted decimal.
bool is_ipv6(std::string_view s) {
  int groups = 0;
  bool compressed = false;
  if (s.substr(0, 2) == "::") {
    compressed = true;
    s.remove_prefix(2);
  }
  while (!s.empty()) {
    std::size_t n = 0;
    while (n < s.size() && is_hex_digit(s[n])) ++n;
    if (n < s.size() && s[n] == '.') {  // the dotted-decimal tail
      if (!is_ipv4(s)) return false;
      groups += 2;
      break;
    }
    if (n == 0 || n > 4) return false;
    ++groups;
    s.remove_prefix(n);
    if (s.empty()) break;
    if (s[0] != ':' || s.size() == 1) return false;  // a single trailing ':' is not allowed
    s.remove_prefix(1);
    if (s[0] == ':') {
      if (compressed) return false;  // at most one "::"
      compressed = true;
      s.remove_prefix(1);
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

}  // namespace

std::vector<std::string> parse_host_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find_first_of(", \t", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(pos, end - pos);
    pos = end + 1;
    std::string_view name;
    if (item.empty() || !split_host_port(item, name) || name.empty()) continue;
    out.push_back(normalize_name(name));
  }
  return out;
}

HttpLimits http_limits_from_env() {
  HttpLimits limits;
  if (const char* env = std::getenv(kAllowedHostsEnv); env && *env) {
    limits.allowed_hosts = parse_host_list(env);
  }
  return limits;
}

std::optional<RequestHead> parse_request_head(std::string_view head, HttpRefusal& refusal) {
  auto bad = [&](std::string why) -> std::optional<RequestHead> {
    refusal = HttpRefusal{400, "bad request: " + std::move(why)};
    return std::nullopt;
  };
  // Lines end with CRLF; the head ends with an empty line.
  if (head.size() >= 4 && head.substr(head.size() - 4) == "\r\n\r\n") {
    head.remove_suffix(2);
  } else if (head.size() < 2 || head.substr(head.size() - 2) != "\r\n") {
    return bad("the head does not end with CRLF");
  }
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < head.size();) {
    auto end = head.find("\r\n", pos);
    lines.push_back(head.substr(pos, end - pos));
    pos = end + 2;
  }
  for (auto line : lines) {
    if (line.find_first_of("\r\n") != std::string_view::npos) return bad("bare CR or LF");
  }

  RequestHead out;
  auto request_line = lines.front();
  auto sp1 = request_line.find(' ');
  auto sp2 = sp1 == std::string_view::npos ? sp1 : request_line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || request_line.find(' ', sp2 + 1) != std::string_view::npos)
    return bad("the request line is not 'METHOD target HTTP/1.1'");
  out.method = std::string(request_line.substr(0, sp1));
  out.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
  out.version = std::string(request_line.substr(sp2 + 1));
  if (!is_token(out.method)) return bad("bad method");
  if (out.target.empty() || !is_field_value(out.target) ||
      out.target.find_first_of(" \t") != std::string::npos)
    return bad("bad request target");
  if (out.version != "HTTP/1.1" && out.version != "HTTP/1.0")
    return bad("only HTTP/1.0 and HTTP/1.1 are served");
  out.path = out.target.substr(0, out.target.find_first_of("?#"));

  std::optional<std::uint64_t> length;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto line = lines[i];
    if (line.empty()) return bad("empty line inside the head");
    if (line.front() == ' ' || line.front() == '\t') return bad("folded header line");
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return bad("header line without ':'");
    auto name = line.substr(0, colon);
    auto value = trim_ows(line.substr(colon + 1));
    if (!is_token(name)) return bad(fmt::format("bad header name '{}'", name));
    if (!is_field_value(value)) return bad(fmt::format("control character in header '{}'", name));
    if (iequals(name, "Host")) {
      if (out.host) return bad("more than one Host header");
      out.host = std::string(value);
    } else if (iequals(name, "Content-Length")) {
      if (!all_digits(value)) return bad(fmt::format("Content-Length '{}' is not a number", value));
      auto n = saturating_u64(value);
      if (length && *length != n) return bad("differing Content-Length headers");
      length = n;
    } else if (iequals(name, "Authorization")) {
      if (!out.authorization) out.authorization = std::string(value);
    } else if (iequals(name, "Cookie")) {
      if (!out.cookie.empty()) out.cookie += "; ";
      out.cookie += value;
    } else if (iequals(name, "Transfer-Encoding")) {
      out.transfer_encoding = true;
    } else if (iequals(name, "Connection")) {
      for (std::size_t pos = 0; pos <= value.size();) {
        auto comma = std::min(value.find(',', pos), value.size());
        auto option = trim_ows(value.substr(pos, comma - pos));
        out.connection_close |= iequals(option, "close");
        pos = comma + 1;
      }
    }
  }
  out.content_length = length.value_or(0);
  return out;
}

std::optional<HttpRefusal> refuse_request(const RequestHead& head, const HttpLimits& limits,
                                          std::string_view bound_host) {
  if (head.transfer_encoding) {
    return HttpRefusal{413,
                       "request body refused: no endpoint here takes a body, and a "
                       "Transfer-Encoding body is never read"};
  }
  if (head.content_length > limits.max_body_bytes) {
    return HttpRefusal{413, fmt::format("request body of {} bytes refused: at most {} bytes are "
                                        "read, and no endpoint here takes a body",
                                        head.content_length, limits.max_body_bytes)};
  }
  if (!head.host) {
    if (head.version == "HTTP/1.0") return std::nullopt;  // no Host in 1.0; browsers send one
    return HttpRefusal{400, "bad request: an HTTP/1.1 request needs a Host header"};
  }
  if (!host_allowed(*head.host, bound_host, limits.allowed_hosts)) {
    return HttpRefusal{
        421, fmt::format("unknown host '{}': this server answers to localhost, IP addresses and "
                         "the names in ${} (see docs/live.md)",
                         head.host->substr(0, 100), kAllowedHostsEnv)};
  }
  return std::nullopt;
}

bool host_allowed(std::string_view host, std::string_view bound_host,
                  const std::vector<std::string>& extra) {
  std::string_view name_part;
  if (!split_host_port(host, name_part)) return false;
  auto name = normalize_name(name_part);
  if (name.empty()) return false;
  if (name == "localhost" || is_ip_literal(name)) return true;
  auto bound = normalize_name(bound_host);
  if (bound.find(':') != std::string::npos) bound = "[" + bound + "]";  // an IPv6 address
  if (!bound.empty() && name == bound) return true;
  return std::find(extra.begin(), extra.end(), name) != extra.end();
}

bool is_ip_literal(std::string_view text) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    return is_ipv6(text.substr(1, text.size() - 2));
  }
  return is_ipv4(text);
}

std::string_view http_reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 421:
      return "Misdirected Request";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

std::string refusal_response(const HttpRefusal& refusal) {
  std::string body = refusal.text + "\n";
  return fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n"
      "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{}",
      refusal.status, http_reason(refusal.status), body.size(), body);
}

}  // namespace web
