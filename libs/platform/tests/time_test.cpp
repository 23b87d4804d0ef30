// platform/time.hpp: local time of known dates (POSIX with $TZ set; Windows against the system's
// own conversion), and fields that agree with the date.
#include "platform/time.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#ifdef _WIN32
#include <windows.h>
#endif

namespace {

// 2026-07-01 12:00:00 UTC, 2026-01-15 12:00:00 UTC, and the spring-forward instant in Europe
// (2026-03-29 01:00:00 UTC) with the second before it; New Year's Eve 23:30 UTC.
constexpr std::time_t kJuly = 1782907200;
constexpr std::time_t kJanuary = 1768478400;
constexpr std::time_t kBeforeSpring = 1774745999;
constexpr std::time_t kSpring = 1774746000;
constexpr std::time_t kNewYearsEve = 1798759800;

// Weekday (0 = Sunday) and day of the year of a date, from <chrono>'s calendar.
void expect_calendar_fields(const std::tm& tm) {
  using namespace std::chrono;
  const year_month_day ymd{year{tm.tm_year + 1900}, month{static_cast<unsigned>(tm.tm_mon + 1)},
                           day{static_cast<unsigned>(tm.tm_mday)}};
  ASSERT_TRUE(ymd.ok());
  EXPECT_EQ(tm.tm_wday, static_cast<int>(weekday{sys_days{ymd}}.c_encoding()));
  const auto jan1 = sys_days{year{tm.tm_year + 1900} / January / 1};
  EXPECT_EQ(tm.tm_yday, (sys_days{ymd} - jan1).count());
}

// Local minus UTC, in seconds, as the broken-down time says.
long long offset_of(const std::tm& tm, std::time_t t) {
  using namespace std::chrono;
  const year_month_day ymd{year{tm.tm_year + 1900}, month{static_cast<unsigned>(tm.tm_mon + 1)},
                           day{static_cast<unsigned>(tm.tm_mday)}};
  const auto local = sys_days{ymd} + hours{tm.tm_hour} + minutes{tm.tm_min} + seconds{tm.tm_sec};
  return local.time_since_epoch().count() - static_cast<long long>(t);
}

TEST(LocalTime, FieldsAgreeWithTheDateAndTheOffsetIsAWholeQuarterHour) {
  for (std::time_t t :
       {kJuly, kJanuary, kBeforeSpring, kSpring, kNewYearsEve, std::time(nullptr)}) {
    const std::tm tm = platform::local_time(t);
    SCOPED_TRACE(std::to_string(t));
    expect_calendar_fields(tm);
    const long long offset = offset_of(tm, t);
    EXPECT_EQ(offset % 900, 0);
    EXPECT_LE(offset < 0 ? -offset : offset, 14 * 3600);
    EXPECT_TRUE(tm.tm_isdst == 0 || tm.tm_isdst == 1);
  }
}

#ifndef _WIN32
// POSIX: $TZ decides, as for every other program.
struct TzScope {
  std::string old;
  bool had = false;
  explicit TzScope(const char* zone) {
    if (const char* v = std::getenv("TZ")) {
      old = v;
      had = true;
    }
    ::setenv("TZ", zone, 1);
    ::tzset();
  }
  ~TzScope() {
    if (had)
      ::setenv("TZ", old.c_str(), 1);
    else
      ::unsetenv("TZ");
    ::tzset();
  }
};

TEST(LocalTime, CopenhagenSummerAndWinter) {
  TzScope tz("Europe/Copenhagen");
  std::tm tm = platform::local_time(kJuly);
  EXPECT_EQ(tm.tm_year, 126);
  EXPECT_EQ(tm.tm_mon, 6);
  EXPECT_EQ(tm.tm_mday, 1);
  EXPECT_EQ(tm.tm_hour, 14);  // CEST, UTC+2
  EXPECT_EQ(tm.tm_isdst, 1);
  EXPECT_EQ(tm.tm_wday, 3);  // a Wednesday
  EXPECT_EQ(tm.tm_yday, 181);
  tm = platform::local_time(kJanuary);
  EXPECT_EQ(tm.tm_hour, 13);  // CET, UTC+1
  EXPECT_EQ(tm.tm_isdst, 0);
  tm = platform::local_time(kBeforeSpring);
  EXPECT_EQ(tm.tm_hour, 1);
  EXPECT_EQ(tm.tm_min, 59);
  EXPECT_EQ(tm.tm_isdst, 0);
  tm = platform::local_time(kSpring);
  EXPECT_EQ(tm.tm_hour, 3);  // 02:00 does not exist that night
  EXPECT_EQ(tm.tm_isdst, 1);
  tm = platform::local_time(kNewYearsEve);
  EXPECT_EQ(tm.tm_year, 127);  // already 2027 in Copenhagen
  EXPECT_EQ(tm.tm_yday, 0);
  EXPECT_EQ(tm.tm_hour, 0);
  EXPECT_EQ(tm.tm_min, 30);
}
#else
// Windows: the system's own zone and DST rules, whatever $TZ says. Compared with the system's
// conversion for the active zone (SystemTimeToTzSpecificLocalTime with no zone given; the Ex
// variant is a stub that aborts under Wine 8).
TEST(LocalTime, MatchesTheSystemsOwnConversion) {
  TIME_ZONE_INFORMATION tz{};
  ASSERT_NE(::GetTimeZoneInformation(&tz), TIME_ZONE_ID_INVALID);
  for (std::time_t t :
       {kJuly, kJanuary, kBeforeSpring, kSpring, kNewYearsEve, std::time(nullptr)}) {
    SCOPED_TRACE(std::to_string(t));
    const unsigned long long ticks =
        static_cast<unsigned long long>(t) * 10'000'000ULL + 116'444'736'000'000'000ULL;
    FILETIME ft{static_cast<DWORD>(ticks & 0xFFFFFFFFu), static_cast<DWORD>(ticks >> 32)};
    SYSTEMTIME utc{}, local{};
    ASSERT_TRUE(::FileTimeToSystemTime(&ft, &utc));
    ASSERT_TRUE(::SystemTimeToTzSpecificLocalTime(nullptr, &utc, &local));
    const std::tm tm = platform::local_time(t);
    EXPECT_EQ(tm.tm_year + 1900, local.wYear);
    EXPECT_EQ(tm.tm_mon + 1, local.wMonth);
    EXPECT_EQ(tm.tm_mday, local.wDay);
    EXPECT_EQ(tm.tm_hour, local.wHour);
    EXPECT_EQ(tm.tm_min, local.wMinute);
    EXPECT_EQ(tm.tm_sec, local.wSecond);
    EXPECT_EQ(tm.tm_wday, local.wDayOfWeek);
    // Summer time exactly when the offset in force is the zone's daylight one.
    const long long offset = offset_of(tm, t) / 60;
    const bool daylight = tz.DaylightDate.wMonth != 0 && tz.DaylightBias != tz.StandardBias &&
                          offset == -(tz.Bias + tz.DaylightBias);
    EXPECT_EQ(tm.tm_isdst, daylight ? 1 : 0);
  }
}

// When Windows (or Wine, from the host's zone) is set to Central European time, the known dates
// come out as in Copenhagen.
TEST(LocalTime, CentralEuropeanSummerAndWinterWhenTheSystemIsSetSo) {
  TIME_ZONE_INFORMATION tz{};
  ASSERT_NE(::GetTimeZoneInformation(&tz), TIME_ZONE_ID_INVALID);
  if (tz.Bias != -60 || tz.DaylightDate.wMonth != 3 || tz.StandardDate.wMonth != 10)
    GTEST_SKIP() << "the system's zone is not Central European time (bias " << tz.Bias << ")";
  std::tm tm = platform::local_time(kJuly);
  EXPECT_EQ(tm.tm_hour, 14);
  EXPECT_EQ(tm.tm_isdst, 1);
  tm = platform::local_time(kJanuary);
  EXPECT_EQ(tm.tm_hour, 13);
  EXPECT_EQ(tm.tm_isdst, 0);
  tm = platform::local_time(kSpring);
  EXPECT_EQ(tm.tm_hour, 3);
  EXPECT_EQ(tm.tm_isdst, 1);
  tm = platform::local_time(kNewYearsEve);
  EXPECT_EQ(tm.tm_year, 127);
  EXPECT_EQ(tm.tm_yday, 0);
}
#endif

}  // namespace
