// Tests for the standard-access layout: one test per rule, each with a small source and the
// offsets worked out by hand in a comment.
#include "symbols/layout.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_sources.hpp"

namespace {

using symbols::Block;
using symbols::CpuFamily;
using symbols::Layout;
using symbols::Placed;
using testing::HasSubstr;
using testing::StartsWith;

using symbols::testing::read_file;
using symbols::testing::source;

// Parses every (file, text) and lays out the block `name` with all of them as the library.
s7::Result<Layout> lay(const std::vector<std::pair<std::string, std::string>>& files,
                       const std::string& name, CpuFamily cpu = CpuFamily::s7_1500,
                       std::optional<std::uint16_t> number = 1) {
  std::vector<Block> library;
  for (const auto& [file, text] : files) {
    auto r = symbols::parse_source(text, file);
    if (!r) return r.error();
    for (auto& b : *r) library.push_back(std::move(b));
  }
  for (const auto& b : library)
    if (b.name == name) return symbols::lay_out(b, library, cpu, number);
  return s7::Error(s7::Errc::invalid_argument, "test: no block " + name);
}

// A DB "T" with these members.
Layout db(const std::string& members, CpuFamily cpu = CpuFamily::s7_1500,
          const std::vector<std::pair<std::string, std::string>>& more = {}) {
  auto files = more;
  files.emplace_back("t.db", "DATA_BLOCK \"T\"\n{ S7_Optimized_Access := 'FALSE' }\nSTRUCT\n" +
                                 members + "END_STRUCT;\nBEGIN\nEND_DATA_BLOCK\n");
  auto r = lay(files, "T", cpu);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().what());
  return r.ok() ? *r : Layout{};
}

std::string db_error(const std::string& members, CpuFamily cpu = CpuFamily::s7_1500) {
  auto r = lay({{"t.db", "DATA_BLOCK \"T\"\n{ S7_Optimized_Access := 'FALSE' }\nSTRUCT\n" +
                             members + "END_STRUCT;\nBEGIN\nEND_DATA_BLOCK\n"}},
               "T", cpu);
  EXPECT_FALSE(r.ok()) << "laid out but should not: " << members;
  return r.ok() ? "" : r.error().what();
}

const Placed& at(const Layout& l, const std::string& path) {
  for (const auto& m : l.members)
    if (m.path == path) return m;
  ADD_FAILURE() << "no member " << path;
  static Placed none;
  return none;
}

// "offset.bit" of a BOOL, "offset" of anything else.
std::string where(const Layout& l, const std::string& path) {
  const Placed& p = at(l, path);
  if (p.bits == 1) return std::to_string(p.offset) + "." + std::to_string(p.bit);
  return std::to_string(p.offset);
}

TEST(Layout, BoolsArePackedBitByBit) {
  // a..h: Bool -> 0.0 .. 0.7; i: Bool -> the byte is full -> 1.0; 2 bytes used -> size 2.
  auto l =
      db("a : Bool; b : Bool; c : Bool; d : Bool; e : Bool; f : Bool; g : Bool; h : Bool;\n"
         "i : Bool;\n");
  EXPECT_EQ(where(l, "a"), "0.0");
  EXPECT_EQ(where(l, "b"), "0.1");
  EXPECT_EQ(where(l, "h"), "0.7");
  EXPECT_EQ(where(l, "i"), "1.0");
  EXPECT_EQ(l.size, 2u);
  const auto& a = *at(l, "h").address;
  EXPECT_EQ(a.width, s7::Width::X);
  EXPECT_EQ(a.type, s7::DataType::Bool);
  EXPECT_EQ(a.db, 1);
  EXPECT_TRUE(a.explicit_type);
}

TEST(Layout, ByteTypesTakeTheNextWholeByte) {
  // a: Bool 0.0; b: Bool 0.1; c: Byte -> next byte after the bits -> 1; d: Char -> 2;
  // e: SInt -> 3; 4 bytes.
  auto l = db("a : Bool; b : Bool; c : Byte; d : Char; e : SInt;\n");
  EXPECT_EQ(where(l, "c"), "1");
  EXPECT_EQ(where(l, "d"), "2");
  EXPECT_EQ(where(l, "e"), "3");
  EXPECT_EQ(l.size, 4u);
}

