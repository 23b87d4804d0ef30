// Value codecs for every S7 data type (big-endian, fact sheet 7.1) plus user text parse/format.
#include "s7/value.hpp"
#include "big_endian.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>

namespace s7 {
namespace {

namespace chr = std::chrono;

// ---------------------------------------------------------------------------------------------
// Small text helpers

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Removes the first matching prefix (case-insensitive) such as "T#" or "DATE#".
void strip_prefix(std::string_view& s, std::initializer_list<std::string_view> prefixes) {
  for (auto p : prefixes) {
    if (s.size() >= p.size() && iequals(s.substr(0, p.size()), p)) {
      s.remove_prefix(p.size());
      return;
    }
  }
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Type name as the user wrote it in the address: INT, STRING[20].
std::string label(DataType t, std::uint16_t string_length) {
  std::string s(to_string(t));
  if (t == DataType::String || t == DataType::WString) {
    s += '[';
    s += std::to_string(string_length);
    s += ']';
  }
  return s;
}

Error syntax_error(const std::string& type, std::string_view text, std::string_view expected) {
  std::string m = "'";
  m += text;
  m += "' is not a valid ";
  m += type;
  m += ": expected ";
  m += expected;
  return Error(Errc::value_syntax, std::move(m));
}

Error range_error(const std::string& type, std::string_view text, std::string_view range) {
  std::string m = "'";
  m += text;
  m += "' is out of range for ";
  m += type;
  m += " (";
  m += range;
  m += ')';
  return Error(Errc::value_out_of_range, std::move(m));
}

// ---------------------------------------------------------------------------------------------
// Big-endian access (fact sheet 0: all multi-byte fields are big-endian)

using detail::load_be;
using detail::store_be;

// ---------------------------------------------------------------------------------------------
// Character sets: CHAR/STRING are Latin-1, WCHAR/WSTRING UTF-16BE; values are UTF-8 strings.

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Strict UTF-8 decoding (no overlongs, no surrogates, max U+10FFFF).
std::optional<std::u32string> utf8_decode(std::string_view s) {
  std::u32string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
      len = 1;
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1Fu;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0Fu;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07u;
    } else {
      return std::nullopt;
    }
    if (i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out += cp;
    i += len;
  }
  return out;
}

std::string latin1_to_utf8(const std::uint8_t* p, std::size_t n) {
  std::string out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) append_utf8(out, p[i]);
  return out;
}

// UTF-16BE code units to UTF-8; unpaired surrogates become U+FFFD.
std::string utf16_to_utf8(const std::uint8_t* p, std::size_t units) {
  std::string out;
  for (std::size_t i = 0; i < units; ++i) {
    const auto u = static_cast<char32_t>(load_be(p + 2 * i, 2));
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
      const auto lo = static_cast<char32_t>(load_be(p + 2 * (i + 1), 2));
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        ++i;
        continue;
      }
    }
    append_utf8(out, (u >= 0xD800 && u <= 0xDFFF) ? char32_t{0xFFFD} : u);
  }
  return out;
}

Result<std::string> to_latin1(const std::string& type, const std::string& text) {
  auto cps = utf8_decode(text);
  if (!cps) return syntax_error(type, text, "valid UTF-8 text");
  std::string out;
  for (char32_t cp : *cps) {
    if (cp > 0xFF) return range_error(type, text, "Latin-1 characters only");
    out += static_cast<char>(static_cast<unsigned char>(cp));
  }
  return out;
}

Result<std::u16string> to_utf16(const std::string& type, const std::string& text) {
  auto cps = utf8_decode(text);
  if (!cps) return syntax_error(type, text, "valid UTF-8 text");
  std::u16string out;
  for (char32_t cp : *cps) {
    if (cp >= 0x10000) {
      out += static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10));
      out += static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

// "text", 'text' (with \" \' \\ escapes) or bare text.
std::string unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    std::string out;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[i] == '\\' && i + 2 < s.size()) ++i;
      out += s[i];
    }
    return out;
  }
  return std::string(s);
}

// ---------------------------------------------------------------------------------------------
// BCD (DATE_AND_TIME fields, S5TIME and counter digits)

std::optional<unsigned> from_bcd(unsigned byte) {
  const unsigned hi = (byte >> 4) & 0xF, lo = byte & 0xF;
  if (hi > 9 || lo > 9) return std::nullopt;
  return hi * 10 + lo;
}

std::uint8_t to_bcd(unsigned v) {
  return static_cast<std::uint8_t>(((v / 10) << 4) | (v % 10));
}

// Three BCD digits in bits 11..0.
std::optional<unsigned> from_bcd3(unsigned w) {
  const unsigned d2 = (w >> 8) & 0xF, d1 = (w >> 4) & 0xF, d0 = w & 0xF;
  if (d2 > 9 || d1 > 9 || d0 > 9) return std::nullopt;
  return d2 * 100 + d1 * 10 + d0;
}

unsigned to_bcd3(unsigned v) {
  return ((v / 100) << 8) | (((v / 10) % 10) << 4) | (v % 10);
}

// ---------------------------------------------------------------------------------------------
// Numbers from text

struct Integer {
  bool negative = false;
  std::uint64_t magnitude = 0;
};

