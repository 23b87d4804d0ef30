// Tests of the PLC tag table reader: STEP 7 .sdf and .asc exports and TIA Portal tag tables saved
// from Excel as CSV (both separators, UTF-8 with a byte-order mark or Windows-1252), read byte
// for byte from sample files; format detection; errors with file and line.
#include "symbols/tag_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using symbols::TagEntry;
using symbols::TagTableFormat;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

std::string read_table(const std::string& name) {
  std::ifstream in(std::string(S7LOG_SYMBOLS_SOURCES) + "/tables/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<TagEntry> parse_ok(std::string_view text, std::string_view file, TagTableFormat f) {
  auto r = symbols::parse_tag_table(text, file, f);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().what());
  return r.ok() ? *r : std::vector<TagEntry>{};
}

std::string parse_error(std::string_view text, std::string_view file, TagTableFormat f) {
  auto r = symbols::parse_tag_table(text, file, f);
  EXPECT_FALSE(r.ok()) << "parsed but should not: " << text;
  if (r.ok()) return {};
  EXPECT_TRUE(r.error().is(s7::Errc::invalid_argument));
  return r.error().what();
}

// One entry as a line: name | address or block | type | comment | line.
std::string row(const TagEntry& e) {
  std::string where =
      e.address ? s7::to_string(*e.address) : e.block_kind + " " + std::to_string(e.block_number);
  return e.name + " | " + where + " | " + e.type + " | " + e.comment + " | " +
         std::to_string(e.line);
}

std::vector<std::string> rows(const std::vector<TagEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(row(e));
  return out;
}

// The STEP 7 rows of conveyor.sdf and conveyor.asc (the same table in both formats).
const std::vector<std::string> kConveyorRows = {
    "Start_Button | I0.0:BOOL | BOOL | Start pushbutton, operator desk | 1",
    "Stop_Button | I0.1:BOOL | BOOL | Stop pushbutton (\xC3\x96"
    "ffner) | 2",
    "Motor_On | Q4.0:BOOL | BOOL | Conveyor motor contactor | 3",
    "Belt_Speed | MW10:INT | INT | Belt speed in mm/s | 4",
    "F\xC3\xB6rderband_L\xC3\xA4nge | MD20:REAL | REAL | Belt length in m | 5",
    "Cycle_Timer | T5:TIMER | TIMER | Cycle time | 6",
    "Parts_Counter | C3:COUNTER | COUNTER | Parts counted | 7",
    "Speed_Sensor | PIW256:WORD | WORD | Speed sensor, 4..20 mA | 8",
    "Valve_Setpoint | PQW260:INT | INT | Valve position 0..27648 | 9",
    "Conveyor_Data | DB 1 | DB 1 | Global conveyor data | 10",
    "Conveyor_Ctrl | FB 3 | FB 3 | Conveyor control | 11",
    "Conveyor_Ctrl_DB | DB 3 | FB 3 | Instance of Conveyor_Ctrl | 12",
    "Recipe | UDT 10 | UDT 10 |  | 13",
    "Scale | FC 12 | FC 12 | Scaling 0..27648 to units | 14",
    "Main_Cycle | OB 1 | OB 1 | Program cycle | 15",
    "READ_CLK | SFC 1 | SFC 1 | Read the system clock | 16",
    "Watch | VAT 1 |  |  | 17",
};

// ---- STEP 7 .sdf ----

TEST(TagTableSdf, ConveyorSampleByteExact) {
  const std::string text = read_table("conveyor.sdf");
  ASSERT_NE(text.find('\xF6'), std::string::npos);  // the sample is Windows-1252 (ö = F6)
  ASSERT_NE(text.find("\r\n"), std::string::npos);
  const auto entries = parse_ok(text, "conveyor.sdf", TagTableFormat::sdf);
  EXPECT_EQ(rows(entries), kConveyorRows);
  ASSERT_EQ(entries.size(), 17u);
  // German mnemonics: E = I, A = Q, Z = C, PEW = PIW, PAW = PQW.
  EXPECT_EQ(entries[0].address->area, s7::Area::inputs);
  EXPECT_EQ(entries[2].address->area, s7::Area::outputs);
  EXPECT_EQ(entries[6].address->area, s7::Area::counters);
  EXPECT_EQ(entries[7].address->area, s7::Area::periphery);
  EXPECT_FALSE(entries[7].address->periphery_output);
  EXPECT_TRUE(entries[8].address->periphery_output);
  // Block rows have no address.
  EXPECT_FALSE(entries[9].address.has_value());
  EXPECT_EQ(entries[11].block_kind, "DB");
  EXPECT_EQ(entries[11].block_number, 3);
}

