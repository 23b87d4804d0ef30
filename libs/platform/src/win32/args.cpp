// platform/args.hpp on Windows: CommandLineToArgvW on the wide command line, then UTF-8.
#include "platform/args.hpp"

#include <windows.h>
// windows.h first: shellapi.h needs its types.
#include <shellapi.h>

namespace platform {

std::vector<std::string> utf8_arguments(int argc, char** argv) {
  int count = 0;
  wchar_t** wide = ::CommandLineToArgvW(::GetCommandLineW(), &count);
  if (wide == nullptr || count != argc) {  // not what the runtime split: keep its view
    if (wide) ::LocalFree(wide);
    return std::vector<std::string>(argv, argv + argc);
  }
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const int n = ::WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, nullptr, 0, nullptr, nullptr);
    std::string s(static_cast<std::size_t>(n > 0 ? n - 1 : 0), '\0');
    if (n > 1) ::WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, s.data(), n, nullptr, nullptr);
    out.push_back(std::move(s));
  }
  ::LocalFree(wide);
  return out;
}

}  // namespace platform
