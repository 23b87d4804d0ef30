// Tests for the DB/UDT/FB source parser: TIA Portal and STEP 7 classic syntax of each construct,
// comments, attributes, BEGIN sections and errors with file:line.
#include "symbols/db_source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

using symbols::Block;
using symbols::Member;
using symbols::parse_source;
using symbols::Section;
using symbols::TypeRef;
using testing::HasSubstr;
using testing::StartsWith;

std::string read(const std::string& name) {
  std::ifstream in(std::string(S7LOG_SYMBOLS_SOURCES) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<Block> parse_ok(std::string_view text, std::string_view file = "test.db") {
  auto r = parse_source(text, file);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().what());
  return r.ok() ? *r : std::vector<Block>{};
}

std::string parse_error(std::string_view text, std::string_view file = "test.db") {
  auto r = parse_source(text, file);
  EXPECT_FALSE(r.ok()) << "parsed but should not:\n" << text;
  if (r.ok()) return {};
  EXPECT_TRUE(r.error().is(s7::Errc::invalid_argument));
  return r.error().what();
}

const Member* find(const std::vector<Member>& ms, std::string_view name) {
  for (const auto& m : ms)
    if (m.name == name) return &m;
  return nullptr;
}

TEST(DbSource, TiaDataBlockHeaderAndMembers) {
  auto blocks = parse_ok(read("tia_all_constructs.db"), "tia_all_constructs.db");
  ASSERT_EQ(blocks.size(), 1u);
  const Block& b = blocks[0];
  EXPECT_EQ(b.kind, Block::Kind::data_block);
  EXPECT_EQ(b.name, "Plant");
  EXPECT_FALSE(b.number);  // TIA sources carry no DB number
  EXPECT_FALSE(b.optimized);
  EXPECT_EQ(b.optimized_line, 3);
  EXPECT_EQ(b.line, 2);
  EXPECT_EQ(b.file, "tia_all_constructs.db");
  ASSERT_EQ(b.members.size(), 12u);

  const Member* counter = find(b.members, "counter");
  ASSERT_TRUE(counter);
  EXPECT_EQ(counter->type.kind, TypeRef::Kind::elementary);
  EXPECT_EQ(counter->type.name, "DINT");
  EXPECT_EQ(counter->type.text, "DInt");
  EXPECT_EQ(counter->comment, "counts up");
  EXPECT_EQ(counter->line, 11);

  // Attributes after the name and before the type are skipped.
  ASSERT_TRUE(find(b.members, "flags"));
  EXPECT_EQ(find(b.members, "flags")->type.name, "BOOL");
  const Member* level = find(b.members, "level");
  ASSERT_TRUE(level);
  EXPECT_EQ(level->type.name, "REAL");
  EXPECT_EQ(level->initial, "1.5");
}

TEST(DbSource, TiaStringsArraysStructsAndUdtReferences) {
  auto blocks = parse_ok(read("tia_all_constructs.db"));
  ASSERT_EQ(blocks.size(), 1u);
  const auto& ms = blocks[0].members;

  const Member* name = find(ms, "name");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->type.kind, TypeRef::Kind::string);
  EXPECT_EQ(name->type.length, 20);
  EXPECT_EQ(name->type.text, "String[20]");
  EXPECT_EQ(name->initial, "'pump ''A'''");
  EXPECT_EQ(find(ms, "label")->type.kind, TypeRef::Kind::wstring);
  EXPECT_EQ(find(ms, "label")->type.length, 4);
  EXPECT_EQ(find(ms, "text")->type.length, 254);  // String without a length: 254

  const Member* motor = find(ms, "motor");
  ASSERT_TRUE(motor);
  EXPECT_EQ(motor->type.kind, TypeRef::Kind::array);
  ASSERT_EQ(motor->type.dims.size(), 1u);
  EXPECT_EQ(motor->type.dims[0], std::make_pair(1, 2));
  ASSERT_TRUE(motor->type.element);
  EXPECT_EQ(motor->type.element->kind, TypeRef::Kind::named);
  EXPECT_EQ(motor->type.element->name, "Motor");
  EXPECT_EQ(motor->type.text, "Array[1..2] of \"Motor\"");

  const Member* grid = find(ms, "grid");
  ASSERT_TRUE(grid);
  ASSERT_EQ(grid->type.dims.size(), 2u);
  EXPECT_EQ(grid->type.dims[0], std::make_pair(1, 2));
  EXPECT_EQ(grid->type.dims[1], std::make_pair(0, 3));

  const Member* odd = find(ms, "odd name");  // quoted name, quotes stripped
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->comment, "block comment");

  const Member* recipe = find(ms, "recipe");
  ASSERT_TRUE(recipe);
  EXPECT_EQ(recipe->type.kind, TypeRef::Kind::structure);
  ASSERT_EQ(recipe->type.members.size(), 2u);
  EXPECT_EQ(recipe->type.members[0].initial, "100");
  EXPECT_EQ(recipe->type.members[1].type.members[0].name, "on");
  EXPECT_EQ(recipe->comment, "nested");

  EXPECT_EQ(find(ms, "stamp")->type.name, "DTL");
  EXPECT_EQ(find(ms, "legacy")->type.name, "DATE_AND_TIME");
}

