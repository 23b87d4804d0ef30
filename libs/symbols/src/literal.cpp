// STEP 7 / TIA Portal literals: each form is rewritten into the text s7::parse_value reads (a
// plain decimal, HH:MM:SS, YYYY-MM-DDTHH:MM:SS ...), so the ranges and the codecs stay in one
// place; only quoted text with $ escapes is decoded here.
#include "symbols/literal.hpp"
#include "util/text.hpp"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace symbols {
namespace {

using s7::Address;
using s7::DataType;
using s7::Errc;
using s7::Error;
using s7::Result;
using s7::Scalar;
using s7::Value;

// ---------------------------------------------------------------------------------------------
// Text helpers

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

char upper(char c) {
  return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (upper(a[i]) != upper(b[i])) return false;
  return true;
}

// Removes the first of `prefixes` that `s` starts with (case-insensitive); false when none.
bool strip_prefix(std::string_view& s, std::initializer_list<std::string_view> prefixes) {
  for (auto p : prefixes) {
    if (s.size() >= p.size() && iequals(s.substr(0, p.size()), p)) {
      s.remove_prefix(p.size());
      return true;
    }
  }
  return false;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int digit_value(char c) {
  if (is_digit(c)) return c - '0';
  const char u = upper(c);
  if (u >= 'A' && u <= 'F') return u - 'A' + 10;
  return -1;
}

using util::append_utf8;
using util::utf8_sequence;

// ---------------------------------------------------------------------------------------------
// Types

enum class Kind : std::uint8_t { boolean, integer, real, text, duration, date, tod, date_time };

Kind kind_of(DataType t) {
  switch (t) {
    case DataType::Bool:
      return Kind::boolean;
    case DataType::Real:
    case DataType::LReal:
      return Kind::real;
    case DataType::Char:
    case DataType::WChar:
    case DataType::String:
    case DataType::WString:
      return Kind::text;
    case DataType::Time:
    case DataType::LTime:
    case DataType::S5Time:
    case DataType::Timer:
      return Kind::duration;
    case DataType::Date:
      return Kind::date;
    case DataType::TimeOfDay:
    case DataType::LTimeOfDay:
      return Kind::tod;
    case DataType::DateAndTime:
    case DataType::Dtl:
    case DataType::LDateAndTime:
      return Kind::date_time;
    default:
      return Kind::integer;  // BYTE..ULINT, COUNTER
  }
}

bool is_signed(DataType t) {
  return t == DataType::SInt || t == DataType::Int || t == DataType::DInt || t == DataType::LInt;
}

bool is_wide(DataType t) {
  return t == DataType::WChar || t == DataType::WString;
}

// INT, STRING[10], Array[3] of INT.
std::string type_label(const Address& a, bool element) {
  std::string t(s7::to_string(a.type));
  if (a.type == DataType::String || a.type == DataType::WString)
    t += "[" + std::to_string(a.string_length) + "]";
  if (!element && (a.is_array || a.count > 1)) t = "Array[" + std::to_string(a.count) + "] of " + t;
  return t;
}

Address element_of(const Address& a) {
  Address e = a;
  e.count = 1;
  e.is_array = false;
  return e;
}

// The message of an s7 error without the address the s7 library puts in front ("DB1.DBW0: ").
std::string inner_message(const Address& e, const Error& err) {
  std::string m = err.what();
  const std::string prefix = s7::to_string(e) + ": ";
  if (m.compare(0, prefix.size(), prefix) == 0) m.erase(0, prefix.size());
  return m;
}

// A failure found here: "'x' is not a valid INT literal: why".
struct Failure {
  Errc code = Errc::value_syntax;
  std::string why;
};

Failure syntax(std::string why) {
  return {Errc::value_syntax, std::move(why)};
}

Failure range(std::string why) {
  return {Errc::value_out_of_range, std::move(why)};
}

// ---------------------------------------------------------------------------------------------
// Type prefixes: INT#5, DINT#-5, WORD#16#FF, and STEP 7's B#16#.., W#16#.., DW#16#.., LW#16#..,
// L#.. (DINT) and C#.. (counter value). T#, D#, TOD#, DT# ... belong to their own forms.

struct Prefix {
  bool counter = false;  // C#
  bool wide = false;     // WSTRING#, WCHAR#
  bool typed = false;    // any type prefix
};

std::string_view strip_type_prefix(std::string_view s, Prefix& p) {
  static constexpr std::string_view kNames[] = {
      "BOOL",    "BYTE",  "WORD", "DWORD", "LWORD", "SINT",  "USINT", "INT",   "UINT",
      "DINT",    "UDINT", "LINT", "ULINT", "REAL",  "LREAL", "CHAR",  "WCHAR", "STRING",
      "WSTRING", "B",     "W",    "DW",    "LW",    "L",     "C"};
  const std::size_t hash = s.find('#');
  if (hash == std::string_view::npos) return s;
  const std::string_view name = s.substr(0, hash);
  for (auto n : kNames) {
    if (!iequals(name, n)) continue;
    p.typed = true;
    p.counter = n == "C";
    p.wide = n == "WSTRING" || n == "WCHAR";
    return trim(s.substr(hash + 1));
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Integers: [+|-] digits | [+|-] base#digits (base 2, 8, 16), '_' between digits.

struct Integer {
  bool negative = false;
  std::uint64_t magnitude = 0;
  bool based = false;  // written as 2#, 8# or 16#
};

std::optional<Integer> read_integer(std::string_view s, Failure& f) {
  Integer r;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    r.negative = s.front() == '-';
    s.remove_prefix(1);
  }
  unsigned base = 10;
  if (strip_prefix(s, {"16#"})) {
    base = 16;
  } else if (strip_prefix(s, {"8#"})) {
    base = 8;
  } else if (strip_prefix(s, {"2#"})) {
    base = 2;
  } else if (const std::size_t hash = s.find('#'); hash != std::string_view::npos) {
    bool digits = hash > 0;
    for (std::size_t i = 0; i < hash; ++i) digits = digits && is_digit(s[i]);
    f = syntax(digits ? "only the bases 2#, 8# and 16# exist"
                      : "expected an integer such as 5, -5, 16#FF or W#16#00FF");
    return std::nullopt;
  }
  r.based = base != 10;
  if (s.empty() || s.front() == '_' || s.back() == '_') {
    f = syntax(base == 10 ? "expected digits such as 5, -5 or 1_000"
                          : "expected base-" + std::to_string(base) + " digits after the '#'");
    return std::nullopt;
  }
  bool overflow = false;
  for (char c : s) {
    if (c == '_') continue;
    const int d = digit_value(c);
    if (d < 0 || static_cast<unsigned>(d) >= base) {
      f = syntax("'" + std::string(1, c) + "' is not a base-" + std::to_string(base) + " digit");
      return std::nullopt;
    }
    if (r.magnitude > (std::numeric_limits<std::uint64_t>::max() - static_cast<unsigned>(d)) / base)
      overflow = true;
    r.magnitude = r.magnitude * base + static_cast<unsigned>(d);
  }
  if (overflow) {
    f = range("more than 64 bits");
    return std::nullopt;
  }
  return r;
}

std::string decimal_text(const Integer& i) {
  return (i.negative && i.magnitude != 0 ? "-" : "") + std::to_string(i.magnitude);
}

// The decimal text of an integer literal for type t (counter values and byte lists resolved).
std::optional<std::string> integer_text(DataType t, std::string_view s, const Prefix& p,
                                        Failure& f) {
  const std::size_t size = s7::element_size(t);
  if (!s.empty() && s.front() == '(') {
    // B#(1, 2): the bytes of a WORD (2) or DWORD (4), most significant first.
    if (s.back() != ')') {
      f = syntax("expected B#(b1, b2, ...) with a closing parenthesis");
      return std::nullopt;
    }
    std::string_view body = s.substr(1, s.size() - 2);
    std::vector<std::uint64_t> bytes;
    while (true) {
      const std::size_t comma = body.find(',');
      const std::string_view part = trim(body.substr(0, comma));
      auto b = read_integer(part, f);
      if (!b) return std::nullopt;
      if (b->negative || b->magnitude > 255) {
        f = range("each byte of B#(...) is 0..255");
        return std::nullopt;
      }
      bytes.push_back(b->magnitude);
      if (comma == std::string_view::npos) break;
      body.remove_prefix(comma + 1);
    }
    if (bytes.size() != size || size > 8) {
      f = range("B#(...) needs " + std::to_string(size) + " bytes for " +
                std::string(s7::to_string(t)) + ", got " + std::to_string(bytes.size()));
      return std::nullopt;
    }
    std::uint64_t v = 0;
    for (auto b : bytes) v = (v << 8) | b;
    if (is_signed(t) && size < 8 && (v >> (8 * size - 1)) != 0)
      return "-" + std::to_string((std::uint64_t{1} << (8 * size)) - v);
    if (is_signed(t) && size == 8 && (v >> 63) != 0) return "-" + std::to_string(~v + 1);
    return std::to_string(v);
  }
  auto i = read_integer(s, f);
  if (!i) return std::nullopt;
  if (p.counter && t != DataType::Counter) {
    // C#123 for a WORD: the counter's three BCD digits (W#16#0123).
    if (i->negative || i->magnitude > 999 || i->based) {
      f = range("a counter value C#0..C#999");
      return std::nullopt;
    }
    const std::uint64_t d = i->magnitude;
    return std::to_string(((d / 100) << 8) | (((d / 10) % 10) << 4) | (d % 10));
  }
  if (i->based && !i->negative && is_signed(t)) {
    // INT#16#FFFF: the bit pattern of the type's width.
    const unsigned bits = static_cast<unsigned>(8 * size);
    const std::uint64_t max_unsigned =
        bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    const std::uint64_t max_signed = max_unsigned >> 1;
    if (i->magnitude > max_signed && i->magnitude <= max_unsigned) {
      i->negative = true;
      i->magnitude = bits == 64 ? ~i->magnitude + 1 : (max_unsigned - i->magnitude) + 1;
    }
  }
  return decimal_text(*i);
}

// ---------------------------------------------------------------------------------------------
// Times of day and dates with one- or two-digit fields (TOD#1:2:3.4, DT#90-1-1-0:0:0.0).

bool read_field(std::string_view& s, std::size_t min, std::size_t max, unsigned& v) {
  std::size_t n = 0;
  v = 0;
  while (n < s.size() && n < max && is_digit(s[n])) {
    v = v * 10 + static_cast<unsigned>(s[n] - '0');
    ++n;
  }
  if (n < min || (n < s.size() && is_digit(s[n]))) return false;
  s.remove_prefix(n);
  return true;
}

bool read_char(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

std::string two_digits(unsigned v) {
  std::string out = std::to_string(v);
  return out.size() < 2 ? "0" + out : out;
}

// H:M[:S[.fraction]] -> HH:MM:SS[.fraction] (the fraction's digits as written).
std::optional<std::string> time_text(std::string_view& s) {
  unsigned h = 0, m = 0, sec = 0;
  if (!read_field(s, 1, 2, h) || !read_char(s, ':') || !read_field(s, 1, 2, m)) return std::nullopt;
  std::string out = two_digits(h) + ":" + two_digits(m) + ":";
  if (read_char(s, ':')) {
    if (!read_field(s, 1, 2, sec)) return std::nullopt;
    out += two_digits(sec);
    if (read_char(s, '.')) {
      std::size_t n = 0;
      while (n < s.size() && is_digit(s[n])) ++n;
      if (n == 0) return std::nullopt;
      out += "." + std::string(s.substr(0, n));
      s.remove_prefix(n);
    }
  } else {
    out += "00";
  }
  return out;
}

// Y-M-D with a four-digit year (two digits too when `short_year`: 90..99 = 19xx, else 20xx).
std::optional<std::string> date_text(std::string_view& s, bool short_year) {
  std::size_t digits = 0;
  while (digits < s.size() && is_digit(s[digits])) ++digits;
  unsigned y = 0, m = 0, d = 0;
  if (digits == 2 && short_year) {
    if (!read_field(s, 2, 2, y)) return std::nullopt;
    y += y >= 90 ? 1900 : 2000;
  } else if (!read_field(s, 4, 4, y)) {
    return std::nullopt;
  }
  if (!read_char(s, '-') || !read_field(s, 1, 2, m) || !read_char(s, '-') ||
      !read_field(s, 1, 2, d))
    return std::nullopt;
  return std::to_string(y) + "-" + two_digits(m) + "-" + two_digits(d);
}

// ---------------------------------------------------------------------------------------------
// Quoted text: 'abc' / "abc" with $ escapes, into UTF-8. `wide`: $hhhh instead of $hh.

std::optional<std::string> quoted_text(std::string_view s, bool wide, Failure& f) {
  const char quote = s.front();
  if (quote == '"') wide = true;
  std::string out;
  std::size_t i = 1;
  while (true) {
    if (i >= s.size()) {
      f = syntax(std::string("the closing ") + quote + " is missing");
      return std::nullopt;
    }
    const char c = s[i];
    if (c == quote) {
      if (i + 1 != s.size()) {
        f = syntax("text after the closing quote (write a quote inside the text as $" +
                   std::string(1, quote) + ")");
        return std::nullopt;
      }
      return out;
    }
    if (c == '$') {
      if (i + 1 >= s.size()) {
        f = syntax("a $ at the end (write $$ for a dollar sign)");
        return std::nullopt;
      }
      const char e = s[i + 1];
      switch (upper(e)) {
        case '$':
        case '\'':
        case '"':
          out += e;
          i += 2;
          continue;
        case 'L':
          out += '\n';
          i += 2;
          continue;
        case 'N':
          out += "\r\n";
          i += 2;
          continue;
        case 'P':
          out += '\f';
          i += 2;
          continue;
        case 'R':
          out += '\r';
          i += 2;
          continue;
        case 'T':
          out += '\t';
          i += 2;
          continue;
        default:
          break;
      }
      const std::size_t n = wide ? 4 : 2;
      std::uint32_t cp = 0;
      bool ok = i + n < s.size();
      for (std::size_t k = 1; ok && k <= n; ++k) {
        const int d = digit_value(s[i + k]);
        ok = d >= 0;
        cp = cp * 16 + static_cast<std::uint32_t>(d < 0 ? 0 : d);
      }
      if (!ok) {
        f = syntax("'$" + std::string(1, e) +
                   "' is not an escape ($$, $', $L, $N, $P, $R, $T or $" + std::string(n, 'h') +
                   " with hex digits)");
        return std::nullopt;
      }
      append_utf8(out, cp);
      i += 1 + n;
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      // UTF-8 as it is; a lone byte that is not UTF-8 is a Windows-1252/Latin-1 character.
      if (const std::size_t len = utf8_sequence(s, i); len != 0) {
        out.append(s.substr(i, len));
        i += len;
        continue;
      }
      append_utf8(out, static_cast<unsigned char>(c));
      ++i;
      continue;
    }
    out += c;
    ++i;
  }
}

// ---------------------------------------------------------------------------------------------
// One element

// The error for element text `text` of type `type` from a Failure.
Error failure_error(std::string_view text, const std::string& type, const Failure& f) {
  if (f.code == Errc::value_out_of_range)
    return Error(f.code, "'" + std::string(text) + "' is out of range for " + type + ": " + f.why);
  return Error(f.code, "'" + std::string(text) + "' is not a valid " + type + " literal: " + f.why);
}

// parse_value on the rewritten text; its error names the literal as written when they differ.
Result<Scalar> via_parse_value(const Address& e, std::string_view original,
                               const std::string& text) {
  auto v = s7::parse_value(e, text);
  if (!v) {
    std::string m = inner_message(e, v.error());
    if (text != original) m = "'" + std::string(original) + "' (read as '" + text + "'): " + m;
    return Error(v.error().code, std::move(m));
  }
  return std::move(v->elems.front());
}

Result<Scalar> parse_element(const Address& e, std::string_view raw) {
  const std::string type = type_label(e, true);
  const std::string_view original = trim(raw);
  if (original.empty()) return failure_error(original, type, syntax("the value is empty"));
  Prefix prefix;
  std::string_view s = strip_type_prefix(original, prefix);
  Failure f;
  switch (kind_of(e.type)) {
    case Kind::boolean:
    case Kind::duration:
    case Kind::date:
      // TRUE/FALSE/1/0, T#.. TIME#.. LT#.. S5T#.. with '_' between units, D#/DATE# Y-M-D.
      return via_parse_value(e, original, std::string(s));
    case Kind::real: {
      std::string text;
      for (std::size_t i = 0; i < s.size(); ++i) {
        // 1_000.5: underscores between digits only.
        if (s[i] == '_' && i > 0 && i + 1 < s.size() && is_digit(s[i - 1]) && is_digit(s[i + 1]))
          continue;
        text += s[i];
      }
      return via_parse_value(e, original, text);
    }
    case Kind::integer: {
      auto text = integer_text(e.type, s, prefix, f);
      if (!text) return failure_error(original, type, f);
      return via_parse_value(e, original, *text);
    }
    case Kind::tod: {
      strip_prefix(s, {"TIME_OF_DAY#", "TOD#", "LTIME_OF_DAY#", "LTOD#"});
      auto text = time_text(s);
      if (!text || !s.empty())
        return failure_error(original, type,
                             syntax("expected a time of day such as TOD#12:00:00.000"));
      return via_parse_value(e, original, *text);
    }
    case Kind::date_time: {
      strip_prefix(s, {"DATE_AND_TIME#", "DT#", "DTL#", "LDATE_AND_TIME#", "LDT#"});
      const std::string example = e.type == DataType::DateAndTime ? "DT#1990-01-01-00:00:00.000"
                                  : e.type == DataType::Dtl       ? "DTL#1970-01-01-00:00:00"
                                                                  : "LDT#1970-01-01-00:00:00";
      auto date = date_text(s, e.type == DataType::DateAndTime);
      std::string text;
      if (date) {
        text = *date + "T00:00:00";
        if (!s.empty() &&
            (s.front() == '-' || s.front() == 'T' || s.front() == 't' || s.front() == ' ')) {
          s.remove_prefix(1);
          auto time = time_text(s);
          if (time)
            text = *date + "T" + *time;
          else
            date.reset();
        }
      }
      if (!date || !s.empty())
        return failure_error(original, type, syntax("expected a date and time such as " + example));
      return via_parse_value(e, original, text);
    }
    case Kind::text: {
      const bool wide = is_wide(e.type) || prefix.wide;
      std::string text;
      if (!s.empty() && (s.front() == '\'' || s.front() == '"')) {
        auto q = quoted_text(s, wide, f);
        if (!q) return failure_error(original, type, f);
        text = std::move(*q);
      } else if (prefix.typed && (e.type == DataType::Char || e.type == DataType::WChar) &&
                 !s.empty() && is_digit(s.front())) {
        // CHAR#65: the character's code.
        auto code = read_integer(s, f);
        if (!code) return failure_error(original, type, f);
        if (code->magnitude > (e.type == DataType::Char ? 0xFFu : 0xFFFFu))
          return failure_error(
              original, type,
              range(e.type == DataType::Char ? "a code 0..255" : "a code 0..65535"));
        append_utf8(text, static_cast<std::uint32_t>(code->magnitude));
      } else {
        return failure_error(original, type,
                             syntax(e.type == DataType::Char || e.type == DataType::WChar
                                        ? "expected a quoted character such as 'a'"
                                        : "expected a quoted text such as 'abc'"));
      }
      return Scalar{std::move(text)};
    }
  }
  return failure_error(original, type, syntax("unsupported type"));
}

// The value of an element no literal sets (arrays with fewer values than elements).
std::string default_text(DataType t) {
  switch (kind_of(t)) {
    case Kind::boolean:
      return "false";
    case Kind::text:
      return "''";
    case Kind::date:
      return "1990-01-01";
    case Kind::tod:
      return "00:00:00";
    case Kind::date_time:
      return t == DataType::DateAndTime ? "1990-01-01T00:00:00" : "1970-01-01T00:00:00";
    default:
      return "0";
  }
}

// ---------------------------------------------------------------------------------------------
// Array lists: [1, 2, 3], [3(0), 1], 3(0), 1, 2, 3, nested [..] flattened.

class ListReader {
 public:
  ListReader(std::string_view s, std::size_t limit) : s_(s), limit_(limit) {}

  bool read(std::vector<std::string_view>& out, Failure& f) {
    out_ = &out;
    f_ = &f;
    if (!list()) return false;
    if (i_ < s_.size()) return fail(syntax("unexpected '" + std::string(1, s_[i_]) + "'"));
    return true;
  }

 private:
  bool fail(Failure f) {
    *f_ = std::move(f);
    return false;
  }

  void skip_space() {
    while (i_ < s_.size() && is_space(s_[i_])) ++i_;
  }

  bool too_many(std::size_t n) {
    if (n <= limit_) return false;
    fail(range("more values than the " + std::to_string(limit_) + " elements"));
    return true;
  }

  bool list() {
    if (!item()) return false;
    skip_space();
    while (i_ < s_.size() && s_[i_] == ',') {
      ++i_;
      if (!item()) return false;
      skip_space();
    }
    return true;
  }

  bool expect(char c) {
    skip_space();
    if (i_ >= s_.size() || s_[i_] != c) return fail(syntax(std::string("expected '") + c + "'"));
    ++i_;
    return true;
  }

  bool item() {
    skip_space();
    if (i_ >= s_.size()) return fail(syntax("a value is missing"));
    if (s_[i_] == '[') {
      ++i_;
      return list() && expect(']');
    }
    // n(values): the values n times.
    std::size_t j = i_;
    while (j < s_.size() && is_digit(s_[j])) ++j;
    std::size_t k = j;
    while (k < s_.size() && is_space(s_[k])) ++k;
    if (j > i_ && k < s_.size() && s_[k] == '(') {
      std::uint64_t n = 0;
      for (std::size_t d = i_; d < j; ++d) {
        n = n * 10 + static_cast<std::uint64_t>(s_[d] - '0');
        if (n > limit_ + 1) n = limit_ + 1;  // enough to say "too many"
      }
      i_ = k + 1;
      const std::size_t before = out_->size();
      if (!list() || !expect(')')) return false;
      const std::size_t group = out_->size() - before;
      if (n == 0) return fail(syntax("a repetition factor of 0"));
      if (too_many(before + group * n)) return false;
      for (std::uint64_t r = 1; r < n; ++r)
        for (std::size_t g = 0; g < group; ++g) out_->push_back((*out_)[before + g]);
      return true;
    }
    // One value, up to a ',' ')' or ']' outside quotes and B#(...) parentheses.
    const std::size_t start = i_;
    int parens = 0;
    char quote = 0;
    for (; i_ < s_.size(); ++i_) {
      const char c = s_[i_];
      if (quote) {
        if (c == '$')
          ++i_;
        else if (c == quote)
          quote = 0;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(') {
        ++parens;
      } else if (c == ')') {
        if (parens == 0) break;
        --parens;
      } else if ((c == ',' || c == ']') && parens == 0) {
        break;
      }
    }
    if (quote) return fail(syntax(std::string("the closing ") + quote + " is missing"));
    i_ = std::min(i_, s_.size());
    const std::string_view v = trim(s_.substr(start, i_ - start));
    if (v.empty()) return fail(syntax("a value is missing"));
    out_->push_back(v);
    return !too_many(out_->size());
  }

  std::string_view s_;
  std::size_t limit_;
  std::size_t i_ = 0;
  std::vector<std::string_view>* out_ = nullptr;
  Failure* f_ = nullptr;
};

// Checks that the element encodes (string lengths, Latin-1 characters, REAL range).
Result<void> check_fits(const Address& e, std::string_view text, const Scalar& s) {
  auto enc = s7::encode_value(e, Value(s));
  if (enc) return {};
  return Error(enc.error().code, "'" + std::string(trim(text)) + "' does not fit " +
                                     type_label(e, true) + ": " + inner_message(e, enc.error()));
}

}  // namespace

s7::Result<s7::Value> parse_literal(const s7::Address& a, std::string_view text) {
  const Address e = element_of(a);
  const std::string_view s = trim(text);
  if (!a.is_array && a.count == 1) {
    auto v = parse_element(e, s);
    if (!v) return v.error();
    if (auto fits = check_fits(e, s, *v); !fits) return fits.error();
    return Value(std::move(*v));
  }
  const std::string type = type_label(a, false);
  std::vector<std::string_view> parts;
  Failure f;
  if (!ListReader(s, a.count).read(parts, f)) return failure_error(s, type, f);
  Value out;
  out.array = a.is_array;
  out.elems.reserve(a.count);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto v = parse_element(e, parts[i]);
    Result<void> fits = v ? check_fits(e, parts[i], *v) : Result<void>(v.error());
    if (!fits)
      return Error(fits.error().code,
                   type + " value " + std::to_string(i + 1) + ": " + fits.error().what());
    out.elems.push_back(std::move(*v));
  }
  if (out.elems.size() < a.count) {
    auto d = s7::parse_value(e, default_text(a.type));
    if (!d) return d.error();
    out.elems.resize(a.count, d->elems.front());
  }
  return out;
}

}  // namespace symbols
