// The JSON message of one group sample: built by hand (exact bytes, shortest REAL text).
#include "sinks/mqtt/json_payload.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <type_traits>
#include <variant>

#include "platform/time.hpp"

namespace sinks::mqtt {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
    if (c == 0xED && b(1) > 0x9F) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
    if (c == 0xF4 && b(1) > 0x8F) return 0;  // past U+10FFFF
    return 4;
  }
  return 0;
}

void append_scalar(std::string& out, const s7::Scalar& s) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          append_json_string(out, x);
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
          if (std::isfinite(x))
            out += s7::format_scalar(s);  // shortest round-trip text: a valid JSON number
          else
            out += "null";
        } else {
          out += s7::format_scalar(s);  // true/false, integers
        }
      },
      s);
}

void append_value(std::string& out, const s7::Value& v) {
  if (!v.array && v.elems.size() == 1) return append_scalar(out, v.elems.front());
  out += '[';
  for (std::size_t i = 0; i < v.elems.size(); ++i) {
    if (i) out += ',';
    append_scalar(out, v.elems[i]);
  }
  out += ']';
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::string plc_name(std::string_view plc) {
  return plc.empty() ? std::string("plc") : std::string(plc);
}

std::string group_name(std::string_view group) {
  return group.empty() ? std::string("default") : std::string(group);
}

std::string expand_topic(std::string_view pattern, std::string_view plc, std::string_view group) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.substr(i).starts_with("{plc}")) {
      out += plc_name(plc);
      i += 5;
    } else if (pattern.substr(i).starts_with("{group}")) {
      out += group_name(group);
      i += 7;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

std::string iso8601_local(std::chrono::system_clock::time_point ts) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(ts).time_since_epoch().count();
  const std::int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  const auto frac = static_cast<int>(ms - secs * 1000);
  const std::tm tm = platform::local_time(static_cast<std::time_t>(secs));
  const std::int64_t local =
      days_from_civil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                      static_cast<unsigned>(tm.tm_mday)) *
          86400 +
      tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
  const std::int64_t offset_min = (local - secs) / 60;
  const auto abs_off = offset_min < 0 ? -offset_min : offset_min;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac,
                offset_min < 0 ? '-' : '+', static_cast<int>(abs_off / 60),
                static_cast<int>(abs_off % 60));
  return buf;
}

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8_length(s, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

std::string json_payload(const logger::Sample& sample, std::span<const logger::TagInfo> tags,
                         bool historical) {
  using namespace std::chrono;
  std::string out = "{\"ts\":";
  append_json_string(out, iso8601_local(sample.ts));
  out += ",\"ts_ms\":";
  out += std::to_string(floor<milliseconds>(sample.ts).time_since_epoch().count());
  out += ",\"plc\":";
  append_json_string(out, plc_name(sample.plc));
  out += ",\"group\":";
  append_json_string(out, group_name(sample.group));
  out += ",\"quality\":";
  append_json_string(out, logger::to_string(sample.quality));
  if (historical) out += ",\"historical\":true";
  out += ",\"values\":{";
  std::string errors;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const logger::TagValue missing{std::nullopt, sample.quality};
    const auto& tv = i < sample.values.size() ? sample.values[i] : missing;
    if (i) out += ',';
    append_json_string(out, tags[i].name);
    out += ':';
    if (tv.value) {
      append_value(out, *tv.value);
    } else {
      out += "null";
      if (!errors.empty()) errors += ',';
      append_json_string(errors, tags[i].name);
      errors += ':';
      // A value missing with quality ok (should not happen) counts as a communication error.
      append_json_string(
          errors, logger::to_string(tv.quality == logger::Quality::ok ? logger::Quality::comm_error
                                                                      : tv.quality));
    }
  }
  out += "},\"errors\":{";
  out += errors;
  out += "}}";
  return out;
}

}  // namespace sinks::mqtt
