// File name patterns: strftime in local time, default hourly/daily names.
#include "logger/rotation.hpp"

#include <ctime>

#include "platform/time.hpp"

namespace logger {

std::optional<Rotation> parse_rotation(std::string_view text) {
  if (text == "none" || text.empty()) return Rotation::none;
  if (text == "hourly") return Rotation::hourly;
  if (text == "daily") return Rotation::daily;
  return std::nullopt;
}

std::string_view to_string(Rotation r) {
  switch (r) {
    case Rotation::none:
      return "none";
    case Rotation::hourly:
      return "hourly";
    case Rotation::daily:
      return "daily";
  }
  return "?";
}

std::string file_pattern(std::string_view out, Rotation rotation) {
  if (rotation == Rotation::none || out.find('%') != std::string_view::npos)
    return std::string(out);
  std::string_view fields = rotation == Rotation::hourly ? "_%Y%m%d_%H" : "_%Y%m%d";
  auto slash = out.find_last_of("/\\");
  auto dot = out.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash) ||
      dot == (slash == std::string_view::npos ? 0 : slash + 1))
    return std::string(out) + std::string(fields);
  return std::string(out.substr(0, dot)) + std::string(fields) + std::string(out.substr(dot));
}

s7::Result<void> check_pattern(std::string_view pattern) {
  auto bad = [](const std::string& why) { return s7::Error(s7::Errc::invalid_argument, why); };
  for (char c : pattern)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      return bad("control characters are not allowed in file names");
  static constexpr std::string_view kAllowed = "YyCGgmdjHIMSpuwUWVbBhaAF%";
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') continue;
    if (i + 1 >= pattern.size()) return bad("a lone % at the end (write %% for a percent sign)");
    const char f = pattern[++i];
    if (kAllowed.find(f) != std::string_view::npos) continue;
    std::string why = "%" + std::string(1, f) + " is not allowed in a file name";
    if (f == 'n') why += " (it expands to a newline)";
    if (f == 'e') why += " (it pads with a space; use %d)";
    if (f == 't') why += " (it expands to a tab)";
    if (f == 'D' || f == 'x' || f == 'c') why += " (it expands to text with '/', ':' or spaces)";
    if (f == 'T' || f == 'R' || f == 'r' || f == 'X') why += " (it expands to text with ':')";
    return bad(why + "; use %Y %m %d %H %M %S, %F or %j");
  }
  return {};
}

std::string expand_names(std::string_view pattern, std::string_view plc, std::string_view group) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.substr(i, 5) == "{plc}") {
      out += plc;
      i += 5;
    } else if (pattern.substr(i, 7) == "{group}") {
      out += group;
      i += 7;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

std::tm local_tm(std::chrono::system_clock::time_point ts) {
  return platform::local_time(std::chrono::system_clock::to_time_t(ts));
}

std::string expand_pattern(std::string_view pattern, std::chrono::system_clock::time_point ts) {
  if (pattern.find('%') == std::string_view::npos) return std::string(pattern);
  std::tm tm = local_tm(std::chrono::floor<std::chrono::seconds>(ts));
  std::string fmt(pattern);
  std::string out(fmt.size() + 128, '\0');
  for (int tries = 0; tries < 4; ++tries) {
    std::size_t n = std::strftime(out.data(), out.size(), fmt.c_str(), &tm);
    if (n > 0) {
      out.resize(n);
      return out;
    }
    out.resize(out.size() * 4);
  }
  return fmt;
}

}  // namespace logger
