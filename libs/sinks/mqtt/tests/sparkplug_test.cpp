// Sparkplug B codec: byte-exact payloads worked out from the protobuf wire format, round trips
// of every type, the spec's array encodings, rebirth commands and hostile input.
#include "sinks/mqtt/sparkplug.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace spb = sinks::sparkplug;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes ascii(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

spb::Metric metric(std::string name, spb::DataType t, std::optional<s7::Value> v) {
  spb::Metric m;
  m.name = std::move(name);
  m.type = t;
  m.value = std::move(v);
  return m;
}

// Encodes one metric, decodes the payload and returns the decoded metric.
spb::Metric round_trip(const spb::Metric& m) {
  const auto bytes = spb::encode_payload(1, 0, std::span<const spb::Metric>(&m, 1));
  auto d = spb::decode_payload(bytes);
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().what());
  if (!d.ok() || d->metrics.size() != 1) return {};
  return d->metrics.front();
}

}  // namespace

// Wire format reminders: tag = field << 3 | wire type (0 varint, 1 64-bit, 2 length-delimited,
// 5 32-bit); varints hold 7 bits per byte, least significant group first, 0x80 = more follows.
//   Payload: timestamp 1 -> 0x08, metrics 2 -> 0x12, seq 3 -> 0x18
//   Metric: name 1 -> 0x0A, alias 2 -> 0x10, timestamp 3 -> 0x18, datatype 4 -> 0x20,
//           is_historical 5 -> 0x28, is_null 7 -> 0x38, int_value 10 -> 0x50,
//           long_value 11 -> 0x58, float_value 12 -> 0x65, double_value 13 -> 0x69,
//           boolean_value 14 -> 0x70, string_value 15 -> 0x7A, bytes_value 16 -> 0x82 0x01
TEST(SparkplugEncode, DdataWithFloatAndBooleanIsByteExact) {
  const spb::Metric metrics[] = {metric("temp", spb::DataType::Float, s7::Value(21.5f)),
                                 metric("alarm", spb::DataType::Boolean, s7::Value(true))};
  // 1700000000000 = 0x18B_CFE5_6800; 7-bit groups from the low end: 0x00 0x50 0x15 0x7F 0x3C
  // 0x31 -> 80 D0 95 FF BC 31. 21.5f = 0x41AC0000, little-endian on the wire: 00 00 AC 41.
  const Bytes expected = cat({
      {0x08, 0x80, 0xD0, 0x95, 0xFF, 0xBC, 0x31},  // timestamp
      {0x12, 0x0D},                                // metric, 13 bytes:
      {0x0A, 0x04},
      ascii("temp"),                   //   name
      {0x20, 0x09},                    //   datatype Float (9)
      {0x65, 0x00, 0x00, 0xAC, 0x41},  //   float_value 21.5
      {0x12, 0x0B},                    // metric, 11 bytes:
      {0x0A, 0x05},
      ascii("alarm"),  //   name
      {0x20, 0x0B},    //   datatype Boolean (11)
      {0x70, 0x01},    //   boolean_value true
      {0x18, 0x05},    // seq 5
  });
  EXPECT_EQ(spb::encode_payload(1700000000000, 5, metrics), expected);

  auto d = spb::decode_payload(expected);
  ASSERT_TRUE(d.ok()) << d.error().what();
  EXPECT_EQ(d->timestamp_ms, 1700000000000u);
  EXPECT_EQ(d->seq, 5u);
  ASSERT_EQ(d->metrics.size(), 2u);
  EXPECT_EQ(d->metrics[0].name, "temp");
  EXPECT_EQ(d->metrics[0].type, spb::DataType::Float);
  EXPECT_EQ(d->metrics[0].value, s7::Value(21.5f));
  EXPECT_EQ(d->metrics[1].name, "alarm");
  EXPECT_EQ(d->metrics[1].value, s7::Value(true));
}

