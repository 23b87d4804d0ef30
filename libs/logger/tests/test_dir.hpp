// A fresh temporary directory per test, removed afterwards.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "util/u8path.hpp"

namespace logger::testing {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    do {
      path = std::filesystem::temp_directory_path() /
             ("s7log_logger_" + std::to_string(rd()) + "_" + std::to_string(++counter));
    } while (!std::filesystem::create_directory(path));
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path, ec);
  }
  // UTF-8 in and out, as s7log handles file names (any letters, also on Windows).
  std::string operator/(const std::string& name) const {
    return util::path_text(path / util::u8path(name));
  }
};

inline std::string slurp(const std::string& p) {
  std::ifstream in(util::u8path(p), std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void spit(const std::string& p, const std::string& text) {
  std::ofstream out(util::u8path(p), std::ios::binary);
  out << text;
}

}  // namespace logger::testing
