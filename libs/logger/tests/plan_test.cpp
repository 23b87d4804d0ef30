// Read plan: merging nearby tags, gaps, areas, lone tags, decoding from merged items.
#include "logger/plan.hpp"

#include <gtest/gtest.h>

#include "logger/tag.hpp"

namespace {
logger::TagInfo tag(const char* name, const char* addr) {
  return logger::TagInfo{name, *s7::parse_address(addr)};
}
}  // namespace

TEST(BuildPlan, CourseTagsAreOneItemOfTwelveBytes) {
  auto plan = logger::build_plan(logger::course_tags());
  ASSERT_EQ(plan.items.size(), 1u);
  EXPECT_EQ(plan.items[0].offset, 0u);
  EXPECT_EQ(plan.items[0].length, 12u);
  EXPECT_EQ(plan.items[0].tags.size(), 5u);
  // S7ANY: BYTE x12 of DB1 at bit address 0.
  EXPECT_EQ(plan.items[0].spec.transport, 0x02);
  EXPECT_EQ(plan.items[0].spec.count, 12);
  EXPECT_EQ(plan.items[0].spec.db, 1);
  EXPECT_EQ(plan.items[0].spec.area, 0x84);
  EXPECT_EQ(plan.items[0].spec.address, 0u);
}

TEST(BuildPlan, FarApartTagsGetTheirOwnItems) {
  auto tags = logger::course_tags();
  tags.push_back(tag("setpoint_int", "DB1.DBW20:INT"));
  auto plan = logger::build_plan(tags);
  ASSERT_EQ(plan.items.size(), 2u);  // gap 12..19 is 8 bytes > 4
  EXPECT_EQ(plan.items[1].offset, 20u);
  EXPECT_EQ(plan.items[1].spec.address, 160u);
}

TEST(BuildPlan, SmallGapIsMerged) {
  auto plan = logger::build_plan({tag("a", "DB2.DBW0:INT"), tag("b", "DB2.DBW6:INT")});
  ASSERT_EQ(plan.items.size(), 1u);
  EXPECT_EQ(plan.items[0].length, 8u);
}

TEST(BuildPlan, DifferentDbsAndAreasAreNotMerged) {
  auto plan = logger::build_plan(
      {tag("a", "DB1.DBW0:INT"), tag("b", "DB2.DBW0:INT"), tag("c", "MW0"), tag("d", "MW2")});
  ASSERT_EQ(plan.items.size(), 3u);
}

TEST(BuildPlan, PeripheryTagsAreReadOneByOne) {
  // PIW0 and PIW2 are adjacent, yet each gets its own item: a merged range could cover I/O
  // addresses without a module, which a PLC refuses for the whole item.
  auto plan =
      logger::build_plan({tag("a", "PIW0"), tag("b", "PIW2"), tag("c", "IW0"), tag("d", "IW2")});
  ASSERT_EQ(plan.items.size(), 3u);
  int periphery = 0;
  for (const auto& it : plan.items) {
    if (it.area != s7::Area::periphery) {
      EXPECT_EQ(it.length, 4u);  // IW0 + IW2 share one
      continue;
    }
    ++periphery;
    EXPECT_EQ(it.tags.size(), 1u);
    EXPECT_EQ(it.spec.area, 0x80);
    EXPECT_EQ(it.spec.transport, 0x02);
    EXPECT_EQ(it.spec.count, 2);
    EXPECT_EQ(it.spec.address, it.offset * 8);
  }
  EXPECT_EQ(periphery, 2);
  auto text = logger::describe_plan(
      {tag("a", "PIW0"), tag("b", "PIW2"), tag("c", "IW0"), tag("d", "IW2")}, plan);
  EXPECT_NE(text.find("PI bytes 2..3 (2 bytes): b (PIW2)"), std::string::npos) << text;
}

TEST(BuildPlan, ItemsStayWithinTheSizeCap) {
  std::vector<logger::TagInfo> tags;
  for (int i = 0; i < 100; ++i)
    tags.push_back(logger::TagInfo{"t" + std::to_string(i),
                                   *s7::parse_address("DB3.DBD" + std::to_string(i * 4))});
  auto plan = logger::build_plan(tags);
  ASSERT_EQ(plan.items.size(), 2u);  // 400 bytes: 220 + 180 (whole DWORDs, cap 222)
  EXPECT_EQ(plan.items[0].length, 220u);
  EXPECT_EQ(plan.items[1].length, 180u);
}

TEST(BuildPlan, LoneTagsAreNotMerged) {
  auto plan = logger::build_plan(logger::course_tags(), {}, {2});
  ASSERT_EQ(plan.items.size(), 3u);  // 0..5, pressure alone, 10..11
}