// 123, -5, +7, 0x1F, 16#1F, 0b101, 2#101; '_' between digits is ignored. nullopt = syntax error;
// overflow of 64 bits is reported as magnitude UINT64_MAX with `overflow` set.
std::optional<Integer> parse_integer(std::string_view s, bool& overflow) {
  overflow = false;
  Integer r;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    r.negative = s.front() == '-';
    s.remove_prefix(1);
  }
  unsigned base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
    base = 2;
    s.remove_prefix(2);
  } else if (s.size() > 3 && s.substr(0, 3) == "16#") {
    base = 16;
    s.remove_prefix(3);
  } else if (s.size() > 2 && s.substr(0, 2) == "2#") {
    base = 2;
    s.remove_prefix(2);
  }
  if (s.empty() || s.front() == '_' || s.back() == '_') return std::nullopt;
  for (char c : s) {
    if (c == '_') continue;
    unsigned d = 0;
    if (is_digit(c))
      d = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = static_cast<unsigned>(c - 'A' + 10);
    else
      return std::nullopt;
    if (d >= base) return std::nullopt;
    if (r.magnitude > (std::numeric_limits<std::uint64_t>::max() - d) / base) overflow = true;
    r.magnitude = overflow ? std::numeric_limits<std::uint64_t>::max() : r.magnitude * base + d;
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Durations: T#1d2h3m4s5ms, LT#1s500us, S5T#2s, with optional fractions (1.5s); in ns.

std::optional<std::int64_t> parse_duration_ns(std::string_view s, bool& overflow) {
  overflow = false;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  std::int64_t total = 0;
  while (!s.empty()) {
    std::size_t i = 0;
    std::int64_t whole = 0;
    while (i < s.size() && is_digit(s[i])) {
      if (__builtin_mul_overflow(whole, 10, &whole) ||
          __builtin_add_overflow(whole, s[i] - '0', &whole))
        overflow = true;
      ++i;
    }
    if (i == 0) return std::nullopt;
    std::string_view frac;
    if (i < s.size() && s[i] == '.') {
      const std::size_t f = ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
      frac = s.substr(f, i - f);
      if (frac.empty()) return std::nullopt;
    }
    const std::size_t u = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    const std::string_view unit = s.substr(u, i - u);
    std::int64_t scale = 0;
    if (iequals(unit, "d"))
      scale = 86'400'000'000'000;
    else if (iequals(unit, "h"))
      scale = 3'600'000'000'000;
    else if (iequals(unit, "m"))
      scale = 60'000'000'000;
    else if (iequals(unit, "s"))
      scale = 1'000'000'000;
    else if (iequals(unit, "ms"))
      scale = 1'000'000;
    else if (iequals(unit, "us"))
      scale = 1'000;
    else if (iequals(unit, "ns"))
      scale = 1;
    else
      return std::nullopt;
    std::int64_t part = 0;
    if (__builtin_mul_overflow(whole, scale, &part)) overflow = true;
    std::int64_t step = scale;
    for (char c : frac) {
      if (step % 10 != 0) {
        if (c != '0') return std::nullopt;  // finer than 1 ns
        continue;
      }
      step /= 10;
      part += (c - '0') * step;
    }
    if (__builtin_add_overflow(total, part, &total)) overflow = true;
    s.remove_prefix(i);
    if (!s.empty() && s.front() == '_') s.remove_prefix(1);
  }
  if (overflow) return std::nullopt;
  return negative ? -total : total;
}

// ---------------------------------------------------------------------------------------------
// Calendar text: 2026-11-24, 10:15:03.250, 2026-11-24T10:15:03.250 (also ' ' or '-' between)

struct DateTime {
  int year = 0;
  unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
  std::uint32_t nanos = 0;
};

bool read_uint(std::string_view& s, std::size_t min_digits, std::size_t max_digits, unsigned& v) {
  std::size_t n = 0;
  v = 0;
  while (n < s.size() && n < max_digits && is_digit(s[n])) {
    v = v * 10 + static_cast<unsigned>(s[n] - '0');
    ++n;
  }
  if (n < min_digits || (n < s.size() && is_digit(s[n]))) return false;
  s.remove_prefix(n);
  return true;
}

bool read_char(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

bool parse_date_part(std::string_view& s, DateTime& dt) {
  unsigned y = 0;
  if (!read_uint(s, 4, 4, y) || !read_char(s, '-') || !read_uint(s, 1, 2, dt.month) ||
      !read_char(s, '-') || !read_uint(s, 1, 2, dt.day))
    return false;
  dt.year = static_cast<int>(y);
  return chr::year_month_day(chr::year(dt.year), chr::month(dt.month), chr::day(dt.day)).ok();
}

// HH:MM[:SS[.fraction]] with at most `max_frac` fraction digits.
bool parse_time_part(std::string_view& s, DateTime& dt, std::size_t max_frac) {
  if (!read_uint(s, 1, 2, dt.hour) || !read_char(s, ':') || !read_uint(s, 2, 2, dt.minute))
    return false;
  if (read_char(s, ':')) {
    if (!read_uint(s, 2, 2, dt.second)) return false;
    if (read_char(s, '.')) {
      std::size_t n = 0;
      std::uint32_t scale = 100'000'000;
      while (n < s.size() && is_digit(s[n])) {
        if (n >= max_frac) return false;
        dt.nanos += static_cast<std::uint32_t>(s[n] - '0') * scale;
        scale /= 10;
        ++n;
      }
      if (n == 0) return false;
      s.remove_prefix(n);
    }
  }
  return dt.hour < 24 && dt.minute < 60 && dt.second < 60;
}

bool parse_date_time(std::string_view s, DateTime& dt, std::size_t max_frac) {
  if (!parse_date_part(s, dt)) return false;
  if (s.empty()) return true;  // midnight
  if (s.front() != 'T' && s.front() != 't' && s.front() != ' ' && s.front() != '-') return false;
  s.remove_prefix(1);
  return parse_time_part(s, dt, max_frac) && s.empty();
}

const chr::sys_days kEpoch1990 = chr::sys_days(chr::year(1990) / 1 / 1);
const chr::sys_days kEpoch1970 = chr::sys_days(chr::year(1970) / 1 / 1);
constexpr std::uint64_t kNsPerSecond = 1'000'000'000;
constexpr std::uint64_t kNsPerDay = 86'400 * kNsPerSecond;
// LDT holds a signed 64-bit count of ns since 1970: it ends at 2262-04-11T23:47:16.854775807.
constexpr std::uint64_t kLdtMaxNs = 0x7FFFFFFFFFFFFFFF;

chr::year_month_day ymd_of(const DateTime& dt) {
  return chr::year_month_day(chr::year(dt.year), chr::month(dt.month), chr::day(dt.day));
}

// Weekday 1 = Sunday ... 7 = Saturday (fact sheet 7.1, DT and DTL).
unsigned weekday_of(const DateTime& dt) {
  return chr::weekday(chr::sys_days(ymd_of(dt))).c_encoding() + 1;
}

std::string format_date(int y, unsigned m, unsigned d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

std::string format_time(unsigned h, unsigned mi, unsigned s, std::uint32_t frac, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02u:%02u:%02u.%0*u", h, mi, s, digits,
                static_cast<unsigned>(frac));
  return buf;
}

// Nanoseconds since midnight of a time of day.
std::uint64_t ns_of_day(const DateTime& dt) {
  return ((dt.hour * 60ull + dt.minute) * 60ull + dt.second) * kNsPerSecond + dt.nanos;
}

std::string format_ns_of_day(std::uint64_t ns) {
  const auto s = ns / kNsPerSecond;
  return format_time(static_cast<unsigned>(s / 3600), static_cast<unsigned>(s / 60 % 60),
                     static_cast<unsigned>(s % 60), static_cast<std::uint32_t>(ns % kNsPerSecond),
                     9);
}

// LDT: ns since 1970-01-01 (dates from 1970 on; nullopt past what 64 bits hold).
std::optional<std::uint64_t> ldt_ns(const DateTime& dt) {
  const auto days = (chr::sys_days(ymd_of(dt)) - kEpoch1970).count();
  if (days < 0 || static_cast<std::uint64_t>(days) > kLdtMaxNs / kNsPerDay) return std::nullopt;
  const std::uint64_t ns = static_cast<std::uint64_t>(days) * kNsPerDay + ns_of_day(dt);
  if (ns > kLdtMaxNs) return std::nullopt;  // no wrap: days * kNsPerDay + one day < 2^64
  return ns;
}

std::string format_ldt(std::uint64_t ns) {
  const chr::year_month_day ymd(kEpoch1970 + chr::days(static_cast<std::int64_t>(ns / kNsPerDay)));
  return format_date(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day())) +
         "T" + format_ns_of_day(ns % kNsPerDay);
}

// ---------------------------------------------------------------------------------------------
// Per-type properties

bool is_unsigned_int(DataType t) {
  switch (t) {
    case DataType::Byte:
    case DataType::Word:
    case DataType::DWord:
    case DataType::LWord:
    case DataType::USInt:
    case DataType::UInt:
    case DataType::UDInt:
    case DataType::ULInt:
      return true;
    default:
      return false;
  }
}

bool is_signed_int(DataType t) {
  return t == DataType::SInt || t == DataType::Int || t == DataType::DInt || t == DataType::LInt;
}

bool is_text(DataType t) {
  return t == DataType::Char || t == DataType::WChar || t == DataType::String ||
         t == DataType::WString;
}

bool is_calendar(DataType t) {
  return t == DataType::Date || t == DataType::TimeOfDay || t == DataType::DateAndTime ||
         t == DataType::Dtl || t == DataType::LTimeOfDay || t == DataType::LDateAndTime;
}

constexpr std::int64_t kS5TimeMaxMs = 999 * 10'000;  // 999 x 10 s base
constexpr std::uint32_t kMsPerDay = 86'400'000;

// Integer range of a numeric type (counter: 0..999; TIME: int32 ms; S5TIME: 0..9990000 ms).
struct Range {
  bool is_signed;
  std::int64_t min;
  std::uint64_t max;
};

Range int_range(DataType t) {
  const std::size_t size = element_size(t);
  switch (t) {
    case DataType::Counter:
      return {false, 0, 999};
    case DataType::S5Time:
    case DataType::Timer:
      return {false, 0, kS5TimeMaxMs};
    case DataType::Time:
      return {true, std::numeric_limits<std::int32_t>::min(), 0x7FFFFFFF};
    case DataType::LTime:
      return {true, std::numeric_limits<std::int64_t>::min(), 0x7FFFFFFFFFFFFFFF};
    default:
      break;
  }
  if (is_signed_int(t)) {
    const unsigned bits = static_cast<unsigned>(size * 8);
    const std::uint64_t max = (std::uint64_t{1} << (bits - 1)) - 1;
    return {true, -static_cast<std::int64_t>(max) - 1, max};
  }
  const unsigned bits = static_cast<unsigned>(size * 8);
  return {false, 0, bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1};
}

std::string range_text(const Range& r) {
  return std::to_string(r.min) + ".." + std::to_string(r.max);
}

// Checks an integer against the type's range and makes the scalar (int64 for signed kinds).
Result<Scalar> make_int(DataType t, const std::string& type, std::string_view text,
                        const Integer& v, bool overflow) {
  const Range r = int_range(t);
  std::string unit;
  if (t == DataType::Time || t == DataType::S5Time || t == DataType::Timer) unit = " ms";
  if (t == DataType::LTime) unit = " ns";
  if (overflow) return range_error(type, text, range_text(r) + unit);
  if (r.is_signed) {
    const std::uint64_t limit = v.negative ? static_cast<std::uint64_t>(-(r.min + 1)) + 1 : r.max;
    if (v.magnitude > limit) return range_error(type, text, range_text(r) + unit);
    const auto value = static_cast<std::int64_t>(v.negative ? (~v.magnitude + 1) : v.magnitude);
    return Scalar{value};
  }
  if ((v.negative && v.magnitude != 0) || v.magnitude > r.max)
    return range_error(type, text, range_text(r) + unit);
  if (t == DataType::S5Time || t == DataType::Timer)
    return Scalar{static_cast<std::int64_t>(v.magnitude)};
  return Scalar{v.magnitude};
}

// ---------------------------------------------------------------------------------------------
// Text -> scalar for one element

Result<Scalar> parse_scalar(DataType t, std::uint16_t slen, std::string_view raw) {
  const std::string type = label(t, slen);
  std::string_view s = trim(raw);
  switch (t) {
    case DataType::Bool:
      if (iequals(s, "true") || s == "1") return Scalar{true};
      if (iequals(s, "false") || s == "0") return Scalar{false};
      return syntax_error(type, s, "true, false, 1 or 0");
    case DataType::Real:
    case DataType::LReal: {
      std::string_view n = s;
      if (!n.empty() && n.front() == '+') n.remove_prefix(1);
      const char* end = n.data() + n.size();
      if (t == DataType::Real) {
        float f = 0;
        auto [p, ec] = std::from_chars(n.data(), end, f);
        if (ec == std::errc::result_out_of_range)
          return range_error(type, s, "about -3.4e38..3.4e38, smallest 1.2e-38");
        if (ec != std::errc() || p != end || n.empty())
          return syntax_error(type, s, "a number such as 1.5, -2 or 1e-3");
        return Scalar{f};
      }
      double d = 0;
      auto [p, ec] = std::from_chars(n.data(), end, d);
      if (ec == std::errc::result_out_of_range)
        return range_error(type, s, "about -1.8e308..1.8e308, smallest 2.2e-308");
      if (ec != std::errc() || p != end || n.empty())
        return syntax_error(type, s, "a number such as 1.5, -2 or 1e-3");
      return Scalar{d};
    }
    case DataType::Char:
    case DataType::WChar:
    case DataType::String:
    case DataType::WString: {
      std::string text = unquote(s);
      if (t == DataType::Char || t == DataType::String) {
        auto l1 = to_latin1(type, text);
        if (!l1) return l1.error();
        if (t == DataType::Char && l1->size() > 1) return range_error(type, s, "one character");
        if (t == DataType::String && l1->size() > slen)
          return range_error(type, s, "at most " + std::to_string(slen) + " characters");
      } else {
        auto u16 = to_utf16(type, text);
        if (!u16) return u16.error();
        if (t == DataType::WChar && (u16->size() > 1))
          return range_error(type, s, "one character of the Basic Multilingual Plane");
        if (t == DataType::WString && u16->size() > slen)
          return range_error(type, s, "at most " + std::to_string(slen) + " UTF-16 units");
      }
      return Scalar{std::move(text)};
    }
    case DataType::Time:
    case DataType::LTime:
    case DataType::S5Time:
    case DataType::Timer: {
      const bool ns_unit = t == DataType::LTime;
      bool overflow = false;
      // A plain integer is milliseconds (nanoseconds for LTIME).
      if (auto v = parse_integer(s, overflow)) return make_int(t, type, s, *v, overflow);
      std::string_view body = s;
      strip_prefix(body, {"TIME#", "LTIME#", "S5TIME#", "LT#", "S5T#", "T#"});
      auto ns = parse_duration_ns(body, overflow);
      const Range r = int_range(t);
      const std::string unit = ns_unit ? " ns" : " ms";
      if (overflow) return range_error(type, s, range_text(r) + unit);
      if (!ns)
        return syntax_error(
            type, s,
            "a duration such as T#1s500ms, T#2m or plain " + std::string(ns_unit ? "ns" : "ms"));
      if (!ns_unit && *ns % 1'000'000 != 0)
        return range_error(type, s, "whole milliseconds; " + type + " has 1 ms resolution");
      const std::int64_t v = ns_unit ? *ns : *ns / 1'000'000;
      Integer i{v < 0, v < 0 ? ~static_cast<std::uint64_t>(v) + 1 : static_cast<std::uint64_t>(v)};
      return make_int(t, type, s, i, false);
    }
    case DataType::Date: {
      std::string_view body = s;
      strip_prefix(body, {"DATE#", "D#"});
      DateTime dt;
      if (!parse_date_part(body, dt) || !body.empty())
        return syntax_error(type, s, "a date such as 2026-11-24");
      const auto days = (chr::sys_days(ymd_of(dt)) - kEpoch1990).count();
      if (days < 0 || days > 65535) return range_error(type, s, "1990-01-01..2169-06-06");
      return Scalar{format_date(dt.year, dt.month, dt.day)};
    }
    case DataType::TimeOfDay: {
      std::string_view body = s;
      strip_prefix(body, {"TIME_OF_DAY#", "TOD#"});
      DateTime dt;
      if (!parse_time_part(body, dt, 3) || !body.empty())
        return syntax_error(type, s, "a time of day such as 10:15:03.250 (00:00..23:59:59.999)");
      return Scalar{format_time(dt.hour, dt.minute, dt.second, dt.nanos / 1'000'000, 3)};
    }
    case DataType::LTimeOfDay: {
      std::string_view body = s;
      strip_prefix(body, {"LTIME_OF_DAY#", "LTOD#"});
      DateTime dt;
      if (!parse_time_part(body, dt, 9) || !body.empty())
        return syntax_error(type, s,
                            "a time of day such as 10:15:03.123456789 (00:00..23:59:59.999999999)");
      return Scalar{format_ns_of_day(ns_of_day(dt))};
    }
    case DataType::LDateAndTime: {
      std::string_view body = s;
      strip_prefix(body, {"LDATE_AND_TIME#", "LDT#"});
      DateTime dt;
      if (!parse_date_time(body, dt, 9))
        return syntax_error(type, s, "a date and time such as 2026-11-24T10:15:03.123456789");
      auto ns = ldt_ns(dt);
      if (!ns) return range_error(type, s, "1970-01-01T00:00:00..2262-04-11T23:47:16.854775807");
      return Scalar{format_ldt(*ns)};
    }
    case DataType::DateAndTime:
    case DataType::Dtl: {
      const bool dtl = t == DataType::Dtl;
      std::string_view body = s;
      if (dtl)
        strip_prefix(body, {"DTL#"});
      else
        strip_prefix(body, {"DATE_AND_TIME#", "DT#"});
      DateTime dt;
      if (!parse_date_time(body, dt, dtl ? 9 : 3))
        return syntax_error(type, s,
                            dtl ? "a date and time such as 2026-11-24T10:15:03.123456789"
                                : "a date and time such as 2026-11-24T10:15:03.250");
      if (dtl ? (dt.year < 1970 || dt.year > 2262) : (dt.year < 1990 || dt.year > 2089))
        return range_error(type, s, dtl ? "years 1970..2262" : "years 1990..2089");
      std::string out = format_date(dt.year, dt.month, dt.day) + "T" +
                        format_time(dt.hour, dt.minute, dt.second,
                                    dtl ? dt.nanos : dt.nanos / 1'000'000, dtl ? 9 : 3);
      return Scalar{std::move(out)};
    }
    default:
      break;
  }
  // Integer kinds: BYTE..ULINT, COUNTER.
  bool overflow = false;
  auto v = parse_integer(s, overflow);
  if (!v) return syntax_error(type, s, "an integer such as 123, -5 or 0x1F");
  return make_int(t, type, s, *v, overflow);
}

// ---------------------------------------------------------------------------------------------
// Scalar -> bytes for one element

std::optional<Integer> integer_of(const Scalar& v) {
  if (auto* b = std::get_if<bool>(&v)) return Integer{false, *b ? 1u : 0u};
  if (auto* i = std::get_if<std::int64_t>(&v))
    return Integer{*i < 0,
                   *i < 0 ? ~static_cast<std::uint64_t>(*i) + 1 : static_cast<std::uint64_t>(*i)};
  if (auto* u = std::get_if<std::uint64_t>(&v)) return Integer{false, *u};
  double d = 0;
  if (auto* f = std::get_if<float>(&v))
    d = *f;
  else if (auto* dd = std::get_if<double>(&v))
    d = *dd;
  else
    return std::nullopt;
  if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) >= 18446744073709551616.0)
    return std::nullopt;
  return Integer{d < 0, static_cast<std::uint64_t>(std::fabs(d))};
}

