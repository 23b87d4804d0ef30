// Sparkplug B payload codec on protobuf-c (the C code protoc-c makes from ../sparkplug_b.proto).
#include "sinks/mqtt/sparkplug.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>

#include "sparkplug_b.pb-c.h"

namespace sinks::sparkplug {

namespace {

using PbPayload = S7log__SparkplugB__Payload;
using PbMetric = S7log__SparkplugB__Payload__Metric;
using s7::Scalar;

constexpr std::size_t kMaxArrayElements = std::size_t{1} << 20;

s7::Error bad(std::string msg) {
  return s7::Error(s7::Errc::invalid_argument, "Sparkplug payload: " + std::move(msg));
}

// ---- types ----------------------------------------------------------------------------------

bool is_signed_int(DataType t) {
  return t == DataType::Int8 || t == DataType::Int16 || t == DataType::Int32 ||
         t == DataType::Int64;
}
bool is_unsigned_int(DataType t) {
  return t == DataType::UInt8 || t == DataType::UInt16 || t == DataType::UInt32 ||
         t == DataType::UInt64 || t == DataType::DateTime;
}

// Bits of an integer type (Int8 8 ... UInt64/DateTime 64).
unsigned int_bits(DataType t) {
  switch (t) {
    case DataType::Int8:
    case DataType::UInt8:
      return 8;
    case DataType::Int16:
    case DataType::UInt16:
      return 16;
    case DataType::Int32:
    case DataType::UInt32:
      return 32;
    default:
      return 64;
  }
}

// Bytes per element in an array's bytes_value (0 for Boolean and String, which are not fixed).
std::size_t element_width(DataType element) {
  if (element == DataType::Float) return 4;
  if (element == DataType::Double) return 8;
  if (is_signed_int(element) || is_unsigned_int(element)) return int_bits(element) / 8;
  return 0;
}

// ---- scalar conversions (encode side) -------------------------------------------------------

std::string_view up_to_nul(std::string_view s) {
  return s.substr(0, s.find('\0'));
}

// A number from text: integers exactly, anything else through double. Empty when no number.
std::optional<Scalar> number_from_text(std::string_view text) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  std::int64_t i = 0;
  if (auto r = std::from_chars(first, last, i); r.ec == std::errc() && r.ptr == last) return i;
  std::uint64_t u = 0;
  if (auto r = std::from_chars(first, last, u); r.ec == std::errc() && r.ptr == last) return u;
  double d = 0;
  if (auto r = std::from_chars(first, last, d); r.ec == std::errc() && r.ptr == last) return d;
  if (text == "true") return true;
  if (text == "false") return false;
  return std::nullopt;
}

// `s` as an integer in [lo, hi], saturating. Empty for NaN and for text that is no number.
std::optional<std::int64_t> to_signed(const Scalar& s, std::int64_t lo, std::int64_t hi) {
  if (const auto* t = std::get_if<std::string>(&s)) {
    auto n = number_from_text(*t);
    if (!n) return std::nullopt;
    return to_signed(*n, lo, hi);
  }
  if (const auto* b = std::get_if<bool>(&s)) return *b ? std::min<std::int64_t>(1, hi) : 0;
  if (const auto* i = std::get_if<std::int64_t>(&s)) return std::clamp(*i, lo, hi);
  if (const auto* u = std::get_if<std::uint64_t>(&s))
    return *u > static_cast<std::uint64_t>(hi) ? hi : static_cast<std::int64_t>(*u);
  const double d =
      std::holds_alternative<float>(s) ? double{std::get<float>(s)} : std::get<double>(s);
  if (std::isnan(d)) return std::nullopt;
  if (d <= static_cast<double>(lo)) return lo;
  if (d >= static_cast<double>(hi)) return hi;
  return static_cast<std::int64_t>(d);
}

std::optional<std::uint64_t> to_unsigned(const Scalar& s, std::uint64_t hi) {
  if (const auto* t = std::get_if<std::string>(&s)) {
    auto n = number_from_text(*t);
    if (!n) return std::nullopt;
    return to_unsigned(*n, hi);
  }
  if (const auto* b = std::get_if<bool>(&s)) return *b ? 1u : 0u;
  if (const auto* i = std::get_if<std::int64_t>(&s))
    return *i < 0 ? 0 : std::min(static_cast<std::uint64_t>(*i), hi);
  if (const auto* u = std::get_if<std::uint64_t>(&s)) return std::min(*u, hi);
  const double d =
      std::holds_alternative<float>(s) ? double{std::get<float>(s)} : std::get<double>(s);
  if (std::isnan(d)) return std::nullopt;
  if (d <= 0) return 0;
  if (d >= static_cast<double>(hi)) return hi;
  return static_cast<std::uint64_t>(d);
}

std::optional<double> to_real(const Scalar& s) {
  if (const auto* t = std::get_if<std::string>(&s)) {
    auto n = number_from_text(*t);
    if (!n) return std::nullopt;
    return to_real(*n);
  }
  return s7::to_double(s);  // bool 0/1, integers and floats as double
}

float to_float(double d) {
  constexpr double kMax = std::numeric_limits<float>::max();
  if (d > kMax) return std::numeric_limits<float>::infinity();
  if (d < -kMax) return -std::numeric_limits<float>::infinity();
  return static_cast<float>(d);
}

std::optional<bool> to_bool(const Scalar& s) {
  if (const auto* b = std::get_if<bool>(&s)) return *b;
  if (const auto* t = std::get_if<std::string>(&s)) {
    auto n = number_from_text(*t);
    if (!n) return std::nullopt;
    return to_bool(*n);
  }
  const double d = s7::to_double(s);
  if (std::isnan(d)) return std::nullopt;
  return d != 0;
}

std::string to_text(const Scalar& s) {
  if (const auto* t = std::get_if<std::string>(&s)) return std::string(up_to_nul(*t));
  return s7::format_scalar(s);
}

// Range of a signed type and the maximum of an unsigned one.
std::int64_t signed_min(DataType t) {
  return int_bits(t) == 64 ? std::numeric_limits<std::int64_t>::min()
                           : -(std::int64_t{1} << (int_bits(t) - 1));
}
std::int64_t signed_max(DataType t) {
  return int_bits(t) == 64 ? std::numeric_limits<std::int64_t>::max()
                           : (std::int64_t{1} << (int_bits(t) - 1)) - 1;
}
std::uint64_t unsigned_max(DataType t) {
  return int_bits(t) == 64 ? std::numeric_limits<std::uint64_t>::max()
                           : (std::uint64_t{1} << int_bits(t)) - 1;
}

// Signed values in the unsigned protobuf fields. The spec ("Datatype Details") carries Int8,
// Int16 and Int32 in the uint32 int_value and Int64 in the uint64 long_value; the value is the
// two's complement bit pattern reinterpreted as unsigned (the reading of the spec project's
// signed-integer change, eclipse-sparkplug/sparkplug#542 for issue #62, and what Eclipse Tahu's
// encoders do): Int8 -23 -> int_value 0xFFFFFFE9 (sign-extended to 32 bits), Int64 -1 ->
// long_value 0xFFFFFFFFFFFFFFFF. Decoding takes the low bits back (see signed_from_raw).
std::uint32_t int_value_of(std::int64_t v) {
  return static_cast<std::uint32_t>(static_cast<std::int32_t>(v));
}

// ---- scalar conversions (decode side) -------------------------------------------------------

// A signed value of `bits` from an unsigned field of `field_bits`: either the plain two's
// complement of `bits` bits (0xE9 for Int8 -23) or its sign extension to the field (0xFFFFFFE9).
std::optional<std::int64_t> signed_from_raw(std::uint64_t raw, unsigned bits, unsigned field_bits) {
  if (bits >= field_bits) {
    // Int32 in int_value or Int64 in long_value: every pattern is a value.
    return field_bits == 32
               ? std::int64_t{static_cast<std::int32_t>(static_cast<std::uint32_t>(raw))}
               : static_cast<std::int64_t>(raw);
  }
  const std::uint64_t span = std::uint64_t{1} << bits;
  if (raw < span) {  // plain two's complement of `bits` bits
    return raw >= span / 2 ? static_cast<std::int64_t>(raw) - static_cast<std::int64_t>(span)
                           : static_cast<std::int64_t>(raw);
  }
  const std::int64_t wide =
      field_bits == 32 ? std::int64_t{static_cast<std::int32_t>(static_cast<std::uint32_t>(raw))}
                       : static_cast<std::int64_t>(raw);
  if (wide < 0 && wide >= -static_cast<std::int64_t>(span / 2)) return wide;  // sign-extended
  return std::nullopt;
}

// ---- arrays ---------------------------------------------------------------------------------

void put_le(std::vector<std::uint8_t>& out, std::uint64_t v, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t get_le(const std::uint8_t* p, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v |= std::uint64_t{p[i]} << (8 * i);
  return v;
}

// ---- protobuf-c messages --------------------------------------------------------------------

// One metric being encoded and the storage its pointers refer to.
struct OutMetric {
  PbMetric pb;
  std::string text;
  std::vector<std::uint8_t> bytes;
};

// Sets the value field of `m` for a scalar type; false when `s` cannot be sent as `t`.
bool set_scalar(OutMetric& m, DataType t, const Scalar& s) {
  PbMetric& pb = m.pb;
  if (is_signed_int(t)) {
    auto v = to_signed(s, signed_min(t), signed_max(t));
    if (!v) return false;
    if (t == DataType::Int64) {
      pb.value_case = S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_LONG_VALUE;
      pb.long_value = static_cast<std::uint64_t>(*v);
    } else {
      pb.value_case = S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_INT_VALUE;
      pb.int_value = int_value_of(*v);
    }
    return true;
  }
  if (is_unsigned_int(t)) {
    auto v = to_unsigned(s, unsigned_max(t));
    if (!v) return false;
    if (int_bits(t) == 64) {
      pb.value_case = S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_LONG_VALUE;
      pb.long_value = *v;
    } else {
      pb.value_case = S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_INT_VALUE;
      pb.int_value = static_cast<std::uint32_t>(*v);
    }
    return true;
  }
  switch (t) {
    case DataType::Float:
    case DataType::Double: {
      auto v = to_real(s);
      if (!v) return false;
      if (t == DataType::Float) {
        pb.value_case = S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_FLOAT_VALUE;
        pb.float_value = std::holds_alternative<float>(s) ? std::get<float>(s) : to_float(*v);
      } else {
        pb.value_case = S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_DOUBLE_VALUE;
        pb.double_value = *v;
      }
      return true;
    }
    case DataType::Boolean: {
      auto v = to_bool(s);
      if (!v) return false;
      pb.value_case = S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_BOOLEAN_VALUE;
      pb.boolean_value = *v ? 1 : 0;
      return true;
    }
    case DataType::String:
    case DataType::Text:
      m.text = to_text(s);
      pb.value_case = S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_STRING_VALUE;
      pb.string_value = m.text.data();
      return true;
    default:
      return false;  // a type s7log does not send
  }
}

void set_value(OutMetric& m, const Metric& in) {
  bool set = false;
  if (in.value && is_array_type(in.type)) {
    m.bytes = pack_array(in.type, *in.value);
    m.pb.value_case = S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_BYTES_VALUE;
    m.pb.bytes_value.len = m.bytes.size();
    m.pb.bytes_value.data = m.bytes.data();
    set = true;
  } else if (in.value && !in.value->elems.empty()) {
    set = set_scalar(m, in.type, in.value->elems.front());
  }
  if (!set) {
    m.pb.value_case = S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE__NOT_SET;
    m.pb.has_is_null = 1;
    m.pb.is_null = 1;
  }
}

std::vector<std::uint8_t> pack(const PbPayload& p) {
  std::vector<std::uint8_t> out(s7log__sparkplug_b__payload__get_packed_size(&p));
  const std::size_t n = s7log__sparkplug_b__payload__pack(&p, out.data());
  out.resize(n);
  return out;
}

struct Unpacked {
  void operator()(PbPayload* p) const { s7log__sparkplug_b__payload__free_unpacked(p, nullptr); }
};

std::string metric_label(const PbMetric& m, std::size_t index) {
  if (m.name && *m.name) return "metric '" + std::string(m.name) + "'";
  if (m.has_alias) return "metric alias " + std::to_string(m.alias);
  return "metric #" + std::to_string(index + 1);
}

const char* field_name(S7log__SparkplugB__Payload__Metric__ValueCase c) {
  switch (c) {
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_INT_VALUE:
      return "int_value";
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_LONG_VALUE:
      return "long_value";
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_FLOAT_VALUE:
      return "float_value";
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_DOUBLE_VALUE:
      return "double_value";
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_BOOLEAN_VALUE:
      return "boolean_value";
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_STRING_VALUE:
      return "string_value";
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_BYTES_VALUE:
      return "bytes_value";
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_DATASET_VALUE:
      return "dataset_value";
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_TEMPLATE_VALUE:
      return "template_value";
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_EXTENSION_VALUE:
      return "extension_value";
    default:
      return "no value field";
  }
}

// The type a metric without datatype has, from its value field.
DataType implied_type(const PbMetric& m) {
  switch (m.value_case) {
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_INT_VALUE:
      return DataType::UInt32;
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_LONG_VALUE:
      return DataType::UInt64;
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_FLOAT_VALUE:
      return DataType::Float;
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_DOUBLE_VALUE:
      return DataType::Double;
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_BOOLEAN_VALUE:
      return DataType::Boolean;
    case S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_STRING_VALUE:
      return DataType::String;
    default:
      return DataType{0};  // Unknown
  }
}

// The value of a decoded metric with a known scalar or array type; empty for the types s7log
// does not take apart (DataSet, Template, Bytes, ...).
s7::Result<std::optional<s7::Value>> decode_value(const PbMetric& m, DataType t,
                                                  const std::string& label) {
  const auto wrong_field = [&]() {
    return bad(label + ": datatype " + std::string(to_string(t)) + " but the value is in " +
               field_name(m.value_case));
  };
  const auto out_of_range = [&](const std::string& raw) {
    return bad(label + ": " + raw + " is out of range for " + std::string(to_string(t)));
  };
  const bool in_int = m.value_case == S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_INT_VALUE;
  const bool in_long = m.value_case == S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_LONG_VALUE;
  if (is_signed_int(t) || is_unsigned_int(t)) {
    // Integers up to 32 bits belong in int_value; long_value is accepted for them too (some
    // encoders put UInt32 there). 64-bit ones must be in long_value.
    const unsigned bits = int_bits(t);
    if (!(in_long || (in_int && bits <= 32))) return wrong_field();
    const std::uint64_t raw = in_int ? std::uint64_t{m.int_value} : m.long_value;
    const unsigned field_bits = in_int ? 32 : 64;
    if (is_signed_int(t)) {
      auto v = signed_from_raw(raw, bits, field_bits);
      if (!v) return out_of_range(std::to_string(raw));
      return std::optional<s7::Value>(s7::Value(*v));
    }
    if (raw > unsigned_max(t)) return out_of_range(std::to_string(raw));
    return std::optional<s7::Value>(s7::Value(raw));
  }
  if (is_array_type(t)) {
    if (m.value_case != S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_BYTES_VALUE)
      return wrong_field();
    auto v = unpack_array(t, std::span<const std::uint8_t>(m.bytes_value.data, m.bytes_value.len));
    if (!v) return bad(label + ": " + v.error().what());
    return std::optional<s7::Value>(std::move(*v));
  }
  switch (static_cast<std::uint32_t>(t)) {
    case static_cast<std::uint32_t>(DataType::Float):
      if (m.value_case != S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_FLOAT_VALUE)
        return wrong_field();
      return std::optional<s7::Value>(s7::Value(m.float_value));
    case static_cast<std::uint32_t>(DataType::Double):
      if (m.value_case != S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_DOUBLE_VALUE)
        return wrong_field();
      return std::optional<s7::Value>(s7::Value(m.double_value));
    case static_cast<std::uint32_t>(DataType::Boolean):
      if (m.value_case != S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_BOOLEAN_VALUE)
        return wrong_field();
      return std::optional<s7::Value>(s7::Value(m.boolean_value != 0));
    case static_cast<std::uint32_t>(DataType::String):
    case static_cast<std::uint32_t>(DataType::Text):
    case 15:  // UUID, as text
      if (m.value_case != S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_STRING_VALUE)
        return wrong_field();
      return std::optional<s7::Value>(s7::Value(std::string(m.string_value ? m.string_value : "")));
    default:
      return std::optional<s7::Value>();
  }
}

}  // namespace

// ---- public ---------------------------------------------------------------------------------

std::string_view to_string(DataType t) {
  static constexpr std::string_view kNames[] = {
      "Unknown",       "Int8",
      "Int16",         "Int32",
      "Int64",         "UInt8",
      "UInt16",        "UInt32",
      "UInt64",        "Float",
      "Double",        "Boolean",
      "String",        "DateTime",
      "Text",          "UUID",
      "DataSet",       "Bytes",
      "File",          "Template",
      "PropertySet",   "PropertySetList",
      "Int8Array",     "Int16Array",
      "Int32Array",    "Int64Array",
      "UInt8Array",    "UInt16Array",
      "UInt32Array",   "UInt64Array",
      "FloatArray",    "DoubleArray",
      "BooleanArray",  "StringArray",
      "DateTimeArray",
  };
  const auto n = static_cast<std::uint32_t>(t);
  return n < std::size(kNames) ? kNames[n] : kNames[0];
}

DataType datatype_for(const s7::Address& a) {
  using T = s7::DataType;
  DataType scalar = DataType::String;
  switch (a.type) {
    case T::Bool:
      scalar = DataType::Boolean;
      break;
    case T::Byte:
    case T::USInt:
      scalar = DataType::UInt8;
      break;
    case T::Word:
    case T::UInt:
    case T::Counter:
      scalar = DataType::UInt16;
      break;
    case T::DWord:
    case T::UDInt:
      scalar = DataType::UInt32;
      break;
    case T::LWord:
    case T::ULInt:
      scalar = DataType::UInt64;
      break;
    case T::SInt:
      scalar = DataType::Int8;
      break;
    case T::Int:
      scalar = DataType::Int16;
      break;
    case T::DInt:
    case T::Time:    // ms
    case T::S5Time:  // ms
    case T::Timer:   // ms
      scalar = DataType::Int32;
      break;
    case T::LInt:
    case T::LTime:  // ns
      scalar = DataType::Int64;
      break;
    case T::Real:
      scalar = DataType::Float;
      break;
    case T::LReal:
      scalar = DataType::Double;
      break;
    case T::Char:
    case T::WChar:
    case T::String:
    case T::WString:
    case T::Date:  // the dates and times of day as the text s7 gives them
    case T::TimeOfDay:
    case T::DateAndTime:
    case T::Dtl:
    case T::LTimeOfDay:
    case T::LDateAndTime:
      scalar = DataType::String;
      break;
  }
  if (!a.is_array) return scalar;
  switch (scalar) {
    case DataType::Int8:
      return DataType::Int8Array;
    case DataType::Int16:
      return DataType::Int16Array;
    case DataType::Int32:
      return DataType::Int32Array;
    case DataType::Int64:
      return DataType::Int64Array;
    case DataType::UInt8:
      return DataType::UInt8Array;
    case DataType::UInt16:
      return DataType::UInt16Array;
    case DataType::UInt32:
      return DataType::UInt32Array;
    case DataType::UInt64:
      return DataType::UInt64Array;
    case DataType::Float:
      return DataType::FloatArray;
    case DataType::Double:
      return DataType::DoubleArray;
    case DataType::Boolean:
      return DataType::BooleanArray;
    default:
      return DataType::StringArray;
  }
}

bool is_array_type(DataType t) {
  const auto n = static_cast<std::uint32_t>(t);
  return n >= static_cast<std::uint32_t>(DataType::Int8Array) &&
         n <= static_cast<std::uint32_t>(DataType::DateTimeArray);
}

DataType element_type(DataType t) {
  switch (t) {
    case DataType::Int8Array:
      return DataType::Int8;
    case DataType::Int16Array:
      return DataType::Int16;
    case DataType::Int32Array:
      return DataType::Int32;
    case DataType::Int64Array:
      return DataType::Int64;
    case DataType::UInt8Array:
      return DataType::UInt8;
    case DataType::UInt16Array:
      return DataType::UInt16;
    case DataType::UInt32Array:
      return DataType::UInt32;
    case DataType::UInt64Array:
      return DataType::UInt64;
    case DataType::FloatArray:
      return DataType::Float;
    case DataType::DoubleArray:
      return DataType::Double;
    case DataType::BooleanArray:
      return DataType::Boolean;
    case DataType::StringArray:
      return DataType::String;
    case DataType::DateTimeArray:
      return DataType::DateTime;
    default:
      return t;
  }
}

std::vector<std::uint8_t> pack_array(DataType t, const s7::Value& v) {
  const DataType e = element_type(t);
  std::vector<std::uint8_t> out;
  if (e == DataType::Boolean) {
    const std::size_t n = v.elems.size();
    put_le(out, static_cast<std::uint32_t>(n), 4);
    out.resize(4 + (n + 7) / 8, 0);
    for (std::size_t i = 0; i < n; ++i)
      if (to_bool(v.elems[i]).value_or(false))
        out[4 + i / 8] |= static_cast<std::uint8_t>(0x80u >> (i % 8));
    return out;
  }
  if (e == DataType::String) {
    for (const auto& s : v.elems) {
      const std::string text = to_text(s);
      out.insert(out.end(), text.begin(), text.end());
      out.push_back(0);
    }
    return out;
  }
  const std::size_t width = element_width(e);
  out.reserve(width * v.elems.size());
  for (const auto& s : v.elems) {
    std::uint64_t bits = 0;
    if (is_signed_int(e)) {
      bits = static_cast<std::uint64_t>(to_signed(s, signed_min(e), signed_max(e)).value_or(0));
    } else if (is_unsigned_int(e)) {
      bits = to_unsigned(s, unsigned_max(e)).value_or(0);
    } else if (e == DataType::Float) {
      const float f =
          std::holds_alternative<float>(s) ? std::get<float>(s) : to_float(to_real(s).value_or(0));
      std::uint32_t u = 0;
      std::memcpy(&u, &f, 4);
      bits = u;
    } else if (e == DataType::Double) {
      const double d = to_real(s).value_or(0);
      std::memcpy(&bits, &d, 8);
    }
    put_le(out, bits, width);  // two's complement for the signed types
  }
  return out;
}

s7::Result<s7::Value> unpack_array(DataType t, std::span<const std::uint8_t> bytes) {
  if (!is_array_type(t))
    return s7::Error(s7::Errc::invalid_argument, std::string(to_string(t)) + " is no array type");
  const DataType e = element_type(t);
  const std::string name(to_string(t));
  s7::Value v;
  v.array = true;
  if (e == DataType::Boolean) {
    if (bytes.size() < 4)
      return s7::Error(s7::Errc::invalid_argument, name + " needs a 4-byte count, got " +
                                                       std::to_string(bytes.size()) + " bytes");
    const std::uint64_t n = get_le(bytes.data(), 4);
    if ((n + 7) / 8 != bytes.size() - 4)
      return s7::Error(s7::Errc::invalid_argument,
                       name + " of " + std::to_string(n) + " values needs " +
                           std::to_string((n + 7) / 8) + " bytes of bits, got " +
                           std::to_string(bytes.size() - 4));
    if (n > kMaxArrayElements)
      return s7::Error(s7::Errc::invalid_argument,
                       name + " of " + std::to_string(n) + " values is too long");
    v.elems.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      v.elems.emplace_back((bytes[4 + i / 8] & (0x80u >> (i % 8))) != 0);
    return v;
  }
  if (e == DataType::String) {
    if (!bytes.empty() && bytes.back() != 0)
      return s7::Error(s7::Errc::invalid_argument, name + " does not end in a zero byte");
    const std::string_view all(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    std::size_t start = 0;
    while (start < all.size()) {
      if (v.elems.size() == kMaxArrayElements)
        return s7::Error(s7::Errc::invalid_argument, name + " is too long");
      const std::size_t end = all.find('\0', start);
      v.elems.emplace_back(std::string(all.substr(start, end - start)));
      start = end + 1;
    }
    return v;
  }
  const std::size_t width = element_width(e);
  if (bytes.size() % width != 0)
    return s7::Error(s7::Errc::invalid_argument, name + ": " + std::to_string(bytes.size()) +
                                                     " bytes is not a multiple of " +
                                                     std::to_string(width));
  if (bytes.size() / width > kMaxArrayElements)
    return s7::Error(s7::Errc::invalid_argument, name + " is too long");
  v.elems.reserve(bytes.size() / width);
  for (std::size_t off = 0; off < bytes.size(); off += width) {
    const std::uint64_t raw = get_le(bytes.data() + off, width);
    if (is_signed_int(e)) {
      v.elems.emplace_back(*signed_from_raw(raw, int_bits(e), 64));
    } else if (is_unsigned_int(e)) {
      v.elems.emplace_back(raw);
    } else if (e == DataType::Float) {
      const auto u = static_cast<std::uint32_t>(raw);
      float f = 0;
      std::memcpy(&f, &u, 4);
      v.elems.emplace_back(f);
    } else {
      double d = 0;
      std::memcpy(&d, &raw, 8);
      v.elems.emplace_back(d);
    }
  }
  return v;
}

std::vector<std::uint8_t> encode_payload(std::uint64_t timestamp_ms,
                                         std::optional<std::uint64_t> seq,
                                         std::span<const Metric> metrics) {
  std::deque<OutMetric> out;  // stable addresses: the payload points into it
  std::vector<PbMetric*> pointers;
  pointers.reserve(metrics.size());
  for (const auto& in : metrics) {
    OutMetric& m = out.emplace_back();
    s7log__sparkplug_b__payload__metric__init(&m.pb);
    if (!in.name.empty()) m.pb.name = const_cast<char*>(in.name.c_str());
    if (in.alias) {
      m.pb.has_alias = 1;
      m.pb.alias = *in.alias;
    }
    if (in.timestamp_ms) {
      m.pb.has_timestamp = 1;
      m.pb.timestamp = *in.timestamp_ms;
    }
    m.pb.has_datatype = 1;
    m.pb.datatype = static_cast<std::uint32_t>(in.type);
    if (in.is_historical) {
      m.pb.has_is_historical = 1;
      m.pb.is_historical = 1;
    }
    set_value(m, in);
    pointers.push_back(&m.pb);
  }
  PbPayload p;
  s7log__sparkplug_b__payload__init(&p);
  p.has_timestamp = 1;
  p.timestamp = timestamp_ms;
  if (seq) {
    p.has_seq = 1;
    p.seq = *seq;
  }
  p.n_metrics = pointers.size();
  p.metrics = pointers.data();
  return pack(p);
}

std::vector<std::uint8_t> encode_ndeath(std::uint64_t bd_seq) {
  const std::string name(kBdSeqMetric);
  PbMetric m;
  s7log__sparkplug_b__payload__metric__init(&m);
  m.name = const_cast<char*>(name.c_str());
  m.has_datatype = 1;
  m.datatype = static_cast<std::uint32_t>(DataType::UInt64);
  m.value_case = S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE_LONG_VALUE;
  m.long_value = bd_seq;
  PbMetric* list[] = {&m};
  PbPayload p;
  s7log__sparkplug_b__payload__init(&p);
  p.n_metrics = 1;
  p.metrics = list;
  return pack(p);
}

s7::Result<Decoded> decode_payload(std::span<const std::uint8_t> bytes) {
  // protobuf-c checks every length and wire type against the input and the schema; it returns
  // null for anything that is not a well-formed Payload.
  static const std::uint8_t kEmpty = 0;
  std::unique_ptr<PbPayload, Unpacked> p(s7log__sparkplug_b__payload__unpack(
      nullptr, bytes.size(), bytes.empty() ? &kEmpty : bytes.data()));
  if (!p) return bad("not a valid protobuf Payload (" + std::to_string(bytes.size()) + " bytes)");
  Decoded d;
  if (p->has_timestamp) d.timestamp_ms = p->timestamp;
  if (p->has_seq) d.seq = p->seq;
  d.metrics.reserve(p->n_metrics);
  for (std::size_t i = 0; i < p->n_metrics; ++i) {
    const PbMetric* m = p->metrics[i];
    if (!m) return bad("metric #" + std::to_string(i + 1) + " is missing");
    const std::string label = metric_label(*m, i);
    Metric out;
    if (m->name) out.name = m->name;
    if (m->has_alias) out.alias = m->alias;
    if (m->has_timestamp) out.timestamp_ms = m->timestamp;
    out.is_historical = m->has_is_historical && m->is_historical;
    out.type = m->has_datatype ? DataType{m->datatype} : implied_type(*m);
    const bool has_value = m->value_case != S7LOG__SPARKPLUG_B__PAYLOAD__METRIC__VALUE__NOT_SET;
    if (m->has_is_null && m->is_null) {
      if (has_value)
        return bad(label + ": is_null but a value in " + std::string(field_name(m->value_case)));
    } else if (has_value) {
      auto v = decode_value(*m, out.type, label);
      if (!v) return v.error();
      out.value = std::move(*v);
    }
    d.metrics.push_back(std::move(out));
  }
  return d;
}

bool is_rebirth_request(const Decoded& ncmd) {
  for (const auto& m : ncmd.metrics) {
    if (m.name != kRebirthMetric || !m.value || m.value->elems.size() != 1) continue;
    const auto* b = std::get_if<bool>(&m.value->elems.front());
    if (b && *b) return true;
  }
  return false;
}

}  // namespace sinks::sparkplug