TEST(SparkplugEncode, NdeathIsOnlyBdSeqWithoutSeqOrTimestamp) {
  const Bytes expected = cat({
      {0x12, 0x0B},  // metric, 11 bytes:
      {0x0A, 0x05},
      ascii("bdSeq"),  //   name
      {0x20, 0x08},    //   datatype UInt64 (8)
      {0x58, 0x03},    //   long_value 3
  });
  EXPECT_EQ(spb::encode_ndeath(3), expected);
  auto d = spb::decode_payload(expected);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->seq);
  EXPECT_FALSE(d->timestamp_ms);
  ASSERT_EQ(d->metrics.size(), 1u);
  EXPECT_EQ(d->metrics[0].name, spb::kBdSeqMetric);
  EXPECT_EQ(d->metrics[0].type, spb::DataType::UInt64);
  EXPECT_EQ(d->metrics[0].value, s7::Value(std::uint64_t{3}));
}

TEST(SparkplugEncode, AliasTimestampHistoricalAndNull) {
  spb::Metric m = metric("", spb::DataType::Int16, std::nullopt);
  m.alias = 300;
  m.timestamp_ms = 5;
  m.is_historical = true;
  // alias 300 = 0b10_0101100 -> AC 02
  const Bytes expected = {0x08, 0x07, 0x12, 0x0B, 0x10, 0xAC, 0x02, 0x18,
                          0x05, 0x20, 0x02, 0x28, 0x01, 0x38, 0x01};
  EXPECT_EQ(spb::encode_payload(7, std::nullopt, std::span<const spb::Metric>(&m, 1)), expected);
  auto d = spb::decode_payload(expected);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->metrics.size(), 1u);
  EXPECT_EQ(d->metrics[0].alias, 300u);
  EXPECT_EQ(d->metrics[0].timestamp_ms, 5u);
  EXPECT_TRUE(d->metrics[0].is_historical);
  EXPECT_FALSE(d->metrics[0].value);
}

TEST(SparkplugEncode, NegativeInt8IsTwosComplementSignExtendedInIntValue) {
  const auto m = metric("n", spb::DataType::Int8, s7::Value(std::int64_t{-23}));
  // -23 = 0xFFFFFFE9 as uint32 -> E9 FF FF FF 0F
  const Bytes expected = {0x08, 0x01, 0x12, 0x0B, 0x0A, 0x01, 'n',  0x20, 0x01,
                          0x50, 0xE9, 0xFF, 0xFF, 0xFF, 0x0F, 0x18, 0x00};
  EXPECT_EQ(spb::encode_payload(1, 0, std::span<const spb::Metric>(&m, 1)), expected);
}

TEST(SparkplugDecode, Int8AcceptsThePlainEightBitPatternToo) {
  // int_value 0xE9 (E9 01) for Int8: -23 as well
  const Bytes narrow = {0x12, 0x08, 0x0A, 0x01, 'n', 0x20, 0x01, 0x50, 0xE9, 0x01};
  auto d = spb::decode_payload(narrow);
  ASSERT_TRUE(d.ok()) << d.error().what();
  EXPECT_EQ(d->metrics[0].value, s7::Value(std::int64_t{-23}));
  // 300 is no Int8 in either reading
  const Bytes bad = {0x12, 0x08, 0x0A, 0x01, 'n', 0x20, 0x01, 0x50, 0xAC, 0x02};
  auto e = spb::decode_payload(bad);
  ASSERT_FALSE(e.ok());
  EXPECT_TRUE(e.error().is(s7::Errc::invalid_argument));
  EXPECT_NE(e.error().what().find("out of range for Int8"), std::string::npos) << e.error().what();
}

TEST(SparkplugRoundTrip, EveryScalarType) {
  using T = spb::DataType;
  const std::vector<std::pair<T, s7::Scalar>> cases = {
      {T::Int8, std::int64_t{-128}},
      {T::Int8, std::int64_t{127}},
      {T::Int16, std::int64_t{-30000}},
      {T::Int32, std::int64_t{std::numeric_limits<std::int32_t>::min()}},
      {T::Int32, std::int64_t{315338746}},
      {T::Int64, std::numeric_limits<std::int64_t>::min()},
      {T::Int64, std::int64_t{-1}},
      {T::UInt8, std::uint64_t{250}},
      {T::UInt16, std::uint64_t{52360}},
      {T::UInt32, std::uint64_t{4294967295u}},
      {T::UInt64, std::numeric_limits<std::uint64_t>::max()},
      {T::Float, 1.25f},
      {T::Float, -3.0e38f},
      {T::Double, 1022.9123213},
      {T::Boolean, false},
      {T::Boolean, true},
      {T::String, std::string("h\xC3\xA9llo \"q\"")},
      {T::String, std::string()},
      {T::Text, std::string("line1\nline2")},
      {T::DateTime, std::uint64_t{1656107875000}},
  };
  for (const auto& [type, scalar] : cases) {
    const auto back = round_trip(metric("m", type, s7::Value(scalar)));
    EXPECT_EQ(back.type, type) << spb::to_string(type);
    EXPECT_EQ(back.value, s7::Value(scalar)) << spb::to_string(type);
  }
}

