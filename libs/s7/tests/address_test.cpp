// Tests for the S7 address parser: every area and width, type suffixes, limits, errors, round trip.
#include "s7/address.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using s7::Area;
using s7::DataType;
using s7::Width;

s7::Address parse_ok(std::string_view text) {
  auto r = s7::parse_address(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().what());
  return r.ok() ? *r : s7::Address{};
}

std::string parse_error(std::string_view text) {
  auto r = s7::parse_address(text);
  EXPECT_FALSE(r.ok()) << text << " parsed but should not";
  if (r.ok()) return {};
  EXPECT_TRUE(r.error().is(s7::Errc::address_syntax));
  return r.error().what();
}

TEST(ParseAddress, DbBit) {
  auto a = parse_ok("DB1.DBX10.0");
  EXPECT_EQ(a.area, Area::db);
  EXPECT_EQ(a.db, 1);
  EXPECT_EQ(a.offset, 10u);
  EXPECT_EQ(a.bit, 0);
  EXPECT_EQ(a.width, Width::X);
  EXPECT_EQ(a.type, DataType::Bool);
  EXPECT_EQ(a.count, 1u);
  EXPECT_FALSE(a.explicit_type);
  EXPECT_FALSE(a.is_array);
  EXPECT_EQ(parse_ok("DB1.DBX26.7").bit, 7);
}

TEST(ParseAddress, DbWidthsGiveDefaultTypes) {
  auto b = parse_ok("DB1.DBB11");
  EXPECT_EQ(b.width, Width::B);
  EXPECT_EQ(b.type, DataType::Byte);
  EXPECT_EQ(b.offset, 11u);
  auto w = parse_ok("DB1.DBW4");
  EXPECT_EQ(w.width, Width::W);
  EXPECT_EQ(w.type, DataType::Int);
  auto d = parse_ok("DB1.DBD6");
  EXPECT_EQ(d.width, Width::D);
  EXPECT_EQ(d.type, DataType::DInt);
  EXPECT_EQ(s7::byte_size(d), 4u);
}

TEST(ParseAddress, MerkersInputsOutputs) {
  auto m = parse_ok("M10.5");
  EXPECT_EQ(m.area, Area::merkers);
  EXPECT_EQ(m.width, Width::X);
  EXPECT_EQ(m.offset, 10u);
  EXPECT_EQ(m.bit, 5);
  EXPECT_EQ(parse_ok("MB10").width, Width::B);
  EXPECT_EQ(parse_ok("MW10").type, DataType::Int);
  EXPECT_EQ(parse_ok("MD10").type, DataType::DInt);
  EXPECT_EQ(parse_ok("I0.0").area, Area::inputs);
  EXPECT_EQ(parse_ok("IB0").area, Area::inputs);
  EXPECT_EQ(parse_ok("IW0").width, Width::W);
  EXPECT_EQ(parse_ok("ID0").width, Width::D);
  EXPECT_EQ(parse_ok("Q0.0").area, Area::outputs);
  EXPECT_EQ(parse_ok("QB1").area, Area::outputs);
  EXPECT_EQ(parse_ok("QW2").width, Width::W);
  EXPECT_EQ(parse_ok("QD4").width, Width::D);
}

TEST(ParseAddress, GermanMnemonicsAreTheSameAddresses) {
  EXPECT_EQ(parse_ok("E0.0"), parse_ok("I0.0"));
  EXPECT_EQ(parse_ok("EB2"), parse_ok("IB2"));
  EXPECT_EQ(parse_ok("EW4"), parse_ok("IW4"));
  EXPECT_EQ(parse_ok("ED8"), parse_ok("ID8"));
  EXPECT_EQ(parse_ok("A0.1"), parse_ok("Q0.1"));
  EXPECT_EQ(parse_ok("AB0"), parse_ok("QB0"));
  EXPECT_EQ(parse_ok("AW2"), parse_ok("QW2"));
  EXPECT_EQ(parse_ok("AD2"), parse_ok("QD2"));
  EXPECT_EQ(parse_ok("Z3"), parse_ok("C3"));
}

