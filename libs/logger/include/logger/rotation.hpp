// Output file names: strftime patterns in local time, hourly/daily rotation names.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace logger {

enum class Rotation { none, hourly, daily };
std::optional<Rotation> parse_rotation(std::string_view text);  // none, hourly, daily
std::string_view to_string(Rotation r);

// The file name pattern for `out` and `rotation`. A pattern with % fields is used as it is;
// otherwise hourly inserts _%Y%m%d_%H and daily _%Y%m%d before the extension:
// ("log.csv", hourly) -> "log_%Y%m%d_%H.csv".
std::string file_pattern(std::string_view out, Rotation rotation);

// Expands strftime fields of `pattern` with the local time of `ts` (TZ is honoured).
std::string expand_pattern(std::string_view pattern, std::chrono::system_clock::time_point ts);

// Local broken-down time (thread-safe wrapper of localtime_r / localtime_s).
std::tm local_tm(std::chrono::system_clock::time_point ts);

}  // namespace logger
