// platform/console.hpp: stop events reach the innermost handler, the previous handling comes
// back, the environment and the names of events.
#include "platform/console.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string>

#ifndef _WIN32
#include <signal.h>
#endif

namespace {

std::atomic<int> g_outer{-1};
std::atomic<int> g_inner{-1};
void outer_handler(platform::ConsoleEvent e) {
  g_outer.store(static_cast<int>(e));
}
void inner_handler(platform::ConsoleEvent e) {
  g_inner.store(static_cast<int>(e));
}

TEST(SetEnv, WhatGetenvReads) {
  ASSERT_TRUE(platform::set_env("S7LOG_PLATFORM_TEST", "a,b ø"));
  const char* v = std::getenv("S7LOG_PLATFORM_TEST");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(std::string(v), "a,b ø");
  ASSERT_TRUE(platform::set_env("S7LOG_PLATFORM_TEST", "other"));
  EXPECT_EQ(std::string(std::getenv("S7LOG_PLATFORM_TEST")), "other");
}

TEST(EventName, NamesEachEvent) {
  EXPECT_EQ(std::string(platform::event_name(platform::ConsoleEvent::interrupt)), "Ctrl+C");
  for (auto e : {platform::ConsoleEvent::break_key, platform::ConsoleEvent::terminate,
                 platform::ConsoleEvent::hangup, platform::ConsoleEvent::reload})
    EXPECT_FALSE(std::string(platform::event_name(e)).empty());
}

TEST(Console, TerminalQueriesAnswer) {
  // Only that they answer: the answer depends on how the tests are run.
  (void)platform::is_terminal(platform::kStdout);
  (void)platform::has_terminal();
  platform::prepare_console();
  platform::prepare_console();  // a second call does nothing
  SUCCEED();
}

#ifndef _WIN32
bool is_default(int sig) {
  struct sigaction now {};
  ::sigaction(sig, nullptr, &now);
  return (now.sa_flags & SA_SIGINFO) == 0 && now.sa_handler == SIG_DFL;
}

TEST(StopHandling, SignalsReachTheInnermostHandlerAndTheDefaultsComeBack) {
  ASSERT_TRUE(is_default(SIGINT));
  ASSERT_TRUE(is_default(SIGHUP));
  {
    platform::StopHandling outer(outer_handler, /*reload=*/false);
    EXPECT_TRUE(is_default(SIGHUP));  // without reload SIGHUP is left alone
    std::raise(SIGTERM);
    EXPECT_EQ(g_outer.load(), static_cast<int>(platform::ConsoleEvent::terminate));
    {
      platform::StopHandling inner(inner_handler, /*reload=*/true);
      std::raise(SIGINT);
      EXPECT_EQ(g_inner.load(), static_cast<int>(platform::ConsoleEvent::interrupt));
      // A SIGHUP sent by a program (kill, raise) asks for a reload; only the kernel's (the
      // terminal closed) is a hang-up.
      std::raise(SIGHUP);
      EXPECT_EQ(g_inner.load(), static_cast<int>(platform::ConsoleEvent::reload));
    }
    EXPECT_TRUE(is_default(SIGHUP));
    g_outer.store(-1);
    std::raise(SIGINT);
    EXPECT_EQ(g_outer.load(), static_cast<int>(platform::ConsoleEvent::interrupt));
  }
  EXPECT_TRUE(is_default(SIGINT));
  EXPECT_TRUE(is_default(SIGTERM));
}
#else
TEST(StopHandling, NestsAndEnds) {
  // Windows cannot send a console control event to itself under test (GenerateConsoleCtrlEvent
  // needs a shared console; Wine returns FALSE): only installing and removing is checked here.
  {
    platform::StopHandling outer(outer_handler, /*reload=*/false);
    platform::StopHandling inner(inner_handler, /*reload=*/true);
  }
  EXPECT_EQ(g_outer.load(), -1);
  EXPECT_EQ(g_inner.load(), -1);
}
#endif

}  // namespace
