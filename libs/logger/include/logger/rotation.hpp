// Output file names: strftime patterns in local time, hourly/daily rotation names.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "s7/error.hpp"

namespace logger {

enum class Rotation { none, hourly, daily };
std::optional<Rotation> parse_rotation(std::string_view text);  // none, hourly, daily
std::string_view to_string(Rotation r);

// The file name pattern for `out` and `rotation`. A pattern with % fields is used as it is;
// otherwise hourly inserts _%Y%m%d_%H and daily _%Y%m%d before the extension:
// ("log.csv", hourly) -> "log_%Y%m%d_%H.csv".
std::string file_pattern(std::string_view out, Rotation rotation);

// Replaces the {plc} and {group} fields of an output pattern with the names (other text, and
// strftime fields, stay as they are): ("{plc}_{group}_%Y%m%d.csv", "press1", "fast") ->
// "press1_fast_%Y%m%d.csv".
std::string expand_names(std::string_view pattern, std::string_view plc, std::string_view group);

// Expands strftime fields of `pattern` with the local time of `ts` (TZ is honoured).
std::string expand_pattern(std::string_view pattern, std::chrono::system_clock::time_point ts);

// Checks an --out pattern: no control characters, and only the strftime fields that make file
// and folder names (%Y %y %C %G %g %m %d %j %H %I %M %S %p %u %w %U %W %V %b %B %h %a %A %F
// and %%). Fields that expand to separators, spaces or line breaks (%n %t %D %c %x %X %r %R %T
// %z %Z %s ...) are refused. The error says why and names the field ("%n is not allowed in a file
// name (it expands to a newline); ..."); the caller puts the option or key in front.
s7::Result<void> check_pattern(std::string_view pattern);

// Local broken-down time (platform::local_time: $TZ on POSIX, the system's zone on Windows).
std::tm local_tm(std::chrono::system_clock::time_point ts);

}  // namespace logger
