// Standard-access layout of DBs, UDTs and FB instance DBs.
//
// The rules (STEP 7 and TIA Portal help, "data types" / "storage of data"; S7-1200 system
// manual, data types chapter):
//  - BOOL takes one bit; consecutive BOOLs share a byte, bit 0 to 7, then the next byte.
//  - BYTE, CHAR, SINT, USINT start on the next whole byte.
//  - Every other type, every STRUCT, ARRAY and UDT starts on an even byte.
//  - A STRUCT (UDT, FB instance) takes an even number of bytes, so the member after it starts
//    on an even byte. So does every ARRAY (an ARRAY OF BOOL packs its bits from bit 0 of its
//    first byte; an ARRAY OF BYTE/CHAR one byte per element) and, taken as a complex type like
//    DT, a STRING[n] with an odd n + 2: the next member starts on the next even byte.
//  - Elements of an array of STRING[n] each start on an even byte (an odd n + 2 leaves a gap).
//  - Multi-dimensional arrays are stored with the last index varying fastest: [1,1], [1,2] ...
//  - FB instance DBs: IN, OUT, IN_OUT, STAT in that order, each section from an even byte.
//    IN_OUT parameters of an elementary type are stored by value; STRING, ARRAY, STRUCT, UDT,
//    DT and DTL IN_OUT parameters as a 6-byte POINTER to the caller's data.
//  - The block takes an even number of bytes.
// These rules are the same for S7-300/400 and for standard-access blocks of S7-1200/1500: a
// standard block keeps the S7-300/400 memory image so that absolute addressing keeps working.
// What differs is which types exist (see kTypes): S7-300/400 have no 64-bit, unsigned or
// short integer types, no LREAL, WCHAR/WSTRING or DTL; S7-1200 has no S5TIME, DT, LTIME, LTOD,
// LDT, LINT/ULINT, LWORD, TIMER/COUNTER or BLOCK_x parameters; S7-1500 has them all.
#include "symbols/layout.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "util/text.hpp"

