// platform/args.hpp: the command line as UTF-8 strings (Windows hands main() its arguments in
// the ANSI code page, which cannot hold every letter of a file or tag name).
#pragma once

#include <string>
#include <vector>

namespace platform {

// POSIX: argv as it is. Windows: the wide command line (GetCommandLineW) split the way the C
// runtime splits it, each argument converted to UTF-8.
std::vector<std::string> utf8_arguments(int argc, char** argv);

}  // namespace platform
