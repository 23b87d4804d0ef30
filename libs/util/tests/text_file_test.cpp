// decode_text_file: config files as Notepad and PowerShell save them, byte for byte.
#include "util/text_file.hpp"

#include <gtest/gtest.h>

#include <string>

using util::decode_text_file;

TEST(DecodeTextFile, PlainUtf8StaysAsItIs) {
  EXPECT_EQ(decode_text_file("name = \"t\xC3\xA6ller\"\n"), "name = \"t\xC3\xA6ller\"\n");
  EXPECT_EQ(decode_text_file(""), "");
}

TEST(DecodeTextFile, TheUtf8MarkIsDropped) {
  // Out-File -Encoding utf8 in PowerShell 5 and Notepad's "UTF-8 with BOM".
  EXPECT_EQ(decode_text_file("\xEF\xBB\xBF[plc]\r\n"), "[plc]\r\n");
}

TEST(DecodeTextFile, Utf16LittleEndianFromPowerShellRedirection) {
  // `s7log run --print-config > x.toml` in PowerShell 5: FF FE, then UTF-16LE. "ø" is U+00F8
  // (UTF-8 C3 B8), "€" U+20AC (E2 82 AC), "𝄞" U+1D11E = D834 DD1E (F0 9D 84 9E).
  const std::string bytes(
      "\xFF\xFE"
      "a\0\xF8\0\xAC\x20\x34\xD8\x1E\xDD\n\0",
      14);
  EXPECT_EQ(decode_text_file(bytes), "a\xC3\xB8\xE2\x82\xAC\xF0\x9D\x84\x9E\n");
}

TEST(DecodeTextFile, Utf16BigEndian) {
  const std::string bytes("\xFE\xFF\0a\0\xF8", 6);
  EXPECT_EQ(decode_text_file(bytes), "a\xC3\xB8");
}

TEST(DecodeTextFile, BrokenUtf16IsRefused) {
  EXPECT_FALSE(
      decode_text_file(std::string("\xFF\xFE"
                                   "a",
                                   3)));                               // odd length
  EXPECT_FALSE(decode_text_file(std::string("\xFF\xFE\x34\xD8", 4)));  // lone high
  EXPECT_FALSE(
      decode_text_file(std::string("\xFF\xFE\x1E\xDD"
                                   "a\0",
                                   6)));  // lone low
  EXPECT_FALSE(
      decode_text_file(std::string("\xFF\xFE\x34\xD8"
                                   "a\0",
                                   6)));  // high, no low
}
