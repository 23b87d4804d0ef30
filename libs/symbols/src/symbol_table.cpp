// The sources and tag tables of one PLC program: DB numbers, layouts and symbol lookup.
#include "symbols/symbol_table.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "util/text.hpp"

namespace symbols {

namespace {

// Leaves of one resolve: a whole DB of big arrays must not run the memory out.
constexpr std::size_t kMaxLeaves = 1'000'000;

std::string lower(std::string_view s) {
  return util::ascii_lower(s);
}

std::string quoted(std::string_view name) {
  return "\"" + util::escape_control(name) + "\"";
}

bool ident_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool ident_char(char c) {
  return ident_start(c) || (c >= '0' && c <= '9');
}

bool plain_identifier(std::string_view s) {
  if (s.empty() || !ident_start(s[0])) return false;
  return std::all_of(s.begin(), s.end(), ident_char);
}

// A member name as the canonical symbol writes it: quoted when it is not an identifier.
std::string name_text(std::string_view s) {
  return plain_identifier(s) ? std::string(s) : quoted(s);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::size_t distance(std::string_view a, std::string_view b) {
  const std::string x = lower(a), y = lower(b);
  std::vector<std::size_t> row(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (x[i - 1] == y[j - 1] ? 0u : 1u)});
      diag = up;
    }
  }
  return row[y.size()];
}

// `names` sorted by closeness to `want` (stable for equal distance).
std::vector<std::string> closest(const std::string& want, std::vector<std::string> names) {
  std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    return distance(want, a) < distance(want, b);
  });
  return names;
}

std::string index_text(const std::vector<std::int64_t>& idx) {
  std::string s = "[";
  for (std::size_t i = 0; i < idx.size(); ++i) s += (i ? "," : "") + std::to_string(idx[i]);
  return s + "]";
}

std::string dims_text(const std::vector<std::pair<std::int32_t, std::int32_t>>& dims) {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i)
    s += (i ? ", " : "") + std::to_string(dims[i].first) + ".." + std::to_string(dims[i].second);
  return s + "]";
}

// One step of a symbolic path.
struct Segment {
  bool is_index = false;
  std::string name;               // as written, quotes removed
  std::vector<std::int64_t> idx;  // is_index
};

struct ParsedSymbol {
  std::string head;  // DB name or tag symbol
  bool head_quoted = false;
  std::vector<Segment> rest;
};

s7::Result<ParsedSymbol> parse_symbol(std::string_view text) {
  const std::string shown = util::escape_control(text);
  auto bad = [&](std::size_t at, const std::string& what) {
    return s7::Error(s7::Errc::invalid_argument,
                     "symbol '" + shown + "': column " + std::to_string(at + 1) + ": " + what);
  };
  ParsedSymbol out;
  std::size_t i = 0;
  auto name = [&](std::string& into, bool& was_quoted) -> bool {
    if (i < text.size() && text[i] == '"') {
      const auto close = text.find('"', i + 1);
      if (close == std::string_view::npos || close == i + 1) return false;
      into = std::string(text.substr(i + 1, close - i - 1));
      i = close + 1;
      was_quoted = true;
      return true;
    }
    const std::size_t from = i;
    while (i < text.size() && (ident_char(text[i]) || text[i] == '%')) ++i;
    if (i == from) return false;
    into = std::string(text.substr(from, i - from));
    was_quoted = false;
    return true;
  };
  if (!name(out.head, out.head_quoted)) return bad(0, "expected a DB name or a \"symbol\"");
  // "DB 1" written without quotes: DB 1.counter.
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    if (c == '.') {
      ++i;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      Segment s;
      bool q = false;
      if (!name(s.name, q)) return bad(i, "expected a member name after '.'");
      out.rest.push_back(std::move(s));
    } else if (c == '[') {
      ++i;
      Segment s;
      s.is_index = true;
      while (true) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        bool negative = false;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
        const std::size_t from = i;
        std::int64_t v = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - from < 11)
          v = v * 10 + (text[i++] - '0');
        if (i == from) return bad(i, "expected an index");
        s.idx.push_back(negative ? -v : v);
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        if (i < text.size() && text[i] == ',') {
          ++i;
          continue;
        }
        if (i < text.size() && text[i] == ']') {
          ++i;
          break;
        }
        return bad(i, "expected ',' or ']' in the index");
      }
      out.rest.push_back(std::move(s));
    } else {
      return bad(i, std::string("expected '.' or '[', found '") +
                        util::escape_control(std::string(1, c)) + "'");
    }
  }
  return out;
}