namespace symbols {

namespace {

constexpr int kMaxDepth = 32;
constexpr std::uint64_t kMaxEntries = 1'000'000;
// The highest byte offset an S7 address can name is 2097151 (a 24-bit bit address).
constexpr std::uint64_t kMaxBytes = 2'097'152;

enum Family : std::uint8_t { f300400 = 1, f1200 = 2, f1500 = 4, fall = 7 };

enum class Align : std::uint8_t { bit, byte, word };

struct TypeInfo {
  const char* name;
  std::uint32_t size;  // bytes (BOOL: 0)
  Align align;
  std::optional<s7::DataType> data_type;  // none: takes room but has no readable value
  std::uint8_t families;
  bool complex_in_out = false;  // an IN_OUT of this type is passed as a POINTER
  const char* unreadable = "";
};

using DT = s7::DataType;

const char* const kParameter =
    "a parameter type (it holds a reference to something else, not a value PUT/GET can read)";

const TypeInfo kTypes[] = {
    {"BOOL", 0, Align::bit, DT::Bool, fall},
    {"BYTE", 1, Align::byte, DT::Byte, fall},
    {"CHAR", 1, Align::byte, DT::Char, fall},
    {"SINT", 1, Align::byte, DT::SInt, f1200 | f1500},
    {"USINT", 1, Align::byte, DT::USInt, f1200 | f1500},
    {"WORD", 2, Align::word, DT::Word, fall},
    {"INT", 2, Align::word, DT::Int, fall},
    {"UINT", 2, Align::word, DT::UInt, f1200 | f1500},
    {"WCHAR", 2, Align::word, DT::WChar, f1200 | f1500},
    {"DATE", 2, Align::word, DT::Date, fall},
    {"S5TIME", 2, Align::word, DT::S5Time, f300400 | f1500},
    {"DWORD", 4, Align::word, DT::DWord, fall},
    {"DINT", 4, Align::word, DT::DInt, fall},
    {"UDINT", 4, Align::word, DT::UDInt, f1200 | f1500},
    {"REAL", 4, Align::word, DT::Real, fall},
    {"TIME", 4, Align::word, DT::Time, fall},
    {"TIME_OF_DAY", 4, Align::word, DT::TimeOfDay, fall},
    {"TOD", 4, Align::word, DT::TimeOfDay, fall},
    {"LWORD", 8, Align::word, DT::LWord, f1500},
    {"LINT", 8, Align::word, DT::LInt, f1500},
    {"ULINT", 8, Align::word, DT::ULInt, f1500},
    {"LREAL", 8, Align::word, DT::LReal, f1200 | f1500},
    {"LTIME", 8, Align::word, DT::LTime, f1500},
    {"LTIME_OF_DAY", 8, Align::word, DT::LTimeOfDay, f1500},
    {"LTOD", 8, Align::word, DT::LTimeOfDay, f1500},
    {"LDATE_AND_TIME", 8, Align::word, DT::LDateAndTime, f1500},
    {"LDT", 8, Align::word, DT::LDateAndTime, f1500},
    {"DATE_AND_TIME", 8, Align::word, DT::DateAndTime, f300400 | f1500, true},
    {"DT", 8, Align::word, DT::DateAndTime, f300400 | f1500, true},
    {"DTL", 12, Align::word, DT::Dtl, f1200 | f1500, true},
    {"DB_ANY", 2, Align::word, DT::UInt, f1200 | f1500},
    {"TIMER", 2, Align::word, std::nullopt, f300400 | f1500, false,
     "a TIMER parameter (the number of a timer; read the timer itself as T<n>)"},
    {"COUNTER", 2, Align::word, std::nullopt, f300400 | f1500, false,
     "a COUNTER parameter (the number of a counter; read the counter itself as C<n>)"},
    {"BLOCK_FB", 2, Align::word, std::nullopt, f300400 | f1500, false, kParameter},
    {"BLOCK_FC", 2, Align::word, std::nullopt, f300400 | f1500, false, kParameter},
    {"BLOCK_DB", 2, Align::word, std::nullopt, f300400 | f1500, false, kParameter},
    {"BLOCK_SDB", 2, Align::word, std::nullopt, f300400 | f1500, false, kParameter},
    {"POINTER", 6, Align::word, std::nullopt, fall, false, kParameter},
    {"ANY", 10, Align::word, std::nullopt, fall, false, kParameter},
};

std::uint8_t family_bit(CpuFamily cpu) {
  switch (cpu) {
    case CpuFamily::s7_300:
    case CpuFamily::s7_400:
      return f300400;
    case CpuFamily::s7_1200:
      return f1200;
    case CpuFamily::s7_1500:
      return f1500;
  }
  return f1500;
}

std::string family_text(std::uint8_t bit) {
  return bit == f300400 ? "an S7-300/400 CPU" : bit == f1200 ? "an S7-1200 CPU" : "an S7-1500 CPU";
}

std::string choices(std::uint8_t families) {
  std::vector<std::string> c;
  if (families & f300400) c.insert(c.end(), {"300", "400"});
  if (families & f1200) c.push_back("1200");
  if (families & f1500) c.push_back("1500");
  std::string out;
  for (std::size_t i = 0; i < c.size(); ++i)
    out += (i == 0 ? "" : i + 1 == c.size() ? " or " : ", ") + c[i];
  return out;
}

std::string lower(std::string_view s) {
  return util::ascii_lower(s);
}

// The width letter STEP 7 writes for a value of the type (DBX for BOOL, DBB for bytes, DBW for
// 2-byte, DBD for 4- and 8-byte values); text, DT and DTL are addressed by their first byte.
s7::Width width_of(s7::DataType t) {
  switch (t) {
    case DT::Bool:
      return s7::Width::X;
    case DT::String:
    case DT::WString:
    case DT::DateAndTime:
    case DT::Dtl:
    case DT::Counter:
    case DT::Timer:
      return s7::Width::B;
    default:
      break;
  }
  switch (s7::element_size(t)) {
    case 2:
      return s7::Width::W;
    case 4:
    case 8:
      return s7::Width::D;
    default:
      return s7::Width::B;
  }
}

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return out;
}

std::string quoted(std::string_view name) {
  return "\"" + util::escape_control(name) + "\"";
}

struct LayoutError {
  std::string message;  // complete, file:line included
};

// A laid-out struct at offset 0: its size and its members with paths relative to it.
struct Template {
  std::uint32_t size = 0;
  std::vector<Placed> members;
};

// Where bits and bytes go next.
struct Cursor {
  std::uint64_t byte = 0;
  std::uint8_t bit = 0;  // next free bit in `byte` (0: the byte is untouched)
  void close_bits() {
    if (bit != 0) {
      ++byte;
      bit = 0;
    }
  }
  void even() {
    close_bits();
    if (byte & 1) ++byte;
  }
};

// An elementary-like type (elementary, STRING, WSTRING) resolved for one member.
struct Elem {
  std::uint32_t size = 0;
  Align align = Align::word;
  std::optional<s7::DataType> data_type;
  std::uint16_t string_length = 0;
  bool complex_in_out = false;
  std::string unreadable;
};

std::string index_text(const std::vector<std::int64_t>& idx) {
  std::string s = "[";
  for (std::size_t i = 0; i < idx.size(); ++i) s += (i ? "," : "") + std::to_string(idx[i]);
  return s + "]";
}

class Engine {
 public:
  Engine(const std::vector<Block>& library, CpuFamily cpu) : library_(library), cpu_(cpu) {}

