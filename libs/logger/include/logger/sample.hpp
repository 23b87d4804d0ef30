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

// Linear scaling of a numeric tag into engineering units: raw_lo..raw_hi maps onto
// eng_lo..eng_hi, and values outside that range follow the same line (no clamping).
struct LinearScale {
  double raw_lo = 0, raw_hi = 1, eng_lo = 0, eng_hi = 1;
  double apply(double raw) const {
    return eng_lo + (raw - raw_lo) * (eng_hi - eng_lo) / (raw_hi - raw_lo);
  }
  friend bool operator==(const LinearScale&, const LinearScale&) = default;
};

// A named tag: a CSV column.
struct TagInfo {
  std::string name;
  s7::Address address;
  std::optional<LinearScale> scale{};  // numeric scalars only; the column holds the scaled value
};

struct TagValue {
  std::optional<s7::Value> value;  // empty when quality != ok
  Quality quality = Quality::ok;
};

struct Sample {
  std::chrono::system_clock::time_point ts;  // wall clock, for the timestamp column
  std::string plc;                           // the PLC it came from (empty: the only PLC)
  std::string group;                         // its group (empty: the only group)
  std::vector<TagValue> values;              // same order as the tags
  Quality quality = Quality::ok;             // worst of the values (comm_error for a missed slot)
  bool missed = false;                       // a slot with no read (outage): values all empty
};

}  // namespace logger