TEST(Layout, WordTypesStartOnAnEvenByte) {
  // a: Byte 0; b: Int -> 1 is odd -> 2; c: Byte 4; d: Real -> 5 -> 6..9; e: Bool 10.0;
  // f: DInt -> after bit 10.0 the next byte is 11 -> even 12..15; size 16.
  auto l = db("a : Byte; b : Int; c : Byte; d : Real; e : Bool; f : DInt;\n");
  EXPECT_EQ(where(l, "b"), "2");
  EXPECT_EQ(where(l, "c"), "4");
  EXPECT_EQ(where(l, "d"), "6");
  EXPECT_EQ(where(l, "e"), "10.0");
  EXPECT_EQ(where(l, "f"), "12");
  EXPECT_EQ(l.size, 16u);
  EXPECT_EQ(at(l, "f").address->type, s7::DataType::DInt);
  EXPECT_EQ(at(l, "f").address->width, s7::Width::D);  // DBD12
  EXPECT_EQ(at(l, "b").address->width, s7::Width::W);
  EXPECT_EQ(at(l, "c").address->width, s7::Width::B);
}

TEST(Layout, StructIsRoundedToEvenAndTheNextMemberStartsEven) {
  // a: Bool 0.0; s: Struct -> even byte 2; s.x: Byte 2; s takes 1 byte -> rounded to 2;
  // b: Byte -> 4 (not 3); t: Struct -> 6; t.p: Bool 6.0 -> t takes 2; c: Bool -> 8.0
  // (not 6.1: the struct is closed); size 10.
  auto l =
      db("a : Bool;\ns : Struct\n x : Byte;\nEND_STRUCT;\nb : Byte;\n"
         "t : Struct\n p : Bool;\nEND_STRUCT;\nc : Bool;\n");
  EXPECT_EQ(where(l, "s"), "2");
  EXPECT_EQ(at(l, "s").size, 2u);
  EXPECT_EQ(at(l, "s").kind, Placed::Kind::structure);
  EXPECT_FALSE(at(l, "s").address);
  EXPECT_EQ(where(l, "s.x"), "2");
  EXPECT_EQ(at(l, "s.x").depth, 1);
  EXPECT_EQ(where(l, "b"), "4");
  EXPECT_EQ(where(l, "t.p"), "6.0");
  EXPECT_EQ(where(l, "c"), "8.0");
  EXPECT_EQ(l.size, 10u);
}

TEST(Layout, ArrayStartsEvenAndTheNextMemberToo) {
  // a: Byte 0; arr: Array[0..2] of Byte -> even 2..4 (one byte per element); b: Byte -> after
  // an array the next even byte -> 6; size 8.
  auto l = db("a : Byte; arr : Array[0..2] of Byte; b : Byte;\n");
  EXPECT_EQ(where(l, "arr"), "2");
  EXPECT_EQ(at(l, "arr").size, 3u);
  EXPECT_EQ(at(l, "arr").kind, Placed::Kind::array);
  const auto& a = *at(l, "arr").address;
  EXPECT_EQ(a.count, 3u);
  EXPECT_TRUE(a.is_array);
  EXPECT_EQ(a.type, s7::DataType::Byte);
  EXPECT_EQ(where(l, "b"), "6");
  EXPECT_EQ(l.size, 8u);
}

TEST(Layout, BoolArrayIsPacked) {
  // a: Bool 0.0; flags: Array[0..9] of Bool -> even byte 2, bits 2.0..3.1 (2 bytes);
  // b: Bool -> next even byte 4.0; size 6.
  auto l = db("a : Bool; flags : Array[0..9] of Bool; b : Bool;\n");
  const Placed& f = at(l, "flags");
  EXPECT_EQ(f.offset, 2u);
  EXPECT_EQ(f.bit, 0);
  EXPECT_EQ(f.bits, 10u);
  EXPECT_EQ(f.size, 2u);
  ASSERT_TRUE(f.address);
  EXPECT_EQ(f.address->width, s7::Width::X);
  EXPECT_EQ(f.address->count, 10u);
  EXPECT_EQ(s7::to_string(*f.address), "DB1.DBX2.0:BOOL[10]");
  EXPECT_EQ(where(l, "b"), "4.0");
  EXPECT_EQ(l.size, 6u);
}

