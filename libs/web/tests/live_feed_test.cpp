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
