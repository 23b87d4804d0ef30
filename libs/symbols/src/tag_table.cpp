// PLC tag tables: STEP 7 classic symbol table exports (System Data Format .sdf, fixed-width
// ASCII .asc) and TIA Portal's PLC tag table saved from Excel as CSV.
//
// Format facts:
//  - SDF (STEP 7 manual "Programming with STEP 7", 8.6 Entering Shared Symbols): one symbol a
//    line, four double-quoted fields separated by commas: symbol, address, data type, comment.
//    STEP 7 pads the fields with blanks (symbol 24, address 12, type 10, comment 80 characters).
//  - ASC: "126," (the record length, 24 + 12 + 10 + 80) then symbol (24 characters), address
//    (12), data type (10) and comment (80), padded with blanks, no separators between them.
//  - Addresses are written with blanks between the area and the number ("E       7.2",
//    "PEW   256", "FB     16"); German mnemonics (E, A, Z, PE, PA) are common. Block rows
//    (DB, FB, FC, OB, SFB, SFC, UDT, VAT) name the block; a DB's type column names its FB, UDT
//    or itself ("FB     16", "DB      1"); a VAT row has no type.
//  - Both are written by Windows in its ANSI code page (Windows-1252 for Western languages).
//  - TIA Portal exports PLCTags.xlsx with the columns Name, Path, Data Type, Logical Address,
//    Comment, Hmi Visible, Hmi Accessible, Hmi Writeable, Typeobject ID, Version ID. Excel's
//    "CSV (Comma delimited)" writes the ANSI code page without a byte-order mark and uses the
//    locale's list separator (',' or ';'); "CSV UTF-8" writes UTF-8 with a byte-order mark.
#include "symbols/tag_table.hpp"
#include "util/text.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>

