#include <gtest/gtest.h>

#include "logger/agent.hpp"
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

TEST(PlanReport, APlantShowsEachPlcsGroupsAndTheirMergedRead) {
  logger::AgentConfig cfg;
  cfg.plcs.resize(2);
  cfg.plcs[0].name = "press1";
  cfg.plcs[1].name = "press2";
  logger::GroupSpec fast, slow, batch;
  fast.name = "fast";
  fast.plc = "press1";
  fast.interval = std::chrono::milliseconds(100);
  fast.tags = {*logger::parse_tag_spec("counter=DB1.DBD0:DINT")};
  fast.csv.pattern = "{plc}_{group}.csv";
  slow = fast;
  slow.name = "slow";
  slow.interval = std::chrono::seconds(1);
  slow.tags = {*logger::parse_tag_spec("pressure=DB1.DBD4:REAL")};
  batch = fast;
  batch.name = "batch";
  batch.plc = "press2";
  batch.trigger = *s7::parse_address("DB5.DBX0.0");
  cfg.groups = {fast, slow, batch};
  const auto text = logger::describe_plant_plan(cfg);
  EXPECT_NE(text.find("PLC press1 (127.0.0.1:102 (rack 0, slot 1)): 2 groups\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  group fast, every 100ms, into press1_fast.csv:\n"), std::string::npos);
  EXPECT_NE(text.find("  group slow, every 1s, into press1_slow.csv:\n"), std::string::npos);
  // DB1.DBD0 and DB1.DBD4 are neighbours: read together they are one item of 8 bytes.
  EXPECT_NE(text.find("read together (trigger groups: their trigger bits): 2 tags in 1 item, 8 "
                      "bytes; requests: 1 at PDU 240, 1 at PDU 480, 1 at PDU 960\n"),
            std::string::npos);
  EXPECT_NE(text.find("  group batch, a row on each rising edge of DB5.DBX0.0 (polled every "
                      "100ms), into press2_batch.csv:\n"),
            std::string::npos);
}