std::string element_type(const std::string& array_type) {
  const std::string l = lower(array_type);
  const auto at = l.rfind(" of ");
  return at == std::string::npos ? array_type : array_type.substr(at + 4);
}

// The address of element number k (0-based, in memory order) of an elementary array.
s7::Address element_address(const s7::Address& a, std::uint64_t k) {
  s7::Address e = a;
  e.count = 1;
  e.is_array = false;
  if (a.type == s7::DataType::Bool) {
    const std::uint64_t bit = a.bit + k;
    e.offset = static_cast<std::uint32_t>(a.offset + bit / 8);
    e.bit = static_cast<std::uint8_t>(bit % 8);
  } else {
    e.offset = static_cast<std::uint32_t>(a.offset + k * s7::element_size(a.type, a.string_length));
  }
  return e;
}

std::uint64_t element_count(const Placed& p) {
  std::uint64_t n = 1;
  for (const auto& [lo, hi] : p.dims) n *= static_cast<std::uint64_t>(std::int64_t{hi} - lo + 1);
  return n;
}

// Appends one leaf per element of an elementary array (suffix = prefix + [i,j]).
bool expand_array(const Placed& p, const std::string& prefix, const std::string& key_prefix,
                  const Layout& l, std::vector<Leaf>& out) {
  const std::uint64_t n = element_count(p);
  if (out.size() + n > kMaxLeaves) return false;
  std::vector<std::int64_t> idx;
  for (const auto& d : p.dims) idx.push_back(d.first);
  for (std::uint64_t k = 0; k < n; ++k) {
    Leaf leaf;
    const std::string it = index_text(idx);
    leaf.suffix = prefix + it;
    leaf.address = element_address(*p.address, k);
    if (auto f = l.element_initial.find(key_prefix + it); f != l.element_initial.end())
      leaf.initial = f->second;
    out.push_back(std::move(leaf));
    for (std::size_t d = idx.size(); d-- > 0;) {
      if (idx[d] < p.dims[d].second) {
        ++idx[d];
        break;
      }
      idx[d] = p.dims[d].first;
    }
  }
  return true;
}

}  // namespace

s7::Result<void> SymbolTable::add_file(std::string_view text, std::string_view file) {
  if (auto format = detect_tag_table(text, file)) {
    auto rows = parse_tag_table(text, file, *format);
    if (!rows) return rows.error();
    for (auto& r : *rows) tags_.push_back(std::move(r));
    return {};
  }
  auto blocks = parse_source(text, file);
  if (!blocks) return blocks.error();
  for (auto& b : *blocks) {
    for (const auto& other : blocks_) {
      if (lower(other.name) != lower(b.name)) continue;
      return s7::Error(s7::Errc::invalid_argument,
                       util::escape_control(b.file) + ":" + std::to_string(b.line) + ": block " +
                           quoted(b.name) + " is declared twice: also in " +
                           util::escape_control(other.file) + ":" + std::to_string(other.line));
    }
    blocks_.push_back(std::move(b));
  }
  return {};
}

void SymbolTable::set_db_number(const std::string& block, std::uint16_t number) {
  std::string key(trim(block));
  if (key.size() >= 2 && key.front() == '"' && key.back() == '"')
    key = key.substr(1, key.size() - 2);
  db_numbers_[lower(key)] = number;
}