namespace symbols {
namespace {

using s7::Errc;
using s7::Error;

Error fail(std::string_view file, int line, const std::string& message) {
  return Error(Errc::invalid_argument,
               std::string(file) + ":" + std::to_string(line) + ": " + message);
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_blank(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

char ascii_upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}
char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_upper(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool ends_with_nocase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Trimmed, with every run of blanks inside made one blank: "FB     16" -> "FB 16".
std::string collapse_blanks(std::string_view s) {
  s = trim(s);
  std::string out;
  out.reserve(s.size());
  bool blank = false;
  for (char c : s) {
    if (is_blank(c)) {
      blank = true;
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

std::string without_blanks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (!is_blank(c)) out += c;
  return out;
}

// ---- text encoding ----

using util::append_utf8;
using util::utf8_sequence;

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Windows-1252 0x80..0x9F; the five bytes the code page leaves undefined keep their C1 code
// point, as Windows' own conversion does.
constexpr std::array<std::uint16_t, 32> kCp1252High{
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::string from_cp1252(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80)
      out += ch;
    else if (c < 0xA0)
      append_utf8(out, kCp1252High[c - 0x80]);
    else
      append_utf8(out, c);  // 0xA0..0xFF are Latin-1
  }
  return out;
}

// UTF-8 with every broken sequence replaced by U+FFFD.
std::string repair_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      append_utf8(out, 0xFFFD);
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// The text as UTF-8: with a UTF-8 byte-order mark as UTF-8 (mark removed); without one as it is
// when it is well-formed UTF-8 (a caller may have removed the mark already; Windows-1252 text
// with letters beyond ASCII practically never is), else converted from Windows-1252.
s7::Result<std::string> decode(std::string_view bytes, std::string_view file) {
  if (starts_with(bytes, "\xEF\xBB\xBF")) return repair_utf8(bytes.substr(3));
  if (starts_with(bytes, "\xFF\xFE") || starts_with(bytes, "\xFE\xFF"))
    return fail(file, 1,
                "the file is UTF-16 (Excel's \"Unicode Text\"); expected Windows-1252 or UTF-8: "
                "save it as \"CSV UTF-8\" or \"CSV (Comma delimited)\"");
  if (valid_utf8(bytes)) return std::string(bytes);
  return from_cp1252(bytes);
}

// Byte offset of the `column`-th character (0-based) of the UTF-8 line, or its size.
std::size_t column_offset(std::string_view line, std::size_t column) {
  std::size_t i = 0;
  for (std::size_t c = 0; c < column && i < line.size(); ++c) {
    const std::size_t n = utf8_sequence(line, i);
    i += n == 0 ? 1 : n;
  }
  return i < line.size() ? i : line.size();
}

// ---- lines ----

// Splits at '\n' (a '\r' before it is dropped); numbers from 1.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool next(std::string_view& line, int& number) {
    if (pos_ >= text_.size()) return false;
    const std::size_t end = text_.find('\n', pos_);
    const std::size_t stop = end == std::string_view::npos ? text_.size() : end;
    line = text_.substr(pos_, stop - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = end == std::string_view::npos ? text_.size() + 1 : end + 1;
    number = ++number_;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int number_ = 0;
};

// ---- types and addresses ----

// The types an address can carry (s7::parse_address's :TYPE suffixes).
constexpr std::array<std::string_view, 34> kElementaryTypes{
    "BOOL",          "BYTE",   "WORD",         "DWORD",
    "LWORD",         "SINT",   "USINT",        "INT",
    "UINT",          "DINT",   "UDINT",        "LINT",
    "ULINT",         "REAL",   "LREAL",        "CHAR",
    "WCHAR",         "STRING", "WSTRING",      "TIME",
    "LTIME",         "S5TIME", "DATE",         "TIME_OF_DAY",
    "DATE_AND_TIME", "DTL",    "LTIME_OF_DAY", "LDATE_AND_TIME",
    "COUNTER",       "TIMER",  "TOD",          "DT",
    "LTOD",          "LDT"};

constexpr std::string_view kTypeHint =
    "Bool, Byte, Word, DWord, Int, DInt, UInt, UDInt, SInt, USInt, Real, LReal, Char, String, "
    "Time, S5Time, Date, Time_Of_Day, LWord, LInt, Timer or Counter";

// The :TYPE suffix for a table's data type ("Int" -> "INT", "String" -> "STRING[254]"); empty
// when the type is not one an address can hold.
std::string type_suffix(std::string_view type) {
  std::string t = upper(without_blanks(type));
  const std::size_t bracket = t.find('[');
  const std::string base = t.substr(0, bracket);
  bool known = false;
  for (auto name : kElementaryTypes) known = known || base == name;
  if (!known) return {};
  // TIA's String and WString without a length hold 254 characters.
  if ((base == "STRING" || base == "WSTRING") && bracket == std::string::npos) t += "[254]";
  return t;
}

// STEP 7 block kinds of symbol table rows.
constexpr std::array<std::string_view, 9> kBlockKinds{"DB",  "FB",  "FC",  "OB", "SFB",
                                                      "SFC", "UDT", "VAT", "SDB"};

// Fills entry.address from the address text and the data type (both as written in the table).
s7::Result<void> set_address(TagEntry& entry, std::string_view address_text,
                             std::string_view file) {
  const std::string address = without_blanks(address_text);
  const std::string shown = collapse_blanks(address_text);
  std::string text = address;
  if (!trim(entry.type).empty()) {
    const std::string suffix = type_suffix(entry.type);
    if (suffix.empty())
      return fail(file, entry.line,
                  "tag \"" + entry.name + "\": data type " + entry.type +
                      " is not one an address can hold; expected " + std::string(kTypeHint));
    text += ":" + suffix;
  }
  auto a = s7::parse_address(text);
  if (!a) {
    // "E7.2:INT: column 6: <what>": keep <what>, which says what would fit (the columns count
    // in the text built here, not in the table).
    std::string why = a.error().what();
    const std::string head = text + ": column ";
    if (starts_with(why, head)) {
      const std::size_t colon = why.find(": ", head.size());
      if (colon != std::string::npos) why = why.substr(colon + 2);
    }
    if (trim(entry.type).empty())
      return fail(file, entry.line, "tag \"" + entry.name + "\": address " + shown + ": " + why);
    return fail(file, entry.line,
                "tag \"" + entry.name + "\": data type " + entry.type + " cannot live at address " +
                    shown + ": " + why);
  }
  entry.address = *a;
  return {};
}

// A STEP 7 row: block ("DB 16", "FB 3", "VAT 1") or address ("E 0.0", "MW 10", "T 5").
s7::Result<void> step7_row(TagEntry& entry, std::string_view address_text, std::string_view file) {
  const std::string address = upper(without_blanks(address_text));
  if (address.empty())
    return fail(file, entry.line,
                "symbol \"" + entry.name +
                    "\": expected an address (as in I 0.0, MW 10, T 5) or a block (as in DB 1)");
  std::size_t letters = 0;
  while (letters < address.size() && address[letters] >= 'A' && address[letters] <= 'Z') ++letters;
  const std::string kind = address.substr(0, letters);
  const std::string number = address.substr(letters);
  bool is_block = false;
  for (auto k : kBlockKinds) is_block = is_block || kind == k;
  bool digits = !number.empty() && number.size() <= 6;
  for (char c : number) digits = digits && c >= '0' && c <= '9';
  if (is_block && digits) {
    const unsigned long n = std::stoul(number);
    const unsigned long low = kind == "DB" ? 1 : 0;
    if (n < low || n > 65535)
      return fail(file, entry.line,
                  "symbol \"" + entry.name + "\": expected a block number " + std::to_string(low) +
                      "..65535 after " + kind + ", got " + number);
    entry.block_kind = kind;
    entry.block_number = static_cast<std::uint16_t>(n);
    return {};
  }
  return set_address(entry, address_text, file);
}

// Folds a name for the case-insensitive comparison: ASCII and the Latin-1 capitals (U+00C0..
// U+00DE, not U+00D7) to lower case.
std::string fold(std::string_view name) {
  std::string out(name);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = ascii_lower(out[i]);
    if (static_cast<unsigned char>(out[i]) == 0xC3 && i + 1 < out.size()) {
      const auto c = static_cast<unsigned char>(out[i + 1]);
      if (c >= 0x80 && c <= 0x9E && c != 0x97) out[i + 1] = static_cast<char>(c + 0x20);
      ++i;
    }
  }
  return out;
}

class Collector {
 public:
  explicit Collector(std::string_view file) : file_(file) {}

  s7::Result<void> add(TagEntry entry) {
    auto [it, fresh] = seen_.emplace(fold(entry.name), entry.line);
    if (!fresh)
      return fail(file_, entry.line,
                  "symbol \"" + entry.name + "\" is defined twice: also on line " +
                      std::to_string(it->second) + " (names are case-insensitive)");
    entries_.push_back(std::move(entry));
    return {};
  }
  std::vector<TagEntry> take() { return std::move(entries_); }

 private:
  std::string_view file_;
  std::unordered_map<std::string, int> seen_;
  std::vector<TagEntry> entries_;
};

// ---- SDF ----

// Splits `"a","b","c","d"` into its fields (blanks around them allowed). Inside a field ""
// is a quote, and a quote not followed by a comma or the line end is taken as it is. nullopt
// when the line is not a list of quoted fields.
std::optional<std::vector<std::string>> sdf_fields(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t i = 0;
  const auto skip_blanks = [&] {
    while (i < line.size() && is_blank(line[i])) ++i;
  };
  while (true) {
    skip_blanks();
    if (i >= line.size() || line[i] != '"') return std::nullopt;
    ++i;
    std::string field;
    bool closed = false;
    while (i < line.size()) {
      const char c = line[i];
      if (c != '"') {
        field += c;
        ++i;
        continue;
      }
      if (i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        i += 2;
        continue;
      }
      std::size_t j = i + 1;
      while (j < line.size() && is_blank(line[j])) ++j;
      if (j == line.size() || line[j] == ',') {
        closed = true;
        i = j;
        break;
      }
      field += c;  // a stray quote inside the field
      ++i;
    }
    if (!closed) return std::nullopt;
    fields.push_back(std::move(field));
    if (fields.size() > 16) return std::nullopt;
    if (i == line.size()) return fields;
    ++i;  // the comma
  }
}

s7::Result<std::vector<TagEntry>> parse_sdf(std::string_view text, std::string_view file) {
  Collector out(file);
  Lines lines(text);
  std::string_view line;
  int number = 0;
  while (lines.next(line, number)) {
    if (trim(line).empty()) continue;
    auto fields = sdf_fields(line);
    if (!fields || fields->size() < 3 || fields->size() > 4)
      return fail(file, number,
                  "expected four quoted fields: \"symbol\",\"address\",\"data type\",\"comment\"");
    TagEntry e;
    e.line = number;
    e.name = std::string(trim((*fields)[0]));
    e.type = collapse_blanks((*fields)[2]);
    if (fields->size() == 4) e.comment = std::string(trim((*fields)[3]));
    const std::string_view address = (*fields)[1];
    // A row of blanks with only a comment: a header some tools write, skipped by STEP 7.
    if (e.name.empty() && trim(address).empty() && e.type.empty()) continue;
    if (e.name.empty()) return fail(file, number, "expected a symbol name in the first field");
    auto r = step7_row(e, address, file);
    if (!r) return r.error();
    auto added = out.add(std::move(e));
    if (!added) return added.error();
  }
  return out.take();
}

// ---- ASC ----

constexpr std::size_t kAscName = 4;      // after "126,"
constexpr std::size_t kAscAddress = 28;  // symbol: 24 characters
constexpr std::size_t kAscType = 40;     // address: 12 characters
constexpr std::size_t kAscComment = 50;  // data type: 10 characters, then the comment (80)

s7::Result<std::vector<TagEntry>> parse_asc(std::string_view text, std::string_view file) {
  Collector out(file);
  Lines lines(text);
  std::string_view line;
  int number = 0;
  while (lines.next(line, number)) {
    if (trim(line).empty()) continue;
    if (!starts_with(line, "126,"))
      return fail(file, number,
                  "expected \"126,\" and then symbol (24 characters), address (12), data type "
                  "(10) and comment (80)");
    const auto field = [&](std::size_t from, std::size_t to) {
      const std::size_t a = column_offset(line, from);
      const std::size_t b = column_offset(line, to);
      return trim(line.substr(a, b - a));
    };
    TagEntry e;
    e.line = number;
    e.name = std::string(field(kAscName, kAscAddress));
    const std::string_view address = field(kAscAddress, kAscType);
    e.type = collapse_blanks(field(kAscType, kAscComment));
    e.comment = std::string(trim(line.substr(column_offset(line, kAscComment))));
    if (e.name.empty())
      return fail(file, number, "expected a symbol name in columns 5 to 28 (after \"126,\")");
    auto r = step7_row(e, address, file);
    if (!r) return r.error();
    auto added = out.add(std::move(e));
    if (!added) return added.error();
  }
  return out.take();
}

// ---- TIA Portal CSV ----

// RFC 4180 records: fields separated by `sep`, quoted fields may hold the separator, doubled
// quotes and line breaks. Tracks the line each record starts on.
class CsvReader {
 public:
  CsvReader(std::string_view text, char sep) : text_(text), sep_(sep) {}

  // false at the end of the text.
  bool next(std::vector<std::string>& fields, int& line) {
    fields.clear();
    if (pos_ >= text_.size()) return false;
    line = line_;
    std::string field;
    bool quoted = false;      // inside quotes
    bool was_quoted = false;  // the field began with a quote
    bool at_start = true;     // nothing of the field read yet
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (quoted) {
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field += '"';
            ++pos_;
          } else {
            quoted = false;
          }
        } else if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') {
          continue;  // a line break in a cell: "\n" as Excel keeps it
        } else {
          if (c == '\n') ++line_;
          field += c;
        }
        continue;
      }
      if (c == '"' && at_start) {
        quoted = was_quoted = true;
        at_start = false;
        continue;
      }
      if (c == sep_) {
        fields.push_back(finish(field, was_quoted));
        field.clear();
        was_quoted = false;
        at_start = true;
        continue;
      }
      if (c == '\n') {
        ++line_;
        break;
      }
      if (c == '\r' && (pos_ >= text_.size() || text_[pos_] == '\n')) continue;
      if (!(at_start && is_blank(c))) at_start = false;
      field += c;
    }
    fields.push_back(finish(field, was_quoted));
    return true;
  }

