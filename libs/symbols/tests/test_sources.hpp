// The test sources (libs/symbols/tests/sources, examples/) as text, for the symbols tests.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace symbols::testing {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A file of libs/symbols/tests/sources.
inline std::string source(const std::string& name) {
  return read_file(std::string(S7LOG_SYMBOLS_SOURCES) + "/" + name);
}

}  // namespace symbols::testing