TEST(SparkplugRoundTrip, OtherKindsAreConvertedOrSentAsNull) {
  using T = spb::DataType;
  // saturation to the type's range
  EXPECT_EQ(round_trip(metric("m", T::Int16, s7::Value(std::int64_t{40000}))).value,
            s7::Value(std::int64_t{32767}));
  EXPECT_EQ(round_trip(metric("m", T::UInt8, s7::Value(std::int64_t{-5}))).value,
            s7::Value(std::uint64_t{0}));
  EXPECT_EQ(round_trip(metric("m", T::Int32, s7::Value(std::uint64_t{7}))).value,
            s7::Value(std::int64_t{7}));
  EXPECT_EQ(round_trip(metric("m", T::Double, s7::Value(std::int64_t{-2}))).value, s7::Value(-2.0));
  EXPECT_EQ(round_trip(metric("m", T::String, s7::Value(1.5))).value,
            s7::Value(std::string("1.5")));
  EXPECT_EQ(round_trip(metric("m", T::Int32, s7::Value(std::string("-12")))).value,
            s7::Value(std::int64_t{-12}));
  // text that is no number, NaN for an integer, an empty value: null
  EXPECT_FALSE(round_trip(metric("m", T::Int32, s7::Value(std::string("abc")))).value);
  EXPECT_FALSE(
      round_trip(metric("m", T::Int32, s7::Value(std::numeric_limits<double>::quiet_NaN()))).value);
  EXPECT_FALSE(round_trip(metric("m", T::Int32, s7::Value())).value);
}

TEST(SparkplugTypes, DatatypeForS7Addresses) {
  const auto type_of = [](std::string_view text) {
    auto a = s7::parse_address(text);
    EXPECT_TRUE(a.ok()) << text;
    return spb::datatype_for(*a);
  };
  using T = spb::DataType;
  EXPECT_EQ(type_of("DB1.DBX0.0"), T::Boolean);
  EXPECT_EQ(type_of("DB1.DBB0"), T::UInt8);
  EXPECT_EQ(type_of("DB1.DBW0"), T::Int16);  // W without suffix is INT
  EXPECT_EQ(type_of("DB1.DBW0:WORD"), T::UInt16);
  EXPECT_EQ(type_of("DB1.DBD0"), T::Int32);
  EXPECT_EQ(type_of("DB1.DBD0:UDINT"), T::UInt32);
  EXPECT_EQ(type_of("DB1.DBB0:LWORD"), T::UInt64);
  EXPECT_EQ(type_of("DB1.DBB0:SINT"), T::Int8);
  EXPECT_EQ(type_of("DB1.DBB0:LINT"), T::Int64);
  EXPECT_EQ(type_of("DB1.DBD0:REAL"), T::Float);
  EXPECT_EQ(type_of("DB1.DBB0:LREAL"), T::Double);
  EXPECT_EQ(type_of("DB1.DBB0:STRING[10]"), T::String);
  EXPECT_EQ(type_of("DB1.DBD0:TIME"), T::Int32);
  EXPECT_EQ(type_of("DB1.DBB0:LTIME"), T::Int64);
  EXPECT_EQ(type_of("DB1.DBB0:DTL"), T::String);
  EXPECT_EQ(type_of("T5"), T::Int32);
  EXPECT_EQ(type_of("C3"), T::UInt16);
  EXPECT_EQ(type_of("DB1.DBX0.0:BOOL[12]"), T::BooleanArray);
  EXPECT_EQ(type_of("DB1.DBW0:INT[3]"), T::Int16Array);
  EXPECT_EQ(type_of("DB1.DBD0:REAL[2]"), T::FloatArray);
  EXPECT_EQ(type_of("DB1.DBB0:CHAR[4]"), T::StringArray);
  EXPECT_EQ(spb::to_string(T::BooleanArray), "BooleanArray");
  EXPECT_EQ(spb::to_string(spb::DataType{99}), "Unknown");
}

