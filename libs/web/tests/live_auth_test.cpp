// Tests of the token helpers: loopback hosts, new tokens, constant-time comparison, Bearer and
// Cookie parsing, and the headers the request head parser keeps for them.
#include "web/live_auth.hpp"

#include <gtest/gtest.h>

#include <set>

#include "web/http_limits.hpp"

using namespace web;

TEST(LiveAuth, LoopbackHostsAreLocalhost127And1) {
  for (const char* h :
       {"localhost", "LocalHost", "localhost.", "127.0.0.1", "127.1.2.3", "127.255.255.255", "::1",
        "[::1]", "0:0:0:0:0:0:0:1", "0000:0000:0000:0000:0000:0000:0000:0001", "::0:1",
        "::ffff:127.0.0.1", "[::FFFF:7f00:1]"}) {
    EXPECT_TRUE(is_loopback_host(h)) << h;
  }
  for (const char* h : {"0.0.0.0", "::", "[::]", "", "192.168.1.10", "10.0.0.1", "128.0.0.1",
                        "127.0.0", "127.0.0.1.nip.io", "localhost.example", "::2", "1::1",
                        "::ffff:10.0.0.1", "fe80::1", "plc-box", "0x7f.1", "2130706433"}) {
    EXPECT_FALSE(is_loopback_host(h)) << h;
  }
}

TEST(LiveAuth, NewTokensAre32HexDigitsAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto t = new_live_token();
    ASSERT_EQ(t.size(), 32u) << t;
    EXPECT_EQ(t.find_first_not_of("0123456789abcdef"), std::string::npos) << t;
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(LiveAuth, TokenEqualComparesWholeTokens) {
  EXPECT_TRUE(token_equal("abcdef0123456789", "abcdef0123456789"));
  EXPECT_FALSE(token_equal("abcdef012345678", "abcdef0123456789"));    // a prefix
  EXPECT_FALSE(token_equal("abcdef0123456789x", "abcdef0123456789"));  // longer
  EXPECT_FALSE(token_equal("bbcdef0123456789", "abcdef0123456789"));   // first differs
  EXPECT_FALSE(token_equal("", "abcdef0123456789"));
  EXPECT_FALSE(token_equal(std::string("abc\0", 4), "abc"));
  EXPECT_FALSE(token_equal("", ""));  // no token configured never matches
}

TEST(LiveAuth, BearerAndCookieValues) {
  EXPECT_EQ(bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(bearer_token("bearer   abc "), "abc");
  EXPECT_EQ(bearer_token("Basic abc"), std::nullopt);
  EXPECT_EQ(bearer_token("Bearer"), std::nullopt);
  EXPECT_EQ(cookie_value("s7log_token=abc", kTokenCookie), "abc");
  EXPECT_EQ(cookie_value("a=1; s7log_token=abc; b=2", kTokenCookie), "abc");
  EXPECT_EQ(cookie_value("a=1;s7log_token=\"abc\"", kTokenCookie), "abc");
  EXPECT_EQ(cookie_value("xs7log_token=abc; s7log_tokenx=d", kTokenCookie), std::nullopt);
  EXPECT_EQ(cookie_value("", kTokenCookie), std::nullopt);
}

TEST(LiveAuth, RequestHeadKeepsAuthorizationAndCookies) {
  HttpRefusal why;
  auto h = parse_request_head(
      "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t1\r\nAuthorization: Bearer t2\r\n"
      "Cookie: a=1\r\ncookie: s7log_token=t3\r\n\r\n",
      why);
  ASSERT_TRUE(h) << why.text;
  EXPECT_EQ(h->authorization, "Bearer t1");
  EXPECT_EQ(h->cookie, "a=1; s7log_token=t3");
}
