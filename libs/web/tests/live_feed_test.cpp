// Tests of LiveFeed: ring bound, snapshots, sequence numbers and waking SSE waiters.
#include "web/live_feed.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "test_samples.hpp"

using namespace web;
using web::testing::demo_sample;
using web::testing::demo_tags;

TEST(LiveFeed, KeepsOnlyTheNewestCapacitySamples) {
  LiveFeed feed(3);
  ASSERT_TRUE(feed.open(demo_tags()).ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(feed.write(demo_sample(i)).ok());
  auto snap = feed.recent(10);
  ASSERT_EQ(snap.entries.size(), 3u);
  EXPECT_EQ(snap.entries.front().seq, 3u);
  EXPECT_EQ(snap.entries.back().seq, 5u);
  EXPECT_EQ(snap.last_seq, 5u);
  EXPECT_EQ(snap.tags.size(), 4u);
}

TEST(LiveFeed, RecentReturnsTheNewestNOldestFirst) {
  LiveFeed feed(10);
  ASSERT_TRUE(feed.open(demo_tags()).ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(feed.write(demo_sample(i)).ok());
  auto snap = feed.recent(2);
  ASSERT_EQ(snap.entries.size(), 2u);
  EXPECT_EQ(snap.entries[0].seq, 4u);
  EXPECT_EQ(snap.entries[1].seq, 5u);
}

TEST(LiveFeed, SinceReturnsOnlyNewerSamples) {
  LiveFeed feed(3);
  ASSERT_TRUE(feed.open(demo_tags()).ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(feed.write(demo_sample(i)).ok());
  EXPECT_EQ(feed.since(4).entries.size(), 1u);
  EXPECT_TRUE(feed.since(5).entries.empty());
  EXPECT_EQ(feed.since(0).entries.size(), 3u);  // older ones fell out of the ring
}

TEST(LiveFeed, ReopenChangesTagsVersionAndKeepsSequenceRising) {
  LiveFeed feed(5);
  ASSERT_TRUE(feed.open(demo_tags()).ok());
  ASSERT_TRUE(feed.write(demo_sample(0)).ok());
  auto v1 = feed.recent(1).tags_version;
  ASSERT_TRUE(feed.open(demo_tags()).ok());
  EXPECT_EQ(feed.size(), 0u);
  ASSERT_TRUE(feed.write(demo_sample(1)).ok());
  auto snap = feed.recent(1);
  EXPECT_NE(snap.tags_version, v1);
  EXPECT_EQ(snap.entries.back().seq, 2u);
}

TEST(LiveFeed, WaitNewerWakesOnWrite) {
  LiveFeed feed(5);
  ASSERT_TRUE(feed.open(demo_tags()).ok());
  std::atomic<bool> cancel{false};
  std::thread writer([&] { (void)feed.write(demo_sample(0)); });
  // Long timeout: the test only finishes early because the write wakes the waiter.
  auto seq = feed.wait_newer(0, std::chrono::minutes(5), cancel);
  writer.join();
  EXPECT_EQ(seq, 1u);
}

TEST(LiveFeed, WaitNewerReturnsWhenCancelled) {
  LiveFeed feed(5);
  std::atomic<bool> cancel{false};
  std::thread stopper([&] {
    cancel = true;
    feed.wake_all();
  });
  auto seq = feed.wait_newer(0, std::chrono::minutes(5), cancel);
  stopper.join();
  EXPECT_EQ(seq, 0u);
}

// ---------------------------------------------------------------------------------------------
// Groups: one ring per (PLC, group).

namespace {

logger::Sample named(std::int64_t i, const char* plc, const char* group) {
  auto s = demo_sample(i);
  s.plc = plc;
  s.group = group;
  return s;
}

std::vector<logger::TagInfo> slow_tags() {
  return {web::testing::tag("level", s7::DataType::Int),
          web::testing::tag("running", s7::DataType::Bool)};
}

}  // namespace

TEST(LiveFeedGroups, EachGroupHasItsOwnRingAndTags) {
  LiveFeed feed(3);
  ASSERT_TRUE(feed.open_group("press1", "fast", demo_tags()).ok());
  ASSERT_TRUE(feed.open_group("press2", "slow", slow_tags()).ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(feed.write(named(i, "press1", "fast")).ok());
  ASSERT_TRUE(feed.write(named(9, "press2", "slow")).ok());
  auto groups = feed.groups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].key, (LiveGroupKey{"press1", "fast"}));
  EXPECT_EQ(groups[0].held, 3u);  // the capacity is per group
  EXPECT_EQ(groups[1].key, (LiveGroupKey{"press2", "slow"}));
  EXPECT_EQ(groups[1].tags.size(), 2u);
  EXPECT_EQ(groups[1].held, 1u);
  EXPECT_EQ(feed.size(), 4u);

  auto slow = feed.recent(LiveGroupKey{"press2", "slow"}, 10);
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->key.group, "slow");
  EXPECT_EQ(slow->tags[0].name, "level");
  ASSERT_EQ(slow->entries.size(), 1u);
  EXPECT_EQ(slow->entries[0].seq, 6u);  // sequence numbers are shared by the groups
  EXPECT_FALSE(feed.recent(LiveGroupKey{"press2", "fast"}, 10));
  EXPECT_EQ(*feed.first_group(), (LiveGroupKey{"press1", "fast"}));
  // The one-group forms read the first group.
  EXPECT_EQ(feed.recent(10).entries.back().seq, 5u);
}

TEST(LiveFeedGroups, SinceWorksWithSequenceNumbersOtherGroupsTook) {
  LiveFeed feed(10);
  ASSERT_TRUE(feed.open_group("a", "x", demo_tags()).ok());
  ASSERT_TRUE(feed.open_group("b", "y", demo_tags()).ok());
  for (int i = 0; i < 6; ++i)
    ASSERT_TRUE(feed.write(named(i, i % 2 ? "b" : "a", i % 2 ? "y" : "x")).ok());
  auto ax = feed.since(LiveGroupKey{"a", "x"}, 2);  // a holds 1, 3, 5
  ASSERT_TRUE(ax);
  ASSERT_EQ(ax->entries.size(), 2u);
  EXPECT_EQ(ax->entries[0].seq, 3u);
  EXPECT_EQ(ax->entries[1].seq, 5u);
  EXPECT_TRUE(feed.since(LiveGroupKey{"b", "y"}, 6)->entries.empty());
  EXPECT_FALSE(feed.since(LiveGroupKey{"c", "z"}, 0));
}

TEST(LiveFeedGroups, OpenIsTheOneGroupCaseAndTakesEverySample) {
  LiveFeed feed(10);
  ASSERT_TRUE(feed.open(demo_tags()).ok());
  ASSERT_TRUE(feed.write(demo_sample(0)).ok());
  ASSERT_TRUE(feed.write(named(1, "press1", "fast")).ok());  // the only group takes it
  EXPECT_EQ(*feed.first_group(), (LiveGroupKey{"", ""}));
  EXPECT_EQ(feed.recent(10).entries.size(), 2u);
}

TEST(LiveFeedGroups, SamplesOfUnknownGroupsAreDroppedWhenThereAreSeveral) {
  LiveFeed feed(10);
  ASSERT_TRUE(feed.open_group("a", "x", demo_tags()).ok());
  ASSERT_TRUE(feed.open_group("b", "y", demo_tags()).ok());
  ASSERT_TRUE(feed.write(named(0, "c", "z")).ok());
  EXPECT_EQ(feed.size(), 0u);
}

TEST(LiveFeedGroups, AReloadDropsTheGroupsItDoesNotOpenAgain) {
  LiveFeed feed(10);
  ASSERT_TRUE(feed.open_group("a", "x", demo_tags()).ok());
  ASSERT_TRUE(feed.open_group("b", "y", demo_tags()).ok());
  ASSERT_TRUE(feed.write(named(0, "b", "y")).ok());
  feed.close();
  // The next run opens a and a new c; b goes at the first write.
  ASSERT_TRUE(feed.open_group("a", "x", slow_tags()).ok());
  ASSERT_TRUE(feed.open_group("c", "z", demo_tags()).ok());
  ASSERT_TRUE(feed.write(named(1, "c", "z")).ok());
  auto groups = feed.groups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].key, (LiveGroupKey{"a", "x"}));
  EXPECT_EQ(groups[0].tags.size(), 2u);
  EXPECT_EQ(groups[1].key, (LiveGroupKey{"c", "z"}));
  EXPECT_FALSE(feed.has_group(LiveGroupKey{"b", "y"}));
  // A waiter on a dropped group returns at once.
  std::atomic<bool> cancel{false};
  EXPECT_EQ(feed.wait_newer(LiveGroupKey{"b", "y"}, 0, std::chrono::minutes(5), cancel), 0u);
}

