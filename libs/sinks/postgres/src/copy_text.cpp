// Column types, DDL and COPY text rows for the PostgreSQL output (pure functions, no libpq).
#include "sinks/postgres/copy_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <type_traits>
#include <variant>

namespace sinks::postgres {

namespace {

using s7::DataType;

ColumnKind kind_for(DataType t) {
  switch (t) {
    case DataType::Bool:
      return ColumnKind::boolean;
    case DataType::Byte:
    case DataType::USInt:
    case DataType::SInt:
    case DataType::Int:
      return ColumnKind::smallint;
    case DataType::Word:
    case DataType::UInt:
    case DataType::DInt:
    case DataType::Counter:
      return ColumnKind::integer;
    case DataType::DWord:
    case DataType::UDInt:
    case DataType::LInt:
      return ColumnKind::bigint;
    case DataType::LWord:
    case DataType::ULInt:
      return ColumnKind::numeric;
    case DataType::Real:
      return ColumnKind::real;
    case DataType::LReal:
      return ColumnKind::double_precision;
    case DataType::Char:
    case DataType::WChar:
    case DataType::String:
    case DataType::WString:
      return ColumnKind::text;
    case DataType::Time:
    case DataType::S5Time:
    case DataType::Timer:
      return ColumnKind::interval_ms;
    case DataType::LTime:
      return ColumnKind::interval_ns;
    case DataType::Date:
      return ColumnKind::date;
    case DataType::TimeOfDay:
    case DataType::LTimeOfDay:
      return ColumnKind::time;
    case DataType::DateAndTime:
    case DataType::Dtl:
    case DataType::LDateAndTime:
      return ColumnKind::timestamp;
  }
  return ColumnKind::text;
}

std::string_view base_type(ColumnKind k) {
  switch (k) {
    case ColumnKind::boolean:
      return "boolean";
    case ColumnKind::smallint:
      return "smallint";
    case ColumnKind::integer:
      return "integer";
    case ColumnKind::bigint:
      return "bigint";
    case ColumnKind::numeric:
      return "numeric(20,0)";
    case ColumnKind::real:
      return "real";
    case ColumnKind::double_precision:
      return "double precision";
    case ColumnKind::text:
      return "text";
    case ColumnKind::interval_ms:
    case ColumnKind::interval_ns:
      return "interval";
    case ColumnKind::date:
      return "date";
    case ColumnKind::time:
      return "time without time zone";
    case ColumnKind::timestamp:
      return "timestamp without time zone";
  }
  return "text";
}

// Size and alignment on disk; size 0 means variable width.
struct Storage {
  std::size_t size;
  std::size_t align;
};

Storage storage_of(const Column& c) {
  if (c.array) return {0, 4};
  switch (c.kind) {
    case ColumnKind::boolean:
      return {1, 1};
    case ColumnKind::smallint:
      return {2, 2};
    case ColumnKind::integer:
    case ColumnKind::real:
    case ColumnKind::date:
      return {4, 4};
    case ColumnKind::bigint:
    case ColumnKind::double_precision:
    case ColumnKind::time:
    case ColumnKind::timestamp:
      return {8, 8};
    case ColumnKind::interval_ms:
    case ColumnKind::interval_ns:
      return {16, 8};
    case ColumnKind::numeric:
    case ColumnKind::text:
      return {0, 4};
  }
  return {0, 4};
}

std::size_t align_up(std::size_t n, std::size_t a) {
  return (n + a - 1) / a * a;
}

bool is_number_kind(ColumnKind k) {
  switch (k) {
    case ColumnKind::smallint:
    case ColumnKind::integer:
    case ColumnKind::bigint:
    case ColumnKind::numeric:
    case ColumnKind::real:
    case ColumnKind::double_precision:
      return true;
    default:
      return false;
  }
}

template <class F>
void append_float(std::string& out, F f) {
  if (std::isnan(f)) {
    out += "NaN";
  } else if (std::isinf(f)) {
    out += f < 0 ? "-Infinity" : "Infinity";
  } else {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, f);
    out.append(buf, r.ptr);
  }
}

template <class I>
void append_int(std::string& out, I i) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, r.ptr);
}

// A date or time text with its fraction cut to microseconds (PostgreSQL's resolution).
void append_cut_fraction(std::string& out, std::string_view s) {
  const auto dot = s.find('.');
  if (dot == std::string_view::npos) {
    out += s;
    return;
  }
  std::size_t end = dot + 1;
  while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
  out += s.substr(0, std::min(end, dot + 7));
  out += s.substr(end);
}

