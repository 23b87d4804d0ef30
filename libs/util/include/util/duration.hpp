// Parses human durations ("500ms", "0.5s", "2min", "1h", "20us", "5ns", plain numbers = seconds).
#pragma once

#include <charconv>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace util {

// Returns nullopt for text that is not a non-negative number followed by ns, us, ms, s, min or h.
inline std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end == text.data() || number < 0) return std::nullopt;
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  double scale = 0;
  if (unit.empty() || unit == "s")
    scale = 1e9;
  else if (unit == "ms")
    scale = 1e6;
  else if (unit == "us")
    scale = 1e3;
  else if (unit == "ns")
    scale = 1;
  else if (unit == "min" || unit == "m")
    scale = 60e9;
  else if (unit == "h")
    scale = 3600e9;
  else
    return std::nullopt;
  double ns = number * scale + 0.5;
  if (!(ns < 9.2e18)) return std::nullopt;  // beyond what nanoseconds hold (~292 years)
  return std::chrono::nanoseconds(static_cast<long long>(ns));
}

// "500ms", "1.5s", "2min" for messages; exact, so parse_duration(format_duration(d)) == d.
inline std::string format_duration(std::chrono::nanoseconds d) {
  auto ns = d.count();
  if (ns % 60'000'000'000LL == 0 && ns >= 60'000'000'000LL)
    return std::to_string(ns / 60'000'000'000LL) + "min";
  if (ns % 1'000'000'000LL == 0) return std::to_string(ns / 1'000'000'000LL) + "s";
  if (ns % 1'000'000LL == 0) return std::to_string(ns / 1'000'000LL) + "ms";
  if (ns % 1000 == 0) return std::to_string(ns / 1000) + "us";
  return std::to_string(ns) + "ns";
}

}  // namespace util
