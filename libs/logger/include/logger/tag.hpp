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

// Names must be non-empty, unique, not "ts" or "quality", and free of control characters.
s7::Result<void> validate_tags(const std::vector<TagInfo>& tags);

// Parses "name=number" (for --deadband).
s7::Result<std::pair<std::string, double>> parse_name_number(std::string_view spec);

}  // namespace logger