 private:
  static std::string finish(const std::string& field, bool was_quoted) {
    return was_quoted ? field : std::string(trim(field));
  }

  std::string_view text_;
  char sep_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

// The separator of a header line: the most frequent of ';', ',' and tab outside quotes (',' when
// none occurs).
char detect_separator(std::string_view header) {
  std::size_t semicolons = 0, commas = 0, tabs = 0;
  bool quoted = false;
  for (char c : header) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == ';') ++semicolons;
    if (c == ',') ++commas;
    if (c == '\t') ++tabs;
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

enum class Column : std::uint8_t { name, type, address, comment, other };

Column column_of(std::string_view header) {
  const std::string h = collapse_blanks(header);
  if (iequals(h, "Name")) return Column::name;
  if (iequals(h, "Data Type") || iequals(h, "DataType") || iequals(h, "Datentyp"))
    return Column::type;
  if (iequals(h, "Logical Address") || iequals(h, "Logische Adresse") || iequals(h, "Address") ||
      iequals(h, "Adresse"))
    return Column::address;
  if (iequals(h, "Comment") || iequals(h, "Kommentar")) return Column::comment;
  return Column::other;
}

// The first non-empty line's start, after an optional Excel "sep=X" line; sets `sep` from it.
std::string_view csv_body(std::string_view text, std::optional<char>& sep, int& skipped) {
  skipped = 0;
  sep.reset();
  while (true) {
    const std::size_t end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    if (!line.empty() || end == std::string_view::npos) {
      if (line.size() == 5 && iequals(line.substr(0, 4), "sep=") && end != std::string_view::npos) {
        sep = line[4];
        text.remove_prefix(end + 1);
        ++skipped;
        continue;
      }
      return text;
    }
    text.remove_prefix(end + 1);
    ++skipped;
  }
}

s7::Result<std::vector<TagEntry>> parse_tia_csv(std::string_view text, std::string_view file) {
  std::optional<char> sep;
  int skipped = 0;
  const std::string_view body = csv_body(text, sep, skipped);
  if (!sep) sep = detect_separator(body.substr(0, body.find('\n')));
  CsvReader reader(body, *sep);
  std::vector<std::string> fields;
  int line = 0;
  if (!reader.next(fields, line))
    return fail(file, skipped + 1,
                "expected a header line with the columns Name, Data Type and Logical Address");
  const int header_line = line + skipped;
  std::vector<Column> columns;
  std::optional<std::size_t> at_name, at_type, at_address, at_comment;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const Column c = column_of(fields[i]);
    auto& slot = c == Column::name      ? at_name
                 : c == Column::type    ? at_type
                 : c == Column::address ? at_address
                                        : at_comment;
    if (c != Column::other && !slot) slot = i;
  }
  std::string missing;
  const auto need = [&](const std::optional<std::size_t>& at, std::string_view what) {
    if (at) return;
    missing += missing.empty() ? "" : ", ";
    missing += what;
  };
  need(at_name, "Name");
  need(at_type, "Data Type");
  need(at_address, "Logical Address");
  if (!missing.empty())
    return fail(file, header_line,
                "expected a header line with the columns Name, Data Type and Logical Address "
                "(any order, separated by ',' or ';'); missing " +
                    missing);