namespace {

s7::Value ints(std::initializer_list<std::int64_t> v) {
  s7::Value out;
  out.array = true;
  for (auto x : v) out.elems.emplace_back(x);
  return out;
}
s7::Value uints(std::initializer_list<std::uint64_t> v) {
  s7::Value out;
  out.array = true;
  for (auto x : v) out.elems.emplace_back(x);
  return out;
}
template <class T>
s7::Value list(std::initializer_list<T> v) {
  s7::Value out;
  out.array = true;
  for (const auto& x : v) out.elems.emplace_back(x);
  return out;
}

}  // namespace

// The spec's examples ("Datatype Details", Array Types). Two of its examples are misprinted and
// corrected here from its own rule text: Int8Array -23 is 0xE9 (printed 0xEF), and the FloatArray
// bytes are printed big-endian although the rule says little-endian.
TEST(SparkplugArrays, SpecExamples) {
  using T = spb::DataType;
  const struct {
    T type;
    s7::Value value;
    Bytes bytes;
  } cases[] = {
      {T::Int8Array, ints({-23, 123}), {0xE9, 0x7B}},
      {T::Int16Array, ints({-30000, 30000}), {0xD0, 0x8A, 0x30, 0x75}},
      {T::Int32Array, ints({-1, 315338746}), {0xFF, 0xFF, 0xFF, 0xFF, 0xFA, 0xAF, 0xCB, 0x12}},
      {T::Int64Array,
       ints({-4270929666821191986, -3601064768563266876}),
       {0xCE, 0x06, 0x72, 0xAC, 0x18, 0x9C, 0xBA, 0xC4, 0xC4, 0xBA, 0x9C, 0x18, 0xAC, 0x72, 0x06,
        0xCE}},
      {T::UInt8Array, uints({23, 250}), {0x17, 0xFA}},
      {T::UInt16Array, uints({30, 52360}), {0x1E, 0x00, 0x88, 0xCC}},
      {T::UInt32Array, uints({52, 3293969225}), {0x34, 0x00, 0x00, 0x00, 0x49, 0xFB, 0x55, 0xC4}},
      {T::UInt64Array,
       uints({52, 16444743074749521625u}),
       {0x34, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xD9, 0x9E, 0x02, 0xD1, 0xB2, 0x76, 0x37,
        0xE4}},
      {T::FloatArray, list({1.23f, 89.341f}), {0xA4, 0x70, 0x9D, 0x3F, 0x98, 0xAE, 0xB2, 0x42}},
      {T::DoubleArray,
       list({0.5, -2.0}),
       {0, 0, 0, 0, 0, 0, 0xE0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0xC0}},
      {T::BooleanArray,
       list({false, false, true, true, false, true, false, false, true, true, false, true}),
       {0x0C, 0x00, 0x00, 0x00, 0x34, 0xD0}},
      {T::StringArray,
       list({std::string("ABC"), std::string("hello")}),
       {0x41, 0x42, 0x43, 0x00, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x00}},
      {T::DateTimeArray,
       uints({1256102875335, 1656107875000}),
       {0xC7, 0xD0, 0x90, 0x75, 0x24, 0x01, 0x00, 0x00, 0xB8, 0xBA, 0xB8, 0x97, 0x81, 0x01, 0x00,
        0x00}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(spb::pack_array(c.type, c.value), c.bytes) << spb::to_string(c.type);
    auto back = spb::unpack_array(c.type, c.bytes);
    ASSERT_TRUE(back.ok()) << spb::to_string(c.type) << ": " << back.error().what();
    EXPECT_EQ(*back, c.value) << spb::to_string(c.type);
    // and inside a payload, in bytes_value
    const auto m = round_trip(metric("a", c.type, c.value));
    EXPECT_EQ(m.type, c.type);
    EXPECT_EQ(m.value, c.value) << spb::to_string(c.type);
  }
}

TEST(SparkplugArrays, EdgeCasesAndMalformedBytes) {
  using T = spb::DataType;
  // empty arrays
  EXPECT_EQ(spb::pack_array(T::BooleanArray, list<bool>({})), (Bytes{0, 0, 0, 0}));
  EXPECT_TRUE(spb::pack_array(T::StringArray, list<std::string>({})).empty());
  EXPECT_EQ(spb::unpack_array(T::StringArray, Bytes{})->elems.size(), 0u);
  // eight booleans fill exactly one byte; nine need two
  EXPECT_EQ(spb::pack_array(T::BooleanArray,
                            list({true, false, false, false, false, false, false, true, true})),
            (Bytes{9, 0, 0, 0, 0x81, 0x80}));
  // a string with a zero byte ends there
  EXPECT_EQ(spb::pack_array(T::StringArray, list({std::string("a\0b", 3)})), (Bytes{'a', 0}));

  const auto fails = [](T t, Bytes b) {
    auto r = spb::unpack_array(t, b);
    return !r.ok() && r.error().is(s7::Errc::invalid_argument);
  };
  EXPECT_TRUE(fails(T::Int16Array, {1, 2, 3}));
  EXPECT_TRUE(fails(T::DoubleArray, {1, 2, 3, 4}));
  EXPECT_TRUE(fails(T::BooleanArray, {1, 0, 0}));           // no room for the count
  EXPECT_TRUE(fails(T::BooleanArray, {9, 0, 0, 0, 0xFF}));  // 9 values need 2 bytes
  EXPECT_TRUE(fails(T::BooleanArray, {0xFF, 0xFF, 0xFF, 0xFF, 0}));
  EXPECT_TRUE(fails(T::BooleanArray, {1, 0, 0, 0, 0x80, 0x00}));  // a byte too many
  EXPECT_TRUE(fails(T::StringArray, {'a', 'b'}));                 // no final zero
  EXPECT_TRUE(fails(T::Int16, {1, 2}));                           // not an array type
}

namespace {

// An NCMD as a host sends it: timestamp, one Boolean metric with timestamp and is_null false.
Bytes ncmd(std::string_view name, bool value) {
  const Bytes metric_body = cat({{0x0A, static_cast<std::uint8_t>(name.size())},
                                 ascii(name),
                                 {0x18, 0xB5, 0x88, 0x86, 0xFE, 0xEA, 0x31},  // timestamp
                                 {0x20, 0x0B},                                // Boolean
                                 {0x38, 0x00},                                // is_null false
                                 {0x70, static_cast<std::uint8_t>(value)}});
  return cat({{0x08, 0xB5, 0x88, 0x86, 0xFE, 0xEA, 0x31},  // timestamp 1712345678901
              {0x12, static_cast<std::uint8_t>(metric_body.size())},
              metric_body});
}

}  // namespace

TEST(SparkplugRebirth, NodeControlRebirthTrueOnly) {
  auto yes = spb::decode_payload(ncmd("Node Control/Rebirth", true));
  ASSERT_TRUE(yes.ok()) << yes.error().what();
  EXPECT_EQ(yes->timestamp_ms, 1712345678901u);
  EXPECT_TRUE(spb::is_rebirth_request(*yes));

  auto no = spb::decode_payload(ncmd("Node Control/Rebirth", false));
  ASSERT_TRUE(no.ok());
  EXPECT_FALSE(spb::is_rebirth_request(*no));

  auto other = spb::decode_payload(ncmd("Node Control/Reboot", true));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(spb::is_rebirth_request(*other));

  EXPECT_FALSE(spb::is_rebirth_request(spb::Decoded{}));
  // our own encoding of the command, and the metric sent as a string: not a rebirth
  const spb::Metric cmd[] = {
      metric(std::string(spb::kRebirthMetric), spb::DataType::Boolean, s7::Value(true))};
  EXPECT_TRUE(spb::is_rebirth_request(*spb::decode_payload(spb::encode_payload(1, 0, cmd))));
  const spb::Metric text[] = {
      metric(std::string(spb::kRebirthMetric), spb::DataType::String, s7::Value(true))};
  EXPECT_FALSE(spb::is_rebirth_request(*spb::decode_payload(spb::encode_payload(1, 0, text))));
}

TEST(SparkplugDecode, MetricWithoutDatatypeTakesItsValueField) {
  // name "x", boolean_value true, no datatype
  auto d = spb::decode_payload(Bytes{0x12, 0x05, 0x0A, 0x01, 'x', 0x70, 0x01});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->metrics[0].type, spb::DataType::Boolean);
  EXPECT_EQ(d->metrics[0].value, s7::Value(true));
}

