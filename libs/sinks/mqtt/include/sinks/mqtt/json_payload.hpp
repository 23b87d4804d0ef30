// The JSON form of one group sample for MQTT (topic pattern, timestamp, values, errors).
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "logger/sample.hpp"

namespace sinks::mqtt {

// The names a sample's PLC and group go by on the wire: the empty PLC (a config without [[plc]]
// tables) is "plc", the empty group (a config without [[group]] tables) is "default".
std::string plc_name(std::string_view plc);
std::string group_name(std::string_view group);

// `pattern` with every {plc} and {group} replaced by the names above; other text stays as it is.
std::string expand_topic(std::string_view pattern, std::string_view plc, std::string_view group);

// ISO 8601 local time with milliseconds and the zone's UTC offset at that instant (local time as
// in the CSV files, $TZ honoured): "2026-12-07T15:03:01.100+01:00". Milliseconds are truncated.
std::string iso8601_local(std::chrono::system_clock::time_point ts);

// Appends `s` as a JSON string literal: quotes, backslash and control characters escaped
// (\n \r \t \b \f, others \u00XX); bytes that are not valid UTF-8 become \ufffd, so the
// result is always valid JSON.
void append_json_string(std::string& out, std::string_view s);

// The message of one sample, compact, keys in this order:
//   {"ts":"<iso8601_local>","ts_ms":<unix ms>,"plc":"<plc_name>","group":"<group_name>",
//    "quality":"ok|comm_error|item_error"[,"historical":true],"values":{"<tag>":<value>,...},
//    "errors":{"<tag>":"comm_error|item_error",...}}
// - values has every tag of `tags` in order; a tag without a value (its quality is not ok, a
//   missed slot) is null and is listed in errors with its quality. errors is {} when all are ok.
// - BOOL true/false; integers as JSON integers; REAL/LREAL as the shortest text that reads back
//   to the same float/double, NaN and infinities as null; text, dates and times as strings;
//   arrays as JSON arrays of those.
// - historical (the sample comes from the spool) adds "historical":true.
// A sample with fewer values than tags (should not happen) lists the missing ones as null with
// the sample's quality.
std::string json_payload(const logger::Sample& sample, std::span<const logger::TagInfo> tags,
                         bool historical);

}  // namespace sinks::mqtt