Error mismatch(const std::string& type, const Scalar& v) {
  return Error(Errc::type_mismatch, "value " + format_scalar(v) + " does not fit " + type);
}

Result<void> encode_element(DataType t, std::uint16_t slen, const Scalar& v, std::uint8_t* out) {
  const std::string type = label(t, slen);
  const std::size_t size = element_size(t, slen);
  const auto* str = std::get_if<std::string>(&v);
  if (str && !is_text(t) && !is_calendar(t)) {
    // Text for a numeric type: parse it as the user would have typed it.
    auto parsed = parse_scalar(t, slen, *str);
    if (!parsed) return parsed.error();
    return encode_element(t, slen, *parsed, out);
  }
  switch (t) {
    case DataType::Real:
    case DataType::LReal: {
      double d = 0;
      if (auto* f = std::get_if<float>(&v))
        d = *f;
      else if (auto* dd = std::get_if<double>(&v))
        d = *dd;
      else if (auto* i = std::get_if<std::int64_t>(&v))
        d = static_cast<double>(*i);
      else if (auto* u = std::get_if<std::uint64_t>(&v))
        d = static_cast<double>(*u);
      else
        return mismatch(type, v);
      if (t == DataType::LReal) {
        store_be(out, 8, std::bit_cast<std::uint64_t>(d));  // IEEE 754 binary64
        return {};
      }
      if (std::isfinite(d) && std::fabs(d) > std::numeric_limits<float>::max())
        return range_error(type, format_scalar(v), "about -3.4e38..3.4e38");
      const float f = std::holds_alternative<float>(v) ? std::get<float>(v) : static_cast<float>(d);
      store_be(out, 4, std::bit_cast<std::uint32_t>(f));  // IEEE 754 binary32
      return {};
    }
    case DataType::Char:
    case DataType::String: {
      if (!str) return mismatch(type, v);
      auto l1 = to_latin1(type, *str);
      if (!l1) return l1.error();
      if (t == DataType::Char) {
        if (l1->size() > 1) return range_error(type, *str, "one character");
        out[0] = l1->empty() ? 0 : static_cast<std::uint8_t>((*l1)[0]);
        return {};
      }
      if (l1->size() > slen)
        return range_error(type, *str, "at most " + std::to_string(slen) + " characters");
      // STRING[n]: byte 0 max length n, byte 1 current length, then n bytes (rest zero).
      std::memset(out, 0, size);
      out[0] = static_cast<std::uint8_t>(slen);
      out[1] = static_cast<std::uint8_t>(l1->size());
      std::memcpy(out + 2, l1->data(), l1->size());
      return {};
    }
    case DataType::WChar:
    case DataType::WString: {
      if (!str) return mismatch(type, v);
      auto u16 = to_utf16(type, *str);
      if (!u16) return u16.error();
      if (t == DataType::WChar) {
        if (u16->size() > 1) return range_error(type, *str, "one character of the BMP");
        store_be(out, 2, u16->empty() ? 0 : (*u16)[0]);
        return {};
      }
      if (u16->size() > slen)
        return range_error(type, *str, "at most " + std::to_string(slen) + " UTF-16 units");
      // WSTRING[n]: uint16 max length, uint16 current length, then n UTF-16BE units.
      std::memset(out, 0, size);
      store_be(out, 2, slen);
      store_be(out + 2, 2, u16->size());
      for (std::size_t i = 0; i < u16->size(); ++i) store_be(out + 4 + 2 * i, 2, (*u16)[i]);
      return {};
    }
    case DataType::Date:
    case DataType::TimeOfDay:
    case DataType::DateAndTime:
    case DataType::Dtl:
    case DataType::LTimeOfDay:
    case DataType::LDateAndTime: {
      if (!str) return mismatch(type, v);
      auto canon = parse_scalar(t, slen, *str);
      if (!canon) return canon.error();
      const std::string& c = std::get<std::string>(*canon);
      DateTime dt;
      std::string_view body = c;
      if (t == DataType::LTimeOfDay) {
        parse_time_part(body, dt, 9);
        store_be(out, 8, ns_of_day(dt));  // LTOD: uint64 ns since midnight
        return {};
      }
      if (t == DataType::LDateAndTime) {
        parse_date_time(body, dt, 9);
        store_be(out, 8, ldt_ns(dt).value_or(0));  // LDT: ns since 1970 (checked by parse)
        return {};
      }
      if (t == DataType::Date) {
        parse_date_part(body, dt);
        // DATE: uint16 days since 1990-01-01.
        store_be(out, 2,
                 static_cast<std::uint64_t>((chr::sys_days(ymd_of(dt)) - kEpoch1990).count()));
        return {};
      }
      if (t == DataType::TimeOfDay) {
        parse_time_part(body, dt, 3);
        // TIME_OF_DAY: uint32 ms since midnight.
        store_be(out, 4,
                 ((dt.hour * 60u + dt.minute) * 60u + dt.second) * 1000u + dt.nanos / 1'000'000);
        return {};
      }
      parse_date_time(body, dt, 9);
      if (t == DataType::DateAndTime) {
        // DT: BCD year (90..99 = 1990s, 00..89 = 2000s), month, day, hour, minute, second,
        // then ms as three BCD digits and the weekday (1 = Sunday) in the last nibble.
        const unsigned ms = dt.nanos / 1'000'000;
        out[0] = to_bcd(static_cast<unsigned>(dt.year % 100));
        out[1] = to_bcd(dt.month);
        out[2] = to_bcd(dt.day);
        out[3] = to_bcd(dt.hour);
        out[4] = to_bcd(dt.minute);
        out[5] = to_bcd(dt.second);
        out[6] = to_bcd(ms / 10);
        out[7] = static_cast<std::uint8_t>(((ms % 10) << 4) | weekday_of(dt));
        return {};
      }
      // DTL: uint16 year, month, day, weekday (1 = Sunday), hour, minute, second, uint32 ns.
      store_be(out, 2, static_cast<std::uint64_t>(dt.year));
      out[2] = static_cast<std::uint8_t>(dt.month);
      out[3] = static_cast<std::uint8_t>(dt.day);
      out[4] = static_cast<std::uint8_t>(weekday_of(dt));
      out[5] = static_cast<std::uint8_t>(dt.hour);
      out[6] = static_cast<std::uint8_t>(dt.minute);
      out[7] = static_cast<std::uint8_t>(dt.second);
      store_be(out + 8, 4, dt.nanos);
      return {};
    }
    default:
      break;
  }
  // Integer kinds, TIME/LTIME/S5TIME/TIMER and COUNTER.
  auto i = integer_of(v);
  if (!i) return mismatch(type, v);
  auto checked = make_int(t, type, format_scalar(v), *i, false);
  if (!checked) return checked.error();
  if (t == DataType::S5Time || t == DataType::Timer) {
    // S5TIME: bits 13-12 time base (10 ms, 100 ms, 1 s, 10 s), bits 11-0 three BCD digits.
    // The finest base that holds the value is used; finer parts are truncated.
    static constexpr std::uint64_t kBase[] = {10, 100, 1000, 10000};
    const std::uint64_t ms = i->magnitude;
    unsigned base = 0;
    while (ms / kBase[base] > 999) ++base;
    const auto digits = static_cast<unsigned>(ms / kBase[base]);
    store_be(out, 2, (base << 12) | to_bcd3(digits));
    return {};
  }
  if (t == DataType::Counter) {
    store_be(out, 2, to_bcd3(static_cast<unsigned>(i->magnitude)));  // 3-digit BCD
    return {};
  }
  // Two's complement for signed kinds: the low `size` bytes of the 64-bit pattern.
  const std::uint64_t bits = i->negative ? ~i->magnitude + 1 : i->magnitude;
  store_be(out, size, bits);
  return {};
}

