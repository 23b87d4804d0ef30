// Limits of the live page's HTTP server and the sans-IO checks of a request head that enforce
// them (body size, Host). The server's connection gate (src/connection_gate.hpp) applies them to
// every request before a worker thread sees it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace web {

// Extra names the Host header may carry (besides localhost, IP addresses and the bound address):
// comma- or space-separated, e.g. "logger.plant.local,logger". Read by http_limits_from_env().
inline constexpr const char* kAllowedHostsEnv = "S7LOG_LIVE_ALLOWED_HOSTS";

struct HttpLimits {
  // /events streams at once, each on a thread of its own; more get 503 with Retry-After.
  std::size_t max_streams = 16;
  // Threads for every other request. Streams never use them, so /api and /metrics find one.
  std::size_t plain_workers = 8;
  // The whole request head (request line and headers) must arrive within this time of the
  // connection (or, on a kept-alive connection, of its first byte); otherwise 408 and close.
  std::chrono::milliseconds head_timeout{5000};
  // A (small) body must arrive within this time after its head; otherwise 408 and close.
  std::chrono::milliseconds body_timeout{5000};
  // An idle kept-alive connection is closed after this.
  std::chrono::milliseconds keep_alive_timeout{2000};
  // Each write may wait this long for the client to make room; a plain (non-stream) answer as a
  // whole must be written within response_timeout.
  std::chrono::milliseconds write_timeout{5000};
  std::chrono::milliseconds response_timeout{30000};
  // After a refusal (408, 413, ...) the socket stays open this long for the client to read the
  // answer (nothing more is read from it), then it is closed.
  std::chrono::milliseconds linger{2000};
  std::size_t max_head_bytes = 16 * 1024;  // larger heads: 431
  std::size_t max_body_bytes = 1024;       // larger Content-Length, or any Transfer-Encoding: 413
  // Connections held at once (reading, queued, served, idle); past it the oldest waiting one
  // is closed.
  std::size_t max_connections = 512;
  std::size_t max_requests_per_connection = 100;
  // Host names accepted besides the built-in ones (lower case, without port).
  std::vector<std::string> allowed_hosts;
};

// Default limits plus the names in $S7LOG_LIVE_ALLOWED_HOSTS.
HttpLimits http_limits_from_env();
// Splits a list such as "a.example, b:8080 c" into lower-case names without ports.
std::vector<std::string> parse_host_list(std::string_view text);

// The parts of a request head the gate needs.
struct RequestHead {
  std::string method;
  std::string target;   // as sent: "/api/history?last=5"
  std::string path;     // target without query: "/api/history"
  std::string version;  // "HTTP/1.1" or "HTTP/1.0"
  std::optional<std::string> host;
  std::uint64_t content_length = 0;  // saturates at UINT64_MAX
  bool transfer_encoding = false;    // any Transfer-Encoding header (chunked or other)
  bool connection_close = false;     // a Connection header with the option "close" (any case)
  std::optional<std::string> authorization;  // the first Authorization header
  std::string cookie;  // every Cookie header, joined with "; " (RFC 6265 section 5.4)
};

// A refusal: status code and a one-line plain-text reason for the answer's body.
struct HttpRefusal {
  int status = 400;
  std::string text;
};

// Parses a request head: "METHOD SP target SP HTTP/1.x" CRLF, then "name: value" CRLF lines,
// ending with an empty line (the final CRLF CRLF may be included or not). Strict: bare CR or LF,
// control characters, folded lines, space before the colon, more than one Host, differing
// Content-Length values or a Content-Length that is not digits all give 400 (with the reason).
std::optional<RequestHead> parse_request_head(std::string_view head, HttpRefusal& refusal);

// The answer the server must give instead of serving `head`, or nullopt to serve it:
// 413 for any Transfer-Encoding or a Content-Length above limits.max_body_bytes, 400 for an
// HTTP/1.1 request without Host, 421 for a Host that host_allowed() refuses.
std::optional<HttpRefusal> refuse_request(const RequestHead& head, const HttpLimits& limits,
                                          std::string_view bound_host);

// Whether a Host header value (name or address, with or without ":port") may be served:
// "localhost", any IP address literal (127.0.0.1, [::1], 192.0.2.7: a browser sends one only for
// a page loaded from that address, so DNS rebinding cannot produce it), the address the server
// is bound to, and the names in `extra`. Case-insensitive; one trailing dot is ignored.
bool host_allowed(std::string_view host, std::string_view bound_host,
                  const std::vector<std::string>& extra);

// Whether `text` is an IPv4 address in dotted-decimal form ("192.0.2.7": four parts 0..255, no
// leading zeros) or, in brackets, an IPv6 address ("[::1]", "[2001:db8::192.0.2.7]"): the forms
// inet_pton() accepts, checked without the OS.
bool is_ip_literal(std::string_view text);

// "Payload Too Large" for 413 and so on (the codes the server uses; "Error" otherwise).
std::string_view http_reason(int status);

// A complete answer that closes the connection: status line, Content-Type text/plain,
// Content-Length, X-Content-Type-Options: nosniff, Cache-Control: no-store, Connection: close,
// then the refusal's text and a newline.
std::string refusal_response(const HttpRefusal& refusal);

}  // namespace web