s7::Result<void> SymbolTable::finish() {
  layouts_.clear();
  index_.clear();
  // A STEP 7 tag table names blocks: "Pump" = FB 3. Types are then found under both names
  // (DATA_BLOCK DB 2 FB 3 with FUNCTION_BLOCK "Pump", or a member of type "Valve" with
  // FUNCTION_BLOCK FB 4).
  std::vector<Block> library = blocks_;
  for (const auto& t : tags_) {
    if (t.block_kind.empty() || lower(t.block_kind) == "db" || t.block_number == 0) continue;
    const std::string absolute =
        util::ascii_lower(t.block_kind) + " " + std::to_string(t.block_number);
    const Block* by_symbol = nullptr;
    const Block* by_number = nullptr;
    for (const auto& b : blocks_) {
      if (b.kind == Block::Kind::data_block) continue;
      if (lower(b.name) == lower(t.name)) by_symbol = &b;
      if (lower(b.name) == absolute) by_number = &b;
    }
    if (by_symbol && !by_number) {
      library.push_back(*by_symbol);
      library.back().name = t.block_kind + " " + std::to_string(t.block_number);
    } else if (by_number && !by_symbol) {
      library.push_back(*by_number);
      library.back().name = t.name;
    }
  }
  for (const auto& b : blocks_) {
    if (b.kind == Block::Kind::function_block) continue;
    std::optional<std::uint16_t> number;
    if (b.kind == Block::Kind::data_block) {
      if (auto it = db_numbers_.find(lower(b.name)); it != db_numbers_.end()) number = it->second;
      if (!number && b.number) number = b.number;
      if (!number)
        for (const auto& t : tags_)
          if (lower(t.block_kind) == "db" && lower(t.name) == lower(b.name) && t.block_number)
            number = t.block_number;
      if (!number) {
        return s7::Error(s7::Errc::invalid_argument,
                         "DB " + quoted(b.name) + " (" + util::escape_control(b.file) + ":" +
                             std::to_string(b.line) +
                             ") has no number: TIA sources carry none; give it with "
                             "db_numbers = { " +
                             name_text(b.name) +
                             " = 1 } in the config or --db-number 1 (with "
                             "the DB's number in the PLC), or add the PLC tag table that lists "
                             "it");
      }
      if (*number == 0)
        return s7::Error(s7::Errc::invalid_argument,
                         "DB " + quoted(b.name) + ": DB number 0 is not in 1..65535");
      for (const auto& other : layouts_) {
        if (other.kind == Block::Kind::data_block && other.number == number)
          return s7::Error(s7::Errc::invalid_argument,
                           "DB " + quoted(b.name) + " (" + util::escape_control(b.file) +
                               ") and DB " + quoted(other.block) + " (" +
                               util::escape_control(other.file) + ") both have number " +
                               std::to_string(*number));
      }
    }
    auto l = lay_out(b, library, cpu_, number);
    if (!l) return l.error();
    layouts_.push_back(std::move(*l));
  }
  for (const auto& l : layouts_) {
    std::map<std::string, std::size_t> m;
    for (std::size_t i = 0; i < l.members.size(); ++i) m.emplace(lower(l.members[i].path), i);
    index_.push_back(std::move(m));
  }
  return {};
}

bool SymbolTable::looks_symbolic(std::string_view text) {
  text = trim(text);
  if (text.empty()) return false;
  if (text.front() == '"') return true;
  if (s7::parse_address(text).ok()) return false;
  std::size_t i = 0;
  if (!ident_start(text[0])) return false;
  while (i < text.size() && ident_char(text[i])) ++i;
  if (i >= text.size() || text[i] != '.' || i + 1 >= text.size()) return false;
  const std::string_view member = text.substr(i + 1);
  if (!(ident_start(member[0]) || member[0] == '"')) return false;
  // DB1.DBX0.9 and the like: an absolute address with a mistake, which parse_address explains.
  const std::string m = lower(member.substr(0, std::min<std::size_t>(member.size(), 4)));
  // DB1.DBQ4 too: DB, one letter and a digit is the shape of an absolute DB address.
  if (m.size() == 4 && m.rfind("db", 0) == 0 && m[2] >= 'a' && m[2] <= 'z' && m[3] >= '0' &&
      m[3] <= '9')
    return false;
  return true;
}

bool SymbolTable::is_symbol(std::string_view text, bool have_sources) {
  if (!looks_symbolic(text)) return false;
  const auto t = trim(text);
  return have_sources || (!t.empty() && t.front() == '"');
}