TEST(TagTableSdf, EnglishMnemonicsAndLooseSpacing) {
  // The layout of the STEP 7 manual's example: a blank after the comma, one blank in the address.
  const auto entries = parse_ok(
      "\"green_phase_ped.\", \"T 2\", \"TIMER\",\"Duration of green phase\"\n"
      "\"red_ped.\", \"Q 0.0\", \"BOOL\",\"Red for pedestrians\"\n"
      "\"Level\",\"PIW 256\",\"INT\",\"\"\n"
      "\"Count\",\"C 7\",\"COUNTER\",\"\"\n",
      "x.sdf", TagTableFormat::sdf);
  EXPECT_THAT(rows(entries), ElementsAre("green_phase_ped. | T2:TIMER | TIMER | "
                                         "Duration of green phase | 1",
                                         "red_ped. | Q0.0:BOOL | BOOL | Red for pedestrians | 2",
                                         "Level | PIW256:INT | INT |  | 3",
                                         "Count | C7:COUNTER | COUNTER |  | 4"));
}

TEST(TagTableSdf, QuotesInsideFieldsAndMissingComment) {
  const auto entries = parse_ok(
      "\"A\",\"M 0.0\",\"BOOL\",\"say \"\"hi\"\", then go\"\r\n"
      "\"B\",\"M 0.1\",\"BOOL\",\"a \"stray\" quote\"\r\n"
      "\"C\",\"M 0.2\",\"BOOL\"\r\n"
      "\r\n"
      "\" \",\" \",\" \",\" generated by a tool\"\r\n",
      "q.sdf", TagTableFormat::sdf);
  EXPECT_THAT(rows(entries), ElementsAre("A | M0.0:BOOL | BOOL | say \"hi\", then go | 1",
                                         "B | M0.1:BOOL | BOOL | a \"stray\" quote | 2",
                                         "C | M0.2:BOOL | BOOL |  | 3"));
}

TEST(TagTableSdf, NoTypeTakesTheAddressWidth) {
  const auto entries = parse_ok("\"W\",\"MW 4\",\"\",\"\"\n", "x.sdf", TagTableFormat::sdf);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(s7::to_string(*entries[0].address), "MW4");
  EXPECT_EQ(entries[0].address->type, s7::DataType::Int);
}

TEST(TagTableSdf, Errors) {
  EXPECT_EQ(parse_error("\"A\",\"M 0.0\",\"BOOL\",\"\"\n\"B\",M 0.1,\"BOOL\",\"\"\n", "t.sdf",
                        TagTableFormat::sdf),
            "t.sdf:2: expected four quoted fields: \"symbol\",\"address\",\"data type\","
            "\"comment\"");
  EXPECT_THAT(
      parse_error("\"A\",\"M 0.0\",\"BOOL\",\"c\",\"extra\"\n", "t.sdf", TagTableFormat::sdf),
      StartsWith("t.sdf:1: expected four quoted fields"));
  EXPECT_EQ(parse_error("\"\",\"M 0.0\",\"BOOL\",\"\"\n", "t.sdf", TagTableFormat::sdf),
            "t.sdf:1: expected a symbol name in the first field");
  EXPECT_THAT(parse_error("\"A\",\"\",\"BOOL\",\"\"\n", "t.sdf", TagTableFormat::sdf),
              StartsWith("t.sdf:1: symbol \"A\": expected an address"));
  // A type that cannot live at its address names the line, the tag and what would fit.
  EXPECT_EQ(parse_error("\"A\",\"M 0.0\",\"BOOL\",\"\"\r\n\"Speed\",\"E 7.2\",\"INT\",\"\"\r\n",
                        "t.sdf", TagTableFormat::sdf),
            "t.sdf:2: tag \"Speed\": data type INT cannot live at address E 7.2: a bit address "
            "(X) holds only BOOL; use IB7 for INT");
  EXPECT_THAT(parse_error("\"R\",\"MW 4\",\"REAL\",\"\"\n", "t.sdf", TagTableFormat::sdf),
              StartsWith("t.sdf:1: tag \"R\": data type REAL cannot live at address MW 4: REAL "
                         "is 4 bytes but W is 2 bytes wide"));
  EXPECT_THAT(parse_error("\"R\",\"MB 4\",\"UDT 5\",\"\"\n", "t.sdf", TagTableFormat::sdf),
              StartsWith("t.sdf:1: tag \"R\": data type UDT 5 is not one an address can hold"));
  EXPECT_THAT(parse_error("\"X\",\"Q 0.9\",\"BOOL\",\"\"\n", "t.sdf", TagTableFormat::sdf),
              StartsWith("t.sdf:1: tag \"X\": data type BOOL cannot live at address Q 0.9: "));
  EXPECT_EQ(parse_error("\"D\",\"DB 0\",\"DB 0\",\"\"\n", "t.sdf", TagTableFormat::sdf),
            "t.sdf:1: symbol \"D\": expected a block number 1..65535 after DB, got 0");
  EXPECT_EQ(parse_error("\"F\",\"FB 70000\",\"FB 70000\",\"\"\n", "t.sdf", TagTableFormat::sdf),
            "t.sdf:1: symbol \"F\": expected a block number 0..65535 after FB, got 70000");
}