TEST(ParseAddress, TimersAndCounters) {
  auto t = parse_ok("T5");
  EXPECT_EQ(t.area, Area::timers);
  EXPECT_EQ(t.offset, 5u);
  EXPECT_EQ(t.width, Width::None);
  EXPECT_EQ(t.type, DataType::Timer);
  EXPECT_EQ(s7::byte_size(t), 2u);
  auto c = parse_ok("C3");
  EXPECT_EQ(c.area, Area::counters);
  EXPECT_EQ(c.type, DataType::Counter);
  auto arr = parse_ok("T5:TIMER[4]");
  EXPECT_EQ(arr.count, 4u);
  EXPECT_EQ(s7::byte_size(arr), 8u);
}

TEST(ParseAddress, PeripheryInputsAndOutputs) {
  auto i = parse_ok("PIW256");
  EXPECT_EQ(i.area, Area::periphery);
  EXPECT_FALSE(i.periphery_output);
  EXPECT_EQ(i.width, Width::W);
  EXPECT_EQ(i.type, DataType::Int);
  EXPECT_EQ(i.offset, 256u);
  EXPECT_EQ(s7::byte_size(i), 2u);
  auto q = parse_ok("PQD260:REAL");
  EXPECT_EQ(q.area, Area::periphery);
  EXPECT_TRUE(q.periphery_output);
  EXPECT_EQ(q.type, DataType::Real);
  EXPECT_EQ(parse_ok("PIB3").width, Width::B);
  // German spelling: PE = PI, PA = PQ.
  EXPECT_EQ(parse_ok("PEW256"), parse_ok("PIW256"));
  EXPECT_EQ(parse_ok("PAB7"), parse_ok("PQB7"));
  EXPECT_EQ(parse_ok("%piw256"), parse_ok("PIW256"));
  // PIW256 and IW256 are different addresses (0x80 vs 0x81 on the wire).
  EXPECT_NE(parse_ok("PIW256"), parse_ok("IW256"));
  EXPECT_NE(parse_ok("PIW256"), parse_ok("PQW256"));
}

TEST(ParseAddress, PeripheryHasNoBits) {
  EXPECT_THAT(parse_error("PI0.0"), testing::HasSubstr("column 3: expected B, W or D"));
  EXPECT_THAT(parse_error("PIX0.0"), testing::HasSubstr("not bits"));
  EXPECT_THAT(parse_error("PW4"), testing::HasSubstr("column 2: expected I (E) or Q (A) after P"));
  EXPECT_THAT(
      parse_error("PIB0:BOOL"),
      testing::HasSubstr("column 6: the periphery has no bit addresses; read PIB0 as BYTE"));
  EXPECT_THAT(parse_error("PQW2:REAL"), testing::HasSubstr("use PQD or PQB"));
  EXPECT_THAT(parse_error("PQW2.1"),
              testing::HasSubstr("column 5: the periphery has no bit addresses; read the byte "
                                 "(PQB2) instead"));
}

TEST(AddressDirection, PeripheralInputsAreReadAndOutputsWritten) {
  EXPECT_TRUE(s7::check_readable(parse_ok("PIW256")).ok());
  EXPECT_TRUE(s7::check_writable(parse_ok("PQW256")).ok());
  auto r = s7::check_readable(parse_ok("PAW256:WORD"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(s7::Errc::invalid_argument));
  EXPECT_EQ(r.error().what(),
            "PQW256:WORD: peripheral outputs can only be written; read QW256:WORD (the process "
            "image of the outputs) instead");
  auto w = s7::check_writable(parse_ok("PED4"));
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().what(),
            "PID4: peripheral inputs can only be read; to set an output module write PQD4");
  // Every other area goes both ways.
  for (const char* text : {"DB1.DBW4", "MW2", "IW0", "QW0", "T5", "C3", "M0.1"}) {
    EXPECT_TRUE(s7::check_readable(parse_ok(text)).ok()) << text;
    EXPECT_TRUE(s7::check_writable(parse_ok(text)).ok()) << text;
  }
}

