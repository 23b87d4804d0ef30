// Tests for parse_literal: each STEP 7 / TIA Portal literal form, encoded, equals hand-computed
// bytes (big-endian, S7 codings); errors name the text and the type.
#include "symbols/literal.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;
using ::testing::HasSubstr;

s7::Address addr(std::string_view text) {
  auto a = s7::parse_address(text);
  if (!a) throw std::runtime_error(a.error().what());
  return *a;
}

// parse_literal + encode_value gives exactly `bytes`.
void expect_bytes(std::string_view address, std::string_view literal, const Bytes& bytes) {
  SCOPED_TRACE(std::string(address) + " := " + std::string(literal));
  const auto a = addr(address);
  auto v = symbols::parse_literal(a, literal);
  ASSERT_TRUE(v.ok()) << v.error().what();
  auto enc = s7::encode_value(a, *v);
  ASSERT_TRUE(enc.ok()) << enc.error().what();
  EXPECT_EQ(*enc, bytes);
}

s7::Error fails(std::string_view address, std::string_view literal) {
  auto v = symbols::parse_literal(addr(address), literal);
  EXPECT_FALSE(v.ok()) << address << " := " << literal << " parsed";
  return v.ok() ? s7::Error{} : v.error();
}

TEST(Literal, DecimalIntegers) {
  expect_bytes("DB1.DBW0:INT", "5", {0x00, 0x05});
  expect_bytes("DB1.DBW0:INT", "-5", {0xFF, 0xFB});
  expect_bytes("DB1.DBW0:INT", "+7", {0x00, 0x07});
  expect_bytes("DB1.DBW0:INT", "1_000", {0x03, 0xE8});
  expect_bytes("DB1.DBW0:INT", " 5 ", {0x00, 0x05});
  expect_bytes("DB1.DBB0:SINT", "-1", {0xFF});
  expect_bytes("DB1.DBB0:USINT", "200", {0xC8});
  expect_bytes("DB1.DBW0:UINT", "65535", {0xFF, 0xFF});
  expect_bytes("DB1.DBD0:UDINT", "16909060", {0x01, 0x02, 0x03, 0x04});
  expect_bytes("DB1.DBD0:LINT", "-2", {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE});
  expect_bytes("DB1.DBD0:ULINT", "258", {0, 0, 0, 0, 0, 0, 0x01, 0x02});
}

TEST(Literal, TypedAndStep7Integers) {
  expect_bytes("DB1.DBW0:INT", "INT#5", {0x00, 0x05});
  expect_bytes("DB1.DBW0:INT", "int#-5", {0xFF, 0xFB});
  expect_bytes("DB1.DBD0:DINT", "DINT#-5", {0xFF, 0xFF, 0xFF, 0xFB});
  expect_bytes("DB1.DBD0:DINT", "L#100", {0x00, 0x00, 0x00, 0x64});
  expect_bytes("DB1.DBD0:DINT", "L#-100", {0xFF, 0xFF, 0xFF, 0x9C});
  expect_bytes("DB1.DBD0:UDINT", "UDINT#7", {0x00, 0x00, 0x00, 0x07});
  expect_bytes("DB1.DBB0:USINT", "USINT#16#10", {0x10});
}

