// Tests for the value codecs: byte-exact big-endian vectors per type, text parsing and formatting.
#include "s7/value.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;

s7::Address addr(std::string_view text) {
  auto a = s7::parse_address(text);
  if (!a) throw std::runtime_error(a.error().what());
  return *a;
}

// Text -> bytes via parse_value + encode_value, and bytes -> text via decode_value + format_value.
void expect_codec(std::string_view address, std::string_view text, const Bytes& bytes,
                  std::string_view shown) {
  SCOPED_TRACE(std::string(address) + " = " + std::string(text));
  const auto a = addr(address);
  auto v = s7::parse_value(a, text);
  ASSERT_TRUE(v.ok()) << v.error().what();
  auto enc = s7::encode_value(a, *v);
  ASSERT_TRUE(enc.ok()) << enc.error().what();
  EXPECT_EQ(*enc, bytes);
  auto dec = s7::decode_value(a, bytes);
  ASSERT_TRUE(dec.ok()) << dec.error().what();
  EXPECT_EQ(s7::format_value(*dec), shown);
  EXPECT_EQ(*dec, *v);
}

s7::Error parse_fails(std::string_view address, std::string_view text) {
  auto v = s7::parse_value(addr(address), text);
  EXPECT_FALSE(v.ok()) << address << " = " << text << " parsed";
  return v.ok() ? s7::Error{} : v.error();
}

s7::Error decode_fails(std::string_view address, const Bytes& bytes) {
  auto v = s7::decode_value(addr(address), bytes);
  EXPECT_FALSE(v.ok()) << address << " decoded";
  return v.ok() ? s7::Error{} : v.error();
}

TEST(ValueCodec, Bool) {
  expect_codec("DB1.DBX10.0", "true", {0x01}, "true");
  expect_codec("DB1.DBX10.0", "0", {0x00}, "false");
  expect_codec("DB1.DBX0.3", "1", {0x08}, "true");
  expect_codec("M0.7", "TRUE", {0x80}, "true");
  // Only the addressed bit counts when decoding.
  auto v = s7::decode_value(addr("DB1.DBX0.3"), Bytes{0xF7});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(s7::format_value(*v), "false");
}

TEST(ValueCodec, BoolArrayUsesConsecutiveBits) {
  expect_codec("DB1.DBX0.6:BOOL[4]", "[true, false, 1, true]", {0x40, 0x03},
               "[true, false, true, true]");
}

TEST(ValueCodec, UnsignedIntegers) {
  expect_codec("DB1.DBB11", "7", {0x07}, "7");
  expect_codec("DB1.DBB11", "0xFF", {0xFF}, "255");
  expect_codec("MW0:WORD", "16#1234", {0x12, 0x34}, "4660");
  expect_codec("MD0:DWORD", "0xDEADBEEF", {0xDE, 0xAD, 0xBE, 0xEF}, "3735928559");
  expect_codec("DB1.DBB0:LWORD", "0x0102030405060708",
               {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}, "72623859790382856");
  expect_codec("DB1.DBB0:USINT", "200", {0xC8}, "200");
  expect_codec("DB1.DBW0:UINT", "65535", {0xFF, 0xFF}, "65535");
  expect_codec("DB1.DBD0:UDINT", "4294967295", {0xFF, 0xFF, 0xFF, 0xFF}, "4294967295");
  expect_codec("DB1.DBB0:ULINT", "18446744073709551615", Bytes(8, 0xFF), "18446744073709551615");
  expect_codec("DB1.DBB0:BYTE", "2#1010_0101", {0xA5}, "165");
}

TEST(ValueCodec, SignedIntegersUseTwosComplement) {
  expect_codec("DB1.DBB0:SINT", "-5", {0xFB}, "-5");
  expect_codec("DB1.DBB0:SINT", "-128", {0x80}, "-128");
  expect_codec("DB1.DBW4", "1234", {0x04, 0xD2}, "1234");
  expect_codec("DB1.DBW4", "-2", {0xFF, 0xFE}, "-2");
  expect_codec("DB1.DBW4", "-32768", {0x80, 0x00}, "-32768");
  expect_codec("DB1.DBD0", "-1", {0xFF, 0xFF, 0xFF, 0xFF}, "-1");
  expect_codec("DB1.DBD0", "100000", {0x00, 0x01, 0x86, 0xA0}, "100000");
  expect_codec("DB1.DBB0:LINT", "-2", {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE}, "-2");
  expect_codec("DB1.DBB0:LINT", "-9223372036854775808", {0x80, 0, 0, 0, 0, 0, 0, 0},
               "-9223372036854775808");
}