TEST(Layout, StringTakesLengthPlusTwo) {
  // s: String[10] -> 0..11 (10 + 2); t: String[3] -> 12..16 (5 bytes); b: Byte -> a STRING is
  // a complex type, the next member starts even -> 18; u: String (254) -> 20..275; size 276.
  auto l = db("s : String[10]; t : String[3]; b : Byte; u : String;\n");
  EXPECT_EQ(where(l, "s"), "0");
  EXPECT_EQ(at(l, "s").size, 12u);
  EXPECT_EQ(at(l, "s").address->string_length, 10);
  EXPECT_EQ(at(l, "s").address->type, s7::DataType::String);
  EXPECT_EQ(where(l, "t"), "12");
  EXPECT_EQ(at(l, "t").size, 5u);
  EXPECT_EQ(where(l, "b"), "18");
  EXPECT_EQ(where(l, "u"), "20");
  EXPECT_EQ(at(l, "u").size, 256u);
  EXPECT_EQ(l.size, 276u);
}

TEST(Layout, WStringTakesTwiceLengthPlusFour) {
  // a: Byte 0; w: WString[4] -> even 2, 2*4 + 4 = 12 bytes -> 2..13; b: Int 14; size 16.
  auto l = db("a : Byte; w : WString[4]; b : Int;\n");
  EXPECT_EQ(where(l, "w"), "2");
  EXPECT_EQ(at(l, "w").size, 12u);
  EXPECT_EQ(at(l, "w").address->type, s7::DataType::WString);
  EXPECT_EQ(where(l, "b"), "14");
  EXPECT_EQ(l.size, 16u);
}

TEST(Layout, DtlTakesTwelveBytes) {
  // a: Bool 0.0; d: DTL -> 2..13; i: Int 14; size 16.
  auto l = db("a : Bool; d : DTL; i : Int;\n");
  EXPECT_EQ(where(l, "d"), "2");
  EXPECT_EQ(at(l, "d").size, 12u);
  EXPECT_EQ(at(l, "d").address->type, s7::DataType::Dtl);
  EXPECT_EQ(s7::to_string(*at(l, "d").address), "DB1.DBB2:DTL");
  EXPECT_EQ(where(l, "i"), "14");
  EXPECT_EQ(l.size, 16u);
}

TEST(Layout, DateAndTimeTakesEightBytes) {
  // a: Byte 0; dt: DT -> 2..9; b: Byte 10; size 12 (on an S7-300).
  auto l = db("a : Byte; dt : Date_And_Time; b : Byte;\n", CpuFamily::s7_300);
  EXPECT_EQ(where(l, "dt"), "2");
  EXPECT_EQ(at(l, "dt").size, 8u);
  EXPECT_EQ(at(l, "dt").address->type, s7::DataType::DateAndTime);
  EXPECT_EQ(where(l, "b"), "10");
  EXPECT_EQ(l.size, 12u);
}

TEST(Layout, LRealTakesEightBytesOnAnEvenByte) {
  // a: Bool 0.0; l: LReal -> even byte 2 (standard access aligns to 2, not 8) -> 2..9;
  // b: Int 10; size 12.
  auto l = db("a : Bool; l : LReal; b : Int;\n");
  EXPECT_EQ(where(l, "l"), "2");
  EXPECT_EQ(at(l, "l").size, 8u);
  EXPECT_EQ(s7::to_string(*at(l, "l").address), "DB1.DBD2:LREAL");  // 8-byte values: DBD
  EXPECT_EQ(where(l, "b"), "10");
  EXPECT_EQ(l.size, 12u);
}