  Template block_template(const Block& b) {
    if (b.kind == Block::Kind::function_block) return fb_template(b);
    return struct_template(b.members, b.file);
  }

  // The UDT or FB a DB is an instance of.
  const Block& instance_type(const Block& db) {
    const Block* t = find_type(*db.of);
    if (!t)
      throw LayoutError{
          util::escape_control(db.file) + ":" + std::to_string(db.line) + ": DB " +
          quoted(db.name) + " is an instance of " + quoted(*db.of) +
          ", whose source is not among "
          "the sources: give the source of " +
          quoted(*db.of) +
          " too (TIA Portal: Generate source from blocks on the FB or PLC data type; STEP 7: "
          "export it as a source)"};
    return *t;
  }

  Template type_template(const Block& t) {
    const std::string key = lower(t.name);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    if (!busy_.insert(key).second)
      throw LayoutError{util::escape_control(t.file) + ":" + std::to_string(t.line) + ": " +
                        quoted(t.name) + " contains itself"};
    Template tmpl =
        t.kind == Block::Kind::function_block ? fb_template(t) : struct_template(t.members, t.file);
    busy_.erase(key);
    cache_.emplace(key, tmpl);
    return tmpl;
  }

  const Block* find_type(const std::string& name) const {
    const std::string key = lower(name);
    for (const auto& b : library_)
      if (b.kind != Block::Kind::data_block && lower(b.name) == key) return &b;
    return nullptr;
  }

 private:
  [[noreturn]] static void fail(const std::string& file, int line, const std::string& member,
                                const std::string& message) {
    throw LayoutError{util::escape_control(file) + ":" + std::to_string(line) + ": member '" +
                      util::escape_control(member) + "': " + message};
  }

  void check_size(std::uint64_t bytes, const std::string& file, int line,
                  const std::string& member) {
    if (bytes > kMaxBytes)
      fail(file, line, member,
           "takes the block beyond " + std::to_string(kMaxBytes) +
               " bytes, more than an S7 address can reach");
  }

  void check_count(std::uint64_t count, const std::string& file, int line,
                   const std::string& member) {
    if (count > kMaxEntries)
      fail(file, line, member,
           "too many members (more than " + std::to_string(kMaxEntries) + " to list)");
  }

  Elem elementary(const TypeRef& t, const std::string& file, int line, const std::string& member) {
    Elem e;
    const std::uint8_t fam = family_bit(cpu_);
    if (t.kind == TypeRef::Kind::string || t.kind == TypeRef::Kind::wstring) {
      const bool wide = t.kind == TypeRef::Kind::wstring;
      if (wide && !(fam & (f1200 | f1500)))
        fail(file, line, member,
             t.text + " does not exist on " + family_text(fam) + "; choose --cpu 1200 or 1500");
      e.size = wide ? 2u * t.length + 4u : t.length + 2u;
      e.align = Align::word;
      e.data_type = wide ? DT::WString : DT::String;
      e.string_length = t.length;
      e.complex_in_out = true;
      if (t.length == 0) {
        e.data_type.reset();
        e.unreadable = t.text + " holds no characters";
      }
      return e;
    }
    const std::string name = upper_ascii(t.name);
    for (const auto& info : kTypes) {
      if (name != info.name) continue;
      if (!(info.families & fam))
        fail(file, line, member,
             t.text + " does not exist on " + family_text(fam) + "; choose --cpu " +
                 choices(info.families));
      e.size = info.size;
      e.align = info.align;
      e.data_type = info.data_type;
      e.complex_in_out = info.complex_in_out;
      e.unreadable = info.unreadable;
      return e;
    }
    if (name == "VARIANT")
      fail(file, line, member,
           t.text +
               " exists only as a parameter of optimized blocks; it has no place in a "
               "standard-access DB");
    fail(file, line, member,
         "type " + util::escape_control(t.text) + " cannot be placed in a standard-access DB");
  }