// ---------------------------------------------------------------------------------------------
// Bytes -> scalar for one element; `avail` bytes may be fewer than the size only for strings.

Result<Scalar> decode_element(DataType t, std::uint16_t slen, const std::uint8_t* p,
                              std::size_t avail) {
  const std::string type = label(t, slen);
  const std::size_t size = element_size(t, slen);
  auto bad = [&](std::string_view why) {
    std::string m = type + ": cannot decode ";
    for (std::size_t i = 0; i < std::min(size, avail); ++i) {
      char h[4];
      std::snprintf(h, sizeof h, "%02X", p[i]);
      if (i) m += ' ';
      m += h;
    }
    m += ": ";
    m += why;
    return Error(Errc::value_out_of_range, std::move(m));
  };
  if (is_unsigned_int(t)) return Scalar{load_be(p, size)};
  if (is_signed_int(t) || t == DataType::Time || t == DataType::LTime) {
    const unsigned shift = static_cast<unsigned>(64 - 8 * size);
    // Sign-extend the big-endian two's complement value.
    return Scalar{static_cast<std::int64_t>(load_be(p, size) << shift) >> shift};
  }
  switch (t) {
    case DataType::Real:
      return Scalar{std::bit_cast<float>(static_cast<std::uint32_t>(load_be(p, 4)))};
    case DataType::LReal:
      return Scalar{std::bit_cast<double>(load_be(p, 8))};
    case DataType::Char:
      return Scalar{p[0] == 0 ? std::string() : latin1_to_utf8(p, 1)};
    case DataType::WChar: {
      if (load_be(p, 2) == 0) return Scalar{std::string()};
      return Scalar{utf16_to_utf8(p, 1)};
    }
    case DataType::String: {
      // Current length (byte 1), clamped to the declared length and to the bytes we have.
      std::size_t len = p[1];
      len = std::min({len, std::size_t{slen}, avail - 2});
      return Scalar{latin1_to_utf8(p + 2, len)};
    }
    case DataType::WString: {
      std::size_t len = load_be(p + 2, 2);
      len = std::min({len, std::size_t{slen}, (avail - 4) / 2});
      return Scalar{utf16_to_utf8(p + 4, len)};
    }
    case DataType::S5Time:
    case DataType::Timer: {
      static constexpr std::int64_t kBase[] = {10, 100, 1000, 10000};
      const auto w = static_cast<unsigned>(load_be(p, 2));
      auto digits = from_bcd3(w);
      if (!digits) return bad("not BCD");
      return Scalar{static_cast<std::int64_t>(*digits) * kBase[(w >> 12) & 3]};
    }
    case DataType::Counter: {
      auto digits = from_bcd3(static_cast<unsigned>(load_be(p, 2)));
      if (!digits) return bad("not BCD");
      return Scalar{std::uint64_t{*digits}};
    }
    case DataType::Date: {
      const chr::year_month_day ymd(kEpoch1990 + chr::days(load_be(p, 2)));
      return Scalar{format_date(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                                static_cast<unsigned>(ymd.day()))};
    }
    case DataType::TimeOfDay: {
      const auto ms = static_cast<std::uint32_t>(load_be(p, 4));
      if (ms >= kMsPerDay) return bad("more than 24 hours");
      return Scalar{format_time(ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60, ms % 1000, 3)};
    }
    case DataType::DateAndTime: {
      std::array<unsigned, 7> f{};
      for (std::size_t i = 0; i < 7; ++i) {
        auto d = from_bcd(p[i]);
        if (!d) return bad("not BCD");
        f[i] = *d;
      }
      const unsigned ms_units = p[7] >> 4;
      if (ms_units > 9) return bad("not BCD");
      const int year = static_cast<int>(f[0] < 90 ? 2000 + f[0] : 1900 + f[0]);
      return Scalar{format_date(year, f[1], f[2]) + "T" +
                    format_time(f[3], f[4], f[5], f[6] * 10 + ms_units, 3)};
    }
    case DataType::LTimeOfDay: {
      const std::uint64_t ns = load_be(p, 8);
      if (ns >= kNsPerDay) return bad("more than 24 hours");
      return Scalar{format_ns_of_day(ns)};
    }
    case DataType::LDateAndTime: {
      const std::uint64_t ns = load_be(p, 8);
      if (ns > kLdtMaxNs) return bad("negative (before 1970)");
      return Scalar{format_ldt(ns)};
    }
    case DataType::Dtl: {
      const auto ns = static_cast<std::uint32_t>(load_be(p + 8, 4));
      if (ns > 999'999'999) return bad("nanoseconds above 999999999");
      return Scalar{format_date(static_cast<int>(load_be(p, 2)), p[2], p[3]) + "T" +
                    format_time(p[5], p[6], p[7], ns, 9)};
    }
    default:
      break;
  }
  return bad("unsupported type");
}