TEST(TagTableSdf, DuplicateNamesAreCaseInsensitive) {
  EXPECT_EQ(parse_error("\"Motor\",\"M 0.0\",\"BOOL\",\"\"\n\"x\",\"M 0.1\",\"BOOL\",\"\"\n"
                        "\"MOTOR\",\"M 0.2\",\"BOOL\",\"\"\n",
                        "d.sdf", TagTableFormat::sdf),
            "d.sdf:3: symbol \"MOTOR\" is defined twice: also on line 1 (names are "
            "case-insensitive)");
  // Umlauts fold too: Ä (C4) and ä (E4) in Windows-1252.
  EXPECT_THAT(parse_error("\"L\xC4nge\",\"M 0.0\",\"BOOL\",\"\"\n\"l\xE4nge\",\"M 0.1\",\"BOOL\","
                          "\"\"\n",
                          "d.sdf", TagTableFormat::sdf),
              StartsWith("d.sdf:2: symbol \"l\xC3\xA4nge\" is defined twice: also on line 1"));
}

// ---- STEP 7 .asc ----

TEST(TagTableAsc, ConveyorSampleByteExact) {
  const std::string text = read_table("conveyor.asc");
  const auto entries = parse_ok(text, "conveyor.asc", TagTableFormat::asc);
  EXPECT_EQ(rows(entries), kConveyorRows);
}

TEST(TagTableAsc, NamesFillTheirColumnsAndKeepBlanks) {
  // A 24-character name runs straight into the address; names may hold blanks.
  const std::string text =
      "126,Schrittkette 1 (Magazin)FB     25   FB     25                                      "
      "                                           \r\n"
      "126,T_ Transport            T      12   TIMER     Transportband Stop\r\n"
      "126,Level                   EW      2   WORD      \r\n"
      "126,Flag                    M       1.7 BOOL\n";
  const auto entries = parse_ok(text, "s.asc", TagTableFormat::asc);
  EXPECT_THAT(rows(entries),
              ElementsAre("Schrittkette 1 (Magazin) | FB 25 | FB 25 |  | 1",
                          "T_ Transport | T12:TIMER | TIMER | Transportband Stop | 2",
                          "Level | IW2:WORD | WORD |  | 3", "Flag | M1.7:BOOL | BOOL |  | 4"));
}

TEST(TagTableAsc, ColumnsCountCharactersNotBytes) {
  // Ü (DC) is one column in Windows-1252; after conversion it is two bytes of UTF-8.
  const std::string text =
      "126,\xDC"
      "berlauf                E       1.0 BOOL      F\xFCllstand\r\n";
  const auto entries = parse_ok(text, "u.asc", TagTableFormat::asc);
  EXPECT_THAT(rows(entries), ElementsAre("\xC3\x9C"
                                         "berlauf | I1.0:BOOL | BOOL | F\xC3\xBCllstand | 1"));
}

TEST(TagTableAsc, Errors) {
  EXPECT_EQ(parse_error("126,A                       M       0.0 BOOL\r\nhello\r\n", "e.asc",
                        TagTableFormat::asc),
            "e.asc:2: expected \"126,\" and then symbol (24 characters), address (12), data type "
            "(10) and comment (80)");
  EXPECT_EQ(
      parse_error("126,                        M       0.0 BOOL\r\n", "e.asc", TagTableFormat::asc),
      "e.asc:1: expected a symbol name in columns 5 to 28 (after \"126,\")");
  EXPECT_EQ(parse_error("\r\n\r\n126,Speed                   MD     10   INT\r\n", "e.asc",
                        TagTableFormat::asc),
            "e.asc:3: tag \"Speed\": data type INT cannot live at address MD 10: INT is 2 bytes "
            "but D is 4 bytes wide; use MW or MB");
  EXPECT_EQ(parse_error("126,A                       M       0.0 BOOL\r\n"
                        "126,a                       M       0.1 BOOL\r\n",
                        "e.asc", TagTableFormat::asc),
            "e.asc:2: symbol \"a\" is defined twice: also on line 1 (names are case-insensitive)");
}