TEST(ParseAddress, CaseInsensitive) {
  EXPECT_EQ(parse_ok("db1.dbx10.0"), parse_ok("DB1.DBX10.0"));
  EXPECT_EQ(parse_ok("db1.dbd6:real"), parse_ok("DB1.DBD6:REAL"));
  EXPECT_EQ(parse_ok("mw10"), parse_ok("MW10"));
  EXPECT_EQ(parse_ok("z3"), parse_ok("C3"));
  EXPECT_EQ(parse_ok("Db1.DbB30:String[20]"), parse_ok("DB1.DBB30:STRING[20]"));
}

TEST(ParseAddress, TypeSuffix) {
  auto r = parse_ok("DB1.DBD6:REAL");
  EXPECT_EQ(r.type, DataType::Real);
  EXPECT_TRUE(r.explicit_type);
  EXPECT_FALSE(r.is_array);
  auto arr = parse_ok("DB1.DBW100:INT[10]");
  EXPECT_EQ(arr.type, DataType::Int);
  EXPECT_EQ(arr.count, 10u);
  EXPECT_TRUE(arr.is_array);
  EXPECT_EQ(s7::byte_size(arr), 20u);
  auto one = parse_ok("DB1.DBW100:INT[1]");
  EXPECT_TRUE(one.is_array);
  EXPECT_NE(one, parse_ok("DB1.DBW100:INT"));
}

TEST(ParseAddress, StringsCarryTheirDeclaredLength) {
  auto s = parse_ok("DB1.DBB30:STRING[20]");
  EXPECT_EQ(s.type, DataType::String);
  EXPECT_EQ(s.string_length, 20);
  EXPECT_EQ(s.count, 1u);
  EXPECT_FALSE(s.is_array);
  EXPECT_EQ(s7::byte_size(s), 22u);
  auto w = parse_ok("DB1.DBB40:WSTRING[10]");
  EXPECT_EQ(w.type, DataType::WString);
  EXPECT_EQ(w.string_length, 10);
  EXPECT_EQ(s7::byte_size(w), 24u);
}

TEST(ParseAddress, AcceptsEveryTypeNameOnAStartByte) {
  const std::pair<const char*, DataType> names[] = {
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
      {"TIME", DataType::Time},
      {"LTIME", DataType::LTime},
      {"S5TIME", DataType::S5Time},
      {"DATE", DataType::Date},
      {"TIME_OF_DAY", DataType::TimeOfDay},
      {"TOD", DataType::TimeOfDay},
      {"DATE_AND_TIME", DataType::DateAndTime},
      {"DT", DataType::DateAndTime},
      {"DTL", DataType::Dtl},
      {"LTIME_OF_DAY", DataType::LTimeOfDay},
      {"LTOD", DataType::LTimeOfDay},
      {"LDATE_AND_TIME", DataType::LDateAndTime},
      {"LDT", DataType::LDateAndTime},
  };
  for (const auto& [name, type] : names) {
    auto a = parse_ok(std::string("DB2.DBB0:") + name);
    EXPECT_EQ(a.type, type) << name;
  }
}

TEST(ParseAddress, WidthMustFitTheType) {
  EXPECT_EQ(parse_ok("DB1.DBW4:WORD").type, DataType::Word);
  EXPECT_EQ(parse_ok("DB1.DBW4:UINT").type, DataType::UInt);
  EXPECT_EQ(parse_ok("DB1.DBW4:DATE").type, DataType::Date);
  EXPECT_EQ(parse_ok("DB1.DBW4:S5TIME").type, DataType::S5Time);
  EXPECT_EQ(parse_ok("DB1.DBD6:TIME").type, DataType::Time);
  EXPECT_EQ(parse_ok("MD0:TOD").type, DataType::TimeOfDay);
  EXPECT_EQ(parse_ok("DB1.DBD0:LREAL").type, DataType::LReal);  // no wider letter than D
  EXPECT_EQ(parse_ok("DB1.DBX0.0:BOOL[12]").count, 12u);
}

TEST(ParseAddress, RejectsRealOnAWord) {
  EXPECT_EQ(parse_error("DB1.DBW4:REAL"),
            "DB1.DBW4:REAL: column 10: REAL is 4 bytes but W is 2 bytes wide; use DB1.DBD or "
            "DB1.DBB");
}

