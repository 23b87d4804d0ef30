// Parsing the --live address: "HOST:PORT", ":PORT", "PORT" or "HOST".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "s7/error.hpp"

namespace web {

// "HOST:PORT", ":PORT", "PORT" or "HOST" (port 8080); host defaults to 127.0.0.1 (loopback).
// Port 0 asks the OS for a free port. IPv6 hosts in brackets: "[::1]:8080".
struct ListenAddress {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
};
s7::Result<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace web