  Placed placed_elem(const std::string& path, const TypeRef& t, const Elem& e, int depth, int line,
                     const std::string& initial, Cursor& c) {
    Placed p;
    p.path = path;
    p.kind = Placed::Kind::elementary;
    p.type = t.text;
    p.depth = depth;
    p.line = line;
    p.initial = initial;
    if (e.align == Align::bit) {
      p.offset = static_cast<std::uint32_t>(c.byte);
      p.bit = c.bit;
      p.bits = 1;
      if (++c.bit == 8) c.close_bits();
    } else {
      if (e.align == Align::byte)
        c.close_bits();
      else
        c.even();
      p.offset = static_cast<std::uint32_t>(c.byte);
      p.size = e.size;
      c.byte += e.size;
      if (e.align == Align::word) c.even();  // STRING[odd]: the next member starts even
    }
    if (e.data_type) {
      s7::Address a;
      a.area = s7::Area::db;
      a.offset = p.offset;
      a.bit = p.bit;
      a.width = width_of(*e.data_type);
      a.type = *e.data_type;
      a.string_length = e.string_length;
      a.explicit_type = true;
      p.address = a;
    } else {
      p.unreadable = e.unreadable;
    }
    return p;
  }

  static bool elementary_like(const TypeRef& t) {
    return t.kind == TypeRef::Kind::elementary || t.kind == TypeRef::Kind::string ||
           t.kind == TypeRef::Kind::wstring;
  }

  // Appends `tmpl`'s members under `prefix` at `base`.
  void splice(const Template& tmpl, const std::string& prefix, std::uint64_t base, int depth,
              std::vector<Placed>& out) {
    for (const auto& m : tmpl.members) {
      Placed p = m;
      p.path = prefix + "." + m.path;
      p.offset = static_cast<std::uint32_t>(base + m.offset);
      p.depth = m.depth + depth;
      if (p.address) p.address->offset = p.offset;
      out.push_back(std::move(p));
    }
  }

  // The template of a struct-like type (STRUCT, UDT, FB) for a member.
  Template compound(const TypeRef& t, const std::string& file, int line,
                    const std::string& member) {
    // Nesting (STRUCT in STRUCT, UDT in UDT, FB in FB) is bounded: a chain of types in a
    // hostile source cannot run the stack out.
    struct Level {
      int& n;
      explicit Level(int& l) : n(++l) {}
      ~Level() { --n; }
    } level(level_);
    if (level_ > kMaxDepth)
      fail(file, line, member,
           "types nested more than " + std::to_string(kMaxDepth) + " levels deep");
    if (t.kind == TypeRef::Kind::structure) return struct_template(t.members, file);
    const Block* b = find_type(t.name);
    if (!b) {
      if (t.text.empty() || t.text[0] != '"')
        if (t.name.rfind("UDT ", 0) != 0 && t.name.rfind("FB ", 0) != 0 &&
            t.name.rfind("SFB ", 0) != 0)
          fail(file, line, member,
               "unknown type " + util::escape_control(t.text) +
                   ": a system type (TON_TIME, IEC_TIMER, ...) or a type of a library has no "
                   "source s7log can read; declare the values as elementary members, or give "
                   "the type's source as a UDT (TYPE ... END_TYPE)");
      fail(file, line, member,
           "unknown type " + util::escape_control(t.text) + ": give the source of " +
               quoted(t.name) +
               " too (its TYPE ... END_TYPE or FUNCTION_BLOCK ... END_FUNCTION_BLOCK)");
    }
    if (b->kind == Block::Kind::function_block && b->optimized)
      fail(file, line, member,
           "the FB " + quoted(b->name) + " has optimized block access (" +
               util::escape_control(b->file) + ":" +
               std::to_string(b->optimized_line ? b->optimized_line : b->line) +
               "), so its instances are optimized too; switch it to standard access");
    return type_template(*b);
  }