TEST(Layout, ArrayOfStructs) {
  // m: Array[1..2] of Struct(speed: Int 0..1; on: Bool 2.0) -> element 3 bytes -> 4;
  // m[1] 0: speed 0, on 2.0; m[2] 4: speed 4, on 6.0; b: Byte 8; size 10.
  auto l = db("m : Array[1..2] of Struct\n speed : Int;\n on : Bool;\nEND_STRUCT;\nb : Byte;\n");
  std::vector<std::string> paths;
  for (const auto& p : l.members) paths.push_back(p.path);
  EXPECT_THAT(paths, testing::ElementsAre("m", "m[1]", "m[1].speed", "m[1].on", "m[2]",
                                          "m[2].speed", "m[2].on", "b"));
  EXPECT_EQ(at(l, "m").size, 8u);
  EXPECT_FALSE(at(l, "m").address);
  EXPECT_EQ(at(l, "m[2]").size, 4u);
  EXPECT_EQ(at(l, "m[2]").depth, 1);
  EXPECT_EQ(at(l, "m[2].on").depth, 2);
  EXPECT_EQ(where(l, "m[1].on"), "2.0");
  EXPECT_EQ(where(l, "m[2]"), "4");
  EXPECT_EQ(where(l, "m[2].speed"), "4");
  EXPECT_EQ(where(l, "m[2].on"), "6.0");
  EXPECT_EQ(where(l, "b"), "8");
  EXPECT_EQ(l.size, 10u);
}

TEST(Layout, MultiDimensionalArraysVaryTheLastIndexFastest) {
  // g: Array[1..2, 1..2] of Struct(v: Int) -> g[1,1] 0, g[1,2] 2, g[2,1] 4, g[2,2] 6;
  // h: Array[1..2, 0..2] of Int -> 6 elements * 2 -> 8..19; size 20.
  auto l =
      db("g : Array[1..2, 1..2] of Struct\n v : Int;\nEND_STRUCT;\n"
         "h : Array[1..2, 0..2] of Int;\n");
  EXPECT_EQ(where(l, "g[1,1]"), "0");
  EXPECT_EQ(where(l, "g[1,2]"), "2");
  EXPECT_EQ(where(l, "g[2,1].v"), "4");
  EXPECT_EQ(where(l, "g[2,2].v"), "6");
  const Placed& h = at(l, "h");
  EXPECT_EQ(h.offset, 8u);
  EXPECT_EQ(h.size, 12u);
  EXPECT_EQ(h.address->count, 6u);
  ASSERT_EQ(h.dims.size(), 2u);
  EXPECT_EQ(h.dims[1], std::make_pair(0, 2));
  EXPECT_EQ(l.size, 20u);
}

TEST(Layout, UdtFromAnotherFile) {
  // "Motor" (motor.udt): speed Real 0..3, running 4.0, fault 4.1, "hours run" DInt 6..9 -> 10.
  // a: Bool 0.0; m: "Motor" -> 2..11 (m.speed 2, m.running 6.0, m.fault 6.1, hours 8);
  // b: Bool -> 12.0; size 14.
  auto l = db("a : Bool; m : \"Motor\"; b : Bool;\n", CpuFamily::s7_1500,
              {{"motor.udt", source("motor.udt")}});
  EXPECT_EQ(where(l, "m"), "2");
  EXPECT_EQ(at(l, "m").size, 10u);
  EXPECT_EQ(at(l, "m").type, "\"Motor\"");
  EXPECT_EQ(where(l, "m.speed"), "2");
  EXPECT_EQ(where(l, "m.running"), "6.0");
  EXPECT_EQ(where(l, "m.fault"), "6.1");
  EXPECT_EQ(where(l, "m.hours run"), "8");
  EXPECT_EQ(where(l, "b"), "12.0");
  EXPECT_EQ(l.size, 14u);

  // The UDT on its own: offsets relative, no number.
  auto u = lay({{"motor.udt", source("motor.udt")}}, "Motor", CpuFamily::s7_1500, std::nullopt);
  ASSERT_TRUE(u.ok()) << u.error().what();
  EXPECT_EQ(u->size, 10u);
  EXPECT_EQ(u->kind, Block::Kind::type);
  EXPECT_FALSE(u->number);
  EXPECT_EQ(at(*u, "hours run").address->db, 0);
}