s7::Result<Resolved> SymbolTable::resolve(std::string_view symbol) const {
  const std::string shown = util::escape_control(trim(symbol));
  auto parsed = parse_symbol(trim(symbol));
  if (!parsed) return parsed.error();
  auto fail = [](std::string m) { return s7::Error(s7::Errc::invalid_argument, std::move(m)); };

  // A tag table symbol: "Start_Button".
  if (parsed->rest.empty()) {
    for (const auto& t : tags_) {
      if (lower(t.name) != lower(parsed->head) || !t.address) continue;
      Resolved r;
      r.symbol = quoted(t.name);
      r.type = t.type;
      r.whole = *t.address;
      if (t.address->is_array && t.address->count > 1) {
        for (std::uint32_t k = 0; k < t.address->count; ++k) {
          Leaf leaf;
          leaf.suffix = "[" + std::to_string(k) + "]";
          leaf.address = element_address(*t.address, k);
          r.leaves.push_back(std::move(leaf));
        }
      } else {
        r.leaves.push_back(Leaf{"", *t.address, ""});
      }
      return r;
    }
  }

  // The DB: its name, DB<n> / "DB <n>", or a tag table's name for a DB number.
  const std::string head = lower(parsed->head);
  std::size_t li = layouts_.size();
  for (std::size_t i = 0; i < layouts_.size() && li == layouts_.size(); ++i)
    if (layouts_[i].kind == Block::Kind::data_block && lower(layouts_[i].block) == head) li = i;
  if (li == layouts_.size() && head.size() > 2 && head.rfind("db", 0) == 0) {
    std::string digits(trim(head.substr(2)));
    std::uint32_t n = 0;
    bool ok = !digits.empty() && digits.size() <= 5;
    for (char c : digits) {
      ok = ok && c >= '0' && c <= '9';
      if (ok) n = n * 10 + static_cast<std::uint32_t>(c - '0');
    }
    for (std::size_t i = 0; ok && i < layouts_.size() && li == layouts_.size(); ++i)
      if (layouts_[i].kind == Block::Kind::data_block && layouts_[i].number == n) li = i;
  }
  if (li == layouts_.size()) {
    for (const auto& t : tags_) {
      if (lower(t.block_kind) != "db" || lower(t.name) != head) continue;
      for (std::size_t i = 0; i < layouts_.size() && li == layouts_.size(); ++i)
        if (layouts_[i].kind == Block::Kind::data_block && layouts_[i].number == t.block_number)
          li = i;
    }
  }
  if (li == layouts_.size()) {
    std::vector<std::string> names;
    std::map<std::string, std::string> shown_as;
    for (const auto& l : layouts_) {
      if (l.kind != Block::Kind::data_block) continue;
      names.push_back(l.block);
      shown_as[l.block] =
          quoted(l.block) + (l.number ? " (DB" + std::to_string(*l.number) + ")" : "");
    }
    std::vector<std::string> tag_names;
    for (const auto& t : tags_)
      if (t.address) tag_names.push_back(t.name);
    std::string known;
    for (const auto& n : closest(parsed->head, names))
      known += (known.empty() ? "" : ", ") + shown_as[n];
    if (parsed->rest.empty()) {
      std::string tags;
      std::size_t count = 0;
      for (const auto& n : closest(parsed->head, tag_names)) {
        if (++count > 10) {
          tags += ", ...";
          break;
        }
        tags += (tags.empty() ? "" : ", ") + quoted(n);
      }
      return fail(
          "no symbol or DB named " + quoted(parsed->head) +
          "; known DBs: " + (known.empty() ? "none" : known) +
          (tags.empty() ? std::string("; no tag table symbols") : "; tag table symbols: " + tags));
    }
    return fail(
        "no DB named " + quoted(parsed->head) + "; known: " +
        (known.empty() ? std::string("none (give the DB sources with symbols = [...])") : known));
  }
  const Layout& l = layouts_[li];
  const auto& index = index_[li];
  const std::string db_text = quoted(l.block);
  const std::uint16_t db = l.number.value_or(0);

  // Walk the path.
  std::string path;                                  // declared spelling: motor[3].speed
  std::string canonical;                             // the same with quotes where needed
  std::optional<std::size_t> at;                     // the entry reached (none: the whole DB)
  std::optional<std::vector<std::int64_t>> element;  // an element of an elementary array
  std::uint64_t element_k = 0;
  for (const auto& s : parsed->rest) {
    if (element)
      return fail(db_text + "." + canonical + " is one " + element_type(l.members[*at].type) +
                  " value; it has no " + (s.is_index ? "index" : "members"));
    const Placed* cur = at ? &l.members[*at] : nullptr;
    if (!s.is_index) {
      if (cur && cur->kind == Placed::Kind::elementary)
        return fail(db_text + "." + canonical + " is a " + cur->type + "; it has no member '" +
                    util::escape_control(s.name) + "'");
      if (cur && cur->kind == Placed::Kind::array)
        return fail(db_text + "." + canonical + " is an array (" + cur->type +
                    "): index it first, e.g. " + canonical + "[" +
                    std::to_string(cur->dims.empty() ? 0 : cur->dims[0].first) + "]");
      const std::string key = lower(path.empty() ? s.name : path + "." + s.name);
      auto it = index.find(key);
      if (it == index.end()) {
        // Suggest among the members at this level.
        const int depth = cur ? cur->depth + 1 : 0;
        const std::string prefix = path.empty() ? "" : lower(path) + ".";
        std::vector<std::string> names;
        const std::size_t from = at ? *at + 1 : 0;
        for (std::size_t j = from; j < l.members.size(); ++j) {
          const Placed& m = l.members[j];
          if (cur && m.depth <= cur->depth) break;
          if (m.depth != depth || lower(m.path).rfind(prefix, 0) != 0) continue;
          names.push_back(m.path.substr(prefix.size()));
        }
        std::string where = path.empty() ? "DB " + db_text : db_text + "." + canonical;
        std::string msg = where + " has no member '" + util::escape_control(s.name) + "'";
        auto sorted = closest(s.name, names);
        if (!sorted.empty() &&
            distance(s.name, sorted[0]) <= std::max<std::size_t>(2, s.name.size() / 3))
          msg += "; did you mean '" + sorted[0] + "'?";
        else if (!names.empty()) {
          msg += "; its members: ";
          for (std::size_t j = 0; j < names.size() && j < 12; ++j)
            msg += (j ? ", " : "") + names[j];
          if (names.size() > 12) msg += ", ...";
        }
        return fail(msg);
      }
      const Placed& m = l.members[it->second];
      const std::string last = m.path.substr(path.empty() ? 0 : path.size() + 1);
      path = m.path;
      canonical += (canonical.empty() ? "" : ".") + name_text(last);
      at = it->second;
      continue;
    }
    // An index.
    if (!cur || cur->kind != Placed::Kind::array)
      return fail((cur ? db_text + "." + canonical + " is not an array (" + cur->type + ")"
                       : "DB " + db_text + " is not an array") +
                  "; it takes no index " + index_text(s.idx));
    if (s.idx.size() != cur->dims.size())
      return fail(db_text + "." + canonical + " has " + std::to_string(cur->dims.size()) +
                  (cur->dims.size() == 1 ? " dimension" : " dimensions") + " (" + cur->type +
                  "); " + index_text(s.idx) + " gives " + std::to_string(s.idx.size()));
    for (std::size_t d = 0; d < s.idx.size(); ++d)
      if (s.idx[d] < cur->dims[d].first || s.idx[d] > cur->dims[d].second)
        return fail(db_text + "." + canonical + index_text(s.idx) + ": index " +
                    std::to_string(s.idx[d]) + " is out of bounds " + dims_text(cur->dims) +
                    " of " + cur->type);
    const std::string key = lower(path) + index_text(s.idx);
    if (auto it = index.find(key); it != index.end()) {
      path = l.members[it->second].path;
      canonical += index_text(s.idx);
      at = it->second;
      continue;
    }
    // An element of an elementary array: no entry of its own.
    std::uint64_t k = 0;
    for (std::size_t d = 0; d < s.idx.size(); ++d)
      k = k * static_cast<std::uint64_t>(std::int64_t{cur->dims[d].second} - cur->dims[d].first +
                                         1) +
          static_cast<std::uint64_t>(s.idx[d] - cur->dims[d].first);
    element = s.idx;
    element_k = k;
    canonical += index_text(s.idx);
  }

  Resolved r;
  r.symbol = db_text + (canonical.empty() ? "" : "." + canonical);
  const std::string key_prefix = lower(path);
  if (element) {
    const Placed& arr = l.members[*at];
    if (!arr.address)
      return fail(r.symbol + " cannot be read: " +
                  (arr.unreadable.empty() ? std::string("it has no address") : arr.unreadable));
    r.type = element_type(arr.type);
    r.whole = element_address(*arr.address, element_k);
    Leaf leaf{"", r.whole, ""};
    if (auto f = l.element_initial.find(key_prefix + index_text(*element));
        f != l.element_initial.end())
      leaf.initial = f->second;
    r.leaves.push_back(std::move(leaf));
    return r;
  }
  if (at) {
    const Placed& p = l.members[*at];
    r.type = p.type;
    if (p.kind != Placed::Kind::structure &&
        !(p.kind == Placed::Kind::array && !p.address && p.unreadable.empty())) {
      if (!p.address)
        return fail(r.symbol + " cannot be read: it is " +
                    (p.unreadable.empty() ? std::string("without an address") : p.unreadable));
      r.whole = *p.address;
      if (p.kind == Placed::Kind::elementary) {
        r.leaves.push_back(Leaf{"", *p.address, p.initial});
      } else if (!expand_array(p, "", key_prefix, l, r.leaves)) {
        return fail(r.symbol + ": too many values to list");
      }
      return r;
    }
  } else {
    r.type = "DB";
  }
  // A struct, an array of structs, or the whole DB: its bytes and every value in it.
  const std::uint32_t offset = at ? l.members[*at].offset : 0;
  const std::uint32_t size = at ? l.members[*at].size : l.size;
  if (size == 0) return fail(r.symbol + " takes no bytes: nothing to read");
  r.whole.area = s7::Area::db;
  r.whole.db = db;
  r.whole.offset = offset;
  r.whole.width = s7::Width::B;
  r.whole.type = s7::DataType::Byte;
  r.whole.count = size;
  r.whole.is_array = true;
  r.whole.explicit_type = true;
  const std::size_t from = at ? *at + 1 : 0;
  const int depth = at ? l.members[*at].depth : -1;
  const std::size_t cut = at ? path.size() : 0;
  for (std::size_t j = from; j < l.members.size(); ++j) {
    const Placed& m = l.members[j];
    if (m.depth <= depth) break;
    if (!m.address) continue;  // structs (their members follow) and parameters
    std::string suffix = m.path.substr(cut);
    if (!at) suffix = "." + suffix;
    if (m.kind == Placed::Kind::array) {
      if (!expand_array(m, suffix, lower(m.path), l, r.leaves))
        return fail(r.symbol + ": too many values to list; name a part of it");
    } else {
      if (r.leaves.size() >= kMaxLeaves)
        return fail(r.symbol + ": too many values to list; name a part of it");
      r.leaves.push_back(Leaf{suffix, *m.address, m.initial});
    }
  }
  return r;
}

s7::Result<s7::Address> single_address(const Resolved& r) {
  if (r.leaves.size() == 1 && r.leaves[0].suffix.empty()) return r.leaves[0].address;
  bool elementary_array =
      r.whole.is_array && !r.leaves.empty() && util::ascii_lower(r.type).rfind("array", 0) == 0;
  for (const auto& l : r.leaves)
    elementary_array = elementary_array && l.address.type == r.whole.type &&
                       l.suffix.find('.') == std::string::npos;
  if (elementary_array) return r.whole;
  std::string some;
  for (std::size_t i = 0; i < r.leaves.size() && i < 3; ++i)
    some += (i ? ", " : "") + r.symbol + r.leaves[i].suffix;
  return s7::Error(s7::Errc::invalid_argument,
                   r.symbol + " (" + r.type + ") holds " + std::to_string(r.leaves.size()) +
                       " values; name one of them" + (some.empty() ? "" : ", e.g. " + some));
}

}  // namespace symbols
