// Byte-exact DDL, COPY text rows and quoting of the PostgreSQL output, without a server.
#include "sinks/postgres/copy_text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace sinks::postgres {
namespace {

using namespace std::chrono;

logger::TagInfo tag(const std::string& name, const std::string& address) {
  auto a = s7::parse_address(address);
  EXPECT_TRUE(a.ok()) << address << ": " << (a.ok() ? "" : a.error().what());
  return logger::TagInfo{name, a.ok() ? *a : s7::Address{}};
}

std::string type_of(const std::string& address) {
  return type_name(column_for(tag("x", address)));
}

TEST(CopyText, ColumnTypeForEveryS7Type) {
  EXPECT_EQ(type_of("DB1.DBX0.0:BOOL"), "boolean");
  EXPECT_EQ(type_of("DB1.DBB0:BYTE"), "smallint");
  EXPECT_EQ(type_of("DB1.DBB0:USINT"), "smallint");
  EXPECT_EQ(type_of("DB1.DBB0:SINT"), "smallint");
  EXPECT_EQ(type_of("DB1.DBW0:INT"), "smallint");
  EXPECT_EQ(type_of("DB1.DBW0:WORD"), "integer");
  EXPECT_EQ(type_of("DB1.DBW0:UINT"), "integer");
  EXPECT_EQ(type_of("DB1.DBD0:DINT"), "integer");
  EXPECT_EQ(type_of("DB1.DBD0:DWORD"), "bigint");
  EXPECT_EQ(type_of("DB1.DBD0:UDINT"), "bigint");
  EXPECT_EQ(type_of("DB1.DBD0:LINT"), "bigint");
  EXPECT_EQ(type_of("DB1.DBD0:LWORD"), "numeric(20,0)");
  EXPECT_EQ(type_of("DB1.DBD0:ULINT"), "numeric(20,0)");
  EXPECT_EQ(type_of("DB1.DBD0:REAL"), "real");
  EXPECT_EQ(type_of("DB1.DBD0:LREAL"), "double precision");
  EXPECT_EQ(type_of("DB1.DBB0:CHAR"), "text");
  EXPECT_EQ(type_of("DB1.DBW0:WCHAR"), "text");
  EXPECT_EQ(type_of("DB1.DBB0:STRING[10]"), "text");
  EXPECT_EQ(type_of("DB1.DBB0:WSTRING[10]"), "text");
  EXPECT_EQ(type_of("DB1.DBD0:TIME"), "interval");
  EXPECT_EQ(type_of("DB1.DBD0:LTIME"), "interval");
  EXPECT_EQ(type_of("DB1.DBW0:S5TIME"), "interval");
  EXPECT_EQ(type_of("T5"), "interval");
  EXPECT_EQ(type_of("C3"), "integer");
  EXPECT_EQ(type_of("DB1.DBW0:DATE"), "date");
  EXPECT_EQ(type_of("DB1.DBD0:TOD"), "time without time zone");
  EXPECT_EQ(type_of("DB1.DBD0:LTOD"), "time without time zone");
  EXPECT_EQ(type_of("DB1.DBB0:DT"), "timestamp without time zone");
  EXPECT_EQ(type_of("DB1.DBB0:DTL"), "timestamp without time zone");
  EXPECT_EQ(type_of("DB1.DBD0:LDT"), "timestamp without time zone");
  EXPECT_EQ(type_of("DB1.DBD0:REAL[4]"), "real[]");
  EXPECT_EQ(type_of("DB1.DBX0.0:BOOL[8]"), "boolean[]");
  EXPECT_EQ(type_of("DB1.DBW0:INT[1]"), "smallint[]");
}

TEST(CopyText, ScaledTagIsDoublePrecision) {
  auto t = tag("level", "DB1.DBW0:INT");
  t.scale = logger::LinearScale{0, 27648, 0, 100};
  EXPECT_EQ(type_name(column_for(t)), "double precision");
}

TEST(CopyText, QuotingOfOddIdentifiersAndLiterals) {
  EXPECT_EQ(quote_ident("temp"), "\"temp\"");
  EXPECT_EQ(quote_ident("we\"ird name"), "\"we\"\"ird name\"");
  EXPECT_EQ(quote_ident("Größe.1"), "\"Größe.1\"");
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
  EXPECT_EQ(qualified_name("my schema", "Line\"1"), "\"my schema\".\"Line\"\"1\"");
}

TEST(CopyText, TableNamePattern) {
  EXPECT_EQ(*table_for("{group}", "press1", "fast"), "fast");
  EXPECT_EQ(*table_for("{group}", "", ""), "log");
  EXPECT_EQ(*table_for("s7_{plc}_{group}", "", "slow"), "s7_plc_slow");
  EXPECT_EQ(*table_for("data", "press1", "fast"), "data");
  EXPECT_FALSE(table_for("", "p", "g").ok());
  auto r = table_for("{group}", "p", std::string(64, 'g'));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find("longer than 63 bytes"), std::string::npos);
}

