// platform/time.hpp on POSIX: localtime_r ($TZ honoured).
#include "platform/time.hpp"

#include <cstdlib>

namespace platform {

std::tm local_time(std::time_t t) {
  std::tm tm{};
  ::localtime_r(&t, &tm);
  return tm;
}

bool use_zone_for_tests(const char* zone) {
  ::setenv("TZ", zone, 1);
  ::tzset();
  return true;
}

}  // namespace platform