TEST(ParseAddress, RejectsWrongWidthForType) {
  EXPECT_THAT(parse_error("MW0:BYTE"), testing::HasSubstr("column 5: BYTE is 1 byte but W"));
  EXPECT_THAT(parse_error("DB1.DBD0:INT"), testing::HasSubstr("column 10: INT is 2 bytes"));
  EXPECT_THAT(
      parse_error("DB1.DBD0:STRING[2]"),
      testing::HasSubstr("column 10: STRING[2] is 4 bytes but D is 4 bytes wide; use DB1.DBB"));
  EXPECT_THAT(parse_error("DB1.DBX0.0:INT"),
              testing::HasSubstr("column 12: a bit address (X) holds only BOOL"));
  EXPECT_THAT(parse_error("DB1.DBB0:BOOL"),
              testing::HasSubstr("column 10: BOOL needs a bit address such as DB1.DBX0.0"));
  EXPECT_THAT(parse_error("MB3:BOOL"), testing::HasSubstr("such as M3.0"));
  EXPECT_THAT(parse_error("T5:COUNTER"),
              testing::HasSubstr("column 4: a T address holds only TIMER"));
  EXPECT_THAT(parse_error("MW0:TIMER"), testing::HasSubstr("only for T and C"));
}

TEST(ParseAddress, ErrorNamesColumnAndExpectation) {
  EXPECT_EQ(parse_error("DB1.DBQ4"), "DB1.DBQ4: column 7: expected X, B, W or D");
  EXPECT_THAT(parse_error("X1"), testing::HasSubstr("X1: column 1: expected an area"));
  EXPECT_THAT(parse_error(""), testing::HasSubstr("column 1"));
  EXPECT_THAT(parse_error("DB.DBW4"), testing::HasSubstr("column 3: expected a DB number"));
  EXPECT_THAT(parse_error("DB1DBW4"), testing::HasSubstr("column 4: expected '.'"));
  EXPECT_THAT(parse_error("DB1.W4"), testing::HasSubstr("column 5: expected DBX, DBB, DBW or DBD"));
  EXPECT_THAT(parse_error("DB1.DBW"), testing::HasSubstr("column 8: expected a byte offset"));
  EXPECT_THAT(parse_error("MK4"), testing::HasSubstr("column 2: expected a byte offset or X"));
  EXPECT_THAT(parse_error("DB1.DBW4:FLOAT"), testing::HasSubstr("column 10: unknown type 'FLOAT'"));
  EXPECT_THAT(parse_error("DB1.DBW4:"), testing::HasSubstr("column 10: expected a type name"));
  EXPECT_THAT(parse_error("DB1.DBW4 x"), testing::HasSubstr("column 9: unexpected ' '"));
  EXPECT_THAT(parse_error("DB1.DBW100:INT[10"), testing::HasSubstr("column 18: expected ']'"));
  EXPECT_THAT(parse_error("DB1.DBB30:STRING"),
              testing::HasSubstr("column 17: expected '[' and the declared length"));
  EXPECT_THAT(parse_error("DB1.DBB30:STRING[20][3]"),
              testing::HasSubstr("column 21: arrays of strings are not supported"));
  EXPECT_THAT(parse_error("T"), testing::HasSubstr("column 2: expected a timer number"));
}

TEST(ParseAddress, RejectsBitIndexAbove7) {
  EXPECT_EQ(parse_error("DB1.DBX10.8"), "DB1.DBX10.8: column 11: bit number must be 0..7");
  EXPECT_THAT(parse_error("M0.9"), testing::HasSubstr("column 4: bit number must be 0..7"));
}

TEST(ParseAddress, BitOnlyWithX) {
  EXPECT_THAT(parse_error("DB1.DBB10.1"),
              testing::HasSubstr("column 10: a bit number is only allowed with X"));
  EXPECT_THAT(parse_error("MW2.0"), testing::HasSubstr("column 4: a bit number is only allowed"));
  EXPECT_THAT(parse_error("DB1.DBX10"), testing::HasSubstr("column 10: expected '.' and a bit"));
}