TEST(CopyText, Ddl) {
  std::vector<Column> cols = {{"temp", ColumnKind::real, false},
                              {"we\"ird", ColumnKind::smallint, true},
                              {"count", ColumnKind::numeric, false}};
  const std::string q = qualified_name("public", "line1");
  EXPECT_EQ(create_table_sql(q, cols),
            "CREATE TABLE IF NOT EXISTS \"public\".\"line1\" (ts timestamptz NOT NULL, plc text "
            "NOT NULL, quality text NOT NULL, errors text, \"temp\" real, \"we\"\"ird\" "
            "smallint[], \"count\" numeric(20,0), PRIMARY KEY (ts, plc))");
  EXPECT_EQ(add_columns_sql(q, {cols[0], cols[2]}),
            "ALTER TABLE \"public\".\"line1\" ADD COLUMN IF NOT EXISTS \"temp\" real, ADD COLUMN "
            "IF NOT EXISTS \"count\" numeric(20,0)");
  EXPECT_EQ(hypertable_sql(q),
            "SELECT create_hypertable('\"public\".\"line1\"', 'ts', if_not_exists => true, "
            "migrate_data => true)");
  EXPECT_EQ(stage_name(2), "pg_temp.\"s7log_stage_2\"");
  EXPECT_EQ(create_stage_sql(stage_name(0), q),
            "CREATE TEMP TABLE pg_temp.\"s7log_stage_0\" (LIKE \"public\".\"line1\" INCLUDING "
            "DEFAULTS) ON COMMIT DELETE ROWS");
  EXPECT_EQ(copy_sql(stage_name(0), cols),
            "COPY pg_temp.\"s7log_stage_0\" (ts, plc, quality, errors, \"temp\", \"we\"\"ird\", "
            "\"count\") FROM STDIN");
  EXPECT_EQ(insert_sql(q, stage_name(0)),
            "INSERT INTO \"public\".\"line1\" SELECT * FROM pg_temp.\"s7log_stage_0\" ON "
            "CONFLICT DO NOTHING");
}

TEST(CopyText, TimestampsInUtcWithMicroseconds) {
  EXPECT_EQ(format_ts(system_clock::time_point{}), "1970-01-01 00:00:00.000000+00");
  EXPECT_EQ(format_ts(sys_days{2026y / 11 / 24} + 10h + 15min + 3s + 123456789ns),
            "2026-11-24 10:15:03.123456+00");
  EXPECT_EQ(format_ts(system_clock::time_point{} - 1us), "1969-12-31 23:59:59.999999+00");
}

TEST(CopyText, EscapingForCopyText) {
  std::string out;
  append_copy_escaped(out, "a\tb\nc\rd\\e|\"f'");
  EXPECT_EQ(out, "a\\tb\\nc\\rd\\\\e|\"f'");
}

