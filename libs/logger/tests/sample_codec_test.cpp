// Tests of the binary sample encoding: a byte-exact vector, round trips, hostile input.
#include "logger/sample_codec.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <chrono>
#include <cmath>
#include <limits>

namespace logger {
namespace {

using std::chrono::nanoseconds;
using std::chrono::system_clock;

system_clock::time_point at_ns(std::int64_t ns) {
  return system_clock::time_point(
      std::chrono::duration_cast<system_clock::duration>(nanoseconds(ns)));
}

void expect_same(const Sample& a, const Sample& b) {
  EXPECT_EQ(a.ts, b.ts);
  EXPECT_EQ(a.plc, b.plc);
  EXPECT_EQ(a.group, b.group);
  EXPECT_EQ(a.quality, b.quality);
  EXPECT_EQ(a.missed, b.missed);
  ASSERT_EQ(a.values.size(), b.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    EXPECT_EQ(a.values[i].quality, b.values[i].quality) << "value " << i;
    EXPECT_EQ(a.values[i].value, b.values[i].value) << "value " << i;
  }
}

Sample round_trip(const Sample& s) {
  const auto bytes = encode_sample(s);
  auto back = decode_sample(bytes);
  EXPECT_TRUE(back.ok()) << back.error().what();
  if (!back) return {};
  EXPECT_EQ(encode_sample(*back), bytes);
  return *back;
}

TEST(SampleCodec, SmallSampleIsByteExact) {
  Sample s;
  s.ts = at_ns(1);
  s.plc = "p";
  s.values.push_back(TagValue{s7::Value(std::int64_t{-1}), Quality::ok});
  const std::vector<std::uint8_t> expected = {
      0x01,                                            // version 1
      0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // ts: 1 ns, i64 little-endian
      0x00,                                            // sample quality ok
      0x00,                                            // flags: not missed
      0x01, 0x00, 0x00, 0x00, 'p',                     // plc: length 1, "p"
      0x00, 0x00, 0x00, 0x00,                          // group: length 0
      0x01, 0x00, 0x00, 0x00,                          // 1 value
      0x00,                                            //   quality ok
      0x01,                                            //   form 1: a scalar value
      0x01, 0x00, 0x00, 0x00,                          //   1 element
      0x01,                                            //   kind 1: int64
      0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  //   -1
  };
  EXPECT_EQ(encode_sample(s), expected);
  auto back = decode_sample(expected);
  ASSERT_TRUE(back.ok()) << back.error().what();
  expect_same(*back, s);
}

TEST(SampleCodec, AppendVariantAppends) {
  Sample s;
  std::vector<std::uint8_t> out = {0xAB};
  encode_sample(s, out);
  ASSERT_GT(out.size(), 1u);
  EXPECT_EQ(out[0], 0xAB);
  EXPECT_EQ(std::vector<std::uint8_t>(out.begin() + 1, out.end()), encode_sample(s));
}

TEST(SampleCodec, EveryScalarKindRoundTrips) {
  Sample s;
  s.ts = at_ns(1'767'225'600'123'456'789);  // 2026-01-01 00:00:00.123456789 UTC
  s.plc = "press1";
  s.group = "fast";
  s.values = {
      TagValue{s7::Value(true), Quality::ok},
      TagValue{s7::Value(false), Quality::ok},
      TagValue{s7::Value(std::numeric_limits<std::int64_t>::min()), Quality::ok},
      TagValue{s7::Value(std::numeric_limits<std::uint64_t>::max()), Quality::ok},
      TagValue{s7::Value(1.5f), Quality::ok},
      TagValue{s7::Value(-0.0f), Quality::ok},
      TagValue{s7::Value(std::numeric_limits<double>::denorm_min()), Quality::ok},
      TagValue{s7::Value(std::numeric_limits<double>::infinity()), Quality::ok},
      TagValue{s7::Value(std::string("Grüße, \"x\"\n\0y", 15)), Quality::ok},
      TagValue{s7::Value(std::string()), Quality::ok},
  };
  const Sample back = round_trip(s);
  expect_same(back, s);
  ASSERT_EQ(back.values.size(), s.values.size());
  EXPECT_TRUE(std::signbit(std::get<float>(back.values[5].value->elems[0])));
}

TEST(SampleCodec, NanKeepsItsBits) {
  Sample s;
  const float nan = std::bit_cast<float>(0x7FC01234u);
  s.values = {TagValue{s7::Value(nan), Quality::ok}};
  const Sample back = round_trip(s);
  ASSERT_EQ(back.values.size(), 1u);
  EXPECT_EQ(std::bit_cast<std::uint32_t>(std::get<float>(back.values[0].value->elems[0])),
            0x7FC01234u);
}

TEST(SampleCodec, ArraysAndMissingValuesRoundTrip) {
  Sample s;
  s.ts = at_ns(-5);  // before 1970 too
  s.quality = Quality::item_error;
  s7::Value arr;
  arr.array = true;
  arr.elems = {std::int64_t{1}, std::int64_t{-2}, 3.25, std::string("mixed")};
  s7::Value one_elem_array;
  one_elem_array.array = true;
  one_elem_array.elems = {std::uint64_t{7}};
  s7::Value empty_array;
  empty_array.array = true;
  s.values = {
      TagValue{arr, Quality::ok},
      TagValue{std::nullopt, Quality::item_error},
      TagValue{one_elem_array, Quality::ok},
      TagValue{empty_array, Quality::ok},
      TagValue{std::nullopt, Quality::comm_error},
      TagValue{s7::Value(), Quality::ok},  // no elements, not an array
  };
  const Sample back = round_trip(s);
  expect_same(back, s);
  ASSERT_EQ(back.values.size(), 6u);
  EXPECT_TRUE(back.values[2].value->array);
  EXPECT_FALSE(back.values[5].value->array);
}

TEST(SampleCodec, MissedSlotRoundTrips) {
  Sample s;
  s.ts = at_ns(42'000'000);
  s.plc = "a";
  s.group = "b";
  s.quality = Quality::comm_error;
  s.missed = true;
  s.values = {TagValue{std::nullopt, Quality::comm_error},
              TagValue{std::nullopt, Quality::comm_error}};
  expect_same(round_trip(s), s);
}

std::vector<std::uint8_t> valid_bytes() {
  Sample s;
  s.plc = "p";
  s.group = "g";
  s7::Value arr;
  arr.array = true;
  arr.elems = {true, std::string("xy"), 2.0f};
  s.values = {TagValue{arr, Quality::ok}, TagValue{std::nullopt, Quality::comm_error}};
  return encode_sample(s);
}

TEST(SampleCodec, EveryTruncationIsAnError) {
  const auto bytes = valid_bytes();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto r = decode_sample(std::span<const std::uint8_t>(bytes.data(), n));
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_TRUE(r.error().is(s7::Errc::invalid_argument)) << n;
  }
}

TEST(SampleCodec, TrailingBytesAreAnError) {
  auto bytes = valid_bytes();
  bytes.push_back(0);
  auto r = decode_sample(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find("1 bytes after the sample"), std::string::npos)
      << r.error().what();
}

TEST(SampleCodec, RejectsWhatTheEncoderNeverWrites) {
  const auto good = valid_bytes();
  // Offsets in valid_bytes(): 0 version, 9 quality, 10 flags, 11..15 plc, 16..20 group,
  // 21..24 count, 25 quality, 26 form, 27..30 elements, 31 kind of the bool, 32 the bool.
  struct Case {
    std::size_t at;
    std::uint8_t byte;
    const char* says;
  };
  const Case cases[] = {
      {0, 2, "unknown encoding version 2"}, {9, 3, "unknown sample quality 3"},
      {10, 2, "unknown flag bits 2"},       {25, 9, "unknown value quality 9"},
      {26, 3, "unknown value form 3"},      {31, 6, "unknown element kind 6"},
      {32, 2, "bool 2 (not 0 or 1)"},
  };
  for (const auto& c : cases) {
    auto bytes = good;
    bytes[c.at] = c.byte;
    auto r = decode_sample(bytes);
    ASSERT_FALSE(r.ok()) << c.says;
    EXPECT_TRUE(r.error().is(s7::Errc::invalid_argument));
    EXPECT_NE(r.error().what().find(c.says), std::string::npos) << r.error().what();
  }
}

TEST(SampleCodec, HugeCountsAreRefusedBeforeAllocating) {
  // A value count of 0xFFFFFFFF with 4 bytes left: refused without reserving 4 G values.
  std::vector<std::uint8_t> bytes(19, 0);  // version, ts, quality, flags, empty plc and group
  bytes[0] = 1;
  bytes.insert(bytes.end(), {0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0});
  auto r = decode_sample(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find("value count 4294967295"), std::string::npos) << r.error().what();
  // A string that says it is longer than the input.
  std::vector<std::uint8_t> str = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F};
  auto s = decode_sample(str);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().what().find("truncated at byte 15"), std::string::npos) << s.error().what();
}

}  // namespace
}  // namespace logger