TEST(ParseAddress, EnforcesLimits) {
  EXPECT_THAT(parse_error("DB0.DBW0"), testing::HasSubstr("column 3: DB number must be 1..65535"));
  EXPECT_THAT(parse_error("DB65536.DBW0"), testing::HasSubstr("DB number must be 1..65535"));
  EXPECT_EQ(parse_ok("DB65535.DBB2097151").offset, 2097151u);
  EXPECT_THAT(parse_error("DB1.DBB2097152"),
              testing::HasSubstr("column 8: byte offset must be 0..2097151"));
  EXPECT_THAT(parse_error("MD2097150"), testing::HasSubstr("ends past byte offset 2097151"));
  EXPECT_THAT(parse_error("DB1.DBB99999999999999999999"), testing::HasSubstr("byte offset must"));
  EXPECT_EQ(parse_ok("T65535").offset, 65535u);
  EXPECT_THAT(parse_error("C65536"), testing::HasSubstr("counter number must be 0..65535"));
  EXPECT_THAT(parse_error("DB1.DBW0:INT[0]"), testing::HasSubstr("array length must be 1..65535"));
  EXPECT_EQ(parse_ok("DB1.DBB0:BYTE[65535]").count, 65535u);
  EXPECT_THAT(parse_error("DB1.DBB0:BYTE[65536]"), testing::HasSubstr("column 15"));
  EXPECT_EQ(parse_ok("DB1.DBB0:STRING[254]").string_length, 254);
  EXPECT_THAT(parse_error("DB1.DBB0:STRING[255]"),
              testing::HasSubstr("column 17: string length must be 1..254"));
  EXPECT_THAT(parse_error("DB1.DBB0:STRING[0]"), testing::HasSubstr("string length"));
}

TEST(ParseAddress, IgnoresBlanksAroundAndPercentPrefix) {
  EXPECT_EQ(parse_ok("  DB1.DBW4 "), parse_ok("DB1.DBW4"));
  EXPECT_EQ(parse_ok("%MW10"), parse_ok("MW10"));
  // Columns still count from the start of the text the user typed.
  EXPECT_THAT(parse_error("  DB1.DBQ4"), testing::HasSubstr("column 9: expected X, B, W or D"));
}

TEST(AddressToString, IsCanonical) {
  EXPECT_EQ(s7::to_string(parse_ok("db01.dbx010.0")), "DB1.DBX10.0");
  EXPECT_EQ(s7::to_string(parse_ok("E0.0")), "I0.0");
  EXPECT_EQ(s7::to_string(parse_ok("AW2")), "QW2");
  EXPECT_EQ(s7::to_string(parse_ok("MX3.1")), "M3.1");
  EXPECT_EQ(s7::to_string(parse_ok("Z3")), "C3");
  EXPECT_EQ(s7::to_string(parse_ok("pew256")), "PIW256");
  EXPECT_EQ(s7::to_string(parse_ok("PAD8:real")), "PQD8:REAL");
  EXPECT_EQ(s7::to_string(parse_ok("DB1.DBD0:TOD")), "DB1.DBD0:TIME_OF_DAY");
  EXPECT_EQ(s7::to_string(parse_ok("DB1.DBB0:dt")), "DB1.DBB0:DATE_AND_TIME");
  EXPECT_EQ(s7::to_string(parse_ok("DB1.DBB0:ltod")), "DB1.DBB0:LTIME_OF_DAY");
  EXPECT_EQ(s7::to_string(parse_ok("DB1.DBD0:LDT")), "DB1.DBD0:LDATE_AND_TIME");
  EXPECT_EQ(s7::to_string(parse_ok("db1.dbb30:string[20]")), "DB1.DBB30:STRING[20]");
  EXPECT_EQ(s7::to_string(parse_ok("DB1.DBW100:INT[10]")), "DB1.DBW100:INT[10]");
}