TEST(LiveFeedGroups, TheIntervalLookupIsAskedWhenAGroupOpens) {
  LiveFeed feed(10);
  feed.set_interval_lookup([](const std::string& plc, const std::string& group) {
    return plc == "a" && group == "x" ? std::optional(std::chrono::nanoseconds(250'000'000))
                                      : std::nullopt;
  });
  ASSERT_TRUE(feed.open_group("a", "x", demo_tags()).ok());
  ASSERT_TRUE(feed.open_group("b", "y", demo_tags()).ok());
  auto groups = feed.groups();
  EXPECT_EQ(groups[0].interval, std::chrono::milliseconds(250));
  EXPECT_FALSE(groups[1].interval);
}

TEST(LiveFeedGroups, WaitNewerOfAGroupWakesOnItsWrite) {
  LiveFeed feed(5);
  ASSERT_TRUE(feed.open_group("a", "x", demo_tags()).ok());
  ASSERT_TRUE(feed.open_group("b", "y", demo_tags()).ok());
  std::atomic<bool> cancel{false};
  std::thread writer([&] {
    (void)feed.write(named(0, "a", "x"));
    (void)feed.write(named(1, "b", "y"));
  });
  auto seq = feed.wait_newer(LiveGroupKey{"b", "y"}, 0, std::chrono::minutes(5), cancel);
  writer.join();
  EXPECT_EQ(seq, 2u);
}
