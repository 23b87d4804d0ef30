// Connection options shared by the PLC tools: CLI11 registration and validation.
#include "connection_options.hpp"

#include <CLI/CLI.hpp>
#include <asio/ip/address.hpp>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "util/duration.hpp"
#include "util/text.hpp"

namespace app {

CLI::Validator whole_number(std::int64_t lo, std::optional<std::int64_t> hi) {
  const std::string range =
      hi ? std::to_string(lo) + ".." + std::to_string(*hi) : "at least " + std::to_string(lo);
  return CLI::Validator(
      [lo, hi, range](std::string& text) -> std::string {
        std::int64_t v = 0;
        const char* end = text.data() + text.size();
        auto [ptr, ec] = std::from_chars(text.data(), end, v);
        if (ec == std::errc::result_out_of_range && ptr == end)
          return text + " is out of range (expected " + range + ")";
        if (text.empty() || ec != std::errc() || ptr != end)
          return "'" + text + "' is not a whole number (expected " + range + ")";
        if (v < lo || (hi && v > *hi)) return text + " is out of range (expected " + range + ")";
        return {};
      },
      "", "");
}

void add_connection_options(CLI::App& cmd, ConnectionArgs& args) {
  cmd.add_option("--host", args.host, "PLC host name or IP address")->capture_default_str();
  cmd.add_option("--port", args.port,
                 "TCP port (default: 1102 on loopback, where the course's fake PLC listens; "
                 "else 102)")
      ->check(whole_number(1, 65535));
  cmd.add_option("--rack", args.rack, "rack of the CPU (0..7)")
      ->capture_default_str()
      ->check(whole_number(0, 7));
  cmd.add_option("--slot", args.slot, "slot of the CPU (0..31; S7-300: 2, S7-1200/1500: 1)")
      ->capture_default_str()
      ->check(whole_number(0, 31));
  cmd.add_option("--type", args.type,
                 "connection type: op (default; leaves the PG resource to the engineering "
                 "station), pg or basic")
      ->capture_default_str();
  cmd.add_option("--local-tsap", args.local_tsap, "local TSAP in hex, e.g. 01.00 or 0x0100");
  cmd.add_option("--remote-tsap", args.remote_tsap,
                 "remote TSAP in hex (overrides --type/--rack/--slot), e.g. 03.01");
  cmd.add_option("--timeout", args.timeout, "connect and request timeout, e.g. 3s or 500ms")
      ->capture_default_str();
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "localhost.localdomain") return true;
  std::error_code ec;
  const auto addr = asio::ip::make_address(std::string(host), ec);
  return !ec && addr.is_loopback();
}

std::uint16_t default_port(std::string_view host) {
  return is_loopback_host(host) ? std::uint16_t{1102} : std::uint16_t{102};
}

s7::Result<s7::ClientOptions> make_client_options(const ConnectionArgs& args) {
  using s7::Errc;
  s7::ClientOptions o;
  if (args.host.empty()) return s7::Error(Errc::invalid_argument, "--host: must not be empty");
  o.host = args.host;
  if (args.port) {
    if (*args.port < 1 || *args.port > 65535) {
      return s7::Error(Errc::invalid_argument,
                       "--port " + std::to_string(*args.port) + ": port must be 1..65535");
    }
    o.port = static_cast<std::uint16_t>(*args.port);
  } else {
    o.port = default_port(args.host);
  }
  if (args.rack < 0 || args.rack > 7) {
    return s7::Error(Errc::invalid_argument,
                     "--rack " + std::to_string(args.rack) + ": rack must be 0..7");
  }
  if (args.slot < 0 || args.slot > 31) {
    return s7::Error(Errc::invalid_argument,
                     "--slot " + std::to_string(args.slot) + ": slot must be 0..31");
  }
  o.rack = static_cast<std::uint8_t>(args.rack);
  o.slot = static_cast<std::uint8_t>(args.slot);
  std::string type = args.type;
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type == "pg") {
    o.type = s7::ConnectionType::pg;
  } else if (type == "op") {
    o.type = s7::ConnectionType::op;
  } else if (type == "basic") {
    o.type = s7::ConnectionType::basic;
  } else {
    return s7::Error(Errc::invalid_argument, "--type " + args.type + ": expected pg, op or basic");
  }
  if (!args.local_tsap.empty()) {
    o.local_tsap = s7::parse_tsap(args.local_tsap);
    if (!o.local_tsap) {
      return s7::Error(Errc::invalid_argument,
                       "--local-tsap " + args.local_tsap + ": expected hex like 01.00 or 0x0100");
    }
  }
  if (!args.remote_tsap.empty()) {
    o.remote_tsap = s7::parse_tsap(args.remote_tsap);
    if (!o.remote_tsap) {
      return s7::Error(Errc::invalid_argument,
                       "--remote-tsap " + args.remote_tsap + ": expected hex like 03.01 or 0x0301");
    }
  }
  const auto timeout = util::parse_duration(args.timeout);
  if (!timeout || timeout->count() <= 0) {
    return s7::Error(Errc::invalid_argument,
                     "--timeout " + args.timeout + ": expected a duration such as 3s or 500ms");
  }
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*timeout);
  o.connect_timeout = ms;
  o.request_timeout = ms;
  o.on_note = [](const std::string& note) { print_error("s7log", "note: " + note); };
  return o;
}

std::string with_typed_address(const std::string& message, const s7::Address& a,
                               std::string_view typed) {
  const std::string canonical = s7::to_string(a) + ": ";
  if (message.rfind(canonical, 0) == 0) {
    return std::string(typed) + ": " + message.substr(canonical.size());
  }
  if (message.rfind(std::string(typed) + ":", 0) == 0) return message;
  return std::string(typed) + ": " + message;
}

std::optional<s7::Client> connect_or_report(const ConnectionArgs& args, int& exit_code) {
  auto options = make_client_options(args);
  if (!options) {
    print_error(options.error().what());
    exit_code = kExitUsage;
    return std::nullopt;
  }
  s7::Client client(*options);
  if (auto c = client.connect(); !c) {
    print_error(c.error().what());
    exit_code = kExitPlc;
    return std::nullopt;
  }
  return client;
}

void print_error(std::string_view message) {
  print_error("s7log", message);
}

void print_error(std::string_view who, std::string_view message) {
  // Messages quote what the user gave (names, addresses, file text): never echo a control
  // character raw (a terminal escape, or a NUL that would cut the line).
  const std::string line = std::string(who) + ": " + util::escape_control(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace app