TEST(Layout, NestedStructs) {
  // o: Struct at 0: a Bool 0.0; i: Struct -> even 2: b Bool 2.0, c Int 4..5 -> i takes 4
  // (2..5); d Bool 6.0; o takes 7 -> 8. e: Byte 8; size 10.
  auto l =
      db("o : Struct\n a : Bool;\n i : Struct\n  b : Bool;\n  c : Int;\n END_STRUCT;\n"
         " d : Bool;\nEND_STRUCT;\ne : Byte;\n");
  EXPECT_EQ(where(l, "o.i"), "2");
  EXPECT_EQ(at(l, "o.i").size, 4u);
  EXPECT_EQ(where(l, "o.i.b"), "2.0");
  EXPECT_EQ(where(l, "o.i.c"), "4");
  EXPECT_EQ(at(l, "o.i.c").depth, 2);
  EXPECT_EQ(where(l, "o.d"), "6.0");
  EXPECT_EQ(at(l, "o").size, 8u);
  EXPECT_EQ(where(l, "e"), "8");
  EXPECT_EQ(l.size, 10u);
}

TEST(Layout, TiaInstanceDbSectionsAndInOutPointer) {
  // FB "Pump" (pump.scl): IN start 0.0, stop 0.1; OUT (even) running 2.0; IN_OUT (even) speed
  // Int by value 4..5, name String[10] as a 6-byte POINTER 6..11; STAT (even) hours DInt
  // 12..15, motor "Motor" 16..25 (speed 16, running 20.0, fault 20.1, hours run 22), valve
  // "Valve" multi-instance 26..29 (open 26.0, position 28); size 30.
  auto l = lay({{"pump.scl", source("pump.scl")}, {"motor.udt", source("motor.udt")}}, "Pump_DB",
               CpuFamily::s7_1500, 5);
  ASSERT_TRUE(l.ok()) << l.error().what();
  EXPECT_EQ(where(*l, "start"), "0.0");
  EXPECT_EQ(where(*l, "stop"), "0.1");
  EXPECT_EQ(where(*l, "running"), "2.0");
  EXPECT_EQ(where(*l, "speed"), "4");
  EXPECT_TRUE(at(*l, "speed").address);
  EXPECT_EQ(where(*l, "name"), "6");
  EXPECT_EQ(at(*l, "name").size, 6u);
  EXPECT_FALSE(at(*l, "name").address);
  EXPECT_THAT(at(*l, "name").unreadable, HasSubstr("POINTER"));
  EXPECT_EQ(where(*l, "hours"), "12");
  EXPECT_EQ(at(*l, "hours").initial, "10");  // BEGIN
  EXPECT_EQ(where(*l, "motor.running"), "20.0");
  EXPECT_EQ(at(*l, "motor.speed").initial, "3.5");
  EXPECT_EQ(where(*l, "motor.hours run"), "22");
  EXPECT_EQ(where(*l, "valve"), "26");
  EXPECT_EQ(where(*l, "valve.open"), "26.0");
  EXPECT_EQ(where(*l, "valve.position"), "28");
  EXPECT_EQ(l->size, 30u);
  EXPECT_EQ(at(*l, "valve.position").address->db, 5);
}