TEST(SparkplugDecode, EmptyInputIsAnEmptyPayload) {
  auto d = spb::decode_payload(Bytes{});
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->metrics.empty());
}

TEST(SparkplugDecode, ValueFieldMustFitTheDatatype) {
  const auto error_of = [](Bytes b) {
    auto d = spb::decode_payload(b);
    EXPECT_FALSE(d.ok());
    if (d.ok()) return std::string();
    EXPECT_TRUE(d.error().is(s7::Errc::invalid_argument));
    return d.error().what();
  };
  // Boolean with string_value "1"
  EXPECT_NE(error_of({0x12, 0x08, 0x0A, 0x01, 'b', 0x20, 0x0B, 0x7A, 0x01, '1'})
                .find("metric 'b': datatype Boolean but the value is in string_value"),
            std::string::npos);
  // Int64 in int_value
  EXPECT_NE(error_of({0x12, 0x07, 0x0A, 0x01, 'i', 0x20, 0x04, 0x50, 0x01}).find("int_value"),
            std::string::npos);
  // UInt16 70000 (F0 A2 04)
  EXPECT_NE(error_of({0x12, 0x09, 0x0A, 0x01, 'u', 0x20, 0x06, 0x50, 0xF0, 0xA2, 0x04})
                .find("out of range for UInt16"),
            std::string::npos);
  // is_null with a value
  EXPECT_NE(
      error_of({0x12, 0x09, 0x0A, 0x01, 'z', 0x20, 0x0B, 0x38, 0x01, 0x70, 0x01}).find("is_null"),
      std::string::npos);
  // an Int16Array of 3 bytes
  EXPECT_NE(error_of({0x12, 0x0B, 0x0A, 0x01, 'a', 0x20, 0x17, 0x82, 0x01, 0x03, 1, 2, 3})
                .find("metric 'a': Int16Array"),
            std::string::npos);
}