TEST(Literal, BasedIntegers) {
  expect_bytes("DB1.DBW0:INT", "16#FF", {0x00, 0xFF});
  expect_bytes("DB1.DBW0:WORD", "W#16#00FF", {0x00, 0xFF});
  expect_bytes("DB1.DBW0:WORD", "w#16#abcd", {0xAB, 0xCD});
  expect_bytes("DB1.DBW0:WORD", "WORD#16#1234", {0x12, 0x34});
  expect_bytes("DB1.DBD0:DWORD", "DW#16#0000_00FF", {0x00, 0x00, 0x00, 0xFF});
  expect_bytes("DB1.DBD0:DWORD", "DW#16#DEADBEEF", {0xDE, 0xAD, 0xBE, 0xEF});
  expect_bytes("DB1.DBD0:LWORD", "LW#16#0102_0304_0506_0708",
               {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08});
  expect_bytes("DB1.DBB0:BYTE", "B#16#07", {0x07});
  expect_bytes("DB1.DBB0:BYTE", "2#0101_0101", {0x55});
  expect_bytes("DB1.DBB0:BYTE", "8#17", {0x0F});
  expect_bytes("DB1.DBW0:WORD", "2#1111_0000_1111_0000", {0xF0, 0xF0});
  expect_bytes("DB1.DBD0:DWORD", "DW#2#1", {0x00, 0x00, 0x00, 0x01});
  // A based number for a signed type may be its bit pattern.
  expect_bytes("DB1.DBW0:INT", "INT#16#FFFF", {0xFF, 0xFF});
  expect_bytes("DB1.DBW0:INT", "16#8000", {0x80, 0x00});
  expect_bytes("DB1.DBD0:DINT", "16#FFFF_FFFE", {0xFF, 0xFF, 0xFF, 0xFE});
  expect_bytes("DB1.DBD0:LINT", "16#FFFFFFFFFFFFFFFF",
               {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
  // B#(b1, b2): the bytes of a WORD, most significant first; C#: a counter's BCD digits.
  expect_bytes("DB1.DBW0:WORD", "B#(1, 2)", {0x01, 0x02});
  expect_bytes("DB1.DBD0:DWORD", "B#(16#0A, 2, 3, 255)", {0x0A, 0x02, 0x03, 0xFF});
  expect_bytes("DB1.DBW0:WORD", "C#123", {0x01, 0x23});
}

TEST(Literal, Reals) {
  expect_bytes("DB1.DBD0:REAL", "1.23", {0x3F, 0x9D, 0x70, 0xA4});
  expect_bytes("DB1.DBD0:REAL", "1.230000e+000", {0x3F, 0x9D, 0x70, 0xA4});
  expect_bytes("DB1.DBD0:REAL", "1.230000E+000", {0x3F, 0x9D, 0x70, 0xA4});
  expect_bytes("DB1.DBD0:REAL", "REAL#1.5", {0x3F, 0xC0, 0x00, 0x00});
  expect_bytes("DB1.DBD0:REAL", "-2", {0xC0, 0x00, 0x00, 0x00});
  expect_bytes("DB1.DBD0:REAL", "0.000000e+000", {0x00, 0x00, 0x00, 0x00});
  expect_bytes("DB1.DBD0:REAL", "1_000.5", {0x44, 0x7A, 0x20, 0x00});
  expect_bytes("DB1.DBD0:LREAL", "LREAL#1.5", {0x3F, 0xF8, 0, 0, 0, 0, 0, 0});
}

TEST(Literal, Bools) {
  expect_bytes("DB1.DBX0.1", "TRUE", {0x02});
  expect_bytes("DB1.DBX0.1", "true", {0x02});
  expect_bytes("DB1.DBX0.1", "FALSE", {0x00});
  expect_bytes("DB1.DBX3.7", "BOOL#1", {0x80});
  expect_bytes("DB1.DBX0.0", "BOOL#FALSE", {0x00});
}

TEST(Literal, Chars) {
  expect_bytes("DB1.DBB0:CHAR", "'a'", {0x61});
  expect_bytes("DB1.DBB0:CHAR", "'$''", {0x27});
  expect_bytes("DB1.DBB0:CHAR", "'$$'", {0x24});
  expect_bytes("DB1.DBB0:CHAR", "'$41'", {0x41});
  expect_bytes("DB1.DBB0:CHAR", "'$t'", {0x09});
  expect_bytes("DB1.DBB0:CHAR", "'$R'", {0x0D});
  expect_bytes("DB1.DBB0:CHAR", "'$P'", {0x0C});
  expect_bytes("DB1.DBB0:CHAR", "' '", {0x20});
  expect_bytes("DB1.DBB0:CHAR", "CHAR#'b'", {0x62});
  expect_bytes("DB1.DBB0:CHAR", "CHAR#65", {0x41});
  expect_bytes("DB1.DBB0:CHAR", "'\xC3\xA4'", {0xE4});  // UTF-8 a-umlaut -> Latin-1
  expect_bytes("DB1.DBB0:CHAR", "'\xE4'", {0xE4});      // Windows-1252 a-umlaut as it is
  expect_bytes("DB1.DBW0:WCHAR", "WCHAR#'a'", {0x00, 0x61});
  expect_bytes("DB1.DBW0:WCHAR", "\"$20AC\"", {0x20, 0xAC});
}

TEST(Literal, Strings) {
  expect_bytes("DB1.DBB0:STRING[10]", "'text'", {0x0A, 0x04, 't', 'e', 'x', 't', 0, 0, 0, 0, 0, 0});
  expect_bytes("DB1.DBB0:STRING[10]", "''", {0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  expect_bytes("DB1.DBB0:STRING[10]", "'it$'s $$5'",
               {0x0A, 0x07, 'i', 't', '\'', 's', ' ', '$', '5', 0, 0, 0});
  expect_bytes("DB1.DBB0:STRING[4]", "'a$Lb'", {0x04, 0x03, 'a', 0x0A, 'b', 0});
  expect_bytes("DB1.DBB0:STRING[4]", "'$N'", {0x04, 0x02, 0x0D, 0x0A, 0, 0});
  expect_bytes("DB1.DBB0:STRING[4]", "'\"q\"'", {0x04, 0x03, '"', 'q', '"', 0});
  expect_bytes("DB1.DBB0:STRING[4]", "STRING#'ab'", {0x04, 0x02, 'a', 'b', 0, 0});
  expect_bytes("DB1.DBB0:STRING[4]", "'$7e$7F'", {0x04, 0x02, 0x7E, 0x7F, 0, 0});
  // WSTRING[2]: max length, current length (uint16 each), then UTF-16BE units.
  expect_bytes("DB1.DBB0:WSTRING[2]", "WSTRING#'x'", {0x00, 0x02, 0x00, 0x01, 0x00, 'x', 0, 0});
  expect_bytes("DB1.DBB0:WSTRING[2]", "\"x\"", {0x00, 0x02, 0x00, 0x01, 0x00, 'x', 0, 0});
  expect_bytes("DB1.DBB0:WSTRING[2]", "\"$00e4'\"",
               {0x00, 0x02, 0x00, 0x02, 0x00, 0xE4, 0x00, '\''});
  expect_bytes("DB1.DBB0:WSTRING[2]", "WSTRING#'$20AC'",
               {0x00, 0x02, 0x00, 0x01, 0x20, 0xAC, 0, 0});
}

TEST(Literal, Durations) {
  expect_bytes("DB1.DBD0:TIME", "T#1s", {0x00, 0x00, 0x03, 0xE8});
  expect_bytes("DB1.DBD0:TIME", "T#0MS", {0x00, 0x00, 0x00, 0x00});
  // 1 d 2 h 3 m 4 s 5 ms = 93784005 ms = 16#0597_07C5.
  expect_bytes("DB1.DBD0:TIME", "T#1D_2H_3M_4S_5MS", {0x05, 0x97, 0x07, 0xC5});
  expect_bytes("DB1.DBD0:TIME", "TIME#1d2h3m4s5ms", {0x05, 0x97, 0x07, 0xC5});
  expect_bytes("DB1.DBD0:TIME", "T#-5s", {0xFF, 0xFF, 0xEC, 0x78});
  expect_bytes("DB1.DBD0:TIME", "TIME#2m", {0x00, 0x01, 0xD4, 0xC0});
  // S5TIME: time base in bits 13-12 (10 ms, 100 ms, 1 s, 10 s), three BCD digits.
  expect_bytes("DB1.DBW0:S5TIME", "S5T#2S", {0x02, 0x00});
  expect_bytes("DB1.DBW0:S5TIME", "S5TIME#10S", {0x11, 0x00});
  expect_bytes("DB1.DBW0:S5TIME", "S5T#0MS", {0x00, 0x00});
  expect_bytes("DB1.DBD0:LTIME", "LT#1s", {0, 0, 0, 0, 0x3B, 0x9A, 0xCA, 0x00});
  expect_bytes("DB1.DBD0:LTIME", "LTIME#1us", {0, 0, 0, 0, 0, 0, 0x03, 0xE8});
}

TEST(Literal, Calendar) {
  // DATE: days since 1990-01-01 (2026-12-07 is day 13489 = 16#34B1).
  expect_bytes("DB1.DBW0:DATE", "D#1990-1-1", {0x00, 0x00});
  expect_bytes("DB1.DBW0:DATE", "DATE#2026-12-07", {0x34, 0xB1});
  // TIME_OF_DAY: ms since midnight.
  expect_bytes("DB1.DBD0:TOD", "TOD#12:00:00.000", {0x02, 0x93, 0x2E, 0x00});
  expect_bytes("DB1.DBD0:TOD", "TOD#0:0:0.0", {0x00, 0x00, 0x00, 0x00});
  expect_bytes("DB1.DBD0:TOD", "TIME_OF_DAY#1:2:3.4", {0x00, 0x38, 0xD0, 0x88});
  expect_bytes("DB1.DBD0:TOD", "TOD#1:02", {0x00, 0x38, 0xC3, 0x40});
  // DATE_AND_TIME: BCD year, month, day, hour, minute, second, ms, weekday (1 = Sunday).
  expect_bytes("DB1.DBB0:DT", "DT#90-1-1-0:0:0.000", {0x90, 0x01, 0x01, 0, 0, 0, 0x00, 0x02});
  expect_bytes("DB1.DBB0:DT", "DATE_AND_TIME#2026-12-07-12:34:56.789",
               {0x26, 0x12, 0x07, 0x12, 0x34, 0x56, 0x78, 0x92});
  expect_bytes("DB1.DBB0:DT", "DT#05-6-7-8:9:10.5",
               {0x05, 0x06, 0x07, 0x08, 0x09, 0x10, 0x50, 0x03});
  // DTL: uint16 year, month, day, weekday, hour, minute, second, uint32 ns.
  expect_bytes("DB1.DBB0:DTL", "DTL#2026-12-07-12:00:00",
               {0x07, 0xEA, 12, 7, 2, 12, 0, 0, 0, 0, 0, 0});
  expect_bytes("DB1.DBB0:DTL", "DTL#1970-01-01-00:00:00.5",
               {0x07, 0xB2, 1, 1, 5, 0, 0, 0, 0x1D, 0xCD, 0x65, 0x00});
  // LDT: ns since 1970; LTOD: ns since midnight.
  expect_bytes("DB1.DBB0:LDT", "LDT#1970-01-01-00:00:01", {0, 0, 0, 0, 0x3B, 0x9A, 0xCA, 0x00});
  expect_bytes("DB1.DBB0:LTOD", "LTOD#0:0:1.000000001", {0, 0, 0, 0, 0x3B, 0x9A, 0xCA, 0x01});
}

TEST(Literal, Arrays) {
  expect_bytes("DB1.DBB0:INT[3]", "[1, 2, 3]", {0, 1, 0, 2, 0, 3});
  expect_bytes("DB1.DBB0:INT[4]", "[3(0), 1]", {0, 0, 0, 0, 0, 0, 0, 1});
  expect_bytes("DB1.DBB0:INT[3]", "3(0)", {0, 0, 0, 0, 0, 0});
  expect_bytes("DB1.DBB0:INT[3]", "3 (7)", {0, 7, 0, 7, 0, 7});
  expect_bytes("DB1.DBB0:INT[4]", "[2(1, -1)]", {0, 1, 0xFF, 0xFF, 0, 1, 0xFF, 0xFF});
  expect_bytes("DB1.DBB0:INT[3]", "1, 2, 3", {0, 1, 0, 2, 0, 3});
  expect_bytes("DB1.DBB0:INT[4]", "[[1, 2], [3, 4]]", {0, 1, 0, 2, 0, 3, 0, 4});
  // Fewer values than elements: the rest keep the default.
  expect_bytes("DB1.DBB0:INT[3]", "[5]", {0, 5, 0, 0, 0, 0});
  expect_bytes("DB1.DBB0:WORD[2]", "[W#16#0102, B#(3, 4)]", {1, 2, 3, 4});
  expect_bytes("DB1.DBB0:CHAR[3]", "['a', '$'', ',']", {'a', '\'', ','});
  expect_bytes("DB1.DBB0:REAL[3]", "[1.5, 2(0.0)]", {0x3F, 0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  expect_bytes("DB1.DBX0.0:BOOL[3]", "[TRUE, FALSE, TRUE]", {0x05});
  expect_bytes("DB1.DBX0.6:BOOL[3]", "[3(TRUE)]", {0xC0, 0x01});
  expect_bytes("DB1.DBB0:TIME[2]", "[T#1s, T#-1ms]", {0, 0, 0x03, 0xE8, 0xFF, 0xFF, 0xFF, 0xFF});
  expect_bytes("DB1.DBB0:DATE[2]", "[D#1990-1-2]", {0, 1, 0, 0});
}

TEST(Literal, ValueKinds) {
  auto v = symbols::parse_literal(addr("DB1.DBW0:INT"), "-5");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, s7::Value(s7::Scalar{std::int64_t{-5}}));
  auto s = symbols::parse_literal(addr("DB1.DBB0:STRING[10]"), "'a$'b'");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, s7::Value(s7::Scalar{std::string("a'b")}));
  auto arr = symbols::parse_literal(addr("DB1.DBB0:INT[2]"), "[1, 2]");
  ASSERT_TRUE(arr.ok());
  EXPECT_TRUE(arr->array);
  EXPECT_EQ(arr->elems.size(), 2u);
}

TEST(Literal, SyntaxErrorsNameTextAndType) {
  auto e = fails("DB1.DBW0:INT", "abc");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax)) << e.what();
  EXPECT_THAT(e.what(), HasSubstr("'abc'"));
  EXPECT_THAT(e.what(), HasSubstr("INT"));

  e = fails("DB1.DBB0:STRING[10]", "'open");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
  EXPECT_THAT(e.what(), HasSubstr("'open"));
  EXPECT_THAT(e.what(), HasSubstr("STRING[10]"));

  e = fails("DB1.DBB0:STRING[10]", "'$Q'");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
  EXPECT_THAT(e.what(), HasSubstr("$Q"));

  e = fails("DB1.DBB0:STRING[10]", "text");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
  EXPECT_THAT(e.what(), HasSubstr("quoted"));

  e = fails("DB1.DBD0:TIME", "T#5x");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
  EXPECT_THAT(e.what(), HasSubstr("T#5x"));
  EXPECT_THAT(e.what(), HasSubstr("TIME"));

  e = fails("DB1.DBD0:TOD", "TOD#25");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
  EXPECT_THAT(e.what(), HasSubstr("TOD#25"));

  e = fails("DB1.DBB0:DT", "DT#90-1-1 x");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));

  e = fails("DB1.DBB0:BYTE", "8#9");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
  EXPECT_THAT(e.what(), HasSubstr("8#9"));

  e = fails("DB1.DBB0:BYTE", "3#1");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
  EXPECT_THAT(e.what(), HasSubstr("2#, 8# and 16#"));

  e = fails("DB1.DBW0:INT", "T#5s");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
  EXPECT_EQ(e.what(),
            "'T#5s' is not a valid INT literal: expected an integer such as 5, -5, "
            "16#FF or W#16#00FF");

  e = fails("DB1.DBX0.0", "YES");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
  EXPECT_THAT(e.what(), HasSubstr("BOOL"));

  e = fails("DB1.DBB0:INT[3]", "[1, x, 3]");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
  EXPECT_THAT(e.what(), HasSubstr("Array[3] of INT value 2"));
  EXPECT_THAT(e.what(), HasSubstr("'x'"));

  e = fails("DB1.DBB0:INT[3]", "[1, 2");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));

  e = fails("DB1.DBB0:INT[3]", "[1,, 2]");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));

  e = fails("DB1.DBW0:INT", "");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
}