TEST(DbSource, TiaBeginSection) {
  auto blocks = parse_ok(read("tia_all_constructs.db"));
  ASSERT_EQ(blocks.size(), 1u);
  const auto& begin = blocks[0].begin;
  ASSERT_EQ(begin.size(), 4u);
  EXPECT_EQ(begin[0].path, "counter");
  EXPECT_EQ(begin[0].value, "7");
  EXPECT_EQ(begin[1].path, "motor[2].speed");
  EXPECT_EQ(begin[1].value, "12.5");
  EXPECT_EQ(begin[2].path, "grid[1,2]");
  EXPECT_EQ(begin[3].path, "recipe.inner.on");
  EXPECT_EQ(begin[3].value, "TRUE");
  EXPECT_EQ(begin[3].line, 35);
}

TEST(DbSource, TiaUdt) {
  auto blocks = parse_ok(read("motor.udt"), "motor.udt");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].kind, Block::Kind::type);
  EXPECT_EQ(blocks[0].name, "Motor");
  ASSERT_EQ(blocks[0].members.size(), 4u);
  EXPECT_EQ(blocks[0].members[0].comment, "rpm");
  EXPECT_EQ(blocks[0].members[3].name, "hours run");
}

TEST(DbSource, TiaFunctionBlockAndInstanceDb) {
  auto blocks = parse_ok(read("pump.scl"), "pump.scl");
  // FUNCTION and ORGANIZATION_BLOCK are skipped with their bodies.
  ASSERT_EQ(blocks.size(), 3u);
  const Block& fb = blocks[0];
  EXPECT_EQ(fb.kind, Block::Kind::function_block);
  EXPECT_EQ(fb.name, "Pump");
  // VAR_TEMP and VAR CONSTANT are not stored; VAR RETAIN and VAR are both static.
  ASSERT_EQ(fb.sections.size(), 5u);
  EXPECT_EQ(fb.sections[0].section, Section::input);
  EXPECT_EQ(fb.sections[0].members.size(), 2u);
  EXPECT_EQ(fb.sections[1].section, Section::output);
  EXPECT_EQ(fb.sections[2].section, Section::in_out);
  EXPECT_EQ(fb.sections[3].section, Section::stat);
  EXPECT_EQ(fb.sections[3].members[0].name, "hours");
  EXPECT_EQ(fb.sections[4].section, Section::stat);
  EXPECT_EQ(fb.sections[4].members[1].type.name, "Valve");

  EXPECT_EQ(blocks[1].name, "Valve");
  const Block& db = blocks[2];
  EXPECT_EQ(db.name, "Pump_DB");
  ASSERT_TRUE(db.of);
  EXPECT_EQ(*db.of, "Pump");
  EXPECT_TRUE(db.members.empty());
  ASSERT_EQ(db.begin.size(), 2u);
  EXPECT_EQ(db.begin[1].path, "motor.speed");
}