TEST(DecodeTag, ScaledTagsGiveEngineeringUnits) {
  // An analog input: 0..27648 is 4..20 mA.
  auto t = tag("current", "PIW256");
  t.scale = logger::LinearScale{0, 27648, 4, 20};
  auto plan = logger::build_plan({t});
  ASSERT_EQ(plan.items.size(), 1u);
  auto half = logger::decode_tag(t, plan.items[0], {0x36, 0x00});  // 13824
  ASSERT_TRUE(half.ok()) << half.error().what();
  EXPECT_EQ(s7::format_value(*half), "12");
  auto below = logger::decode_tag(t, plan.items[0], {0xED, 0x00});  // -4864: wire break
  ASSERT_TRUE(below.ok());
  EXPECT_DOUBLE_EQ(s7::to_double(below->elems[0]), 4 + (-4864.0) * 16 / 27648);
  EXPECT_NE(logger::describe_plan({t}, plan).find("current (PIW256, scaled)"), std::string::npos);
  // Without a scale the raw number stays as it is.
  auto raw = logger::decode_tag(tag("current", "PIW256"), plan.items[0], {0x36, 0x00});
  EXPECT_EQ(s7::format_value(*raw), "13824");
}

TEST(DecodeTag, ReadsEachTagFromTheMergedBytes) {
  auto tags = logger::course_tags();
  auto plan = logger::build_plan(tags);
  s7::Bytes b{0, 0, 0, 42, 0, 25, 0x3F, 0x9D, 0x70, 0xA4, 0x01, 7};
  auto& item = plan.items[0];
  EXPECT_EQ(s7::format_value(*logger::decode_tag(tags[0], item, b)), "42");
  EXPECT_EQ(s7::format_value(*logger::decode_tag(tags[1], item, b)), "25");
  EXPECT_EQ(s7::format_value(*logger::decode_tag(tags[2], item, b)), "1.23");
  EXPECT_EQ(s7::format_value(*logger::decode_tag(tags[3], item, b)), "true");
  EXPECT_EQ(s7::format_value(*logger::decode_tag(tags[4], item, b)), "7");
}

TEST(DecodeTag, ShortAnswerIsAnError) {
  auto tags = logger::course_tags();
  auto plan = logger::build_plan(tags);
  EXPECT_FALSE(logger::decode_tag(tags[4], plan.items[0], s7::Bytes(4, 0)).ok());
}

TEST(IsItemError, OnlyPlcItemRefusals) {
  EXPECT_TRUE(logger::is_item_error(s7::Error(s7::Errc::item_not_found)));
  EXPECT_TRUE(logger::is_item_error(s7::Error(s7::Errc::item_access_denied)));
  EXPECT_FALSE(logger::is_item_error(s7::Error(s7::Errc::request_timeout)));
}

TEST(BuildPlan, WiderGapsAreMergedWhenTheItemCountPerRequestBinds) {
  // 80 pairs of INTs: 8 bytes between the two of a pair, 40 between pairs (both > max_gap 4).
  // 160 items need 3 requests at PDU 960 (at most 79 items each); joining the 8-byte gaps
  // gives 80 items of 12 bytes and 2 requests; joining the 40-byte gaps too would not help.
  std::vector<logger::TagInfo> tags;
  for (int p = 0; p < 80; ++p)
    for (int k = 0; k < 2; ++k)
      tags.push_back(tag(("t" + std::to_string(2 * p + k)).c_str(),
                         ("DB4.DBW" + std::to_string(p * 52 + k * 10) + ":INT").c_str()));
  logger::PlanOptions narrow;
  narrow.pdu_length = 0;  // merging at max_gap only
  auto before = logger::build_plan(tags, narrow);
  ASSERT_EQ(before.items.size(), 160u);
  EXPECT_EQ(s7::pack_reads(before.specs(), 960).size(), 3u);
  auto plan = logger::build_plan(tags);
  ASSERT_EQ(plan.items.size(), 80u);
  EXPECT_EQ(s7::pack_reads(plan.specs(), 960).size(), 2u);
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    EXPECT_EQ(plan.items[i].offset, i * 52);
    EXPECT_EQ(plan.items[i].length, 12u);
    EXPECT_EQ(plan.items[i].tags, (std::vector<std::size_t>{2 * i, 2 * i + 1}));
  }
}

TEST(BuildPlan, WiderGapsStayUnmergedWhenRequestsWouldNotDrop) {
  // Two far-apart groups fit one request anyway: no extra bytes are read.
  auto plan = logger::build_plan({tag("a", "DB5.DBW0:INT"), tag("b", "DB5.DBW20:INT")});
  EXPECT_EQ(plan.items.size(), 2u);
}
