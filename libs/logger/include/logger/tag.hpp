// Tags (CSV columns): the course's five, `name=ADDRESS` specs from the command line, validation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "logger/sample.hpp"
#include "s7/error.hpp"

namespace logger {

// counter=DB1.DBD0:DINT, temperature=DB1.DBW4:INT, pressure=DB1.DBD6:REAL, alarm=DB1.DBX10.0:BOOL,
// mode_ro=DB1.DBB11:BYTE: the course's DB1 bytes 0..11.
std::vector<TagInfo> course_tags();

// Parses "name=ADDRESS" (e.g. setpoint_int=DB1.DBW20:INT). Errors name what is wrong.
s7::Result<TagInfo> parse_tag_spec(std::string_view spec);

// The longest tag name (a CSV column and a JSON key).
inline constexpr std::size_t kMaxTagName = 128;

// One name: non-empty, at most kMaxTagName bytes, not "ts" or "quality", no control characters.
// The message quotes the name with control characters escaped (\x1b), never raw.
s7::Result<void> check_tag_name(std::string_view name);

// Every name passes check_tag_name, and no name is used twice.
s7::Result<void> validate_tags(const std::vector<TagInfo>& tags);

// Parses "name=number" (for --deadband).
s7::Result<std::pair<std::string, double>> parse_name_number(std::string_view spec);

}  // namespace logger
