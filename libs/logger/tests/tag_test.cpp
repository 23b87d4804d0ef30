// Tag specs on the command line and the course's tags.
#include "logger/tag.hpp"

#include <gtest/gtest.h>

TEST(CourseTags, AreTheFiveColumnsOfDb1Bytes0To11) {
  auto t = logger::course_tags();
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0].name, "counter");
  EXPECT_EQ(t[0].address.type, s7::DataType::DInt);
  EXPECT_EQ(t[2].address.type, s7::DataType::Real);
  EXPECT_EQ(t[3].address.offset, 10u);
  EXPECT_EQ(t[4].address.offset, 11u);
}

TEST(ParseTagSpec, NameEqualsAddress) {
  auto t = logger::parse_tag_spec("setpoint_int=DB1.DBW20:INT");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->name, "setpoint_int");
  EXPECT_EQ(t->address.offset, 20u);
  EXPECT_EQ(t->address.type, s7::DataType::Int);
}

TEST(ParseTagSpec, MissingEqualsSignExplainsTheForm) {
  auto t = logger::parse_tag_spec("DB1.DBW20");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().what().find("expected name=ADDRESS"), std::string::npos);
}

TEST(ParseTagSpec, BadAddressNamesTheTag) {
  auto t = logger::parse_tag_spec("x=DB1.DBQ4");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().what().rfind("tag 'x': ", 0), 0u);
}

TEST(ValidateTags, RejectsDuplicatesAndBuiltInNames) {
  auto t = logger::course_tags();
  EXPECT_TRUE(logger::validate_tags(t).ok());
  t.push_back(t[0]);
  EXPECT_FALSE(logger::validate_tags(t).ok());
  EXPECT_FALSE(logger::validate_tags({logger::TagInfo{"ts", {}}}).ok());
}

TEST(ParseNameNumber, ReadsDeadbands) {
  auto d = logger::parse_name_number("pressure=0.5");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->first, "pressure");
  EXPECT_EQ(d->second, 0.5);
  EXPECT_FALSE(logger::parse_name_number("pressure=lots").ok());
}