std::string address_text(const Address& a) {
  return to_string(a);
}

// Splits "[a, "b,c", d]" into trimmed element texts; nullopt on unbalanced quotes/brackets.
std::optional<std::vector<std::string_view>> split_array(std::string_view s) {
  if (s.size() < 2 || s.front() != '[' || s.back() != ']') return std::nullopt;
  s = trim(s.substr(1, s.size() - 2));
  std::vector<std::string_view> out;
  if (s.empty()) return out;
  std::size_t start = 0;
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == '\\' && i + 1 < s.size())
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == ']') {
      return std::nullopt;
    } else if (c == ',') {
      out.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (quote) return std::nullopt;
  out.push_back(trim(s.substr(start)));
  return out;
}

}  // namespace

Result<Value> decode_value(const Address& a, std::span<const std::uint8_t> bytes) {
  const std::size_t need = byte_size(a);
  const std::size_t esize = element_size(a.type, a.string_length);
  const bool text = a.type == DataType::String || a.type == DataType::WString;
  // A single string may arrive short: its header must be there, the characters are clamped.
  const std::size_t min = text && a.count == 1 ? (a.type == DataType::String ? 2 : 4) : need;
  if (bytes.size() < min) {
    return Error(Errc::invalid_argument, address_text(a) + ": needs " + std::to_string(need) +
                                             " bytes to decode, got " +
                                             std::to_string(bytes.size()));
  }
  Value v;
  v.array = a.is_array;
  v.elems.reserve(a.count);
  if (a.type == DataType::Bool) {
    // BOOL: bit b of a byte is (byte >> b) & 1; array elements follow on consecutive bits.
    for (std::uint32_t i = 0; i < a.count; ++i) {
      const std::size_t bit = std::size_t{a.bit} + i;
      v.elems.emplace_back(((bytes[bit / 8] >> (bit % 8)) & 1) != 0);
    }
    return v;
  }
  for (std::uint32_t i = 0; i < a.count; ++i) {
    const std::size_t at = i * esize;
    auto e = decode_element(a.type, a.string_length, bytes.data() + at,
                            std::min(esize, bytes.size() - at));
    if (!e) return Error(e.error().code, address_text(a) + ": " + e.error().message);
    v.elems.push_back(std::move(*e));
  }
  return v;
}

