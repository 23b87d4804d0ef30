#include <gtest/gtest.h>

#include "logger/plan.hpp"
#include "logger/tag.hpp"

namespace {

std::vector<logger::TagInfo> tags_of(std::initializer_list<const char*> specs) {
  std::vector<logger::TagInfo> tags;
  for (const char* s : specs) tags.push_back(*logger::parse_tag_spec(s));
  return tags;
}

}  // namespace

TEST(DescribePlan, NamesTheTagsOfEachItemAndTheItemsOfEachRequest) {
  auto tags = tags_of({"a=DB1.DBW0:INT", "b=DB1.DBW2:INT", "c=DB2.DBD0:REAL"});
  auto plan = logger::build_plan(tags);
  std::string text = logger::describe_plan(tags, plan);
  EXPECT_NE(text.find("item 1: DB1 bytes 0..3 (4 bytes): a (DB1.DBW0:INT), b (DB1.DBW2:INT)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("item 2: DB2 bytes 0..3 (4 bytes): c (DB2.DBD0:REAL)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("PDU 960: 1 request"), std::string::npos) << text;
  EXPECT_NE(text.find("    request 1: items 1, 2\n"), std::string::npos) << text;
}

TEST(DescribePlan, ShowsWhichBytesOfASplitItemEachRequestCarries) {
  auto tags = tags_of({"big=DB3.DBB0:BYTE[600]"});
  auto plan = logger::build_plan(tags);
  std::string text = logger::describe_plan(tags, plan);
  // At PDU 240 one request carries at most 222 data bytes: 600 bytes need 3 requests.
  EXPECT_NE(text.find("PDU 240: 3 requests"), std::string::npos) << text;
  EXPECT_NE(text.find("request 1: item 1 (bytes 0..221 of it)"), std::string::npos) << text;
  EXPECT_NE(text.find("of it)"), std::string::npos) << text;
}
