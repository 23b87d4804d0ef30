// Sparkplug B 3.0 payloads (protobuf, schema in sparkplug_b.proto written from the spec): encode
// births, data and deaths; decode a command (NCMD/DCMD) to find a rebirth request.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "s7/address.hpp"
#include "s7/error.hpp"
#include "s7/value.hpp"

namespace sinks::sparkplug {

// Sparkplug B DataType numbers (spec, "Data Types"); only those s7log sends are named.
enum class DataType : std::uint32_t {
  Int8 = 1,
  Int16 = 2,
  Int32 = 3,
  Int64 = 4,
  UInt8 = 5,
  UInt16 = 6,
  UInt32 = 7,
  UInt64 = 8,
  Float = 9,
  Double = 10,
  Boolean = 11,
  String = 12,
  DateTime = 13,
  Text = 14,
  Int8Array = 22,
  Int16Array = 23,
  Int32Array = 24,
  Int64Array = 25,
  UInt8Array = 26,
  UInt16Array = 27,
  UInt32Array = 28,
  UInt64Array = 29,
  FloatArray = 30,
  DoubleArray = 31,
  BooleanArray = 32,
  StringArray = 33,
  DateTimeArray = 34,
};

// Metric names the spec fixes: the NBIRTH/NDEATH birth-death sequence number and the NCMD that
// asks the edge node for a new NBIRTH + DBIRTHs.
inline constexpr std::string_view kBdSeqMetric = "bdSeq";
inline constexpr std::string_view kRebirthMetric = "Node Control/Rebirth";

// The Sparkplug type for an S7 address (BOOL -> Boolean, INT -> Int16, REAL -> Float, arrays ->
// the *Array types, strings/dates/times as String, TIME -> Int32 ms, LTIME -> Int64 ns, ...).
DataType datatype_for(const s7::Address& a);

// The spec's name of a type ("Int16", "BooleanArray", also "DataSet", "Template", ...);
// "Unknown" for 0 and numbers the spec does not define.
std::string_view to_string(DataType t);
// True for the *Array types (22..34), whose values travel in bytes_value.
bool is_array_type(DataType t);
// The element type of an array type (Int16Array -> Int16), or `t` itself for a scalar type.
DataType element_type(DataType t);

// The spec's bytes_value of an array type (spec, "Datatype Details", Array Types): elements packed
// little-endian; BooleanArray a 4-byte little-endian count then the bits, first element in the
// most significant bit of the first byte, the last byte's unused bits 0; StringArray each string
// followed by a zero byte. Elements are converted as encode_payload converts scalars.
// Precondition: is_array_type(t).
std::vector<std::uint8_t> pack_array(DataType t, const s7::Value& v);
// The inverse: a Value with array = true and the elements as decode_payload gives scalars.
// Errors: invalid_argument (not an array type, length not a multiple of the element size, a
// BooleanArray count that does not match its bytes, a StringArray not ending in a zero byte).
s7::Result<s7::Value> unpack_array(DataType t, std::span<const std::uint8_t> bytes);

struct Metric {
  std::string name;  // "group/tag" for device metrics, e.g. "fast/temperature"
  std::optional<std::uint64_t> alias;
  DataType type = DataType::Int32;
  std::optional<s7::Value> value;  // empty: is_null = true
  std::optional<std::uint64_t> timestamp_ms;
  bool is_historical = false;
};

// Payload { timestamp, metrics, seq } for NBIRTH/DBIRTH/NDATA/DDATA/DDEATH. Values are encoded
// with the metric's type (arrays as the spec's packed little-endian bytes_value). Metric fields
// written: name when not empty, alias and timestamp when set, datatype always, is_historical
// only when true, is_null when there is no value. A scalar of another kind than the type is
// converted (numbers saturate to the type's range, bool as 0/1, numbers formatted for String/Text,
// text parsed for numbers); text that is no number, or NaN for an integer type, is sent as null.
std::vector<std::uint8_t> encode_payload(std::uint64_t timestamp_ms,
                                         std::optional<std::uint64_t> seq,
                                         std::span<const Metric> metrics);
// NDEATH (the MQTT will): a payload with only the metric "bdSeq" (UInt64) and no seq.
std::vector<std::uint8_t> encode_ndeath(std::uint64_t bd_seq);

// A decoded payload (for NCMD/DCMD and for tests).
struct Decoded {
  std::optional<std::uint64_t> timestamp_ms;
  std::optional<std::uint64_t> seq;
  std::vector<Metric> metrics;  // value set for the scalar types (Boolean, ints, floats, strings,
                                // DateTime as uint64) and the array types (Value::array);
                                // empty for null metrics and kinds s7log does not use (DataSet,
                                // Template, Bytes, File, extensions)
};
// Errors: invalid_argument with what was wrong (the input comes from the network: never trusts it):
// not a protobuf Payload, a value field that does not fit the metric's datatype (e.g. Boolean in
// string_value), an integer out of the type's range, a malformed array. Signed Int8/16/32 are
// accepted both sign-extended to 32 bits and as plain 8/16-bit two's complement. A metric without
// datatype gets the type its value field implies (int_value UInt32,
// long_value UInt64, float Float, double Double, boolean Boolean, string String).
s7::Result<Decoded> decode_payload(std::span<const std::uint8_t> bytes);
// True when an NCMD payload asks for "Node Control/Rebirth" = true.
bool is_rebirth_request(const Decoded& ncmd);

}  // namespace sinks::sparkplug