  Collector out(file);
  while (reader.next(fields, line)) {
    const int number = line + skipped;
    bool empty = true;
    for (const auto& f : fields) empty = empty && trim(f).empty();
    if (empty) continue;
    const auto get = [&](const std::optional<std::size_t>& at) -> std::string {
      if (!at || *at >= fields.size()) return {};
      return std::string(trim(fields[*at]));
    };
    TagEntry e;
    e.line = number;
    e.name = get(at_name);
    e.type = get(at_type);
    e.comment = get(at_comment);
    const std::string address = get(at_address);
    if (e.name.empty()) return fail(file, number, "expected a tag name in the Name column");
    if (e.type.empty())
      return fail(file, number,
                  "tag \"" + e.name + "\": expected a data type (as in Bool, Int, Real)");
    if (address.empty())
      return fail(file, number,
                  "tag \"" + e.name + "\": expected a logical address (as in %I0.0, %MW10)");
    auto r = set_address(e, address, file);
    if (!r) return r.error();
    auto added = out.add(std::move(e));
    if (!added) return added.error();
  }
  return out.take();
}

// ---- detection ----

std::string_view first_line(std::string_view text) {
  if (starts_with(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    if (!trim(line).empty()) {
      std::string_view l = line;
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      return l;
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return {};
}

bool looks_like_tia_header(std::string_view text) {
  std::optional<char> sep;
  int skipped = 0;
  const std::string_view body = csv_body(text, sep, skipped);
  const std::string_view header = body.substr(0, body.find('\n'));
  if (header.size() > 4096) return false;
  CsvReader reader(header, sep.value_or(detect_separator(header)));
  std::vector<std::string> fields;
  int line = 0;
  if (!reader.next(fields, line)) return false;
  bool name = false, address = false;
  for (const auto& f : fields) {
    const Column c = column_of(f);
    name = name || c == Column::name;
    address = address || c == Column::address;
  }
  return name && address;
}

}  // namespace

std::optional<TagTableFormat> detect_tag_table(std::string_view text, std::string_view file) {
  if (ends_with_nocase(file, ".sdf")) return TagTableFormat::sdf;
  if (ends_with_nocase(file, ".asc")) return TagTableFormat::asc;
  if (ends_with_nocase(file, ".csv")) return TagTableFormat::tia_csv;
  const std::string_view line = first_line(text);
  if (starts_with(line, "126,")) return TagTableFormat::asc;
  if (starts_with(trim(line), "\"")) {
    const auto fields = sdf_fields(line);
    if (fields && fields->size() == 4) return TagTableFormat::sdf;
  }
  std::string_view body = text;
  if (starts_with(body, "\xEF\xBB\xBF")) body.remove_prefix(3);
  if (looks_like_tia_header(body)) return TagTableFormat::tia_csv;
  return std::nullopt;
}

s7::Result<std::vector<TagEntry>> parse_tag_table(std::string_view text, std::string_view file,
                                                  TagTableFormat format) {
  auto decoded = decode(text, file);
  if (!decoded) return decoded.error();
  switch (format) {
    case TagTableFormat::sdf:
      return parse_sdf(*decoded, file);
    case TagTableFormat::asc:
      return parse_asc(*decoded, file);
    case TagTableFormat::tia_csv:
      return parse_tia_csv(*decoded, file);
  }
  return fail(file, 1, "unknown tag table format");
}

}  // namespace symbols