TEST(ValueCodec, Real) {
  expect_codec("DB1.DBD6:REAL", "1.23", {0x3F, 0x9D, 0x70, 0xA4}, "1.23");
  expect_codec("DB1.DBD6:REAL", "-2.5", {0xC0, 0x20, 0x00, 0x00}, "-2.5");
  expect_codec("DB1.DBD6:REAL", "+25", {0x41, 0xC8, 0x00, 0x00}, "25");
  expect_codec("DB1.DBB0:LREAL", "1.5", {0x3F, 0xF8, 0, 0, 0, 0, 0, 0}, "1.5");
  expect_codec("DB1.DBB0:LREAL", "0.1", {0x3F, 0xB9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A}, "0.1");
}

TEST(ValueCodec, CharsAreLatin1AndUtf16) {
  expect_codec("DB1.DBB0:CHAR", "A", {0x41}, "A");
  expect_codec("DB1.DBB0:CHAR", "\"\xC3\xA9\"", {0xE9}, "\xC3\xA9");  // é
  expect_codec("DB1.DBB0:CHAR", "''", {0x00}, "");
  expect_codec("DB1.DBW0:WCHAR", "\xCE\xA9", {0x03, 0xA9}, "\xCE\xA9");  // Ω
  expect_codec("DB1.DBB0:CHAR[3]", "[a, b, \",\"]", {0x61, 0x62, 0x2C}, "[a, b, \",\"]");
}

TEST(ValueCodec, StringHasMaxAndCurrentLength) {
  expect_codec("DB1.DBB30:STRING[4]", "ab", {0x04, 0x02, 0x61, 0x62, 0x00, 0x00}, "ab");
  expect_codec("DB1.DBB30:STRING[4]", "\"a b\"", {0x04, 0x03, 0x61, 0x20, 0x62, 0x00}, "a b");
  expect_codec("DB1.DBB30:STRING[4]", "", {0x04, 0x00, 0x00, 0x00, 0x00, 0x00}, "");
  expect_codec("DB1.DBB30:STRING[2]", "\xC3\xBC", {0x02, 0x01, 0xFC, 0x00}, "\xC3\xBC");  // ü
}

TEST(ValueCodec, StringDecodeClampsCurrentLength) {
  const auto a = addr("DB1.DBB30:STRING[4]");
  // Current length 9 is more than the declared 4: only 4 characters are shown.
  auto v = s7::decode_value(a, Bytes{0x04, 0x09, 'a', 'b', 'c', 'd'});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(s7::format_value(*v), "abcd");
  // A short buffer never reads past its end.
  v = s7::decode_value(a, Bytes{0x04, 0x04, 'x', 'y'});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(s7::format_value(*v), "xy");
  // Current length 0 in an uninitialised DB.
  v = s7::decode_value(a, Bytes(6, 0));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(s7::format_value(*v), "");
  EXPECT_TRUE(decode_fails("DB1.DBB30:STRING[4]", {0x04}).is(s7::Errc::invalid_argument));
}

TEST(ValueCodec, StringLongerThanDeclaredIsAnError) {
  auto e = parse_fails("DB1.DBB30:STRING[4]", "hello");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range));
  EXPECT_THAT(e.what(), testing::HasSubstr("STRING[4]"));
  EXPECT_THAT(e.what(), testing::HasSubstr("at most 4 characters"));
  auto enc = s7::encode_value(addr("DB1.DBB30:STRING[4]"), s7::Value(std::string("hello")));
  ASSERT_FALSE(enc.ok());
  EXPECT_TRUE(enc.error().is(s7::Errc::value_out_of_range));
  EXPECT_TRUE(parse_fails("DB1.DBB30:STRING[4]", "\xE2\x82\xAC").is(s7::Errc::value_out_of_range));
}

