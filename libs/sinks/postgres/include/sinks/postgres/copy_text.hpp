// The PostgreSQL output's text, without a server: column types, DDL, COPY rows, identifier quoting.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logger/sample.hpp"
#include "s7/error.hpp"

namespace sinks::postgres {

// What a tag's column holds; decides the SQL type and how a value is written in COPY text.
enum class ColumnKind : std::uint8_t {
  boolean,           // BOOL
  smallint,          // BYTE USINT SINT INT
  integer,           // WORD UINT DINT COUNTER
  bigint,            // DWORD UDINT LINT
  numeric,           // LWORD ULINT: numeric(20,0), as 2^64 - 1 does not fit bigint
  real,              // REAL
  double_precision,  // LREAL, and every tag with linear scaling
  text,              // CHAR WCHAR STRING WSTRING
  interval_ms,       // TIME S5TIME TIMER (int64 milliseconds)
  interval_ns,       // LTIME (int64 nanoseconds; cut to microseconds)
  date,              // DATE
  time,              // TOD LTOD: time without time zone
  timestamp,         // DT DTL LDT: timestamp without time zone (the PLC's local clock)
};

// One tag column: the tag's name, its kind, and whether it is an array (`kind[]`).
struct Column {
  std::string name;
  ColumnKind kind = ColumnKind::text;
  bool array = false;
  friend bool operator==(const Column&, const Column&) = default;
};

// The columns every table has before the tag columns, in this order.
inline constexpr std::string_view kFixedColumns[] = {"ts", "plc", "quality", "errors"};
// PostgreSQL allows 1600 columns per table; the fixed four leave this many for tags.
inline constexpr std::size_t kMaxTags = 1600 - 4;
// The largest row PostgreSQL stores (MaxHeapTupleSize of an 8 kB page).
inline constexpr std::size_t kMaxRowBytes = 8160;
// Identifiers longer than this are cut by PostgreSQL (NAMEDATALEN - 1), so they are refused.
inline constexpr std::size_t kMaxIdentifierBytes = 63;

// The column of a tag (scaled tags: double precision scalars).
Column column_for(const logger::TagInfo& tag);

// The type as PostgreSQL's format_type() spells it ("smallint", "numeric(20,0)",
// "double precision[]", "timestamp without time zone"), so it compares equal to what
// pg_attribute says for an existing column.
std::string type_name(const Column& c);

// "name" with inner quotes doubled: any text is a valid identifier this way.
std::string quote_ident(std::string_view name);
// 'text' with inner single quotes doubled (standard_conforming_strings, on since 9.1).
std::string quote_literal(std::string_view text);
// "schema"."table".
std::string qualified_name(std::string_view schema, std::string_view table);

// The table name for a group: `pattern` with {group} and {plc} replaced. The only (unnamed)
// group is "log" and the only (unnamed) PLC is "plc". Errors (invalid_argument): the result is
// empty or longer than kMaxIdentifierBytes.
s7::Result<std::string> table_for(std::string_view pattern, std::string_view plc,
                                  std::string_view group);

// Checks a group's tags for a table: at most kMaxTags, no name of the fixed columns, no name
// longer than kMaxIdentifierBytes, a full row within kMaxRowBytes (estimate_row_bytes). Errors
// (invalid_argument) name the group and say what to change.
s7::Result<void> check_tags(std::string_view group, const std::vector<logger::TagInfo>& tags);

// The largest a row of these tag columns (plus the fixed ones) can be on disk: header, null
// bitmap, aligned fixed-width values, 18 bytes for each variable-width value (the size of a
// TOAST pointer, which is all a long text or array keeps in the row).
std::size_t estimate_row_bytes(const std::vector<Column>& columns);

// CREATE TABLE IF NOT EXISTS <qualified> (ts timestamptz NOT NULL, plc text NOT NULL, quality
// text NOT NULL, errors text, <tag columns>, PRIMARY KEY (ts, plc)).
std::string create_table_sql(std::string_view qualified, const std::vector<Column>& columns);
// ALTER TABLE <qualified> ADD COLUMN IF NOT EXISTS "a" real, ADD COLUMN IF NOT EXISTS ...
// (`columns` not empty).
std::string add_columns_sql(std::string_view qualified, const std::vector<Column>& columns);
// SELECT create_hypertable('<qualified>', 'ts', if_not_exists => true, migrate_data => true).
std::string hypertable_sql(std::string_view qualified);
// The staging table of a target for this session: pg_temp."s7log_stage_<n>".
std::string stage_name(std::size_t n);
// CREATE TEMP TABLE <stage> (LIKE <qualified> INCLUDING DEFAULTS) ON COMMIT DELETE ROWS.
std::string create_stage_sql(std::string_view stage, std::string_view qualified);
// COPY <stage> (ts, plc, quality, errors, "tag"...) FROM STDIN.
std::string copy_sql(std::string_view stage, const std::vector<Column>& columns);
// INSERT INTO <qualified> SELECT * FROM <stage> ON CONFLICT DO NOTHING.
std::string insert_sql(std::string_view qualified, std::string_view stage);

// The timestamptz text of a wall-clock time: "2026-11-24 10:15:03.123456+00" (UTC, always six
// fraction digits; times before 1970 too).
std::string format_ts(std::chrono::system_clock::time_point ts);

// The `errors` cell: empty (NULL) when every value is ok; "missed: no read in this slot" for a
// missed sample; else "name: item_error; name: comm_error" for the tags whose quality is not ok.
std::optional<std::string> errors_text(const logger::Sample& s, const std::vector<Column>& columns);

// Appends `text` escaped for COPY text format: backslash, tab, newline and carriage return as
// \\ \t \n \r.
void append_copy_escaped(std::string& out, std::string_view text);

// Appends the COPY text of one value for a column, unescaped (the caller escapes): bool t/f,
// numbers as shortest round-trip decimals (NaN, Infinity, -Infinity), intervals "1500
// milliseconds" / "1500 microseconds", fraction digits of dates and times cut to six, arrays
// "{1,2}" with every non-number element double-quoted ("{"a\"b","c"}").
void append_value_text(std::string& out, const s7::Value& v, const Column& c);

// Appends one COPY text line for copy_sql(stage, columns): ts, plc, quality, errors, then one
// field per column (\N when the value is missing), tab-separated, ending in "\n".
void append_copy_row(std::string& out, const logger::Sample& s, const std::vector<Column>& columns);

}  // namespace sinks::postgres
