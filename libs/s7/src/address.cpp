// Parser and canonical printer for S7 addresses in Siemens syntax, with sizes of the value types.
#include "s7/address.hpp"

#include <array>
#include <cctype>
#include <optional>

namespace s7 {
namespace {

// Limits (fact sheet 4.2): the S7ANY address holds a 24-bit bit address (byte * 8 + bit), so the
// largest byte offset is 2^21 - 1; DB and T/C numbers are 16-bit; the item count is 16-bit.
constexpr std::uint32_t kMaxByteOffset = 2097151;
constexpr std::uint32_t kMaxNumber = 65535;
constexpr std::uint32_t kMaxCount = 65535;
constexpr std::uint32_t kMaxStringLength = 254;     // STRING: byte 0 holds the max length
constexpr std::uint32_t kMaxWStringLength = 16382;  // WSTRING: Siemens' limit

struct TypeName {
  std::string_view name;
  DataType type;
};

// Canonical names first: to_string(DataType) picks the first match.
constexpr std::array<TypeName, 34> kTypeNames{{
    {"BOOL", DataType::Bool},
    {"BYTE", DataType::Byte},
    {"WORD", DataType::Word},
    {"DWORD", DataType::DWord},
    {"LWORD", DataType::LWord},
    {"SINT", DataType::SInt},
    {"USINT", DataType::USInt},
    {"INT", DataType::Int},
    {"UINT", DataType::UInt},
    {"DINT", DataType::DInt},
    {"UDINT", DataType::UDInt},
    {"LINT", DataType::LInt},
    {"ULINT", DataType::ULInt},
    {"REAL", DataType::Real},
    {"LREAL", DataType::LReal},
    {"CHAR", DataType::Char},
    {"WCHAR", DataType::WChar},
    {"STRING", DataType::String},
    {"WSTRING", DataType::WString},
    {"TIME", DataType::Time},
    {"LTIME", DataType::LTime},
    {"S5TIME", DataType::S5Time},
    {"DATE", DataType::Date},
    {"TIME_OF_DAY", DataType::TimeOfDay},
    {"DATE_AND_TIME", DataType::DateAndTime},
    {"DTL", DataType::Dtl},
    {"LTIME_OF_DAY", DataType::LTimeOfDay},
    {"LDATE_AND_TIME", DataType::LDateAndTime},
    {"COUNTER", DataType::Counter},
    {"TIMER", DataType::Timer},
    {"TOD", DataType::TimeOfDay},
    {"DT", DataType::DateAndTime},
    {"LTOD", DataType::LTimeOfDay},
    {"LDT", DataType::LDateAndTime},
}};

constexpr std::string_view kTypeList =
    "BOOL, BYTE, WORD, DWORD, LWORD, SINT, USINT, INT, UINT, DINT, UDINT, LINT, ULINT, REAL, "
    "LREAL, CHAR, WCHAR, STRING[n], WSTRING[n], TIME, LTIME, S5TIME, DATE, TIME_OF_DAY (TOD), "
    "DATE_AND_TIME (DT), DTL, LTIME_OF_DAY (LTOD), LDATE_AND_TIME (LDT)";

DataType default_type(Area area, Width w) {
  if (area == Area::timers) return DataType::Timer;
  if (area == Area::counters) return DataType::Counter;
  switch (w) {
    case Width::X:
      return DataType::Bool;
    case Width::W:
      return DataType::Int;
    case Width::D:
      return DataType::DInt;
    default:
      return DataType::Byte;
  }
}

char width_letter(Width w) {
  switch (w) {
    case Width::X:
      return 'X';
    case Width::W:
      return 'W';
    case Width::D:
      return 'D';
    default:
      return 'B';
  }
}

// Width letter after the area (DBX, MB, PIW...); nullopt for anything else.
std::optional<Width> width_of(char c) {
  switch (c) {
    case 'X':
      return Width::X;
    case 'B':
      return Width::B;
    case 'W':
      return Width::W;
    case 'D':
      return Width::D;
    default:
      return std::nullopt;
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {
    upper_.reserve(text.size());
    for (char c : text)
      upper_.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }

  Result<Address> run();

 private:
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < end_ ? upper_[pos_ + ahead] : '\0';
  }
  bool at_digit() const { return std::isdigit(static_cast<unsigned char>(peek())) != 0; }
  bool at_end() const { return pos_ >= end_; }

  Error fail(std::size_t pos, std::string_view what) const {
    std::string msg(text_);
    msg += ": column ";
    msg += std::to_string(pos + 1);
    msg += ": ";
    msg += what;
    return Error(Errc::address_syntax, std::move(msg));
  }
  Error fail(std::string_view what) const { return fail(pos_, what); }

  // Reads decimal digits; values beyond `max` are reported with `name`.
  Result<std::uint32_t> number(std::string_view expected, std::string_view name, std::uint32_t min,
                               std::uint32_t max) {
    const std::size_t start = pos_;
    if (!at_digit()) return fail(expected);
    std::uint64_t v = 0;
    while (at_digit()) {
      v = v * 10 + static_cast<std::uint64_t>(peek() - '0');
      if (v > 0xFFFFFFFFull) v = 0xFFFFFFFFull + 1;  // saturate; reported below
      ++pos_;
    }
    if (v < min || v > max) {
      std::string m(name);
      m += " must be ";
      m += std::to_string(min);
      m += "..";
      m += std::to_string(max);
      return fail(start, m);
    }
    return static_cast<std::uint32_t>(v);
  }

  Result<void> suffix(Address& a);
  Result<void> check_type(const Address& a, std::size_t type_pos) const;
  std::string area_prefix(const Address& a) const;

  std::string_view text_;
  std::string upper_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
};

Result<Address> Parser::run() {
  Address a;
  end_ = upper_.size();
  while (end_ > 0 && std::isspace(static_cast<unsigned char>(upper_[end_ - 1]))) --end_;
  while (pos_ < end_ && std::isspace(static_cast<unsigned char>(upper_[pos_]))) ++pos_;
  if (peek() == '%') ++pos_;  // IEC/PLC4X style "%DB1.DBX0.0"
  if (at_end()) return fail("expected an address such as DB1.DBW4, M10.5, IW0, T5 or C3");

  std::size_t offset_pos = pos_;
  const char c = peek();
  if (c == 'D' && peek(1) == 'B') {
    a.area = Area::db;
    pos_ += 2;
    auto db = number("expected a DB number (as in DB1.DBW4)", "DB number", 1, kMaxNumber);
    if (!db) return db.error();
    a.db = static_cast<std::uint16_t>(*db);
    if (peek() != '.') return fail("expected '.' after the DB number (as in DB1.DBW4)");
    ++pos_;
    if (peek() != 'D' || peek(1) != 'B') return fail("expected DBX, DBB, DBW or DBD");
    pos_ += 2;
    const auto w = width_of(peek());
    if (!w) return fail("expected X, B, W or D");
    a.width = *w;
    ++pos_;
  } else if (c == 'M' || c == 'I' || c == 'E' || c == 'Q' || c == 'A') {
    a.area = c == 'M' ? Area::merkers : (c == 'I' || c == 'E') ? Area::inputs : Area::outputs;
    ++pos_;
    if (const auto w = width_of(peek())) {
      a.width = *w;
      ++pos_;
    } else if (at_digit()) {
      a.width = Width::X;  // M10.5
    } else {
      return fail("expected a byte offset or X, B, W or D");
    }
  } else if (c == 'P') {
    a.area = Area::periphery;
    ++pos_;
    const char d = peek();
    if (d != 'I' && d != 'E' && d != 'Q' && d != 'A')
      return fail("expected I (E) or Q (A) after P, as in PIW256 or PQW256");
    a.periphery_output = d == 'Q' || d == 'A';
    ++pos_;
    const auto w = width_of(peek());
    if (!w || *w == Width::X)
      return fail(
          "expected B, W or D: the periphery is read and written in bytes, words or "
          "double words (PIB, PIW, PID), not bits");
    a.width = *w;
    ++pos_;
  } else if (c == 'T' || c == 'C' || c == 'Z') {
    a.area = c == 'T' ? Area::timers : Area::counters;
    a.width = Width::None;
    ++pos_;
    offset_pos = pos_;
    auto n = number(
        c == 'T' ? "expected a timer number (as in T5)" : "expected a counter number (as in C3)",
        c == 'T' ? "timer number" : "counter number", 0, kMaxNumber);
    if (!n) return n.error();
    a.offset = *n;
  } else {
    return fail("expected an area: DB, M, I (E), Q (A), PI (PE), PQ (PA), T or C (Z)");
  }

  if (a.width != Width::None) {
    offset_pos = pos_;
    auto off = number("expected a byte offset (digits)", "byte offset", 0, kMaxByteOffset);
    if (!off) return off.error();
    a.offset = *off;
    if (a.width == Width::X) {
      if (peek() != '.') return fail("expected '.' and a bit number 0..7");
      ++pos_;
      auto bit = number("expected a bit number 0..7", "bit number", 0, 7);
      if (!bit) return bit.error();
      a.bit = static_cast<std::uint8_t>(*bit);
    } else if (peek() == '.' && a.area == Area::periphery) {
      return fail("the periphery has no bit addresses; read the byte (" + area_prefix(a) + "B" +
                  std::to_string(a.offset) + ") instead");
    } else if (peek() == '.') {
      return fail("a bit number is only allowed with X (bit) addresses such as DB1.DBX0.1 or M0.1");
    }
  }
  a.type = default_type(a.area, a.width);

  const std::size_t suffix_pos = pos_;
  if (peek() == ':') {
    ++pos_;
    if (auto r = suffix(a); !r) return r.error();
  }
  if (!at_end()) {
    std::string m = "unexpected '";
    m += text_[pos_];
    m += a.explicit_type ? "' after the type" : "'; expected ':' and a type, or the end";
    return fail(m);
  }
  // The last byte must stay within the 24-bit address space too.
  if (a.width != Width::None && a.offset + byte_size(a) - 1 > kMaxByteOffset)
    return fail(a.explicit_type ? suffix_pos : offset_pos,
                "the address range ends past byte offset 2097151");
  return a;
}

Result<void> Parser::suffix(Address& a) {
  const std::size_t type_pos = pos_;
  while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_') ++pos_;
  const std::string_view name = std::string_view(upper_).substr(type_pos, pos_ - type_pos);
  if (name.empty()) {
    std::string m = "expected a type name: ";
    m += kTypeList;
    return fail(m);
  }
  bool found = false;
  for (const auto& t : kTypeNames) {
    if (t.name == name) {
      a.type = t.type;
      found = true;
      break;
    }
  }
  if (!found) {
    std::string m = "unknown type '";
    m += text_.substr(type_pos, name.size());
    m += "'; expected one of ";
    m += kTypeList;
    return fail(type_pos, m);
  }
  a.explicit_type = true;

  if (a.type == DataType::String || a.type == DataType::WString) {
    const bool wide = a.type == DataType::WString;
    if (peek() != '[')
      return fail(wide ? "expected '[' and the declared length, as in WSTRING[10]"
                       : "expected '[' and the declared length, as in STRING[20]");
    ++pos_;
    auto n = number("expected the declared string length (digits)", "string length", 1,
                    wide ? kMaxWStringLength : kMaxStringLength);
    if (!n) return n.error();
    a.string_length = static_cast<std::uint16_t>(*n);
    if (peek() != ']') return fail("expected ']'");
    ++pos_;
    if (peek() == '[')
      return fail("arrays of strings are not supported; use one address per string");
  } else if (peek() == '[') {
    ++pos_;
    auto n = number("expected the array length (digits)", "array length", 1, kMaxCount);
    if (!n) return n.error();
    a.count = *n;
    a.is_array = true;
    if (peek() != ']') return fail("expected ']'");
    ++pos_;
  }
  return check_type(a, type_pos);
}

std::string Parser::area_prefix(const Address& a) const {
  switch (a.area) {
    case Area::db:
      return "DB" + std::to_string(a.db) + ".DB";
    case Area::merkers:
      return "M";
    case Area::inputs:
      return "I";
    case Area::outputs:
      return "Q";
    case Area::periphery:
      return a.periphery_output ? "PQ" : "PI";
    default:
      return "";
  }
}

// Which types fit which width: X holds only BOOL; B is a start byte for any type but BOOL;
// W needs a 2-byte type; D a 4-byte type (or an 8-byte one, as there is no wider letter).
Result<void> Parser::check_type(const Address& a, std::size_t type_pos) const {
  std::string tname(to_string(a.type));
  if (a.type == DataType::String || a.type == DataType::WString)
    tname += "[" + std::to_string(a.string_length) + "]";
  if (a.area == Area::timers || a.area == Area::counters) {
    const DataType want = a.area == Area::timers ? DataType::Timer : DataType::Counter;
    if (a.type != want)
      return fail(type_pos, a.area == Area::timers ? "a T address holds only TIMER"
                                                   : "a C address holds only COUNTER");
    return {};
  }
  if (a.type == DataType::Timer || a.type == DataType::Counter)
    return fail(type_pos, tname + " is only for T and C addresses (as in T5 or C3)");
  if (a.width == Width::X) {
    if (a.type != DataType::Bool)
      return fail(type_pos, "a bit address (X) holds only BOOL; use " + area_prefix(a) + "B" +
                                std::to_string(a.offset) + " for " + tname);
    return {};
  }
  if (a.type == DataType::Bool && a.area == Area::periphery)
    return fail(type_pos, "the periphery has no bit addresses; read " + area_prefix(a) + "B" +
                              std::to_string(a.offset) + " as BYTE");
  if (a.type == DataType::Bool)
    return fail(type_pos, "BOOL needs a bit address such as " + area_prefix(a) +
                              (a.area == Area::db ? "X" : "") + std::to_string(a.offset) + ".0");
  const std::size_t size = element_size(a.type, a.string_length);
  const bool is_text = a.type == DataType::String || a.type == DataType::WString;
  if (a.width == Width::W && size != 2) {
    return fail(type_pos,
                tname + " is " + std::to_string(size) + (size == 1 ? " byte" : " bytes") +
                    " but W is 2 bytes wide; use " + area_prefix(a) +
                    (!is_text && (size == 4 || size == 8) ? "D or " + area_prefix(a) + "B" : "B"));
  }
  if (a.width == Width::D && (is_text || (size != 4 && size != 8))) {
    return fail(type_pos, tname + " is " + std::to_string(size) + (size == 1 ? " byte" : " bytes") +
                              " but D is 4 bytes wide; use " + area_prefix(a) +
                              (size == 2 ? "W or " + area_prefix(a) + "B" : "B"));
  }
  return {};
}

}  // namespace

Result<Address> parse_address(std::string_view text) {
  return Parser(text).run();
}

std::string_view to_string(DataType t) {
  for (const auto& n : kTypeNames)
    if (n.type == t) return n.name;
  return "?";
}

std::string_view to_string(Area a) {
  switch (a) {
    case Area::inputs:
      return "I";
    case Area::outputs:
      return "Q";
    case Area::merkers:
      return "M";
    case Area::db:
      return "DB";
    case Area::counters:
      return "C";
    case Area::timers:
      return "T";
    case Area::periphery:
      return "P";
  }
  return "?";
}

Result<void> check_readable(const Address& a) {
  if (a.area == Area::periphery && a.periphery_output) {
    Address image = a;
    image.area = Area::outputs;
    return Error(Errc::invalid_argument,
                 to_string(a) + ": peripheral outputs can only be written; read " +
                     to_string(image) + " (the process image of the outputs) instead");
  }
  return {};
}

Result<void> check_writable(const Address& a) {
  if (a.area == Area::periphery && !a.periphery_output) {
    Address out = a;
    out.periphery_output = true;
    return Error(Errc::invalid_argument, to_string(a) +
                                             ": peripheral inputs can only be read; to set an "
                                             "output module write " +
                                             to_string(out));
  }
  return {};
}

std::string to_string(const Address& a) {
  std::string s(to_string(a.area));
  if (a.area == Area::periphery) s += a.periphery_output ? 'Q' : 'I';
  if (a.area == Area::timers || a.area == Area::counters) {
    s += std::to_string(a.offset);
  } else {
    if (a.area == Area::db) {
      s += std::to_string(a.db);
      s += ".DB";
      s += width_letter(a.width);
    } else if (a.width != Width::X) {
      s += width_letter(a.width);
    }
    s += std::to_string(a.offset);
    if (a.width == Width::X) {
      s += '.';
      s += std::to_string(a.bit);
    }
  }
  if (a.explicit_type || a.is_array || a.type != default_type(a.area, a.width)) {
    s += ':';
    s += to_string(a.type);
    if (a.type == DataType::String || a.type == DataType::WString) {
      s += '[';
      s += std::to_string(a.string_length);
      s += ']';
    }
    if (a.is_array) {
      s += '[';
      s += std::to_string(a.count);
      s += ']';
    }
  }
  return s;
}

bool is_number_type(DataType t) {
  switch (t) {
    case DataType::Byte:
    case DataType::Word:
    case DataType::DWord:
    case DataType::LWord:
    case DataType::SInt:
    case DataType::USInt:
    case DataType::Int:
    case DataType::UInt:
    case DataType::DInt:
    case DataType::UDInt:
    case DataType::LInt:
    case DataType::ULInt:
    case DataType::Real:
    case DataType::LReal:
      return true;
    default:
      return false;
  }
}

std::size_t element_size(DataType t, std::uint16_t string_length) {
  switch (t) {
    case DataType::Bool:
    case DataType::Byte:
    case DataType::SInt:
    case DataType::USInt:
    case DataType::Char:
      return 1;
    case DataType::Word:
    case DataType::Int:
    case DataType::UInt:
    case DataType::WChar:
    case DataType::S5Time:
    case DataType::Date:
    case DataType::Counter:
    case DataType::Timer:
      return 2;
    case DataType::DWord:
    case DataType::DInt:
    case DataType::UDInt:
    case DataType::Real:
    case DataType::Time:
    case DataType::TimeOfDay:
      return 4;
    case DataType::LWord:
    case DataType::LInt:
    case DataType::ULInt:
    case DataType::LReal:
    case DataType::LTime:
    case DataType::DateAndTime:
    case DataType::LTimeOfDay:
    case DataType::LDateAndTime:
      return 8;
    case DataType::Dtl:
      return 12;
    case DataType::String:
      return std::size_t{string_length} + 2;
    case DataType::WString:
      return 2 * std::size_t{string_length} + 4;
  }
  return 1;
}

std::size_t byte_size(const Address& a) {
  if (a.type == DataType::Bool) return (std::size_t{a.bit} + a.count + 7) / 8;
  return element_size(a.type, a.string_length) * a.count;
}

}  // namespace s7