TEST(ValueCodec, WString) {
  expect_codec("DB1.DBB40:WSTRING[3]", "hi",
               {0x00, 0x03, 0x00, 0x02, 0x00, 0x68, 0x00, 0x69, 0x00, 0x00}, "hi");
  // U+1F600 needs a surrogate pair: two of the declared units.
  expect_codec("DB1.DBB40:WSTRING[2]", "\xF0\x9F\x98\x80",
               {0x00, 0x02, 0x00, 0x02, 0xD8, 0x3D, 0xDE, 0x00}, "\xF0\x9F\x98\x80");
  auto v = s7::decode_value(addr("DB1.DBB40:WSTRING[2]"),
                            Bytes{0x00, 0x02, 0x00, 0x07, 0x00, 0x41, 0x00, 0x42});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(s7::format_value(*v), "AB");
}

TEST(ValueCodec, Time) {
  expect_codec("DB1.DBD0:TIME", "T#1s500ms", {0x00, 0x00, 0x05, 0xDC}, "1500");
  expect_codec("DB1.DBD0:TIME", "1500", {0x00, 0x00, 0x05, 0xDC}, "1500");
  expect_codec("DB1.DBD0:TIME", "T#-1ms", {0xFF, 0xFF, 0xFF, 0xFF}, "-1");
  expect_codec("DB1.DBD0:TIME", "time#1d_2h", {0x05, 0x94, 0x39, 0x00}, "93600000");
  expect_codec("DB1.DBD0:TIME", "T#1.5s", {0x00, 0x00, 0x05, 0xDC}, "1500");
  expect_codec("DB1.DBB0:LTIME", "LT#1s", {0, 0, 0, 0, 0x3B, 0x9A, 0xCA, 0x00}, "1000000000");
  expect_codec("DB1.DBB0:LTIME", "LT#1us5ns", {0, 0, 0, 0, 0, 0, 0x03, 0xED}, "1005");
  EXPECT_TRUE(parse_fails("DB1.DBD0:TIME", "T#25d").is(s7::Errc::value_out_of_range));
  EXPECT_TRUE(parse_fails("DB1.DBD0:TIME", "T#1us").is(s7::Errc::value_out_of_range));
  EXPECT_TRUE(parse_fails("DB1.DBD0:TIME", "T#1x").is(s7::Errc::value_syntax));
}

TEST(ValueCodec, S5TimePicksTheFinestTimeBase) {
  expect_codec("DB1.DBW0:S5TIME", "S5T#500ms", {0x00, 0x50}, "500");
  expect_codec("DB1.DBW0:S5TIME", "2000", {0x02, 0x00}, "2000");
  expect_codec("DB1.DBW0:S5TIME", "T#12s", {0x11, 0x20}, "12000");
  expect_codec("DB1.DBW0:S5TIME", "T#1m", {0x16, 0x00}, "60000");
  expect_codec("DB1.DBW0:S5TIME", "T#2h", {0x37, 0x20}, "7200000");
  expect_codec("DB1.DBW0:S5TIME", "9990000", {0x39, 0x99}, "9990000");
  // Base 1 s x 123 written by a PLC program.
  auto v = s7::decode_value(addr("DB1.DBW0:S5TIME"), Bytes{0x21, 0x23});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(s7::format_value(*v), "123000");
  // Finer parts than the chosen base are dropped: 12345 ms needs the 100 ms base.
  auto enc = s7::encode_value(addr("DB1.DBW0:S5TIME"), s7::Value(std::int64_t{12345}));
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(*enc, (Bytes{0x11, 0x23}));
  EXPECT_TRUE(decode_fails("DB1.DBW0:S5TIME", {0x00, 0xAB}).is(s7::Errc::value_out_of_range));
  auto e = parse_fails("DB1.DBW0:S5TIME", "9990001");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range));
  EXPECT_THAT(e.what(), testing::HasSubstr("0..9990000 ms"));
  EXPECT_TRUE(parse_fails("DB1.DBW0:S5TIME", "-10").is(s7::Errc::value_out_of_range));
}

