// platform/args.hpp on POSIX: the arguments are already the bytes the user typed.
#include "platform/args.hpp"

namespace platform {

std::vector<std::string> utf8_arguments(int argc, char** argv) {
  return std::vector<std::string>(argv, argv + argc);
}

}  // namespace platform