  // Places one member (or an FB parameter) at the cursor.
  void place(const std::string& name, const TypeRef& t, const std::string& initial, int line,
             const std::string& file, int depth, bool in_out, Cursor& c, std::vector<Placed>& out) {
    check_count(out.size() + 1, file, line, name);
    if (elementary_like(t)) {
      Elem e = elementary(t, file, line, name);
      if (in_out && e.complex_in_out) {
        pointer(name, t, line, depth, c, out);
        return;
      }
      out.push_back(placed_elem(name, t, e, depth, line, initial, c));
      check_size(c.byte, file, line, name);
      return;
    }
    if (in_out) {
      pointer(name, t, line, depth, c, out);
      return;
    }
    if (t.kind == TypeRef::Kind::array) {
      array(name, t, initial, line, file, depth, c, out);
      return;
    }
    const Template tmpl = compound(t, file, line, name);
    c.even();
    Placed p;
    p.path = name;
    p.kind = Placed::Kind::structure;
    p.offset = static_cast<std::uint32_t>(c.byte);
    p.size = tmpl.size;
    p.type = t.text;
    p.depth = depth;
    p.line = line;
    p.initial = initial;
    check_count(out.size() + 1 + tmpl.members.size(), file, line, name);
    check_size(c.byte + tmpl.size, file, line, name);
    out.push_back(p);
    splice(tmpl, name, c.byte, depth + 1, out);
    c.byte += tmpl.size;
  }

  // An IN_OUT parameter passed by reference: a 6-byte POINTER in the instance DB.
  void pointer(const std::string& name, const TypeRef& t, int line, int depth, Cursor& c,
               std::vector<Placed>& out) {
    c.even();
    Placed p;
    p.path = name;
    p.kind = Placed::Kind::elementary;
    p.offset = static_cast<std::uint32_t>(c.byte);
    p.size = 6;
    p.type = t.text;
    p.depth = depth;
    p.line = line;
    p.unreadable =
        "an IN_OUT parameter of type " + t.text +
        ", which the instance DB holds as a POINTER to the caller's data, not as a value";
    out.push_back(std::move(p));
    c.byte += 6;
  }

  void array(const std::string& name, const TypeRef& t, const std::string& initial, int line,
             const std::string& file, int depth, Cursor& c, std::vector<Placed>& out) {
    if (!t.element) fail(file, line, name, "array without an element type");
    const TypeRef& el = *t.element;
    if (el.kind == TypeRef::Kind::array)
      fail(file, line, name, "an array of arrays: write Array[a..b, c..d] of the element type");
    std::uint64_t n = 1;
    for (const auto& [lo, hi] : t.dims) {
      n *= static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo + 1);
      if (n > kMaxBytes * 8)
        fail(file, line, name,
             "array has too many elements: it takes the block beyond " + std::to_string(kMaxBytes) +
                 " bytes, more than an S7 address can reach");
    }
    c.even();
    const std::uint64_t start = c.byte;
    Placed p;
    p.path = name;
    p.kind = Placed::Kind::array;
    p.offset = static_cast<std::uint32_t>(start);
    p.type = t.text;
    p.depth = depth;
    p.line = line;
    p.initial = initial;
    p.dims = t.dims;

