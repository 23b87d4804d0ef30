// util/u8path.hpp: file names are UTF-8 std::strings throughout s7log; these turn them into
// std::filesystem::path and back without the Windows ANSI code page in between (on Windows a
// path made from a plain std::string is decoded as ANSI, so "Søren" or "Łódź" would break).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace util {

inline std::filesystem::path u8path(std::string_view utf8) {
  return std::filesystem::path(std::u8string(utf8.begin(), utf8.end()));
}

inline std::string path_text(const std::filesystem::path& p) {
  const std::u8string u = p.u8string();
  return std::string(u.begin(), u.end());
}

}  // namespace util
