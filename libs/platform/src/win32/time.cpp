// platform/time.hpp on Windows: the system's time-zone rules for the year (not the CRT's $TZ).
#include "platform/time.hpp"

#include <windows.h>

#include <cstdint>
#include <string_view>

namespace platform {

namespace {

// 100 ns ticks between 1601-01-01 (FILETIME) and 1970-01-01 (time_t).
constexpr std::int64_t kEpochTicks = 116'444'736'000'000'000LL;

bool leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int day_of_year(int year, int month, int day) {  // month 1..12; result 0..365
  static constexpr int kBefore[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  return kBefore[month - 1] + day - 1 + (month > 2 && leap(year) ? 1 : 0);
}

// Minutes between two SYSTEMTIMEs (a - b).
std::int64_t minutes_between(const SYSTEMTIME& a, const SYSTEMTIME& b) {
  FILETIME fa{}, fb{};
  ::SystemTimeToFileTime(&a, &fa);
  ::SystemTimeToFileTime(&b, &fb);
  const auto ticks = [](const FILETIME& f) {
    return static_cast<std::int64_t>((static_cast<std::uint64_t>(f.dwHighDateTime) << 32) |
                                     f.dwLowDateTime);
  };
  return (ticks(fa) - ticks(fb)) / (60LL * 10'000'000LL);
}

}  // namespace

std::tm local_time(std::time_t t) {
  const std::uint64_t ticks =
      static_cast<std::uint64_t>(static_cast<std::int64_t>(t) * 10'000'000LL + kEpochTicks);
  FILETIME ft{};
  ft.dwLowDateTime = static_cast<DWORD>(ticks & 0xFFFFFFFFu);
  ft.dwHighDateTime = static_cast<DWORD>(ticks >> 32);
  SYSTEMTIME utc{};
  ::FileTimeToSystemTime(&ft, &utc);

  // The current zone (dynamic: its DST rules may differ by year), with the rules for the year of
  // `t`, so past and future dates get the DST of their own year. (Not
  // SystemTimeToTzSpecificLocalTimeEx: Wine 8 only has a stub that aborts the process.)
  DYNAMIC_TIME_ZONE_INFORMATION dtz{};
  TIME_ZONE_INFORMATION tz{};
  SYSTEMTIME local = utc;
  bool converted = false;
  if (::GetDynamicTimeZoneInformation(&dtz) != TIME_ZONE_ID_INVALID &&
      ::GetTimeZoneInformationForYear(utc.wYear, &dtz, &tz))
    converted = ::SystemTimeToTzSpecificLocalTime(&tz, &utc, &local) != 0;
  if (!converted && ::GetTimeZoneInformation(&tz) != TIME_ZONE_ID_INVALID)
    converted = ::SystemTimeToTzSpecificLocalTime(&tz, &utc, &local) != 0;
  if (!converted) local = utc;

  std::tm tm{};
  tm.tm_year = local.wYear - 1900;
  tm.tm_mon = local.wMonth - 1;
  tm.tm_mday = local.wDay;
  tm.tm_hour = local.wHour;
  tm.tm_min = local.wMinute;
  tm.tm_sec = local.wSecond;
  tm.tm_wday = local.wDayOfWeek;  // 0 = Sunday, as in struct tm
  tm.tm_yday = day_of_year(local.wYear, local.wMonth, local.wDay);
  // Summer time when the zone has it and the offset in force is the daylight one. (UTC =
  // local + bias, in minutes.)
  const std::int64_t offset = minutes_between(local, utc);
  const bool has_dst =
      converted && tz.DaylightDate.wMonth != 0 && tz.DaylightBias != tz.StandardBias;
  tm.tm_isdst = has_dst && offset == -static_cast<std::int64_t>(tz.Bias + tz.DaylightBias) ? 1 : 0;
  return tm;
}

bool use_zone_for_tests(const char* zone) {
  // UTC hour of 12:00 local time on 2026-01-15 and 2026-07-15 in the zones tests use.
  struct Known {
    const char* name;
    int winter_offset_h;
    int summer_offset_h;
  };
  static constexpr Known kKnown[] = {{"Europe/Copenhagen", 1, 2}, {"UTC", 0, 0}};
  for (const auto& k : kKnown) {
    if (std::string_view(zone) != k.name) continue;
    const std::tm winter = local_time(1768478400);  // 2026-01-15T12:00:00Z
    const std::tm summer = local_time(1784116800);  // 2026-07-15T12:00:00Z
    return winter.tm_hour == 12 + k.winter_offset_h && summer.tm_hour == 12 + k.summer_offset_h;
  }
  return false;
}

}  // namespace platform
