// DB, UDT and FB sources of TIA Portal and STEP 7 classic: a tolerant tokenizer (any bytes give
// tokens; only unterminated comments, strings and quoted names are errors) and a recursive
// descent parser over the tokens. Code bodies (FB BEGIN sections, FUNCTION and
// ORGANIZATION_BLOCK blocks) are skipped token by token up to their END_ keyword.
#include "symbols/db_source.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/text.hpp"

namespace symbols {

namespace {

// Nesting of STRUCT / ARRAY OF types beyond this is refused (bounds the recursion).
constexpr int kMaxDepth = 32;
// STEP 7 allows 6 array dimensions.
constexpr std::size_t kMaxDims = 6;

bool is_ident_start(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || u >= 0x80;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ident_char(char c) {
  return is_ident_start(c) || is_digit(c);
}
bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_blank(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// Runs of blanks and line breaks as one space.
std::string collapse(std::string_view s) {
  std::string out;
  bool blank = false;
  for (char c : trim(s)) {
    if (is_blank(c) || c == '\n') {
      blank = true;
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

enum class Kind : std::uint8_t { ident, quoted, string, number, punct, title, end };

struct Token {
  Kind kind = Kind::end;
  std::string_view text;  // quoted names and strings without their quotes; title: the rest of line
  std::size_t begin = 0;  // byte range in the source, quotes included
  std::size_t end = 0;
  int line = 0;
};

struct ParseError {
  int line;
  std::string message;
};

// Splits the whole text into tokens and collects comments (the first one on each line).
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> run(std::map<int, std::string>& comments) {
    std::vector<Token> out;
    while (true) {
      skip_space(comments);
      if (pos_ >= text_.size()) break;
      out.push_back(next());
    }
    Token end;
    end.kind = Kind::end;
    end.begin = end.end = text_.size();
    end.line = line_;
    out.push_back(end);
    return out;
  }

 private:
  void skip_space(std::map<int, std::string>& comments) {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
      } else if (is_blank(c)) {
        ++pos_;
      } else if (c == '/' && peek(1) == '/') {
        const std::size_t start = pos_ + 2;
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        comments.emplace(line_, std::string(trim(text_.substr(start, pos_ - start))));
      } else if ((c == '(' && peek(1) == '*') || (c == '/' && peek(1) == '*')) {
        const char close = c == '(' ? ')' : '/';
        const int first = line_;
        const std::size_t start = pos_ + 2;
        pos_ += 2;
        while (true) {
          if (pos_ + 1 >= text_.size())
            throw ParseError{first, std::string("comment opened with '") + c +
                                        "*' is never closed with '*" + close + "'"};
          if (text_[pos_] == '*' && text_[pos_ + 1] == close) break;
          if (text_[pos_] == '\n') ++line_;
          ++pos_;
        }
        comments.emplace(first, collapse(text_.substr(start, pos_ - start)));
        pos_ += 2;
      } else {
        break;
      }
    }
  }

  char peek(std::size_t ahead) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  Token next() {
    Token t;
    t.begin = pos_;
    t.line = line_;
    const char c = text_[pos_];
    if (is_ident_start(c)) {
      while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
      t.kind = Kind::ident;
      t.text = text_.substr(t.begin, pos_ - t.begin);
      if (iequals(t.text, "TITLE")) {
        // TITLE = free text up to the end of the line (it may hold quotes and brackets).
        std::size_t p = pos_;
        while (p < text_.size() && is_blank(text_[p])) ++p;
        if (p < text_.size() && text_[p] == '=' && (p + 1 >= text_.size() || text_[p + 1] != '=')) {
          std::size_t e = p + 1;
          while (e < text_.size() && text_[e] != '\n') ++e;
          t.kind = Kind::title;
          t.text = trim(text_.substr(p + 1, e - p - 1));
          pos_ = e;
        }
      }
    } else if (is_digit(c)) {
      while (pos_ < text_.size()) {
        const char d = text_[pos_];
        if (is_ident_char(d) || d == '#') {
          ++pos_;
        } else if (d == '.' && peek(1) != '.') {
          ++pos_;
        } else {
          break;
        }
      }
      t.kind = Kind::number;
      t.text = text_.substr(t.begin, pos_ - t.begin);
    } else if (c == '\'' || c == '"') {
      ++pos_;
      while (true) {
        if (pos_ >= text_.size() || text_[pos_] == '\n')
          throw ParseError{t.line, c == '"' ? "name opened with '\"' is not closed on its line"
                                            : "text opened with ' is not closed on its line"};
        if (text_[pos_] == c) break;
        if (c == '\'' && text_[pos_] == '$' && pos_ + 1 < text_.size() && text_[pos_ + 1] != '\n')
          ++pos_;  // $' $$ $L ... escapes
        ++pos_;
      }
      t.kind = c == '"' ? Kind::quoted : Kind::string;
      t.text = text_.substr(t.begin + 1, pos_ - t.begin - 1);
      ++pos_;
    } else {
      t.kind = Kind::punct;
      if ((c == ':' && peek(1) == '=') || (c == '.' && peek(1) == '.'))
        pos_ += 2;
      else
        ++pos_;
      t.text = text_.substr(t.begin, pos_ - t.begin);
    }
    t.end = pos_;
    return t;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

const char* const kElementary[] = {
    "BOOL",    "BYTE",          "WORD",     "DWORD",          "LWORD",    "SINT",
    "USINT",   "INT",           "UINT",     "DINT",           "UDINT",    "LINT",
    "ULINT",   "REAL",          "LREAL",    "CHAR",           "WCHAR",    "TIME",
    "LTIME",   "S5TIME",        "DATE",     "TIME_OF_DAY",    "TOD",      "LTIME_OF_DAY",
    "LTOD",    "DATE_AND_TIME", "DT",       "LDATE_AND_TIME", "LDT",      "DTL",
    "TIMER",   "COUNTER",       "BLOCK_FB", "BLOCK_FC",       "BLOCK_DB", "BLOCK_SDB",
    "POINTER", "ANY",           "VARIANT",  "DB_ANY",         "VOID",     "NULL",
};

bool is_elementary(std::string_view word) {
  for (const char* k : kElementary)
    if (iequals(word, k)) return true;
  return false;
}

// "UDT", "FB", "SFB", "DB" followed by a number (STEP 7 absolute block names).
bool is_block_prefix(std::string_view word) {
  return iequals(word, "UDT") || iequals(word, "FB") || iequals(word, "SFB") || iequals(word, "DB");
}

// "DB12" / "UDT5" / "FB3" written without the space: the prefix and the number.
std::optional<std::pair<std::string, std::string_view>> split_block_word(std::string_view w) {
  for (std::string_view p : {"UDT", "SFB", "FB", "DB"}) {
    if (w.size() > p.size() && iequals(w.substr(0, p.size()), p)) {
      const auto rest = w.substr(p.size());
      bool digits = true;
      for (char c : rest) digits = digits && is_digit(c);
      if (digits) return std::make_pair(std::string(p), rest);
    }
  }
  return std::nullopt;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::map<int, std::string> comments, std::string_view text)
      : toks_(std::move(tokens)), comments_(std::move(comments)), text_(text) {}

  std::vector<Block> run() {
    std::vector<Block> out;
    while (cur().kind != Kind::end) {
      if (is_punct("{")) {
        skip_attributes();
        continue;
      }
      const Token& t = cur();
      if (is_word("DATA_BLOCK")) {
        out.push_back(data_block());
      } else if (is_word("TYPE")) {
        out.push_back(udt());
      } else if (is_word("FUNCTION_BLOCK")) {
        out.push_back(function_block());
      } else if (is_word("FUNCTION")) {
        skip_block("END_FUNCTION");
      } else if (is_word("ORGANIZATION_BLOCK")) {
        skip_block("END_ORGANIZATION_BLOCK");
      } else if (is_punct(";")) {
        advance();
      } else {
        fail(t.line,
             "expected DATA_BLOCK, TYPE, FUNCTION_BLOCK, FUNCTION or ORGANIZATION_BLOCK, "
             "found " +
                 describe(t));
      }
    }
    return out;
  }

 private:
  [[noreturn]] void fail(int line, std::string message) const {
    throw ParseError{line, std::move(message)};
  }

  const Token& cur() const { return toks_[i_]; }
  const Token& ahead(std::size_t n) const {
    return toks_[i_ + n < toks_.size() ? i_ + n : toks_.size() - 1];
  }
  const Token& advance() {
    const Token& t = toks_[i_];
    if (i_ + 1 < toks_.size()) ++i_;
    return t;
  }
  bool is_word(std::string_view w) const {
    return cur().kind == Kind::ident && iequals(cur().text, w);
  }
  bool is_punct(std::string_view p) const { return cur().kind == Kind::punct && cur().text == p; }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Kind::end:
        return "the end of the file";
      case Kind::quoted:
        return "\"" + util::escape_control(t.text) + "\"";
      case Kind::string:
        return "'" + util::escape_control(t.text) + "'";
      case Kind::title:
        return "TITLE";
      default:
        return "'" + util::escape_control(t.text) + "'";
    }
  }

  void expect_punct(std::string_view p, const std::string& what) {
    if (!is_punct(p))
      fail(cur().line, "expected '" + std::string(p) + "' " + what + ", found " + describe(cur()));
    advance();
  }

  // { name := 'value'; ... } at the cursor: returns the pairs (names upper case).
  std::vector<std::pair<std::string, std::string>> attributes() {
    std::vector<std::pair<std::string, std::string>> out;
    const int line = cur().line;
    advance();  // {
    while (!is_punct("}")) {
      if (cur().kind == Kind::end) fail(line, "attribute block opened with '{' is never closed");
      if (is_punct(";")) {
        advance();
        continue;
      }
      std::string name(cur().text);
      advance();
      std::string value;
      if (is_punct(":=")) {
        advance();
        if (cur().kind != Kind::end && !is_punct("}")) value = std::string(advance().text);
      }
      out.emplace_back(upper(name), value);
    }
    advance();  // }
    return out;
  }
  void skip_attributes() { (void)attributes(); }

  // Header attributes: S7_Optimized_Access.
  void header_attributes(Block& b) {
    const int line = cur().line;
    for (const auto& [name, value] : attributes()) {
      if (name == "S7_OPTIMIZED_ACCESS") {
        b.optimized = iequals(value, "TRUE");
        b.optimized_line = line;
      }
    }
  }

  // The block name after DATA_BLOCK / TYPE / FUNCTION_BLOCK: "name", name, DB 1, DB1.
  void block_name(Block& b, std::string_view prefix, std::string_view keyword) {
    const Token& t = cur();
    if (t.kind == Kind::quoted) {
      b.name = std::string(t.text);
      advance();
    } else if (t.kind == Kind::ident && iequals(t.text, prefix) && ahead(1).kind == Kind::number) {
      b.name = std::string(prefix) + " " + number_text(ahead(1));
      b.number = block_number(ahead(1));
      advance();
      advance();
    } else if (t.kind == Kind::ident) {
      if (auto s = split_block_word(t.text); s && iequals(s->first, prefix)) {
        Token n = t;
        n.text = s->second;
        b.name = std::string(prefix) + " " + number_text(n);
        b.number = block_number(n);
      } else {
        b.name = std::string(t.text);
      }
      advance();
    } else {
      fail(t.line,
           "expected the block name after " + std::string(keyword) + ", found " + describe(t));
    }
    if (b.name.empty()) fail(t.line, "empty block name after " + std::string(keyword));
  }

  std::string number_text(const Token& t) const {
    std::size_t i = 0;
    while (i + 1 < t.text.size() && t.text[i] == '0') ++i;
    return std::string(t.text.substr(i));
  }

  std::uint16_t block_number(const Token& t) const {
    std::uint32_t v = 0;
    for (char c : t.text) {
      if (!is_digit(c)) fail(t.line, "expected a block number, found " + describe(t));
      v = v * 10 + static_cast<std::uint32_t>(c - '0');
      if (v > 65535) break;
    }
    if (v < 1 || v > 65535)
      fail(t.line, "block number " + util::escape_control(t.text) + " is not in 1..65535");
    return static_cast<std::uint16_t>(v);
  }

  // TITLE, VERSION, AUTHOR, FAMILY, NAME, flags and attribute blocks after the block name.
  // Returns when the cursor is on something else.
  void header(Block& b) {
    while (true) {
      if (cur().kind == Kind::title) {
        advance();
      } else if (is_punct("{")) {
        header_attributes(b);
      } else if ((is_word("VERSION") || is_word("AUTHOR") || is_word("FAMILY") ||
                  is_word("NAME")) &&
                 ahead(1).kind == Kind::punct && ahead(1).text == ":") {
        const int line = cur().line;
        advance();
        advance();
        // One value; VERSION : 0.1 is one number token. Anything else on the line goes too.
        while (cur().kind != Kind::end && cur().line == line && !is_punct(";")) advance();
        if (is_punct(";")) advance();
      } else if (is_word("NON_RETAIN") || is_word("RETAIN") || is_word("KNOW_HOW_PROTECT") ||
                 is_word("READ_ONLY") || is_word("UNLINKED") || is_word("CODE_VERSION1") ||
                 is_word("DB_SPECIFIC") || is_word("STANDARD")) {
        advance();
      } else {
        return;
      }
    }
  }

  // A member or type name: identifier or "quoted name".
  std::string name_token(const std::string& what) {
    const Token& t = cur();
    if (t.kind == Kind::ident || t.kind == Kind::quoted) {
      if (t.text.empty()) fail(t.line, "empty name " + what);
      advance();
      return std::string(t.text);
    }
    fail(t.line, "expected a name " + what + ", found " + describe(t));
  }

  // Text of the value after ':=' up to the ';' (or the END_ keyword) that ends it.
  std::string value_text(std::string_view end_word) {
    const std::size_t from = cur().begin;
    std::size_t to = from;
    int nest = 0;
    while (cur().kind != Kind::end) {
      if (nest == 0 && (is_punct(";") || (!end_word.empty() && is_word(end_word)))) break;
      if (is_punct("[") || is_punct("(")) ++nest;
      if ((is_punct("]") || is_punct(")")) && nest > 0) --nest;
      to = cur().end;
      advance();
    }
    return collapse(text_.substr(from, to - from));
  }

  std::string comment_for(int first_line, int last_line) const {
    for (int l : {last_line, first_line}) {
      auto it = comments_.find(l);
      if (it != comments_.end()) return it->second;
    }
    return {};
  }

  std::int32_t bound(const std::string& member) {
    bool negative = false;
    const int line = cur().line;
    if (is_punct("-") || is_punct("+")) {
      negative = is_punct("-");
      advance();
    }
    const Token& t = cur();
    if (t.kind != Kind::number)
      fail(line, "member '" + member + "': array bound " + describe(t) +
                     " is not a number (constants in array bounds are not supported; write the "
                     "number)");
    std::int64_t v = 0;
    for (char c : t.text) {
      if (!is_digit(c))
        fail(line,
             "member '" + member + "': array bound " + describe(t) + " is not a whole number");
      v = v * 10 + (c - '0');
      if (v > 2147483647)
        fail(line, "member '" + member + "': array bound " + describe(t) + " is too large");
    }
    advance();
    return static_cast<std::int32_t>(negative ? -v : v);
  }

  // A type after ':' (cursor on its first token).
  TypeRef type(const std::string& member, int depth) {
    if (depth > kMaxDepth)
      fail(cur().line, "member '" + member + "': types nested more than " +
                           std::to_string(kMaxDepth) + " levels deep");
    TypeRef t;
    const Token& first = cur();
    const std::size_t from = first.begin;
    if (first.kind == Kind::quoted) {
      t.kind = TypeRef::Kind::named;
      t.name = std::string(first.text);
      t.text = "\"" + t.name + "\"";
      advance();
      return t;
    }
    if (first.kind != Kind::ident)
      fail(first.line, "expected a type for member '" + member + "', found " + describe(first));
    if (is_word("STRUCT")) {
      advance();
      t.kind = TypeRef::Kind::structure;
      t.text = std::string(first.text);
      t.members = members("END_STRUCT", depth + 1);
      advance();  // END_STRUCT
      return t;
    }
    if (is_word("ARRAY")) {
      advance();
      t.kind = TypeRef::Kind::array;
      expect_punct("[", "after Array for member '" + member + "'");
      while (true) {
        if (is_punct("*"))
          fail(cur().line, "member '" + member +
                               "': Array[*] (variable bounds) exists only in optimized blocks");
        const std::int32_t lo = bound(member);
        expect_punct("..", "between the array bounds of member '" + member + "'");
        const std::int32_t hi = bound(member);
        if (hi < lo)
          fail(first.line, "member '" + member + "': array bounds " + std::to_string(lo) + ".." +
                               std::to_string(hi) + " are reversed");
        t.dims.emplace_back(lo, hi);
        if (t.dims.size() > kMaxDims)
          fail(first.line, "member '" + member + "': more than 6 array dimensions");
        if (is_punct(",")) {
          advance();
          continue;
        }
        expect_punct("]", "after the array bounds of member '" + member + "'");
        break;
      }
      if (!is_word("OF"))
        fail(cur().line, "expected 'of' after the array bounds of member '" + member + "', found " +
                             describe(cur()));
      const std::size_t of_end = cur().end;
      advance();
      t.element = std::make_shared<TypeRef>(type(member, depth + 1));
      t.text = collapse(text_.substr(from, of_end - from)) + " " + t.element->text;
      return t;
    }
    if (is_word("STRING") || is_word("WSTRING")) {
      t.kind = is_word("STRING") ? TypeRef::Kind::string : TypeRef::Kind::wstring;
      const std::uint32_t max = t.kind == TypeRef::Kind::string ? 254 : 16382;
      t.length = 254;
      advance();
      if (is_punct("[")) {
        advance();
        const Token& n = cur();
        std::uint32_t v = 0;
        bool ok = n.kind == Kind::number;
        if (ok)
          for (char c : n.text) {
            ok = ok && is_digit(c);
            if (!ok) break;
            v = v * 10 + static_cast<std::uint32_t>(c - '0');
            if (v > 100000) break;
          }
        if (!ok)
          fail(n.line, "member '" + member + "': expected the string length in " +
                           std::string(first.text) + "[n], found " + describe(n) +
                           " (constants are not supported; write the number)");
        if (v > max)
          fail(n.line, "member '" + member + "': " + std::string(first.text) + "[" +
                           std::to_string(v) + "] is longer than " + std::to_string(max));
        t.length = static_cast<std::uint16_t>(v);
        advance();
        expect_punct("]", "after the string length of member '" + member + "'");
      }
      t.text = collapse(text_.substr(from, toks_[i_ - 1].end - from));
      return t;
    }
    if (is_block_prefix(first.text) && ahead(1).kind == Kind::number) {
      t.kind = TypeRef::Kind::named;
      t.name = upper(first.text) + " " + number_text(ahead(1));
      (void)block_number(ahead(1));
      t.text = t.name;
      advance();
      advance();
      return t;
    }
    if (auto s = split_block_word(first.text); s && s->first != "DB") {
      t.kind = TypeRef::Kind::named;
      Token n = first;
      n.text = s->second;
      t.name = s->first + " " + number_text(n);
      t.text = std::string(first.text);
      advance();
      return t;
    }
    t.text = std::string(first.text);
    if (is_elementary(first.text)) {
      t.kind = TypeRef::Kind::elementary;
      t.name = upper(first.text);
    } else {
      t.kind = TypeRef::Kind::named;  // a system type such as TON_TIME / IEC_TIMER
      t.name = std::string(first.text);
    }
    advance();
    return t;
  }

  // Members up to `end_word` (END_STRUCT / END_VAR); the cursor stops on it.
  std::vector<Member> members(std::string_view end_word, int depth) {
    std::vector<Member> out;
    const int open_line = toks_[i_ > 0 ? i_ - 1 : 0].line;
    while (!is_word(end_word)) {
      if (cur().kind == Kind::end)
        fail(open_line, "missing " + std::string(end_word) + " for the declaration opened here");
      if (is_punct(";")) {
        advance();
        continue;
      }
      if (is_punct("{")) {
        skip_attributes();
        continue;
      }
      if (cur().kind == Kind::title) {
        advance();
        continue;
      }
      Member m;
      m.line = cur().line;
      m.name = name_token("for a member");
      if (is_punct("{")) skip_attributes();
      if (!is_punct(":"))
        fail(cur().line, "expected ':' after member name '" + util::escape_control(m.name) +
                             "', found " + describe(cur()));
      advance();
      if (is_punct("{")) skip_attributes();
      m.type = type(m.name, depth);
      if (is_punct("{")) skip_attributes();
      if (is_punct(":=")) {
        advance();
        m.initial = value_text(end_word);
      }
      int last_line = toks_[i_ > 0 ? i_ - 1 : 0].line;
      if (is_punct(";")) {
        last_line = cur().line;
        advance();
      } else if (!is_word(end_word)) {
        fail(cur().line, "expected ';' after member '" + util::escape_control(m.name) +
                             "', found " + describe(cur()));
      }
      m.comment = comment_for(m.line, last_line);
      out.push_back(std::move(m));
    }
    return out;
  }

  // BEGIN section assignments up to `end_word` (cursor after BEGIN; stops on end_word).
  std::vector<Assignment> begin_section(std::string_view end_word) {
    std::vector<Assignment> out;
    while (!is_word(end_word)) {
      if (cur().kind == Kind::end) fail(cur().line, "missing " + std::string(end_word));
      if (is_punct(";")) {
        advance();
        continue;
      }
      Assignment a;
      a.line = cur().line;
      a.path = name_token("at the start of a BEGIN assignment");
      while (true) {
        if (is_punct(".")) {
          advance();
          a.path += "." + name_token("after '.' in a BEGIN assignment");
        } else if (is_punct("[")) {
          advance();
          a.path += "[";
          while (true) {
            std::string sign;
            if (is_punct("-") || is_punct("+")) {
              if (is_punct("-")) sign = "-";
              advance();
            }
            if (cur().kind != Kind::number)
              fail(cur().line, "expected an index in the BEGIN assignment to '" +
                                   util::escape_control(a.path) + "', found " + describe(cur()));
            a.path += sign + number_text(cur());
            advance();
            if (is_punct(",")) {
              advance();
              a.path += ",";
              continue;
            }
            expect_punct("]", "after the index in the BEGIN assignment to '" +
                                  util::escape_control(a.path) + "'");
            a.path += "]";
            break;
          }
        } else {
          break;
        }
      }
      if (!is_punct(":="))
        fail(cur().line, "expected ':=' after '" + util::escape_control(a.path) +
                             "' in the BEGIN section, found " + describe(cur()));
      advance();
      a.value = value_text(end_word);
      out.push_back(std::move(a));
    }
    return out;
  }

  Block data_block() {
    Block b;
    b.kind = Block::Kind::data_block;
    b.line = cur().line;
    advance();
    block_name(b, "DB", "DATA_BLOCK");
    header(b);
    bool declared = false;
    while (!is_word("BEGIN") && !is_word("END_DATA_BLOCK")) {
      if (cur().kind == Kind::end) fail(b.line, "DATA_BLOCK has no END_DATA_BLOCK");
      if (is_word("STRUCT")) {
        if (declared || b.of)
          fail(cur().line, "expected BEGIN after the declaration, found a second STRUCT");
        advance();
        b.members = members("END_STRUCT", 1);
        advance();
        declared = true;
      } else if (is_word("VAR")) {
        if (b.of) fail(cur().line, "expected BEGIN after the type of the DB, found VAR");
        advance();
        while (is_word("RETAIN") || is_word("NON_RETAIN")) advance();
        auto more = members("END_VAR", 1);
        for (auto& m : more) b.members.push_back(std::move(m));
        advance();
        declared = true;
      } else if (is_punct(";")) {
        advance();
      } else if (is_punct("{") || cur().kind == Kind::title || is_word("VERSION") ||
                 is_word("NON_RETAIN") || is_word("RETAIN")) {
        const std::size_t before = i_;
        header(b);
        if (i_ == before)  // VERSION without ':'
          fail(cur().line,
               "expected ':' after " + describe(cur()) + ", found " + describe(ahead(1)));
      } else if (!declared && !b.of && (cur().kind == Kind::quoted || cur().kind == Kind::ident)) {
        // An instance DB ("Pump", FB 3) or a DB of a UDT ("Motor", UDT 5).
        const int line = cur().line;
        TypeRef t = type(b.name, 1);
        if (t.kind != TypeRef::Kind::named)
          fail(line, "expected STRUCT, VAR or the FB/UDT the DB is an instance of, found '" +
                         t.text + "'");
        b.of = t.name;
      } else {
        fail(cur().line, "expected STRUCT, BEGIN or END_DATA_BLOCK in DATA_BLOCK " +
                             quoted(b.name) + ", found " + describe(cur()));
      }
    }
    if (is_word("BEGIN")) {
      advance();
      b.begin = begin_section("END_DATA_BLOCK");
    }
    advance();  // END_DATA_BLOCK
    return b;
  }

  static std::string quoted(const std::string& name) {
    return "\"" + util::escape_control(name) + "\"";
  }

  Block udt() {
    Block b;
    b.kind = Block::Kind::type;
    b.line = cur().line;
    advance();
    block_name(b, "UDT", "TYPE");
    header(b);
    if (!is_word("STRUCT"))
      fail(cur().line, "expected STRUCT in TYPE " + quoted(b.name) + ", found " + describe(cur()));
    advance();
    b.members = members("END_STRUCT", 1);
    advance();
    while (is_punct(";")) advance();
    if (!is_word("END_TYPE"))
      fail(cur().line, "expected END_TYPE after END_STRUCT of TYPE " + quoted(b.name) + ", found " +
                           describe(cur()));
    advance();
    return b;
  }

  Block function_block() {
    Block b;
    b.kind = Block::Kind::function_block;
    b.line = cur().line;
    advance();
    block_name(b, "FB", "FUNCTION_BLOCK");
    header(b);
    while (!is_word("BEGIN") && !is_word("END_FUNCTION_BLOCK")) {
      if (cur().kind == Kind::end) fail(b.line, "FUNCTION_BLOCK has no END_FUNCTION_BLOCK");
      if (is_punct(";")) {
        advance();
        continue;
      }
      if (is_punct("{") || cur().kind == Kind::title) {
        header(b);
        continue;
      }
      std::optional<Section> section;
      bool keep = true;
      if (is_word("VAR_INPUT")) {
        section = Section::input;
      } else if (is_word("VAR_OUTPUT")) {
        section = Section::output;
      } else if (is_word("VAR_IN_OUT")) {
        section = Section::in_out;
      } else if (is_word("VAR") || is_word("VAR_STAT")) {
        section = Section::stat;
      } else if (is_word("VAR_TEMP")) {
        keep = false;
      } else {
        fail(cur().line,
             "expected VAR_INPUT, VAR_OUTPUT, VAR_IN_OUT, VAR, VAR_TEMP or BEGIN in "
             "FUNCTION_BLOCK " +
                 quoted(b.name) + ", found " + describe(cur()));
      }
      advance();
      while (is_word("RETAIN") || is_word("NON_RETAIN") || is_word("CONSTANT") ||
             is_word("DB_SPECIFIC")) {
        if (is_word("CONSTANT")) keep = false;
        advance();
      }
      auto ms = members("END_VAR", 1);
      advance();
      if (keep && section) {
        SectionMembers s;
        s.section = *section;
        s.members = std::move(ms);
        b.sections.push_back(std::move(s));
      }
    }
    if (is_word("BEGIN")) skip_to("END_FUNCTION_BLOCK", b.line);
    advance();
    return b;
  }

  void skip_to(std::string_view end_word, int line) {
    while (!is_word(end_word)) {
      if (cur().kind == Kind::end) fail(line, "missing " + std::string(end_word));
      advance();
    }
  }

  void skip_block(std::string_view end_word) {
    const int line = cur().line;
    skip_to(end_word, line);
    advance();
  }

  std::vector<Token> toks_;
  std::map<int, std::string> comments_;
  std::string_view text_;
  std::size_t i_ = 0;
};

}  // namespace

s7::Result<CpuFamily> parse_cpu(std::string_view text) {
  std::string t = upper(trim(text));
  if (t.rfind("S7", 0) == 0) {
    t = t.substr(2);
    if (!t.empty() && (t[0] == '-' || t[0] == '_' || t[0] == ' ')) t = t.substr(1);
  }
  if (t == "300") return CpuFamily::s7_300;
  if (t == "400") return CpuFamily::s7_400;
  if (t == "1200") return CpuFamily::s7_1200;
  if (t == "1500") return CpuFamily::s7_1500;
  return s7::Error(s7::Errc::invalid_argument, "unknown CPU family '" + util::escape_control(text) +
                                                   "': expected 300, 400, 1200 or 1500");
}

std::string_view to_string(CpuFamily cpu) {
  switch (cpu) {
    case CpuFamily::s7_300:
      return "S7-300";
    case CpuFamily::s7_400:
      return "S7-400";
    case CpuFamily::s7_1200:
      return "S7-1200";
    case CpuFamily::s7_1500:
      return "S7-1500";
  }
  return "S7-1500";
}

s7::Result<std::vector<Block>> parse_source(std::string_view text, std::string_view file) {
  const std::string name = util::escape_control(file);
  try {
    // A UTF-8 byte-order mark is not part of the text.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::map<int, std::string> comments;
    auto tokens = Lexer(text).run(comments);
    Parser p(std::move(tokens), std::move(comments), text);
    auto blocks = p.run();
    for (auto& b : blocks) b.file = std::string(file);
    return blocks;
  } catch (const ParseError& e) {
    return s7::Error(s7::Errc::invalid_argument,
                     name + ":" + std::to_string(e.line) + ": " + e.message);
  }
}

}  // namespace symbols