std::string value_text(const s7::Value& v, Column c) {
  std::string out;
  append_value_text(out, v, c);
  return out;
}

TEST(CopyText, ScalarValues) {
  using K = ColumnKind;
  EXPECT_EQ(value_text(s7::Scalar(true), {"x", K::boolean}), "t");
  EXPECT_EQ(value_text(s7::Scalar(false), {"x", K::boolean}), "f");
  EXPECT_EQ(value_text(s7::Scalar(std::int64_t{-32768}), {"x", K::smallint}), "-32768");
  EXPECT_EQ(value_text(s7::Scalar(std::numeric_limits<std::uint64_t>::max()), {"x", K::numeric}),
            "18446744073709551615");
  EXPECT_EQ(value_text(s7::Scalar(1.23f), {"x", K::real}), "1.23");
  EXPECT_EQ(value_text(s7::Scalar(0.1), {"x", K::double_precision}), "0.1");
  EXPECT_EQ(value_text(s7::Scalar(1e300), {"x", K::double_precision}), "1e+300");
  EXPECT_EQ(value_text(s7::Scalar(std::numeric_limits<float>::quiet_NaN()), {"x", K::real}), "NaN");
  EXPECT_EQ(
      value_text(s7::Scalar(-std::numeric_limits<double>::infinity()), {"x", K::double_precision}),
      "-Infinity");
  EXPECT_EQ(value_text(s7::Scalar(std::int64_t{1500}), {"x", K::interval_ms}), "1500 milliseconds");
  EXPECT_EQ(value_text(s7::Scalar(std::int64_t{-20}), {"x", K::interval_ms}), "-20 milliseconds");
  EXPECT_EQ(value_text(s7::Scalar(std::int64_t{1500999}), {"x", K::interval_ns}),
            "1500 microseconds");
  EXPECT_EQ(value_text(s7::Scalar(std::string("2026-11-24")), {"x", K::date}), "2026-11-24");
  EXPECT_EQ(value_text(s7::Scalar(std::string("10:15:03.123")), {"x", K::time}), "10:15:03.123");
  EXPECT_EQ(value_text(s7::Scalar(std::string("23:59:59.999999999")), {"x", K::time}),
            "23:59:59.999999");
  EXPECT_EQ(
      value_text(s7::Scalar(std::string("2026-11-24T10:15:03.123456789")), {"x", K::timestamp}),
      "2026-11-24T10:15:03.123456");
  EXPECT_EQ(value_text(s7::Scalar(std::string("a\"b")), {"x", K::text}), "a\"b");
}

s7::Value array(std::vector<s7::Scalar> elems) {
  s7::Value v;
  v.elems = std::move(elems);
  v.array = true;
  return v;
}

TEST(CopyText, ArrayValues) {
  using K = ColumnKind;
  EXPECT_EQ(value_text(array({1.5f, 2.0f, std::numeric_limits<float>::quiet_NaN()}),
                       {"x", K::real, true}),
            "{1.5,2,NaN}");
  EXPECT_EQ(value_text(array({true, false}), {"x", K::boolean, true}), "{t,f}");
  EXPECT_EQ(value_text(array({std::string("a\"b"), std::string("c\\d"), std::string("e,f")}),
                       {"x", K::text, true}),
            "{\"a\\\"b\",\"c\\\\d\",\"e,f\"}");
  EXPECT_EQ(value_text(array({std::int64_t{1000}, std::int64_t{0}}), {"x", K::interval_ms, true}),
            "{\"1000 milliseconds\",\"0 milliseconds\"}");
  EXPECT_EQ(value_text(array({}), {"x", K::integer, true}), "{}");
}

logger::Sample sample_at(std::vector<logger::TagValue> values) {
  logger::Sample s;
  s.ts = sys_days{2026y / 11 / 24} + 10h + 15min + 3s + 500ms;
  s.plc = "press1";
  s.group = "fast";
  s.values = std::move(values);
  return s;
}

