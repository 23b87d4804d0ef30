// JSON and text views of samples for the HTTP API and the SSE stream (local ISO times).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "logger/sample.hpp"

namespace web {

// How a tag is charted: number (line), boolean (0/1 steps), text (not charted, shown in /api).
enum class ColumnKind { number, boolean, text };
ColumnKind kind_of(const logger::TagInfo& tag);
const char* to_string(ColumnKind k);

// Local time "YYYY-MM-DDTHH:MM:SS.mmm" (follows TZ), the form the CSV writes.
std::string format_local_iso(std::chrono::system_clock::time_point tp);
std::int64_t unix_ms(std::chrono::system_clock::time_point tp);

// "ok", "comm_error", "item_error".
const char* quality_name(logger::Quality q);

// A value as JSON: bool, number, string, or an array of those for array tags; a float keeps its
// shortest decimal (1.23, not 1.2300000190734863); NaN/infinity become null.
nlohmann::json value_json(const s7::Value& v);
// Chart view of a value: a number for numeric/bool scalars, nullopt for text, arrays, NaN.
std::optional<double> chart_number(const s7::Value& v);

// {"ts": "...", "plc": "press1", "group": "fast", "values": {"tag": value|null, ...},
//  "quality": {"tag": "ok", ...}, "row_quality": "ok", "missed": false} (plc and group as the
// sample names them: empty for a plain one-PLC config)
nlohmann::json sample_json(const std::vector<logger::TagInfo>& tags, const logger::Sample& s);
// Compact form for the SSE stream: {"seq": n, "t": unix_ms, "v": [number|null...], "q": "ok"}.
nlohmann::json sample_compact_json(std::uint64_t seq, const logger::Sample& s);
// [{"name": "counter", "kind": "number"}, ...] in tag order.
nlohmann::json columns_json(const std::vector<logger::TagInfo>& tags);

}  // namespace web