// ---- TIA Portal CSV ----

TEST(TagTableTiaCsv, EnglishUtf8WithBomAndCommas) {
  const std::string text = read_table("plc_tags_en.csv");
  ASSERT_EQ(text.substr(0, 3), "\xEF\xBB\xBF");
  const auto entries = parse_ok(text, "plc_tags_en.csv", TagTableFormat::tia_csv);
  EXPECT_THAT(
      rows(entries),
      ElementsAre("Start_Button | I0.0:BOOL | Bool | Start pushbutton | 2",
                  "Motor_On | Q4.0:BOOL | Bool | Motor on, conveyor 1 | 3",
                  "Belt_Speed | MW10:INT | Int | Speed in \"mm/s\" | 4",
                  "Belt_Length | MD20:REAL | Real | L\xC3\xA4nge in m | 5",
                  "Analog_In | IW64:WORD | Word | Raw value\nsecond line | 7",
                  "Setpoint | QD4:DINT | DInt |  | 9", "Cycle_Timer | T5:TIMER | Timer |  | 10",
                  "Parts | C3:COUNTER | Counter |  | 11",
                  "Label | MB100:STRING[254] | String |  | 12",
                  "Runtime | MD40:TIME | Time | Operating time \xE2\x82\xAC 1 | 13"));
}

TEST(TagTableTiaCsv, GermanWindows1252WithSemicolons) {
  const std::string text = read_table("plc_tags_de.csv");
  ASSERT_NE(text.find('\xE4'), std::string::npos);  // ä as one Windows-1252 byte
  const auto entries = parse_ok(text, "plc_tags_de.csv", TagTableFormat::tia_csv);
  EXPECT_THAT(rows(entries),
              ElementsAre("Start_Taster | I0.0:BOOL | Bool | Start, Bedienpult | 2",
                          "Band_Ein | Q4.0:BOOL | Bool | F\xC3\xB6rderband l\xC3\xA4uft | 3",
                          "Drehzahl | MW10:INT | Int | Drehzahl; Sollwert | 4",
                          "Temperatur | ID64:REAL | Real | Temperatur in \xC2\xB0"
                          "C | 5"));
}

TEST(TagTableTiaCsv, ColumnsByNameInAnyOrder) {
  // Only Name, Data Type and Logical Address are needed; case and order do not matter. German
  // header names are understood too.
  const auto a = parse_ok("logical address,COMMENT,name,data type\n%M1.1,c,Flag,Bool\n", "a.csv",
                          TagTableFormat::tia_csv);
  EXPECT_THAT(rows(a), ElementsAre("Flag | M1.1:BOOL | Bool | c | 2"));
  const auto b = parse_ok(
      "Name;Pfad;Datentyp;Logische Adresse;Kommentar\n"
      "Z\xE4hler;Standard;UInt;%MW2;St\xFC"
      "ck\n",
      "b.csv", TagTableFormat::tia_csv);
  EXPECT_THAT(rows(b), ElementsAre("Z\xC3\xA4hler | MW2:UINT | UInt | St\xC3\xBC"
                                   "ck | 2"));
  // Excel's "sep=" first line; addresses without '%'; a short row.
  const auto c = parse_ok("sep=;\r\nName;Data Type;Logical Address;Comment\r\nX;LReal;MD8\r\n",
                          "c.csv", TagTableFormat::tia_csv);
  EXPECT_THAT(rows(c), ElementsAre("X | MD8:LREAL | LReal |  | 3"));
}

TEST(TagTableTiaCsv, Utf8WithoutBomStaysUtf8) {
  // A caller that removed the byte-order mark already: well-formed UTF-8 is not converted twice.
  const auto entries =
      parse_ok("Name,Data Type,Logical Address,Comment\nA,Bool,%I0.0,K\xC3\xBChl\n", "u.csv",
               TagTableFormat::tia_csv);
  EXPECT_THAT(rows(entries), ElementsAre("A | I0.0:BOOL | Bool | K\xC3\xBChl | 2"));
}