TEST(DbSource, Step7ClassicBlocks) {
  auto blocks = parse_ok(read("step7_classic.awl"), "step7_classic.awl");
  ASSERT_EQ(blocks.size(), 5u);
  EXPECT_EQ(blocks[0].kind, Block::Kind::type);
  EXPECT_EQ(blocks[0].name, "UDT 5");
  EXPECT_EQ(blocks[0].members[0].comment, "rpm");

  const Block& fb = blocks[1];
  EXPECT_EQ(fb.name, "FB 3");
  ASSERT_EQ(fb.sections.size(), 4u);  // VAR_TEMP dropped
  EXPECT_EQ(fb.sections[2].members[1].type.kind, TypeRef::Kind::named);
  EXPECT_EQ(fb.sections[2].members[1].type.name, "UDT 5");

  const Block& db1 = blocks[2];
  EXPECT_EQ(db1.name, "DB 1");
  ASSERT_TRUE(db1.number);
  EXPECT_EQ(*db1.number, 1);
  const Member* s = find(db1.members, "s");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->type.kind, TypeRef::Kind::string);
  EXPECT_EQ(s->type.length, 20);
  EXPECT_EQ(s->initial, "'text'");
  const Member* arr = find(db1.members, "arr");
  ASSERT_TRUE(arr);
  EXPECT_EQ(arr->type.dims[0], std::make_pair(1, 10));
  EXPECT_EQ(arr->type.element->name, "INT");
  EXPECT_EQ(find(db1.members, "counter")->comment, "counts");
  // Literals are kept as written.
  EXPECT_EQ(find(db1.members, "w")->initial, "W#16#0");
  EXPECT_EQ(find(db1.members, "r")->initial, "1.230000e+000");
  EXPECT_EQ(find(db1.members, "d")->initial, "D#1990-1-1");
  EXPECT_EQ(find(db1.members, "tod")->initial, "TOD#0:0:0.000");
  EXPECT_EQ(find(db1.members, "dt")->initial, "DT#90-1-1-0:0:0.000");
  EXPECT_EQ(find(db1.members, "s5")->initial, "S5T#0MS");
  ASSERT_EQ(db1.begin.size(), 3u);
  EXPECT_EQ(db1.begin[0].value, "L#0");
  EXPECT_EQ(db1.begin[2].path, "arr[10]");

  EXPECT_EQ(blocks[3].name, "DB 2");
  ASSERT_TRUE(blocks[3].of);
  EXPECT_EQ(*blocks[3].of, "FB 3");
  EXPECT_EQ(blocks[4].name, "DB 4");
  EXPECT_EQ(*blocks[4].of, "UDT 5");
}

TEST(DbSource, KeywordsAreCaseInsensitiveAndVarIsAccepted) {
  auto blocks = parse_ok(
      "data_block \"x\"\n"
      "{ s7_optimized_access := 'TRUE' }\n"
      "var\n"
      "  a : int;\n"
      "  b : array[0..1] OF bool;\n"
      "end_var\n"
      "begin\n"
      "end_data_block\n");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_TRUE(blocks[0].optimized);
  EXPECT_EQ(blocks[0].optimized_line, 2);
  ASSERT_EQ(blocks[0].members.size(), 2u);
  EXPECT_EQ(blocks[0].members[0].type.name, "INT");
  EXPECT_EQ(blocks[0].members[1].type.element->name, "BOOL");
}

TEST(DbSource, DbOfUdtAndAbsoluteNamesWithoutSpace) {
  auto blocks = parse_ok(
      "DATA_BLOCK \"Line1\"\n{ S7_Optimized_Access := 'FALSE' }\nVERSION : 0.1\nNON_RETAIN\n"
      "\"Motor\"\n\nBEGIN\n   speed := 2.0;\nEND_DATA_BLOCK\n"
      "DATA_BLOCK DB7\nSTRUCT x : UDT5; END_STRUCT;\nBEGIN\nEND_DATA_BLOCK\n");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(*blocks[0].of, "Motor");
  EXPECT_EQ(blocks[1].name, "DB 7");
  EXPECT_EQ(*blocks[1].number, 7);
  EXPECT_EQ(blocks[1].members[0].type.name, "UDT 5");
}

TEST(DbSource, CommentsEverywhere) {
  auto blocks = parse_ok(
      "// header comment\n"
      "(* a block\n comment *)\n"
      "DATA_BLOCK DB 3 // trailing\n"
      "  STRUCT\n"
      "   a : INT ; (* first *) // second\n"
      "   /* c */ b : BYTE;\n"
      "  END_STRUCT ;\n"
      "BEGIN\n"
      "END_DATA_BLOCK\n");
  ASSERT_EQ(blocks.size(), 1u);
  ASSERT_EQ(blocks[0].members.size(), 2u);
  EXPECT_EQ(blocks[0].members[0].comment, "first");
  EXPECT_EQ(blocks[0].members[1].comment, "c");
}

TEST(DbSource, MultipleBlocksInOneFileAndByteOrderMark) {
  auto blocks = parse_ok(
      "\xEF\xBB\xBFTYPE \"A\"\nSTRUCT x : Int; END_STRUCT;\nEND_TYPE\n"
      "TYPE \"B\"\nSTRUCT y : \"A\"; END_STRUCT;\nEND_TYPE\n");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[1].members[0].type.name, "A");
}