Result<std::vector<std::uint8_t>> encode_value(const Address& a, const Value& v) {
  if (v.elems.size() != a.count) {
    return Error(Errc::type_mismatch, address_text(a) + " needs " + std::to_string(a.count) +
                                          (a.count == 1 ? " value" : " values") + ", got " +
                                          std::to_string(v.elems.size()));
  }
  std::vector<std::uint8_t> out(byte_size(a), 0);
  if (a.type == DataType::Bool) {
    for (std::uint32_t i = 0; i < a.count; ++i) {
      const Scalar& s = v.elems[i];
      bool on = false;
      if (auto* b = std::get_if<bool>(&s)) {
        on = *b;
      } else if (auto* str = std::get_if<std::string>(&s)) {
        auto p = parse_scalar(DataType::Bool, 0, *str);
        if (!p) return Error(p.error().code, address_text(a) + ": " + p.error().message);
        on = std::get<bool>(*p);
      } else {
        auto n = integer_of(s);
        if (!n || n->magnitude > 1 || (n->negative && n->magnitude != 0))
          return Error(Errc::type_mismatch,
                       address_text(a) + ": value " + format_scalar(s) + " does not fit BOOL");
        on = n->magnitude == 1;
      }
      const std::size_t bit = std::size_t{a.bit} + i;
      if (on) out[bit / 8] = static_cast<std::uint8_t>(out[bit / 8] | (1u << (bit % 8)));
    }
    return out;
  }
  const std::size_t esize = element_size(a.type, a.string_length);
  for (std::uint32_t i = 0; i < a.count; ++i) {
    auto r = encode_element(a.type, a.string_length, v.elems[i], out.data() + i * esize);
    if (!r) return Error(r.error().code, address_text(a) + ": " + r.error().message);
  }
  return out;
}