TEST(Layout, Step7InstanceDbAndDbOfUdt) {
  // FB 3: IN open 0.0, setpoint INT 2; OUT (even) is_open 4.0; IN_OUT (even) count INT by value
  // 6, data UDT 5 as POINTER 8..13; STAT (even) state BYTE 14, timer_val S5TIME 16; size 18.
  const std::vector<std::pair<std::string, std::string>> files = {
      {"step7_classic.awl", source("step7_classic.awl")}};
  auto l = lay(files, "DB 2", CpuFamily::s7_300, std::nullopt);
  ASSERT_TRUE(l.ok()) << l.error().what();
  EXPECT_EQ(*l->number, 2);  // from DATA_BLOCK DB 2
  EXPECT_EQ(where(*l, "setpoint"), "2");
  EXPECT_EQ(at(*l, "setpoint").initial, "50");
  EXPECT_EQ(where(*l, "is_open"), "4.0");
  EXPECT_EQ(where(*l, "count"), "6");
  EXPECT_EQ(where(*l, "data"), "8");
  EXPECT_FALSE(at(*l, "data").address);
  EXPECT_EQ(where(*l, "state"), "14");
  EXPECT_EQ(where(*l, "timer_val"), "16");
  EXPECT_EQ(at(*l, "timer_val").address->type, s7::DataType::S5Time);
  EXPECT_EQ(l->size, 18u);

  // DB 4 of UDT 5: speed REAL 0, running 4.0 -> 6 bytes.
  auto u = lay(files, "DB 4", CpuFamily::s7_300, std::nullopt);
  ASSERT_TRUE(u.ok()) << u.error().what();
  EXPECT_EQ(u->size, 6u);
  EXPECT_EQ(at(*u, "speed").initial, "1.500000e+000");
  EXPECT_EQ(at(*u, "running").address->db, 4);
}

TEST(Layout, Step7ClassicDbWithBeginValuesOfArrayElements) {
  // counter DINT 0; w WORD 4; b BYTE 6; dw DWORD 8; r REAL 12; s5 S5TIME 16; t TIME 18;
  // d DATE 22; tod TOD 24; dt DT 28..35; s STRING[20] 36..57; c CHAR 58; f BOOL 59.0;
  // arr ARRAY[1..10] OF INT 60..79; size 80.
  auto l = lay({{"step7_classic.awl", source("step7_classic.awl")}}, "DB 1", CpuFamily::s7_300,
               std::nullopt);
  ASSERT_TRUE(l.ok()) << l.error().what();
  EXPECT_EQ(where(*l, "w"), "4");
  EXPECT_EQ(where(*l, "dw"), "8");
  EXPECT_EQ(where(*l, "t"), "18");
  EXPECT_EQ(where(*l, "dt"), "28");
  EXPECT_EQ(where(*l, "s"), "36");
  EXPECT_EQ(where(*l, "c"), "58");
  EXPECT_EQ(where(*l, "f"), "59.0");
  EXPECT_EQ(where(*l, "arr"), "60");
  EXPECT_EQ(l->size, 80u);
  EXPECT_EQ(at(*l, "counter").initial, "L#0");  // BEGIN over the declaration
  EXPECT_EQ(at(*l, "w").initial, "W#16#0");     // declaration
  EXPECT_EQ(l->element_initial.at("arr[10]"), "7");
}

TEST(Layout, ArraysOfStringsListEachElement) {
  // s: Array[1..2] of String[3]: 5 bytes per element, each element on an even byte -> s[1] 0,
  // s[2] 6; the array takes 12 bytes; per-element entries, no one address for the whole.
  auto l = db("s : Array[1..2] of String[3];\n");
  EXPECT_FALSE(at(l, "s").address);
  EXPECT_EQ(where(l, "s[2]"), "6");
  EXPECT_EQ(at(l, "s[2]").address->string_length, 3);
  EXPECT_EQ(l.size, 12u);

  // t: Array[1..2] of String[2]: 4 bytes each, no gap -> t[1] 0, t[2] 4; still one entry per
  // element (an S7 address cannot name an array of strings).
  auto e = db("t : Array[1..2] of String[2];\n");
  EXPECT_FALSE(at(e, "t").address);
  EXPECT_EQ(where(e, "t[2]"), "4");
  EXPECT_EQ(s7::to_string(*at(e, "t[2]").address), "DB1.DBB4:STRING[2]");
  EXPECT_EQ(e.size, 8u);
}