    // Element stride, and the element template for arrays of structs.
    std::uint64_t stride = 0;
    std::optional<Elem> elem;
    Template tmpl;
    if (elementary_like(el)) {
      elem = elementary(el, file, line, name);
      if (elem->align == Align::bit) {
        const std::uint64_t bytes = (n + 7) / 8;
        check_size(start + bytes, file, line, name);
        p.size = static_cast<std::uint32_t>(bytes);
        p.bits = static_cast<std::uint32_t>(n);
      } else {
        stride = elem->align == Align::word ? (elem->size + 1u) & ~1u : elem->size;
        check_size(start + n * stride, file, line, name);
        p.size = static_cast<std::uint32_t>(n * stride);
      }
      // S7 addresses have no form for an array of strings (STRING[20][3]): arrays of STRING and
      // WSTRING get one entry per element, like arrays of structs.
      const bool text = el.kind != TypeRef::Kind::elementary;
      if (elem->data_type && !text && (elem->align == Align::bit || stride == elem->size) &&
          n <= 65535) {
        s7::Address a;
        a.area = s7::Area::db;
        a.offset = p.offset;
        a.width = width_of(*elem->data_type);
        a.type = *elem->data_type;
        a.string_length = elem->string_length;
        a.count = static_cast<std::uint32_t>(n);
        a.is_array = true;
        a.explicit_type = true;
        p.address = a;
        out.push_back(p);
        c.byte = start + (elem->align == Align::bit ? p.size : n * stride);
        c.even();
        return;
      }
      if (!elem->data_type) {
        p.unreadable = elem->unreadable;
        out.push_back(p);
        c.byte = start + p.size;
        c.even();
        return;
      }
      if (!text) {
        // More than 65535 elements: one address cannot hold them; the elements are still
        // listed through the array's bounds (resolve reads single elements).
        p.unreadable = "an array of more than 65535 elements (read single elements)";
        out.push_back(p);
        c.byte = start + p.size;
        c.even();
        return;
      }
      // Strings: one entry per element (STRING[odd] leaves a gap after each element).
    } else {
      tmpl = compound(el, file, line, name);
      stride = tmpl.size;
      check_size(start + n * stride, file, line, name);
      p.size = static_cast<std::uint32_t>(n * stride);
    }
    const std::uint64_t per = 1 + tmpl.members.size();
    check_count(out.size() + 1 + n * per, file, line, name);
    out.push_back(p);
    std::vector<std::int64_t> idx;
    for (const auto& d : t.dims) idx.push_back(d.first);
    Cursor ec;
    for (std::uint64_t k = 0; k < n; ++k) {
      const std::uint64_t at = start + k * stride;
      const std::string path = name + index_text(idx);
      if (elem) {
        ec.byte = at;
        ec.bit = 0;
        out.push_back(placed_elem(path, el, *elem, depth + 1, 0, "", ec));
      } else {
        Placed e;
        e.path = path;
        e.kind = Placed::Kind::structure;
        e.offset = static_cast<std::uint32_t>(at);
        e.size = tmpl.size;
        e.type = el.text;
        e.depth = depth + 1;
        out.push_back(std::move(e));
        splice(tmpl, path, at, depth + 2, out);
      }
      // Next index: the last one varies fastest.
      for (std::size_t d = idx.size(); d-- > 0;) {
        if (idx[d] < t.dims[d].second) {
          ++idx[d];
          break;
        }
        idx[d] = t.dims[d].first;
      }
    }
    c.byte = start + p.size;
    c.even();
  }

 public:
  Template struct_template(const std::vector<Member>& members, const std::string& file) {
    Template tmpl;
    Cursor c;
    for (const auto& m : members)
      place(m.name, m.type, m.initial, m.line, file, 0, false, c, tmpl.members);
    c.even();
    tmpl.size = static_cast<std::uint32_t>(c.byte);
    return tmpl;
  }

  Template fb_template(const Block& fb) {
    Template tmpl;
    Cursor c;
    for (Section s : {Section::input, Section::output, Section::in_out, Section::stat}) {
      c.even();
      for (const auto& sec : fb.sections) {
        if (sec.section != s) continue;
        for (const auto& m : sec.members)
          place(m.name, m.type, m.initial, m.line, fb.file, 0, s == Section::in_out, c,
                tmpl.members);
      }
    }
    c.even();
    tmpl.size = static_cast<std::uint32_t>(c.byte);
    return tmpl;
  }

 private:
  const std::vector<Block>& library_;
  CpuFamily cpu_;
  std::map<std::string, Template> cache_;
  std::set<std::string> busy_;
  int level_ = 0;
};

std::string block_kind_word(const Block& b) {
  switch (b.kind) {
    case Block::Kind::data_block:
      return "DB";
    case Block::Kind::type:
      return "the type";
    case Block::Kind::function_block:
      return "FB";
  }
  return "DB";
}