TEST(TagTableTiaCsv, Errors) {
  EXPECT_EQ(parse_error("Name,Path,Comment\nA,x,y\n", "e.csv", TagTableFormat::tia_csv),
            "e.csv:1: expected a header line with the columns Name, Data Type and Logical Address "
            "(any order, separated by ',' or ';'); missing Data Type, Logical Address");
  EXPECT_EQ(parse_error("", "e.csv", TagTableFormat::tia_csv),
            "e.csv:1: expected a header line with the columns Name, Data Type and Logical Address");
  // Line numbers count the lines inside quoted fields.
  EXPECT_EQ(parse_error("Name,Data Type,Logical Address,Comment\n"
                        "A,Bool,%I0.0,\"one\ntwo\"\n"
                        "Speed,Real,%MW4,\n",
                        "e.csv", TagTableFormat::tia_csv),
            "e.csv:4: tag \"Speed\": data type Real cannot live at address %MW4: REAL is 4 bytes "
            "but W is 2 bytes wide; use MD or MB");
  EXPECT_EQ(parse_error("Name,Data Type,Logical Address\nA,Bool,%I0.0\nB,Bool,\n", "e.csv",
                        TagTableFormat::tia_csv),
            "e.csv:3: tag \"B\": expected a logical address (as in %I0.0, %MW10)");
  EXPECT_EQ(parse_error("Name,Data Type,Logical Address\n,Bool,%I0.0\n", "e.csv",
                        TagTableFormat::tia_csv),
            "e.csv:2: expected a tag name in the Name column");
  EXPECT_EQ(
      parse_error("Name,Data Type,Logical Address\nA,,%I0.0\n", "e.csv", TagTableFormat::tia_csv),
      "e.csv:2: tag \"A\": expected a data type (as in Bool, Int, Real)");
  EXPECT_THAT(parse_error("Name,Data Type,Logical Address\nM,\"Motor\",%MB0\n", "e.csv",
                          TagTableFormat::tia_csv),
              StartsWith("e.csv:2: tag \"M\": data type Motor is not one an address can hold; "
                         "expected Bool, Byte"));
  EXPECT_EQ(parse_error("Name,Data Type,Logical Address\nA,Bool,%I0.0\na,Int,%MW0\n", "e.csv",
                        TagTableFormat::tia_csv),
            "e.csv:3: symbol \"a\" is defined twice: also on line 2 (names are case-insensitive)");
  EXPECT_THAT(parse_error(std::string("\xFF\xFEN\0a\0", 6), "e.csv", TagTableFormat::tia_csv),
              StartsWith("e.csv:1: the file is UTF-16"));
}

// ---- detection ----

TEST(DetectTagTable, ByExtension) {
  EXPECT_EQ(symbols::detect_tag_table("", "dir/Symbols.SDF"), TagTableFormat::sdf);
  EXPECT_EQ(symbols::detect_tag_table("", "a.asc"), TagTableFormat::asc);
  EXPECT_EQ(symbols::detect_tag_table("", "PLCTags.Csv"), TagTableFormat::tia_csv);
}

TEST(DetectTagTable, ByContent) {
  EXPECT_EQ(symbols::detect_tag_table(read_table("conveyor.sdf"), "symbols.txt"),
            TagTableFormat::sdf);
  EXPECT_EQ(symbols::detect_tag_table(read_table("conveyor.asc"), "symbols.txt"),
            TagTableFormat::asc);
  EXPECT_EQ(symbols::detect_tag_table(read_table("plc_tags_en.csv"), "tags"),
            TagTableFormat::tia_csv);
  EXPECT_EQ(symbols::detect_tag_table(read_table("plc_tags_de.csv"), "tags"),
            TagTableFormat::tia_csv);
  EXPECT_EQ(symbols::detect_tag_table("\r\n\r\n126,A      ", "x"), TagTableFormat::asc);
}

TEST(DetectTagTable, SourcesAreNotTagTables) {
  EXPECT_EQ(symbols::detect_tag_table("DATA_BLOCK \"Telemetry\"\nSTRUCT\n  a : INT;\n"
                                      "END_STRUCT;\nBEGIN\nEND_DATA_BLOCK\n",
                                      "Telemetry.db"),
            std::nullopt);
  EXPECT_EQ(symbols::detect_tag_table("TYPE \"Motor\"\nVERSION : 0.1\n", "Motor.udt"),
            std::nullopt);
  EXPECT_EQ(symbols::detect_tag_table("FUNCTION_BLOCK \"Conveyor\"\n", "Conveyor.scl"),
            std::nullopt);
  EXPECT_EQ(symbols::detect_tag_table("\"a\",\"b\"\n", "x"), std::nullopt);
  EXPECT_EQ(symbols::detect_tag_table("Name,Type\n", "x"), std::nullopt);
  EXPECT_EQ(symbols::detect_tag_table("", "x"), std::nullopt);
}

}  // namespace