TEST(AddressToString, RoundTripsEveryForm) {
  const char* forms[] = {
      "DB1.DBX10.0",
      "DB1.DBB11",
      "DB1.DBW4",
      "DB1.DBD6",
      "M10.5",
      "MB10",
      "MW10",
      "MD10",
      "I0.0",
      "E0.7",
      "IB0",
      "IW0",
      "ID0",
      "EB1",
      "EW2",
      "ED4",
      "Q0.0",
      "A1.3",
      "QB0",
      "QW2",
      "QD4",
      "AB5",
      "AW6",
      "AD8",
      "T5",
      "C3",
      "Z3",
      "T0:TIMER",
      "C7:COUNTER[3]",
      "DB1.DBD6:REAL",
      "DB1.DBW100:INT[10]",
      "DB1.DBW100:INT[1]",
      "DB1.DBB30:STRING[20]",
      "DB1.DBB40:WSTRING[10]",
      "DB1.DBX0.3:BOOL[20]",
      "DB9.DBB0:DTL",
      "MD4:TIME_OF_DAY",
      "MB0:CHAR[4]",
      "IW0:WORD",
      "QD0:DWORD",
      "DB65535.DBB2097151",
      "DB2.DBB8:LREAL[2]",
      "DB2.DBD8:LINT",
      "MW0:S5TIME",
      "DB1.DBX4.0:BOOL",
      "DB3.DBW0:WCHAR",
      "DB3.DBB0:ULINT",
      "DB3.DBB0:DT",
      "PIB0",
      "PIW256",
      "PID260:REAL",
      "PEW2",
      "PQB1",
      "PQW256:WORD",
      "PAD4",
      "PIB0:CHAR[8]",
      "DB1.DBB0:LTIME_OF_DAY",
      "DB1.DBD8:LDATE_AND_TIME",
      "MB0:LDT[2]",
  };
  for (const char* f : forms) {
    auto a = parse_ok(f);
    const std::string text = s7::to_string(a);
    auto again = s7::parse_address(text);
    ASSERT_TRUE(again.ok()) << f << " -> " << text;
    EXPECT_EQ(*again, a) << f << " -> " << text;
  }
}

TEST(IsNumberType, IntegersAndRealsOnly) {
  for (const char* text :
       {"MB0", "MW0:WORD", "MD0:DWORD", "MB0:LWORD", "MB0:SINT", "MB0:USINT", "MW0", "MW0:UINT",
        "MD0", "MD0:UDINT", "MB0:LINT", "MB0:ULINT", "MD0:REAL", "MB0:LREAL"})
    EXPECT_TRUE(s7::is_number_type(parse_ok(text).type)) << text;
  for (const char* text :
       {"M0.0", "MB0:CHAR", "MW0:WCHAR", "MB0:STRING[4]", "MD0:TIME", "MB0:LTIME", "MW0:S5TIME",
        "MW0:DATE", "MD0:TOD", "MB0:DT", "MB0:DTL", "MB0:LTOD", "MB0:LDT", "T1", "C1"})
    EXPECT_FALSE(s7::is_number_type(parse_ok(text).type)) << text;
}

TEST(ElementSize, MatchesTheFactSheet) {
  EXPECT_EQ(s7::element_size(DataType::Bool), 1u);
  EXPECT_EQ(s7::element_size(DataType::Byte), 1u);
  EXPECT_EQ(s7::element_size(DataType::Int), 2u);
  EXPECT_EQ(s7::element_size(DataType::Real), 4u);
  EXPECT_EQ(s7::element_size(DataType::LReal), 8u);
  EXPECT_EQ(s7::element_size(DataType::DateAndTime), 8u);
  EXPECT_EQ(s7::element_size(DataType::Dtl), 12u);
  EXPECT_EQ(s7::element_size(DataType::String, 20), 22u);
  EXPECT_EQ(s7::element_size(DataType::WString, 10), 24u);
  EXPECT_EQ(s7::element_size(DataType::Timer), 2u);
}

TEST(ByteSize, BoolArraysSpanTheirBits) {
  EXPECT_EQ(s7::byte_size(parse_ok("DB1.DBX0.0")), 1u);
  EXPECT_EQ(s7::byte_size(parse_ok("DB1.DBX0.0:BOOL[8]")), 1u);
  EXPECT_EQ(s7::byte_size(parse_ok("DB1.DBX0.7:BOOL[2]")), 2u);
  EXPECT_EQ(s7::byte_size(parse_ok("DB1.DBX0.3:BOOL[20]")), 3u);
  EXPECT_EQ(s7::byte_size(parse_ok("DB1.DBB0:DTL[2]")), 24u);
}

}  // namespace
