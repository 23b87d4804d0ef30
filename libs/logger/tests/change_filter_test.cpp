// On-change rows and deadbands.
#include "logger/change_filter.hpp"

#include <gtest/gtest.h>

#include "logger/tag.hpp"

namespace {
logger::Sample s(double pressure, bool alarm) {
  logger::Sample x;
  x.values = {{s7::Value(std::int64_t{1})},
              {s7::Value(std::int64_t{25})},
              {s7::Value(static_cast<float>(pressure))},
              {s7::Value(alarm)},
              {s7::Value(std::uint64_t{7})}};
  return x;
}
}  // namespace

TEST(ChangeFilter, WithoutWatchedTagsEverySamplePasses) {
  auto f = logger::ChangeFilter::create(logger::course_tags(), {}, {});
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->pass(s(1, false)));
  EXPECT_TRUE(f->pass(s(1, false)));
}

TEST(ChangeFilter, OnChangeWritesTheFirstRowAndThenOnlyChanges) {
  auto f = logger::ChangeFilter::create(logger::course_tags(), {"alarm"}, {});
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->pass(s(1, false)));
  EXPECT_FALSE(f->pass(s(2, false)));  // pressure is not watched
  EXPECT_TRUE(f->pass(s(2, true)));
  EXPECT_FALSE(f->pass(s(2, true)));
  EXPECT_TRUE(f->pass(s(2, false)));
}

TEST(ChangeFilter, DeadbandIgnoresSmallerChangesButCatchesDrift) {
  auto f = logger::ChangeFilter::create(logger::course_tags(), {"pressure"}, {{"pressure", 0.5}});
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->pass(s(1.0, false)));
  EXPECT_FALSE(f->pass(s(1.3, false)));
  EXPECT_FALSE(f->pass(s(1.45, false)));
  EXPECT_TRUE(f->pass(s(1.5, false)));  // 0.5 from the last written row
  EXPECT_FALSE(f->pass(s(1.2, false)));
  EXPECT_TRUE(f->pass(s(0.9, false)));
}

TEST(ChangeFilter, DeadbandAloneWatchesItsTag) {
  auto f = logger::ChangeFilter::create(logger::course_tags(), {}, {{"pressure", 0.5}});
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->active());
  EXPECT_TRUE(f->pass(s(1.0, false)));
  EXPECT_FALSE(f->pass(s(1.1, true)));
}

TEST(ChangeFilter, ValueTurningMissingCountsAsAChange) {
  auto f = logger::ChangeFilter::create(logger::course_tags(), {"alarm"}, {});
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->pass(s(1, false)));
  auto gap = s(1, false);
  gap.values[3].value.reset();
  EXPECT_TRUE(f->pass(gap));
  EXPECT_FALSE(f->pass(gap));
  EXPECT_TRUE(f->pass(s(1, false)));
}

TEST(ChangeFilter, UnknownTagNameIsRejectedWithTheKnownNames) {
  auto f = logger::ChangeFilter::create(logger::course_tags(), {"alarms"}, {});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().what(),
            "--on-change: no tag named 'alarms' (tags: counter, temperature, pressure, alarm, "
            "mode_ro)");
}