Result<Value> parse_value(const Address& a, std::string_view text) {
  const std::string_view s = trim(text);
  Value v;
  v.array = a.is_array;
  std::vector<std::string_view> parts;
  if ((a.is_array || a.count > 1) && !s.empty() && s.front() == '[') {
    auto split = split_array(s);
    if (!split) {
      return Error(Errc::value_syntax, address_text(a) + ": '" + std::string(s) +
                                           "' is not a valid array: expected [v1, v2, ...]");
    }
    parts = std::move(*split);
  } else if (a.count == 1) {
    parts.push_back(s);
  } else {
    return Error(Errc::value_syntax, address_text(a) + ": expected " + std::to_string(a.count) +
                                         " values as [v1, v2, ...], got '" + std::string(s) + "'");
  }
  if (parts.size() != a.count) {
    return Error(Errc::value_syntax, address_text(a) + ": expected " + std::to_string(a.count) +
                                         " values, got " + std::to_string(parts.size()));
  }
  for (auto p : parts) {
    auto e = parse_scalar(a.type, a.string_length, p);
    if (!e) return Error(e.error().code, address_text(a) + ": " + e.error().message);
    v.elems.push_back(std::move(*e));
  }
  return v;
}

std::string format_scalar(const Scalar& s) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) {
          return x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return x;
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
          // Shortest text that reads back to the same float/double (1.23, not 1.2300000190734863).
          char buf[64];
          auto [p, ec] = std::to_chars(buf, buf + sizeof buf, x);
          return ec == std::errc() ? std::string(buf, p) : std::string("nan");
        } else {
          return std::to_string(x);
        }
      },
      s);
}

std::string format_value(const Value& v) {
  if (!v.array) return v.elems.empty() ? std::string() : format_scalar(v.elems.front());
  std::string out = "[";
  for (std::size_t i = 0; i < v.elems.size(); ++i) {
    if (i) out += ", ";
    std::string e = format_scalar(v.elems[i]);
    // Quote text elements that would not read back as one element.
    if (std::holds_alternative<std::string>(v.elems[i]) &&
        (e.empty() || e.find_first_of(",[]\"'\\") != std::string::npos || trim(e) != e)) {
      std::string q = "\"";
      for (char c : e) {
        if (c == '"' || c == '\\') q += '\\';
        q += c;
      }
      q += '"';
      e = std::move(q);
    }
    out += e;
  }
  out += ']';
  return out;
}

double to_double(const Scalar& s) {
  return std::visit(
      [](const auto& x) -> double {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return std::numeric_limits<double>::quiet_NaN();
        } else if constexpr (std::is_same_v<T, bool>) {
          return x ? 1.0 : 0.0;
        } else {
          return static_cast<double>(x);
        }
      },
      s);
}

}  // namespace s7
