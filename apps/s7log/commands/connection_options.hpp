// Connection options shared by read, write, info and run (--host --port --rack --slot --type
// --local-tsap --remote-tsap --timeout), their conversion to s7::ClientOptions, exit codes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "s7/address.hpp"
#include "s7/client.hpp"
#include "s7/error.hpp"

namespace CLI {
class App;
class Validator;
}  // namespace CLI

namespace app {

// Exit codes of the tools: 1 = PLC or connection error, 2 = usage error (bad address, value or
// option), found before connecting; 3 = `s7log run` lost rows (dropped from a full buffer, or
// still unwritten when it stopped).
inline constexpr int kExitOk = 0;
inline constexpr int kExitPlc = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRowsLost = 3;

// Raw option texts as CLI11 fills them; validated by make_client_options().
struct ConnectionArgs {
  std::string host = "127.0.0.1";
  std::optional<int> port;  // default: default_port(host)
  int rack = 0;
  int slot = 1;
  std::string type = "op";     // pg | op | basic
  std::string local_tsap;      // "01.00", "0x0100" or "0100"; empty = default 01.00
  std::string remote_tsap;     // empty = from type, rack and slot
  std::string timeout = "3s";  // connect and request timeout (util::parse_duration syntax)
};

// A CLI11 check for a numeric option: the text must be a whole number in lo..hi (hi unset: no
// upper bound). It runs before CLI11 converts the text, so `--port abc` and `--count -1` get
// "--port: 'abc' is not a whole number (expected 1..65535)" instead of CLI11's own wording.
CLI::Validator whole_number(std::int64_t lo, std::optional<std::int64_t> hi = std::nullopt);

// Adds the options to a (sub)command; values land in `args`.
void add_connection_options(CLI::App& cmd, ConnectionArgs& args);

// True for "localhost", 127.0.0.0/8 and ::1.
bool is_loopback_host(std::string_view host);
// 1102 on loopback (the course's fake PLC listens there, as port 102 needs root), else 102.
std::uint16_t default_port(std::string_view host);

// Validates the options. Errors (Errc::invalid_argument) name the option, e.g.
// "--slot 40: slot must be 0..31".
s7::Result<s7::ClientOptions> make_client_options(const ConnectionArgs& args);

// Rewrites a library message that starts with the canonical address text so that it starts
// with the text the user typed ("db1.dbw0: ..." stays recognisable).
std::string with_typed_address(const std::string& message, const s7::Address& a,
                               std::string_view typed);

// Validates the options and connects. On failure prints the error and sets `exit_code`:
// kExitUsage for bad options (nothing was sent), kExitPlc when the PLC cannot be reached.
std::optional<s7::Client> connect_or_report(const ConnectionArgs& args, int& exit_code);

// Prints "s7log: <message>" / "<who>: <message>" on stderr, control characters escaped (\x1b).
void print_error(std::string_view message);
void print_error(std::string_view who, std::string_view message);

}  // namespace app
