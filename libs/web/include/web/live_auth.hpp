// Who may use the live page when it listens beyond loopback: the loopback test of the --live
// address, new tokens, and reading and comparing the token a request carries (docs/live.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace web {

// The cookie the server sets once a request brought the right ?token=, so that the page's own
// requests (scripts, /api, /events) carry it without putting it in every URL.
inline constexpr const char* kTokenCookie = "s7log_token";

// Whether a listen host is a loopback address, reachable from this machine only: "localhost"
// (any case, one trailing dot), IPv4 127.0.0.0/8 in dotted-decimal form, and IPv6 ::1 in any
// text form (also in brackets, and ::ffff:127.x.y.z). Anything else, "0.0.0.0" and "::" too, is
// not.
bool is_loopback_host(std::string_view host);

// A new token: 32 lower-case hex digits (128 bits) from std::random_device.
std::string new_live_token();

// Whether `given` equals `expected`, taking the same time whatever `given` holds (it depends on
// expected's length only), so the answer's timing tells nothing about how much of it was right.
bool token_equal(std::string_view given, std::string_view expected);

// The token of "Authorization: Bearer <token>" (scheme in any case), nullopt for other schemes.
std::optional<std::string> bearer_token(std::string_view authorization);

// The value of cookie `name` in a Cookie header ("a=1; s7log_token=abc"), nullopt if absent.
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);

}  // namespace web