TEST(ValueCodec, TimerAndCounterElements) {
  expect_codec("T5", "T#12s", {0x11, 0x20}, "12000");
  expect_codec("C3", "123", {0x01, 0x23}, "123");
  expect_codec("C3", "999", {0x09, 0x99}, "999");
  expect_codec("C3:COUNTER[2]", "[0, 42]", {0x00, 0x00, 0x00, 0x42}, "[0, 42]");
  EXPECT_TRUE(parse_fails("C3", "1000").is(s7::Errc::value_out_of_range));
  EXPECT_TRUE(decode_fails("C3", {0x00, 0x1A}).is(s7::Errc::value_out_of_range));
}

TEST(ValueCodec, Date) {
  expect_codec("DB1.DBW0:DATE", "2026-11-24", {0x34, 0xA4}, "2026-11-24");
  expect_codec("DB1.DBW0:DATE", "D#1990-01-01", {0x00, 0x00}, "1990-01-01");
  expect_codec("DB1.DBW0:DATE", "2169-06-06", {0xFF, 0xFF}, "2169-06-06");
  EXPECT_TRUE(parse_fails("DB1.DBW0:DATE", "1989-12-31").is(s7::Errc::value_out_of_range));
  EXPECT_TRUE(parse_fails("DB1.DBW0:DATE", "2026-02-30").is(s7::Errc::value_syntax));
}

TEST(ValueCodec, TimeOfDay) {
  expect_codec("DB1.DBD0:TOD", "10:15:03.25", {0x02, 0x33, 0x19, 0x52}, "10:15:03.250");
  expect_codec("DB1.DBD0:TOD", "TOD#00:00", {0, 0, 0, 0}, "00:00:00.000");
  EXPECT_TRUE(parse_fails("DB1.DBD0:TOD", "24:00:00").is(s7::Errc::value_syntax));
  EXPECT_TRUE(
      decode_fails("DB1.DBD0:TOD", {0x05, 0x26, 0x5C, 0x00}).is(s7::Errc::value_out_of_range));
}

TEST(ValueCodec, DateAndTimeIsBcdWithWeekday) {
  // 2026-11-24 is a Tuesday: weekday 3 (1 = Sunday) in the last nibble.
  expect_codec("DB1.DBB0:DT", "DT#2026-11-24-10:15:03.250",
               {0x26, 0x11, 0x24, 0x10, 0x15, 0x03, 0x25, 0x03}, "2026-11-24T10:15:03.250");
  // 1999-12-31 is a Friday (6); ms 999 -> 0x99 and 9 in the high nibble.
  expect_codec("DB1.DBB0:DATE_AND_TIME", "1999-12-31 23:59:59.999",
               {0x99, 0x12, 0x31, 0x23, 0x59, 0x59, 0x99, 0x96}, "1999-12-31T23:59:59.999");
  expect_codec("DB1.DBB0:DT", "2000-02-29", {0x00, 0x02, 0x29, 0, 0, 0, 0, 0x03},
               "2000-02-29T00:00:00.000");
  EXPECT_TRUE(parse_fails("DB1.DBB0:DT", "2090-01-01T00:00:00").is(s7::Errc::value_out_of_range));
  EXPECT_TRUE(
      decode_fails("DB1.DBB0:DT", {0x2A, 0, 0, 0, 0, 0, 0, 0}).is(s7::Errc::value_out_of_range));
}

TEST(ValueCodec, UntouchedDateAndTimeShowsAsItIs) {
  auto v = s7::decode_value(addr("DB1.DBB0:DT"), Bytes(8, 0));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(s7::format_value(*v), "2000-00-00T00:00:00.000");
}

TEST(ValueCodec, Dtl) {
  expect_codec("DB1.DBB0:DTL", "DTL#2026-11-24T10:15:03.123456789",
               {0x07, 0xEA, 0x0B, 0x18, 0x03, 0x0A, 0x0F, 0x03, 0x07, 0x5B, 0xCD, 0x15},
               "2026-11-24T10:15:03.123456789");
  EXPECT_TRUE(decode_fails("DB1.DBB0:DTL", {0x07, 0xEA, 1, 1, 1, 0, 0, 0, 0x3B, 0x9A, 0xCA, 0x00})
                  .is(s7::Errc::value_out_of_range));
}

