// One sample of every tag: timestamp, per-tag value and quality. Shared by sinks and the web layer.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "s7/address.hpp"
#include "s7/value.hpp"

namespace logger {

// Quality of one value or one row. ok: read fine; comm_error: no connection / timeout (also
// rows written for missed samples during an outage); item_error: the PLC refused this tag.
enum class Quality : std::uint8_t { ok, comm_error, item_error };
std::string_view to_string(Quality q);

// A named tag: a CSV column.
struct TagInfo {
  std::string name;
  s7::Address address;
};

struct TagValue {
  std::optional<s7::Value> value;  // empty when quality != ok
  Quality quality = Quality::ok;
};

struct Sample {
  std::chrono::system_clock::time_point ts;  // wall clock, for the timestamp column
  std::vector<TagValue> values;              // same order as the tags
  Quality quality = Quality::ok;             // worst of the values (comm_error for a missed slot)
  bool missed = false;                       // a slot with no read (outage): values all empty
};

}  // namespace logger
