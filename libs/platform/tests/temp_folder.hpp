// A fresh folder per test under the system's temporary folder, removed afterwards (portable:
// no mkdtemp, which MinGW lacks). Paths are handed out as UTF-8 strings, as s7log uses them.
#pragma once

#include <atomic>
#include <filesystem>
#include <random>
#include <string>

namespace platform::testing {

// UTF-8 text of a path, and a path from UTF-8 text (std::filesystem reads a plain string in the
// Windows ANSI code page).
inline std::string utf8(const std::filesystem::path& p) {
  const std::u8string s = p.u8string();
  return {s.begin(), s.end()};
}
inline std::filesystem::path from_utf8(const std::string& s) {
  return std::filesystem::path(std::u8string(s.begin(), s.end()));
}

struct TempFolder {
  std::filesystem::path path;
  TempFolder() {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    for (;;) {
      const auto name = "s7log_platform_" + std::to_string(rd()) + "_" + std::to_string(++counter);
      path = std::filesystem::temp_directory_path() / name;
      if (std::filesystem::create_directory(path)) break;
    }
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  // The UTF-8 path of `name` (which may hold folders and non-ASCII letters) in the folder.
  std::string operator/(const std::string& name) const { return utf8(path / from_utf8(name)); }
};

}  // namespace platform::testing
