// platform/module.hpp on Windows: LoadLibraryW/GetProcAddress, GetModuleFileNameW.
#include "platform/module.hpp"

#include <windows.h>

#include <cstring>
#include <string>
#include <vector>

#include "wide.hpp"

namespace platform {

void* load_module(const std::string& path, std::string& error) {
  HMODULE h = ::LoadLibraryW(win32::widen(path).c_str());
  if (h == nullptr) error = "LoadLibrary failed (error " + std::to_string(::GetLastError()) + ")";
  return reinterpret_cast<void*>(h);
}

void* module_symbol(void* module, const char* name) {
  if (module == nullptr) return nullptr;
  const FARPROC f = ::GetProcAddress(static_cast<HMODULE>(module), name);
  void* p = nullptr;
  static_assert(sizeof p == sizeof f);
  std::memcpy(&p, &f, sizeof p);  // a function pointer as data, without a cast warning
  return p;
}

std::string executable_dir() {
  std::vector<wchar_t> buf(32768);
  const DWORD n = ::GetModuleFileNameW(nullptr, buf.data(), static_cast<DWORD>(buf.size()));
  if (n == 0 || n >= buf.size()) return {};
  std::wstring full(buf.data(), n);
  const auto slash = full.find_last_of(L"\\/");
  return win32::narrow(slash == std::wstring::npos ? std::wstring() : full.substr(0, slash));
}

}  // namespace platform