// "motor[3].speed" -> {"motor", "[3]", ".speed"} style split: the prefix before the last
// bracketed index and the index list, when the path ends with an index.
bool split_last_index(const std::string& path, std::string& prefix,
                      std::vector<std::int64_t>& idx) {
  if (path.empty() || path.back() != ']') return false;
  const auto open = path.rfind('[');
  if (open == std::string::npos || open == 0) return false;
  prefix = path.substr(0, open);
  idx.clear();
  std::string num;
  for (std::size_t i = open + 1; i < path.size(); ++i) {
    const char ch = path[i];
    if (ch == ',' || ch == ']') {
      if (num.empty() || num == "-" || num.size() > 11) return false;
      idx.push_back(std::stoll(num));
      num.clear();
    } else if ((ch >= '0' && ch <= '9') || (ch == '-' && num.empty())) {
      num += ch;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

s7::Result<Layout> lay_out(const Block& block, const std::vector<Block>& library, CpuFamily cpu,
                           std::optional<std::uint16_t> number) {
  const std::string where = util::escape_control(block.file) + ":";
  if (block.optimized) {
    return s7::Error(
        s7::Errc::invalid_argument,
        where + std::to_string(block.optimized_line ? block.optimized_line : block.line) + ": " +
            block_kind_word(block) + " " + quoted(block.name) +
            " has optimized block access ({ S7_Optimized_Access := 'TRUE' }): PUT/GET, and so "
            "s7log, can read only blocks with standard access. In TIA Portal open the block's "
            "Properties > Attributes, untick \"Optimized block access\", compile and download; "
            "the CPU must also allow it (Protection & Security: \"Permit access with PUT/GET "
            "communication from remote partner\")");
  }
  Layout out;
  out.block = block.name;
  out.kind = block.kind;
  out.file = block.file;
  try {
    Engine engine(library, cpu);
    Template tmpl;
    if (block.kind == Block::Kind::data_block && block.of) {
      const Block& t = engine.instance_type(block);
      if (t.kind == Block::Kind::function_block && t.optimized)
        return s7::Error(
            s7::Errc::invalid_argument,
            where + std::to_string(block.line) + ": DB " + quoted(block.name) +
                " is an instance of the FB " + quoted(t.name) +
                ", which has optimized block "
                "access (" +
                util::escape_control(t.file) + ":" +
                std::to_string(t.optimized_line ? t.optimized_line : t.line) +
                "): PUT/GET, and so s7log, can read only blocks with standard access. In TIA "
                "Portal open the FB's Properties > Attributes, untick \"Optimized block "
                "access\", compile and download; the CPU must also allow it (Protection & "
                "Security: \"Permit access with PUT/GET communication from remote partner\")");
      tmpl = engine.type_template(t);
    } else {
      tmpl = engine.block_template(block);
    }
    out.size = tmpl.size;
    out.members = std::move(tmpl.members);
  } catch (const LayoutError& e) {
    return s7::Error(s7::Errc::invalid_argument, e.message);
  }

  if (block.kind == Block::Kind::data_block) {
    out.number = number ? number : block.number;
    if (out.number && *out.number == 0)
      return s7::Error(s7::Errc::invalid_argument, where + std::to_string(block.line) + ": DB " +
                                                       quoted(block.name) +
                                                       ": DB number 0 is not in 1..65535");
  }
  const std::uint16_t db = out.number.value_or(0);
  for (auto& m : out.members)
    if (m.address) m.address->db = db;

  // BEGIN values.
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < out.members.size(); ++i) index.emplace(lower(out.members[i].path), i);
  for (const auto& a : block.begin) {
    const std::string key = lower(a.path);
    if (auto it = index.find(key); it != index.end()) {
      out.members[it->second].initial = a.value;
      continue;
    }
    std::string prefix;
    std::vector<std::int64_t> idx;
    if (split_last_index(key, prefix, idx)) {
      if (auto it = index.find(prefix); it != index.end()) {
        const Placed& arr = out.members[it->second];
        bool inside = arr.kind == Placed::Kind::array && arr.dims.size() == idx.size();
        for (std::size_t d = 0; inside && d < idx.size(); ++d)
          inside = idx[d] >= arr.dims[d].first && idx[d] <= arr.dims[d].second;
        if (inside) {
          out.element_initial[key] = a.value;
          continue;
        }
        return s7::Error(s7::Errc::invalid_argument, where + std::to_string(a.line) + ": BEGIN: '" +
                                                         util::escape_control(a.path) +
                                                         "' is outside " + arr.path + " : " +
                                                         arr.type);
      }
    }
    return s7::Error(s7::Errc::invalid_argument,
                     where + std::to_string(a.line) + ": BEGIN: '" + util::escape_control(a.path) +
                         "' names no member of " + block_kind_word(block) + " " +
                         quoted(block.name));
  }
  return out;
}

}  // namespace symbols
