// Limits on config text before the TOML parser sees it, and escaping of control characters.
#include "util/toml_limits.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "util/text.hpp"

namespace {

std::string repeat(const std::string& s, std::size_t n, const std::string& sep = "") {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += (i ? sep : "") + s;
  return out;
}

TEST(TomlLimits, ARealConfigPasses) {
  const char* text = R"(# a comment with [[brackets]] and a.b.c.d dots
[plc]
host = "127.0.0.1"   # "quoted" # comment
timeout = "3s"

[log]
on_change = ["alarm", "mode_ro"]
eng = [0.0, 2.5, 3.25, 4.125, 5.0625]
note = """
multi-line with ] and } and a.b.c.d.e.f.g.h
"""
lit = 'C:\path\with\backslashes'

[[tag]]
name = "x"
address = "DB1.DBW0"
inline = { a = 1, b.c = [1, [2, [3]]], "q.d" = 'x' }
)";
  EXPECT_EQ(util::check_toml_limits(text), std::nullopt);
}

TEST(TomlLimits, ADeeplyDottedTableHeaderIsRefusedWithItsLine) {
  const std::string text = "[plc]\nport = 1\n\n[" + repeat("a", 40000, ".") + "]\n";
  auto e = util::check_toml_limits(text);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->line, 4u);
  EXPECT_EQ(e->what, "a key with more than 32 dotted parts");
}

TEST(TomlLimits, DottedKeysAndArrayOfTablesHeadersCountToo) {
  EXPECT_TRUE(util::check_toml_limits(repeat("k", 33, ".") + " = 1\n"));
  EXPECT_FALSE(util::check_toml_limits(repeat("k", 32, ".") + " = 1\n"));
  EXPECT_TRUE(util::check_toml_limits("[[" + repeat("t", 40, ".") + "]]\n"));
  EXPECT_TRUE(util::check_toml_limits("x = { " + repeat("k", 40, ".") + " = 1 }\n"));
}

TEST(TomlLimits, DeepNestingIsRefused) {
  auto arrays = util::check_toml_limits("x = " + repeat("[", 20000) + repeat("]", 20000));
  ASSERT_TRUE(arrays);
  EXPECT_EQ(arrays->what, "arrays or tables nested deeper than 32 levels");
  EXPECT_TRUE(util::check_toml_limits("x = " + repeat("{a = ", 100) + "1" + repeat("}", 100)));
  EXPECT_FALSE(util::check_toml_limits("x = " + repeat("[", 30) + repeat("]", 30)));
}

TEST(TomlLimits, LongKeysAndStringsAreRefused) {
  auto key = util::check_toml_limits(std::string(300, 'k') + " = 1\n");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->what, "a key longer than 256 bytes");
  auto quoted = util::check_toml_limits("\"" + std::string(300, 'k') + "\" = 1\n");
  ASSERT_TRUE(quoted);
  EXPECT_EQ(quoted->what, "a key longer than 256 bytes");
  auto str = util::check_toml_limits("\n\nname = \"" + std::string(100000, 'n') + "\"\n");
  ASSERT_TRUE(str);
  EXPECT_EQ(str->line, 3u);
  EXPECT_EQ(str->what, "a string longer than 65536 bytes");
  EXPECT_FALSE(util::check_toml_limits("name = \"" + std::string(60000, 'n') + "\"\n"));
}

TEST(TomlLimits, TheExamplesPass) {
  for (const char* name : {"logger.toml", "fakeplc.toml"}) {
    std::ifstream in(std::string(S7LOG_SOURCE_DIR) + "/examples/" + name);
    if (!in) continue;
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(util::check_toml_limits(ss.str()), std::nullopt) << name;
  }
}

TEST(EscapeControl, ControlCharactersBecomeHexEscapes) {
  EXPECT_EQ(util::escape_control(std::string("a\x1b[31mb\0c\n\x7f", 11)),
            "a\\x1b[31mb\\x00c\\x0a\\x7f");
  EXPECT_EQ(util::escape_control("tank 3 \xc3\xa6\xc3\xb8"),
            "tank 3 \xc3\xa6\xc3\xb8");  // UTF-8 kept
}

}  // namespace