TEST(Layout, OptimizedBlockIsRefused) {
  auto r = lay({{"opt.db",
                 "DATA_BLOCK \"Fast\"\n{ S7_Optimized_Access := 'TRUE' }\nSTRUCT\n a : Int;\n"
                 "END_STRUCT;\nBEGIN\nEND_DATA_BLOCK\n"}},
               "Fast");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().what(), StartsWith("opt.db:2: DB \"Fast\" has optimized block access"));
  EXPECT_THAT(r.error().what(), HasSubstr("Properties > Attributes"));
  EXPECT_THAT(r.error().what(), HasSubstr("untick \"Optimized block access\""));
  EXPECT_THAT(r.error().what(), HasSubstr("PUT/GET"));
  EXPECT_THAT(r.error().what(), HasSubstr("Permit access with PUT/GET communication"));

  // The instance DB of an optimized FB is optimized too.
  auto i = lay({{"f.scl",
                 "FUNCTION_BLOCK \"F\"\n{ S7_Optimized_Access := 'TRUE' }\nVAR a : Int; END_VAR\n"
                 "BEGIN\nEND_FUNCTION_BLOCK\nDATA_BLOCK \"F_DB\"\n{ S7_Optimized_Access := "
                 "'FALSE' }\n\"F\"\nBEGIN\nEND_DATA_BLOCK\n"}},
               "F_DB");
  ASSERT_FALSE(i.ok());
  EXPECT_THAT(i.error().what(), StartsWith("f.scl:6: DB \"F_DB\" is an instance of the FB \"F\""));
}

TEST(Layout, UnknownTypesNameFileLineAndMember) {
  EXPECT_THAT(db_error("a : Int;\nm : \"Motorr\";\n"),
              AllOf(StartsWith("t.db:5: member 'm': unknown type \"Motorr\""),
                    HasSubstr("give the source of \"Motorr\"")));
  EXPECT_THAT(
      db_error("t : TON_TIME;\n"),
      AllOf(StartsWith("t.db:4: member 't': unknown type TON_TIME"), HasSubstr("system type")));
  EXPECT_THAT(db_error("v : Variant;\n"), StartsWith("t.db:4: member 'v': Variant"));
  EXPECT_THAT(db_error("u : UDT 9;\n"), StartsWith("t.db:4: member 'u': unknown type UDT 9"));

  auto r = lay({{"i.db", "DATA_BLOCK \"Pump_DB\"\n\"Pump\"\nBEGIN\nEND_DATA_BLOCK\n"}}, "Pump_DB");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().what(),
              AllOf(StartsWith("i.db:1: DB \"Pump_DB\" is an instance of \"Pump\""),
                    HasSubstr("give the source of \"Pump\"")));
}

TEST(Layout, CpuFamilyTypeAvailability) {
  // S7-300/400: no LReal, DTL, WString, unsigned or 64-bit types.
  EXPECT_EQ(db_error("x : LReal;\n", CpuFamily::s7_300),
            "t.db:4: member 'x': LReal does not exist on an S7-300/400 CPU; choose --cpu 1200 "
            "or 1500");
  EXPECT_THAT(db_error("x : DTL;\n", CpuFamily::s7_400), HasSubstr("S7-300/400"));
  EXPECT_THAT(db_error("x : WString[4];\n", CpuFamily::s7_300), HasSubstr("S7-300/400"));
  EXPECT_THAT(db_error("x : UInt;\n", CpuFamily::s7_300), HasSubstr("S7-300/400"));
  // S7-1200: no S5TIME, DT, 64-bit integers or L-times.
  EXPECT_EQ(db_error("x : S5Time;\n", CpuFamily::s7_1200),
            "t.db:4: member 'x': S5Time does not exist on an S7-1200 CPU; choose --cpu 300, 400 "
            "or 1500");
  EXPECT_THAT(db_error("x : LInt;\n", CpuFamily::s7_1200), HasSubstr("choose --cpu 1500"));
  EXPECT_THAT(db_error("x : DT;\n", CpuFamily::s7_1200), HasSubstr("S7-1200"));
  // S7-1500 has them all, with the same standard-access layout: a LReal 0..7, b DTL 8..19,
  // c S5Time 20..21, d DT 22..29, e LInt 30..37, f WChar 38..39, g USInt 40; size 42.
  auto l = db("a : LReal; b : DTL; c : S5Time; d : DT; e : LInt; f : WChar; g : USInt;\n");
  EXPECT_EQ(where(l, "e"), "30");
  EXPECT_EQ(where(l, "g"), "40");
  EXPECT_EQ(l.size, 42u);
}