void append_scalar(std::string& out, const s7::Scalar& v, ColumnKind kind) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>) {
          if (kind == ColumnKind::boolean)
            out += x ? 't' : 'f';
          else
            out += x ? '1' : '0';
        } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>) {
          if (kind == ColumnKind::interval_ms) {
            append_int(out, x);
            out += " milliseconds";
          } else if (kind == ColumnKind::interval_ns) {
            append_int(out, x / 1000);  // toward zero: PostgreSQL keeps microseconds
            out += " microseconds";
          } else if (kind == ColumnKind::boolean) {
            out += x != 0 ? 't' : 'f';
          } else {
            append_int(out, x);
          }
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
          append_float(out, x);
        } else {
          if (kind == ColumnKind::date || kind == ColumnKind::time || kind == ColumnKind::timestamp)
            append_cut_fraction(out, x);
          else
            out += x;
        }
      },
      v);
}

}  // namespace

Column column_for(const logger::TagInfo& tag) {
  Column c;
  c.name = tag.name;
  c.array = tag.address.is_array;
  c.kind = kind_for(tag.address.type);
  if (tag.scale && !c.array) c.kind = ColumnKind::double_precision;
  return c;
}

std::string type_name(const Column& c) {
  std::string t(base_type(c.kind));
  if (c.array) t += "[]";
  return t;
}

std::string quote_ident(std::string_view name) {
  std::string out = "\"";
  for (char ch : name) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string quote_literal(std::string_view text) {
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\'') out += '\'';
    out += ch;
  }
  out += '\'';
  return out;
}

std::string qualified_name(std::string_view schema, std::string_view table) {
  return quote_ident(schema) + "." + quote_ident(table);
}

s7::Result<std::string> table_for(std::string_view pattern, std::string_view plc,
                                  std::string_view group) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.substr(i, 7) == "{group}") {
      out += group.empty() ? "log" : group;
      i += 7;
    } else if (pattern.substr(i, 5) == "{plc}") {
      out += plc.empty() ? "plc" : plc;
      i += 5;
    } else {
      out += pattern[i++];
    }
  }
  if (out.empty())
    return s7::Error(s7::Errc::invalid_argument,
                     "the PostgreSQL table name is empty: set [output.postgres] table");
  if (out.size() > kMaxIdentifierBytes)
    return s7::Error(s7::Errc::invalid_argument,
                     fmt::format("the PostgreSQL table name {} is longer than {} bytes, which "
                                 "PostgreSQL would cut: choose a shorter [output.postgres] table",
                                 quote_ident(out), kMaxIdentifierBytes));
  return out;
}

s7::Result<void> check_tags(std::string_view group, const std::vector<logger::TagInfo>& tags) {
  const std::string g = group.empty() ? std::string("the tags") : fmt::format("group '{}'", group);
  if (tags.size() > kMaxTags)
    return s7::Error(s7::Errc::invalid_argument,
                     fmt::format("{} has {} tags, but a PostgreSQL table holds at most {} tag "
                                 "columns (1600 columns in all): split the group into smaller ones",
                                 g, tags.size(), kMaxTags));
  std::vector<Column> columns;
  columns.reserve(tags.size());
  for (const auto& t : tags) {
    if (std::find(std::begin(kFixedColumns), std::end(kFixedColumns), t.name) !=
        std::end(kFixedColumns))
      return s7::Error(s7::Errc::invalid_argument,
                       fmt::format("{}: the tag name '{}' is a column the PostgreSQL output uses "
                                   "itself (ts, plc, quality, errors): rename the tag",
                                   g, t.name));
    if (t.name.size() > kMaxIdentifierBytes)
      return s7::Error(s7::Errc::invalid_argument,
                       fmt::format("{}: the tag name '{}' is longer than {} bytes, which "
                                   "PostgreSQL would cut: rename the tag",
                                   g, t.name, kMaxIdentifierBytes));
    columns.push_back(column_for(t));
  }
  if (const std::size_t bytes = estimate_row_bytes(columns); bytes > kMaxRowBytes)
    return s7::Error(s7::Errc::invalid_argument,
                     fmt::format("{}: a row of its {} tags needs up to {} bytes, but PostgreSQL "
                                 "stores at most {} bytes per row: split the group into smaller "
                                 "ones",
                                 g, tags.size(), bytes, kMaxRowBytes));
  return {};
}

std::size_t estimate_row_bytes(const std::vector<Column>& columns) {
  constexpr std::size_t kVarlena = 18;  // a TOAST pointer; shorter values take less
  const std::size_t natts = columns.size() + std::size(kFixedColumns);
  const std::size_t header = align_up(23 + (natts + 7) / 8, 8);
  std::size_t data = 8;                                             // ts
  for (int i = 0; i < 3; ++i) data = align_up(data, 4) + kVarlena;  // plc, quality, errors
  for (const auto& c : columns) {
    const Storage s = storage_of(c);
    data = align_up(data, s.align) + (s.size ? s.size : kVarlena);
  }
  return header + data;
}