TEST(Literal, RangeErrors) {
  auto e = fails("DB1.DBW0:INT", "70000");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range)) << e.what();
  EXPECT_THAT(e.what(), HasSubstr("70000"));

  e = fails("DB1.DBW0:INT", "L#70000");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range));
  EXPECT_THAT(e.what(), HasSubstr("L#70000"));

  e = fails("DB1.DBB0:STRING[2]", "'abc'");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range)) << e.what();
  EXPECT_THAT(e.what(), HasSubstr("'abc'"));
  EXPECT_THAT(e.what(), HasSubstr("STRING[2]"));

  e = fails("DB1.DBB0:CHAR", "'ab'");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range));

  e = fails("DB1.DBB0:INT[3]", "[1, 2, 3, 4]");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range));
  EXPECT_THAT(e.what(), HasSubstr("Array[3] of INT"));

  e = fails("DB1.DBB0:INT[3]", "[65535(65535(0))]");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range));

  e = fails("DB1.DBW0:WORD", "B#(1, 2, 3)");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range));

  e = fails("DB1.DBB0:BYTE", "16#1_0000_0000_0000_0000");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range));

  e = fails("DB1.DBW0:S5TIME", "S5T#3H");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range));

  e = fails("DB1.DBB0:DT", "DT#2090-1-1-0:0:0");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range));
}

}  // namespace