TEST(CopyText, CopyRowWithEveryKindOfField) {
  std::vector<Column> cols = {{"on", ColumnKind::boolean},
                              {"temp", ColumnKind::real},
                              {"name", ColumnKind::text},
                              {"arr", ColumnKind::text, true},
                              {"bad", ColumnKind::integer}};
  auto s = sample_at({{s7::Value(s7::Scalar(true))},
                      {s7::Value(s7::Scalar(25.5f))},
                      {s7::Value(s7::Scalar(std::string("tab\there\\ and\nnewline")))},
                      {array({std::string("x\"y"), std::string("back\\slash")})},
                      {std::nullopt, logger::Quality::item_error}});
  s.quality = logger::Quality::item_error;
  std::string out;
  append_copy_row(out, s, cols);
  EXPECT_EQ(out,
            "2026-11-24 10:15:03.500000+00\tpress1\titem_error\tbad: item_error\tt\t25.5\t"
            "tab\\there\\\\ and\\nnewline\t{\"x\\\\\"y\",\"back\\\\\\\\slash\"}\t\\N\n");
}

TEST(CopyText, CopyRowOfAMissedSlot) {
  std::vector<Column> cols = {{"a", ColumnKind::real}, {"b", ColumnKind::real}};
  auto s = sample_at({});
  s.missed = true;
  s.quality = logger::Quality::comm_error;
  std::string out;
  append_copy_row(out, s, cols);
  EXPECT_EQ(out,
            "2026-11-24 10:15:03.500000+00\tpress1\tcomm_error\tmissed: no read in this slot\t"
            "\\N\t\\N\n");
}

TEST(CopyText, ErrorsCell) {
  std::vector<Column> cols = {{"a", ColumnKind::real}, {"b", ColumnKind::real}};
  auto ok = sample_at({{s7::Value(s7::Scalar(1.0f))}, {s7::Value(s7::Scalar(2.0f))}});
  EXPECT_EQ(errors_text(ok, cols), std::nullopt);
  auto all = sample_at(
      {{std::nullopt, logger::Quality::comm_error}, {std::nullopt, logger::Quality::comm_error}});
  EXPECT_EQ(errors_text(all, cols), "all tags: comm_error");
  auto mixed = sample_at(
      {{std::nullopt, logger::Quality::item_error}, {std::nullopt, logger::Quality::comm_error}});
  EXPECT_EQ(errors_text(mixed, cols), "a: item_error; b: comm_error");
}

TEST(CopyText, CheckTagsRefusesWhatPostgresCannotHold) {
  EXPECT_TRUE(check_tags("g", {tag("temp", "DB1.DBD0:REAL")}).ok());
  auto reserved = check_tags("g", {tag("quality", "DB1.DBD0:REAL")});
  ASSERT_FALSE(reserved.ok());
  EXPECT_NE(reserved.error().what().find("rename the tag"), std::string::npos);

  std::vector<logger::TagInfo> many(kMaxTags + 1, tag("t", "DB1.DBX0.0:BOOL"));
  auto too_many = check_tags("big", many);
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.error().what().find("split the group"), std::string::npos);

  std::vector<logger::TagInfo> reals(1000, tag("t", "DB1.DBD0:REAL"));
  EXPECT_TRUE(check_tags("g", reals).ok());
  std::vector<logger::TagInfo> lreals(1000, tag("t", "DB1.DBD0:LREAL"));
  auto wide = check_tags("g", lreals);
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.error().what().find("8160 bytes per row"), std::string::npos);
}

TEST(CopyText, RowSizeEstimate) {
  // Header 24 (23 + 1 bitmap byte, aligned to 8), ts 8, three text columns at 18 aligned to 4.
  EXPECT_EQ(estimate_row_bytes({}), 24u + 66u);
  EXPECT_EQ(estimate_row_bytes({{"d", ColumnKind::double_precision}}), 24u + 72u + 8u);
}

}  // namespace
}  // namespace sinks::postgres