std::string create_table_sql(std::string_view qualified, const std::vector<Column>& columns) {
  std::string out = fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (ts timestamptz NOT NULL, plc text NOT NULL, quality text "
      "NOT NULL, errors text",
      qualified);
  for (const auto& c : columns) out += fmt::format(", {} {}", quote_ident(c.name), type_name(c));
  out += ", PRIMARY KEY (ts, plc))";
  return out;
}

std::string add_columns_sql(std::string_view qualified, const std::vector<Column>& columns) {
  std::string out = fmt::format("ALTER TABLE {}", qualified);
  for (std::size_t i = 0; i < columns.size(); ++i)
    out += fmt::format("{} ADD COLUMN IF NOT EXISTS {} {}", i ? "," : "",
                       quote_ident(columns[i].name), type_name(columns[i]));
  return out;
}

std::string hypertable_sql(std::string_view qualified) {
  return fmt::format(
      "SELECT create_hypertable({}, 'ts', if_not_exists => true, migrate_data => true)",
      quote_literal(qualified));
}

std::string stage_name(std::size_t n) {
  return fmt::format("pg_temp.\"s7log_stage_{}\"", n);
}

std::string create_stage_sql(std::string_view stage, std::string_view qualified) {
  return fmt::format("CREATE TEMP TABLE {} (LIKE {} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS",
                     stage, qualified);
}

std::string copy_sql(std::string_view stage, const std::vector<Column>& columns) {
  std::string out = fmt::format("COPY {} (ts, plc, quality, errors", stage);
  for (const auto& c : columns) out += ", " + quote_ident(c.name);
  out += ") FROM STDIN";
  return out;
}

std::string insert_sql(std::string_view qualified, std::string_view stage) {
  return fmt::format("INSERT INTO {} SELECT * FROM {} ON CONFLICT DO NOTHING", qualified, stage);
}

std::string format_ts(std::chrono::system_clock::time_point ts) {
  using namespace std::chrono;
  const auto us = time_point_cast<microseconds>(ts);
  const auto day = floor<days>(us);
  const year_month_day ymd{day};
  const hh_mm_ss hms{us - day};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

std::optional<std::string> errors_text(const logger::Sample& s,
                                       const std::vector<Column>& columns) {
  if (s.missed) return std::string("missed: no read in this slot");
  std::string out;
  std::size_t bad = 0;
  std::optional<logger::Quality> same;
  bool all_same = true;
  for (std::size_t i = 0; i < columns.size() && i < s.values.size(); ++i) {
    const logger::Quality q = s.values[i].quality;
    if (q == logger::Quality::ok) {
      all_same = false;
      continue;
    }
    if (same && *same != q) all_same = false;
    same = q;
    if (bad++) out += "; ";
    out += columns[i].name;
    out += ": ";
    out += logger::to_string(q);
  }
  if (bad == 0) return std::nullopt;
  if (all_same && bad > 1 && bad == columns.size())
    return "all tags: " + std::string(logger::to_string(*same));
  return out;
}

void append_copy_escaped(std::string& out, std::string_view text) {
  std::size_t from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    const char* esc = ch == '\\'   ? "\\\\"
                      : ch == '\t' ? "\\t"
                      : ch == '\n' ? "\\n"
                      : ch == '\r' ? "\\r"
                                   : nullptr;
    if (!esc) continue;
    out.append(text.substr(from, i - from));
    out += esc;
    from = i + 1;
  }
  out.append(text.substr(from));
}

void append_value_text(std::string& out, const s7::Value& v, const Column& c) {
  if (!c.array) {
    if (!v.elems.empty()) append_scalar(out, v.elems.front(), c.kind);
    return;
  }
  const bool bare = is_number_kind(c.kind) || c.kind == ColumnKind::boolean;
  out += '{';
  std::string elem;
  for (std::size_t i = 0; i < v.elems.size(); ++i) {
    if (i) out += ',';
    if (bare) {
      append_scalar(out, v.elems[i], c.kind);
      continue;
    }
    elem.clear();
    append_scalar(elem, v.elems[i], c.kind);
    out += '"';
    for (char ch : elem) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  out += '}';
}

void append_copy_row(std::string& out, const logger::Sample& s,
                     const std::vector<Column>& columns) {
  out += format_ts(s.ts);
  out += '\t';
  append_copy_escaped(out, s.plc);
  out += '\t';
  out += logger::to_string(s.missed ? logger::Quality::comm_error : s.quality);
  out += '\t';
  if (auto e = errors_text(s, columns))
    append_copy_escaped(out, *e);
  else
    out += "\\N";
  std::string text;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    out += '\t';
    const logger::TagValue* tv = i < s.values.size() ? &s.values[i] : nullptr;
    if (s.missed || !tv || !tv->value || tv->quality != logger::Quality::ok) {
      out += "\\N";
      continue;
    }
    text.clear();
    append_value_text(text, *tv->value, columns[i]);
    append_copy_escaped(out, text);
  }
  out += '\n';
}

}  // namespace sinks::postgres