TEST(Layout, TooManyMembersIsAnErrorNotAnAllocation) {
  EXPECT_THAT(db_error("m : Array[1..1000000] of Struct\n a : Bool;\nEND_STRUCT;\n"),
              HasSubstr("too many members"));
  EXPECT_THAT(db_error("m : Array[0..2000000000] of Int;\n"), HasSubstr("beyond"));
}

TEST(Layout, BeginPathMustNameAMember) {
  auto r = lay({{"b.db",
                 "DATA_BLOCK \"B\"\nSTRUCT\n a : Int;\n v : Array[1..3] of Int;\nEND_STRUCT;\n"
                 "BEGIN\n a := 1;\n v[4] := 2;\nEND_DATA_BLOCK\n"}},
               "B");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().what(), StartsWith("b.db:8: BEGIN: 'v[4]' is outside v"));
  auto s = lay({{"b.db",
                 "DATA_BLOCK \"B\"\nSTRUCT\n a : Int;\nEND_STRUCT;\nBEGIN\n b := 1;\n"
                 "END_DATA_BLOCK\n"}},
               "B");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().what(), "b.db:6: BEGIN: 'b' names no member of DB \"B\"");
}

TEST(Layout, CourseTelemetryDb) {
  const auto text = read_file(std::string(S7LOG_EXAMPLES_DIR) + "/Telemetry.db");
  auto l = lay({{"Telemetry.db", text}}, "Telemetry", CpuFamily::s7_1500, 1);
  ASSERT_TRUE(l.ok()) << l.error().what();
  EXPECT_EQ(s7::to_string(*at(*l, "counter").address), "DB1.DBD0:DINT");
  EXPECT_EQ(where(*l, "counter"), "0");
  EXPECT_EQ(at(*l, "counter").address->type, s7::DataType::DInt);
  EXPECT_EQ(where(*l, "temperature"), "4");
  EXPECT_EQ(at(*l, "temperature").address->type, s7::DataType::Int);
  EXPECT_EQ(at(*l, "temperature").initial, "25");
  EXPECT_EQ(where(*l, "pressure"), "6");
  EXPECT_EQ(at(*l, "pressure").address->type, s7::DataType::Real);
  EXPECT_EQ(where(*l, "alarm"), "10.0");
  EXPECT_EQ(at(*l, "alarm").address->type, s7::DataType::Bool);
  EXPECT_EQ(at(*l, "alarm").initial, "TRUE");
  EXPECT_EQ(where(*l, "mode_ro"), "11");
  EXPECT_EQ(at(*l, "mode_ro").address->type, s7::DataType::Byte);
  EXPECT_EQ(where(*l, "setpoint_int"), "20");
  EXPECT_EQ(where(*l, "setpoint_real"), "22");
  EXPECT_EQ(where(*l, "cmd_start"), "26.0");
  EXPECT_EQ(where(*l, "cmd_stop"), "26.1");
  EXPECT_EQ(where(*l, "mode"), "27");
  EXPECT_EQ(l->size, 64u);
  for (const auto& m : l->members) EXPECT_EQ(m.address->db, 1) << m.path;

  // The STEP 7 export of the same DB gives the same layout, with its own number.
  const auto awl = read_file(std::string(S7LOG_EXAMPLES_DIR) + "/Telemetry.awl");
  auto c = lay({{"Telemetry.awl", awl}}, "DB 1", CpuFamily::s7_300, std::nullopt);
  ASSERT_TRUE(c.ok()) << c.error().what();
  ASSERT_EQ(c->members.size(), l->members.size());
  for (std::size_t i = 0; i < c->members.size(); ++i) {
    EXPECT_EQ(c->members[i].path, l->members[i].path);
    EXPECT_EQ(c->members[i].address, l->members[i].address) << c->members[i].path;
  }
  EXPECT_EQ(c->size, 64u);
}

}  // namespace
