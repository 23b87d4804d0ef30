// platform/module.hpp on POSIX: dlopen/dlsym, /proc/self/exe.
#include "platform/module.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <system_error>

namespace platform {

void* load_module(const std::string& path, std::string& error) {
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) {
    const char* why = ::dlerror();
    error = why != nullptr ? why : "dlopen failed";
  }
  return h;
}

void* module_symbol(void* module, const char* name) {
  return module == nullptr ? nullptr : ::dlsym(module, name);
}

std::string executable_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

}  // namespace platform