TEST(ValueCodec, LTimeOfDayIsNanosecondsSinceMidnight) {
  expect_codec("DB1.DBB0:LTOD", "LTOD#10:15:03.123456789",
               {0x00, 0x00, 0x21, 0x90, 0x2D, 0x90, 0x93, 0x15}, "10:15:03.123456789");
  expect_codec("DB1.DBD0:LTIME_OF_DAY", "00:00", Bytes(8, 0), "00:00:00.000000000");
  expect_codec("DB1.DBB0:LTOD", "23:59:59.999999999",
               {0x00, 0x00, 0x4E, 0x94, 0x91, 0x4E, 0xFF, 0xFF}, "23:59:59.999999999");
  EXPECT_TRUE(parse_fails("DB1.DBB0:LTOD", "24:00:00").is(s7::Errc::value_syntax));
  EXPECT_TRUE(parse_fails("DB1.DBB0:LTOD", "10:00:00.1234567891").is(s7::Errc::value_syntax));
  // Exactly 24 h is not a time of day.
  EXPECT_TRUE(decode_fails("DB1.DBB0:LTOD", {0x00, 0x00, 0x4E, 0x94, 0x91, 0x4F, 0x00, 0x00})
                  .is(s7::Errc::value_out_of_range));
}

TEST(ValueCodec, LDateAndTimeIsNanosecondsSince1970) {
  expect_codec("DB1.DBB0:LDT", "LDT#2026-11-24-10:15:03.123456789",
               {0x18, 0xEA, 0xF3, 0xA7, 0xB7, 0x73, 0x93, 0x15}, "2026-11-24T10:15:03.123456789");
  expect_codec("DB1.DBD0:LDATE_AND_TIME", "1970-01-01", Bytes(8, 0),
               "1970-01-01T00:00:00.000000000");
  expect_codec("DB1.DBB0:LDT", "2262-04-11T23:47:16.854775807",
               {0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, "2262-04-11T23:47:16.854775807");
  EXPECT_TRUE(parse_fails("DB1.DBB0:LDT", "2262-04-11T23:47:16.854775808")
                  .is(s7::Errc::value_out_of_range));
  EXPECT_TRUE(parse_fails("DB1.DBB0:LDT", "1969-12-31T23:59:59").is(s7::Errc::value_out_of_range));
  EXPECT_TRUE(parse_fails("DB1.DBB0:LDT", "2026-11-24T25:00").is(s7::Errc::value_syntax));
  EXPECT_TRUE(
      decode_fails("DB1.DBB0:LDT", {0x80, 0, 0, 0, 0, 0, 0, 0}).is(s7::Errc::value_out_of_range));
}

TEST(ValueCodec, Arrays) {
  expect_codec("DB1.DBW100:INT[3]", "[1, -2, 3]", {0x00, 0x01, 0xFF, 0xFE, 0x00, 0x03},
               "[1, -2, 3]");
  expect_codec("DB1.DBD0:REAL[2]", "[1.5,1.23]", {0x3F, 0xC0, 0, 0, 0x3F, 0x9D, 0x70, 0xA4},
               "[1.5, 1.23]");
  expect_codec("DB1.DBW0:INT[1]", "[7]", {0x00, 0x07}, "[7]");
  expect_codec("DB1.DBW0:DATE[2]", "[2026-11-24, D#1990-01-02]", {0x34, 0xA4, 0x00, 0x01},
               "[2026-11-24, 1990-01-02]");
}

TEST(ParseValue, ArrayNeedsExactlyCountValues) {
  auto e = parse_fails("DB1.DBW100:INT[3]", "[1, 2]");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
  EXPECT_THAT(e.what(), testing::HasSubstr("expected 3 values, got 2"));
  EXPECT_TRUE(parse_fails("DB1.DBW100:INT[3]", "5").is(s7::Errc::value_syntax));
  EXPECT_TRUE(parse_fails("DB1.DBW100:INT[3]", "[1, 2, 3").is(s7::Errc::value_syntax));
  EXPECT_TRUE(parse_fails("DB1.DBW100:INT[2]", "[1, \"2]").is(s7::Errc::value_syntax));
}

TEST(ParseValue, OutOfRangeNamesTypeAndRange) {
  auto e = parse_fails("DB1.DBB11", "256");
  EXPECT_TRUE(e.is(s7::Errc::value_out_of_range));
  EXPECT_THAT(e.what(), testing::HasSubstr("'256' is out of range for BYTE (0..255)"));
  e = parse_fails("DB1.DBW4", "32768");
  EXPECT_THAT(e.what(), testing::HasSubstr("INT (-32768..32767)"));
  EXPECT_TRUE(parse_fails("DB1.DBB0:USINT", "-1").is(s7::Errc::value_out_of_range));
  EXPECT_TRUE(
      parse_fails("DB1.DBB0:ULINT", "18446744073709551616").is(s7::Errc::value_out_of_range));
  EXPECT_TRUE(parse_fails("DB1.DBD6:REAL", "1e39").is(s7::Errc::value_out_of_range));
  EXPECT_TRUE(parse_fails("DB1.DBB0:SINT", "128").is(s7::Errc::value_out_of_range));
}

TEST(ParseValue, SyntaxErrorsNameTheType) {
  auto e = parse_fails("DB1.DBW4", "12abc");
  EXPECT_TRUE(e.is(s7::Errc::value_syntax));
  EXPECT_THAT(e.what(), testing::HasSubstr("'12abc' is not a valid INT"));
  EXPECT_THAT(parse_fails("DB1.DBX0.0", "yes").what(), testing::HasSubstr("true, false, 1 or 0"));
  EXPECT_TRUE(parse_fails("DB1.DBD6:REAL", "1,5").is(s7::Errc::value_syntax));
  EXPECT_TRUE(parse_fails("DB1.DBW4", "").is(s7::Errc::value_syntax));
  EXPECT_TRUE(parse_fails("DB1.DBB0:CHAR", "ab").is(s7::Errc::value_out_of_range));
}

TEST(EncodeValue, ChecksCountAndKind) {
  const auto a = addr("DB1.DBW100:INT[2]");
  s7::Value v;
  v.elems = {std::int64_t{1}};
  auto r = s7::encode_value(a, v);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(s7::Errc::type_mismatch));
  r = s7::encode_value(addr("DB1.DBW4"), s7::Value(1.5));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(s7::Errc::type_mismatch));
  // Numbers from other sources are accepted when they fit.
  r = s7::encode_value(addr("DB1.DBW4"), s7::Value(std::uint64_t{25}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (Bytes{0x00, 0x19}));
  r = s7::encode_value(addr("DB1.DBD6:REAL"), s7::Value(std::int64_t{2}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (Bytes{0x40, 0x00, 0x00, 0x00}));
  r = s7::encode_value(addr("DB1.DBW4"), s7::Value(std::int64_t{70000}));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(s7::Errc::value_out_of_range));
  r = s7::encode_value(addr("DB1.DBW4"), s7::Value(std::string("-3")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (Bytes{0xFF, 0xFD}));
}

TEST(DecodeValue, RefusesShortBuffers) {
  auto e = decode_fails("DB1.DBD6:REAL", {0x3F, 0x9D});
  EXPECT_TRUE(e.is(s7::Errc::invalid_argument));
  EXPECT_THAT(e.what(), testing::HasSubstr("needs 4 bytes"));
}

TEST(FormatValue, FloatsUseShortestRoundTrip) {
  EXPECT_EQ(s7::format_scalar(1.23f), "1.23");
  EXPECT_EQ(s7::format_scalar(0.1), "0.1");
  EXPECT_EQ(s7::format_scalar(true), "true");
  EXPECT_EQ(s7::format_scalar(std::int64_t{-5}), "-5");
  EXPECT_EQ(s7::format_scalar(std::string("abc")), "abc");
}

TEST(ToDouble, GivesNumbersForCharts) {
  EXPECT_EQ(s7::to_double(true), 1.0);
  EXPECT_EQ(s7::to_double(std::int64_t{-3}), -3.0);
  EXPECT_FLOAT_EQ(static_cast<float>(s7::to_double(1.23f)), 1.23f);
  EXPECT_TRUE(std::isnan(s7::to_double(std::string("x"))));
}

}  // namespace
