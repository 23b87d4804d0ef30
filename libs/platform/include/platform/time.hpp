// platform/time.hpp: local time from the operating system's own time-zone rules.
#pragma once

#include <ctime>

namespace platform {

// Local broken-down time of `t` (seconds since 1970 UTC), with tm_isdst, tm_wday and tm_yday set.
// Thread-safe.
// - POSIX: localtime_r, so $TZ is honoured as by every other program.
// - Windows: the zone and daylight-saving rules of Windows' own settings (the dynamic time zone,
//   with the rules of that year), NOT the C runtime's $TZ, which does not know IANA names such as
//   Europe/Copenhagen (it silently gives UTC) and gets no summer time from "CET-1CEST".
std::tm local_time(std::time_t t);

// For tests that expect a given zone. POSIX: sets $TZ to the IANA name `zone` and calls tzset;
// true. Windows has one zone for the whole system (wine takes it from the Linux zone it starts
// in): true only when local time already follows `zone`, checked on a winter and a summer date
// (known: "Europe/Copenhagen", "UTC"). Callers skip or fail with a message when false.
bool use_zone_for_tests(const char* zone);

}  // namespace platform