TEST(DbSource, ErrorsNameFileAndLine) {
  EXPECT_EQ(parse_error("DATA_BLOCK \"T\"\nSTRUCT\n  speed Int;\nEND_STRUCT;\nBEGIN\n"
                        "END_DATA_BLOCK\n",
                        "t.db"),
            "t.db:3: expected ':' after member name 'speed', found 'Int'");
  EXPECT_THAT(parse_error("DATA_BLOCK \"T\"\nSTRUCT\n  a : Int\n  b : Int;\nEND_STRUCT;\n"
                          "BEGIN\nEND_DATA_BLOCK\n"),
              StartsWith("test.db:4: expected ';' after member 'a'"));
  EXPECT_THAT(parse_error("DATA_BLOCK \"T\"\nSTRUCT\n  a : Int;\n"),
              AllOf(StartsWith("test.db:2:"), HasSubstr("END_STRUCT")));
  EXPECT_THAT(parse_error("DATA_BLOCK \"T\"\nSTRUCT\n  a : Array[1..x] of Int;\nEND_STRUCT;\n"),
              AllOf(StartsWith("test.db:3:"), HasSubstr("member 'a'"), HasSubstr("not a number")));
  EXPECT_THAT(parse_error("DATA_BLOCK \"T\"\nSTRUCT\n  a : Array[5..1] of Int;\nEND_STRUCT;\n"),
              HasSubstr("reversed"));
  EXPECT_THAT(parse_error("DATA_BLOCK \"T\"\nSTRUCT\n  a : String[300];\nEND_STRUCT;\n"),
              HasSubstr("longer than 254"));
  EXPECT_THAT(parse_error("\n\n(* open"), StartsWith("test.db:3: comment"));
  EXPECT_THAT(parse_error("DATA_BLOCK \"T\nSTRUCT"), StartsWith("test.db:1: name"));
  EXPECT_THAT(parse_error("hello"),
              StartsWith("test.db:1: expected DATA_BLOCK, TYPE, FUNCTION_BLOCK"));
  EXPECT_THAT(parse_error("DATA_BLOCK DB 0\nSTRUCT END_STRUCT;\nBEGIN\nEND_DATA_BLOCK\n"),
              HasSubstr("not in 1..65535"));
  EXPECT_THAT(parse_error("DATA_BLOCK \"T\"\nSTRUCT a : Int; END_STRUCT;\nBEGIN\n  a = 5;\n"
                          "END_DATA_BLOCK\n"),
              StartsWith("test.db:4: expected ':=' after 'a'"));
  EXPECT_THAT(parse_error("FUNCTION_BLOCK \"F\"\nVAR_INPUT a : Bool; END_VAR\nBEGIN\n x := 1;\n"),
              HasSubstr("END_FUNCTION_BLOCK"));
}

TEST(DbSource, NestingIsBounded) {
  std::string deep = "DATA_BLOCK \"T\"\nSTRUCT\n";
  for (int i = 0; i < 40; ++i) deep += "s : Struct\n";
  EXPECT_THAT(parse_error(deep), HasSubstr("nested more than 32 levels"));
  std::string arrays = "DATA_BLOCK \"T\"\nSTRUCT\n a : ";
  for (int i = 0; i < 100000; ++i) arrays += "Array[1..2] of ";
  EXPECT_THAT(parse_error(arrays), HasSubstr("nested more than 32 levels"));
}

TEST(DbSource, HugeArrayBoundsAreNotMaterialised) {
  auto blocks = parse_ok(
      "DATA_BLOCK \"T\"\nSTRUCT\n a : Array[-2000000000..2000000000, 0..2000000000] of Int;\n"
      "END_STRUCT;\nBEGIN\nEND_DATA_BLOCK\n");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].members[0].type.dims[0].first, -2000000000);
}

TEST(DbSource, CpuFamilies) {
  EXPECT_EQ(*symbols::parse_cpu("300"), symbols::CpuFamily::s7_300);
  EXPECT_EQ(*symbols::parse_cpu("S7-400"), symbols::CpuFamily::s7_400);
  EXPECT_EQ(*symbols::parse_cpu("s7-1200"), symbols::CpuFamily::s7_1200);
  EXPECT_EQ(*symbols::parse_cpu(" 1500 "), symbols::CpuFamily::s7_1500);
  EXPECT_FALSE(symbols::parse_cpu("1600").ok());
  EXPECT_EQ(symbols::to_string(symbols::CpuFamily::s7_1200), "S7-1200");
}

}  // namespace
