// platform/module.hpp: loading a shared module (s7log-outputs.so) at run time and finding its
// entry points, and where the running program lives (modules are looked for beside it).
#pragma once

#include <string>

namespace platform {

// Loads the module at `path` (UTF-8) with its symbols kept to itself (POSIX dlopen RTLD_NOW |
// RTLD_LOCAL; Windows LoadLibraryW). A module is never unloaded: objects it made may live until
// the process ends. Returns nullptr and sets `error` to the loader's reason when it fails.
void* load_module(const std::string& path, std::string& error);
// The address of the exported symbol `name` of a loaded module, or nullptr.
void* module_symbol(void* module, const char* name);
// The folder of the running executable (UTF-8), or "" when it cannot be told.
std::string executable_dir();

}  // namespace platform