TEST(SparkplugDecode, GarbageGivesAnErrorAndNeverCrashes) {
  const std::vector<Bytes> broken = {
      {0x12, 0x05, 0x0A},  // metric longer than the input
      {0x08, 0xFF, 0xFF},  // varint cut off
      {0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01},  // 11-byte varint
      {0x0A, 0x01, 0x00},                    // timestamp as a length-delimited field
      {0x12, 0x02, 0x50, 0xFF},              // int_value cut off inside the metric
      {0x07},                                // wire type 7 does not exist
      {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},  // a tag that never ends
  };
  for (const auto& b : broken) {
    auto d = spb::decode_payload(b);
    EXPECT_FALSE(d.ok());
    if (!d.ok()) {
      EXPECT_TRUE(d.error().is(s7::Errc::invalid_argument));
      EXPECT_NE(d.error().what().find("Sparkplug payload"), std::string::npos);
    }
  }
  // Random bytes, and random damage to a valid payload: an error or a payload, nothing else.
  const spb::Metric metrics[] = {
      metric("temp", spb::DataType::Float, s7::Value(21.5f)),
      metric("flags", spb::DataType::BooleanArray, list({true, false, true})),
      metric("names", spb::DataType::StringArray, list({std::string("a"), std::string("bc")})),
  };
  const Bytes valid = spb::encode_payload(1700000000000, 9, metrics);
  std::mt19937 rng(12345);
  for (int i = 0; i < 20000; ++i) {
    Bytes b;
    if (i % 2) {
      b.resize(rng() % 64);
      for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    } else {
      b = valid;
      for (int k = 0; k < 3; ++k) b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
      b.resize(rng() % (b.size() + 1));
    }
    auto d = spb::decode_payload(b);
    if (!d.ok()) {
      EXPECT_TRUE(d.error().is(s7::Errc::invalid_argument));
    }
  }
}
