// Tests of the live server with several PLCs and groups (/api/groups, ?plc=&group= on /api and
// /events, labelled /metrics) and of its token (401 without; ?token=, Bearer, cookie; /metrics
// open).
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "test_samples.hpp"
#include "web/live_auth.hpp"
#include "web/server.hpp"

using namespace web;
using ::testing::HasSubstr;
using web::testing::Client;
using web::testing::demo_sample;
using web::testing::demo_tags;
using web::testing::read_events;
using web::testing::tag;

namespace {

std::vector<logger::TagInfo> slow_tags() {
  return {tag("level", s7::DataType::Int), tag("running", s7::DataType::Bool)};
}

logger::Sample fast_sample(std::int64_t i) {
  auto s = demo_sample(i);
  s.plc = "press1";
  s.group = "fast";
  return s;
}

logger::Sample slow_sample(std::int64_t i) {
  logger::Sample s;
  s.ts = std::chrono::system_clock::time_point{} + std::chrono::seconds(1'700'000'000 + i);
  s.plc = "press2";
  s.group = "slow";
  s.values = {logger::TagValue{s7::Value(s7::Scalar(std::int64_t{100 + i})), logger::Quality::ok},
              logger::TagValue{s7::Value(s7::Scalar(true)), logger::Quality::ok}};
  return s;
}

std::unique_ptr<logger::NamedStats> named(std::string plc, std::string group = {}) {
  auto n = std::make_unique<logger::NamedStats>();
  n->plc = std::move(plc);
  n->group = std::move(group);
  return n;
}

// Two PLCs with a group each, the counters of each, a server on a free loopback port.
struct Plant : ::testing::Test {
  LiveFeed feed{100};
  logger::Stats total;
  std::vector<std::unique_ptr<logger::NamedStats>> plcs, groups;
  std::unique_ptr<LiveServer> server;
  std::uint16_t port = 0;

  void SetUp() override { start(""); }
  void TearDown() override { server->stop(); }

  void start(const std::string& token) {
    if (server) server->stop();
    plcs.clear();
    groups.clear();
    plcs.push_back(named("press1"));
    plcs.push_back(named("press2"));
    plcs[0]->stats.link = logger::LinkState::connected;
    plcs[1]->stats.link = logger::LinkState::reconnecting;
    plcs[1]->stats.reconnects = 4;
    groups.push_back(named("press1", "fast"));
    groups.push_back(named("press2", "slow"));
    groups[0]->stats.samples_written = 3;
    groups[1]->stats.samples_written = 2;
    feed.set_interval_lookup([](const std::string&, const std::string& group) {
      return group == "fast" ? std::optional(std::chrono::nanoseconds(100'000'000)) : std::nullopt;
    });
    EXPECT_TRUE(feed.open_group("press1", "fast", demo_tags()).ok());
    EXPECT_TRUE(feed.open_group("press2", "slow", slow_tags()).ok());
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(feed.write(fast_sample(i)).ok());
    for (int i = 0; i < 2; ++i) EXPECT_TRUE(feed.write(slow_sample(i)).ok());
    LiveStatsView view(total);
    view.plcs = [this] { return list(plcs); };
    view.groups = [this] { return list(groups); };
    server = std::make_unique<LiveServer>(feed, view, HttpLimits{}, token);
    auto p = server->start("127.0.0.1", 0);
    ASSERT_TRUE(p.ok()) << p.error().what();
    port = *p;
  }
  static std::vector<const logger::NamedStats*> list(
      const std::vector<std::unique_ptr<logger::NamedStats>>& from) {
    std::vector<const logger::NamedStats*> out;
    for (const auto& n : from) out.push_back(n.get());
    return out;
  }
  Client client() const {
    Client c(port);
    c.set_read_timeout(std::chrono::seconds(10));
    return c;
  }
  nlohmann::json get_json(const std::string& path, int want_status = 200) {
    auto res = client().get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, want_status) << path << ": " << res->body;
    EXPECT_EQ(res->header("Content-Type"), "application/json") << path;
    return nlohmann::json::parse(res->body);
  }
};

using LiveServerGroups = Plant;

}  // namespace

TEST_F(LiveServerGroups, ApiGroupsListsEachGroupWithItsTagsIntervalAndLink) {
  auto j = get_json("/api/groups");
  ASSERT_EQ(j["groups"].size(), 2u);
  const auto& fast = j["groups"][0];
  EXPECT_EQ(fast["plc"], "press1");
  EXPECT_EQ(fast["group"], "fast");
  EXPECT_EQ(fast["tags"][0], (nlohmann::json{{"name", "counter"}, {"kind", "number"}}));
  EXPECT_EQ(fast["interval_ms"], 100.0);
  EXPECT_EQ(fast["link"], "connected");
  EXPECT_EQ(fast["held"], 3);
  const auto& slow = j["groups"][1];
  EXPECT_EQ(slow["plc"], "press2");
  EXPECT_EQ(slow["tags"].size(), 2u);
  EXPECT_EQ(slow["link"], "reconnecting");
  EXPECT_FALSE(slow.contains("interval_ms"));  // unknown: left out
  EXPECT_EQ(j["plcs"], (nlohmann::json::array({{{"plc", "press1"}, {"link", "connected"}},
                                               {{"plc", "press2"}, {"link", "reconnecting"}}})));
}

TEST_F(LiveServerGroups, LatestAndHistoryServeTheNamedGroupAndDefaultToTheFirst) {
  auto j = get_json("/api/latest");
  EXPECT_EQ(j["plc"], "press1");
  EXPECT_EQ(j["group"], "fast");
  EXPECT_EQ(j["values"]["counter"], 2);

  j = get_json("/api/latest?plc=press2&group=slow");
  EXPECT_EQ(j["plc"], "press2");
  EXPECT_EQ(j["group"], "slow");
  EXPECT_EQ(j["values"], (nlohmann::json{{"level", 101}, {"running", true}}));
  EXPECT_EQ(get_json("/api/latest?group=slow")["plc"], "press2");  // one name is enough
  EXPECT_EQ(get_json("/api/latest?plc=press2")["group"], "slow");

  j = get_json("/api/history?plc=press2&group=slow&last=5");
  EXPECT_EQ(j["plc"], "press2");
  EXPECT_EQ(j["group"], "slow");
  EXPECT_EQ(j["columns"][0]["name"], "level");
  ASSERT_EQ(j["samples"].size(), 2u);
  EXPECT_EQ(j["samples"][0]["plc"], "press2");
  EXPECT_EQ(j["samples"][0]["group"], "slow");
  EXPECT_EQ(j["samples"][0]["values"]["level"], 100);
  EXPECT_EQ(get_json("/api/history?last=2")["samples"][1]["values"]["counter"], 2);
}

TEST_F(LiveServerGroups, UnknownGroupsAre404NamingTheKnownOnes) {
  for (const char* path : {"/api/latest?plc=press3", "/api/history?plc=press1&group=slow",
                           "/api/latest?group=", "/events?plc=nope&group=x"}) {
    auto j = get_json(path, 404);
    EXPECT_THAT(j["error"].get<std::string>(), HasSubstr("known groups: press1/fast, press2/slow"))
        << path;
    EXPECT_EQ(j["groups"], (nlohmann::json::array({{{"plc", "press1"}, {"group", "fast"}},
                                                   {{"plc", "press2"}, {"group", "slow"}}})))
        << path;
  }
  EXPECT_EQ(server->stream_count(), 0u);
}

TEST_F(LiveServerGroups, EventsStreamTheNamedGroupWithEveryPlcsLinkInStatus) {
  std::atomic<bool> got_hello{false};
  std::thread writer([&] {
    while (!got_hello) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_TRUE(feed.write(fast_sample(3)).ok());  // another group's: not on this stream
    ASSERT_TRUE(feed.write(slow_sample(2)).ok());
  });
  auto events = read_events(port, 3, &got_hello, "/events?plc=press2&group=slow");
  writer.join();
  ASSERT_GE(events.size(), 3u);
  ASSERT_EQ(events[0].first, "hello");
  const auto& hello = events[0].second;
  EXPECT_EQ(hello["plc"], "press2");
  EXPECT_EQ(hello["group"], "slow");
  EXPECT_EQ(hello["columns"][1], (nlohmann::json{{"name", "running"}, {"kind", "boolean"}}));
  ASSERT_EQ(hello["history"].size(), 2u);
  EXPECT_EQ(hello["history"][1]["v"][0], 101.0);
  bool saw_sample = false;
  for (std::size_t i = 1; i < events.size(); ++i) {
    const auto& [name, data] = events[i];
    if (name == "sample") {
      EXPECT_EQ(data["v"][0], 102.0);  // the slow group's, never the fast one's
      saw_sample = true;
    } else if (name == "status") {
      EXPECT_EQ(data["link"], "reconnecting");  // of the group's PLC
      EXPECT_EQ(data["reconnects"], 4);
      EXPECT_EQ(data["samples_written"], 2);
      EXPECT_EQ(data["plcs"].size(), 2u);
      EXPECT_EQ(data["plcs"][0]["link"], "connected");
    }
  }
  EXPECT_TRUE(saw_sample);
}

TEST_F(LiveServerGroups, MetricsCarryTheTotalsAndThePerPlcAndGroupFamilies) {
  total.samples_written = 5;
  auto res = client().get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->body, HasSubstr("\ns7log_samples_written_total 5\n"));
  EXPECT_THAT(res->body,
              HasSubstr("\ns7log_plc_link_state{plc=\"press2\",state=\"reconnecting\"} 1\n"));
  EXPECT_THAT(res->body,
              HasSubstr("\ns7log_group_samples_written_total{plc=\"press1\",group=\"fast\"} 3\n"));
  EXPECT_THAT(res->body, HasSubstr("\ns7log_live_capacity_samples 200\n"));  // 100 per group
}

// ---------------------------------------------------------------------------------------------
// The token.

namespace {

constexpr const char* kToken = "0123456789abcdef0123456789abcdef";

struct WithToken : Plant {
  void SetUp() override { start(kToken); }
};
using LiveServerToken = WithToken;

}  // namespace

TEST_F(LiveServerToken, EveryRouteButMetricsIs401WithoutTheToken) {
  auto c = client();
  for (const char* path : {"/", "/live.js", "/favicon.ico", "/api", "/api/groups", "/api/latest",
                           "/api/history?last=2", "/events", "/nope", "/?token=wrong",
                           "/?token=" /* empty */, "/?token=0123456789abcdef0123456789abcde"}) {
    auto res = c.get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 401) << path;
    EXPECT_THAT(res->body, HasSubstr("needs its token")) << path;
    EXPECT_EQ(res->header("WWW-Authenticate"), "Bearer realm=\"s7log live\"") << path;
    EXPECT_FALSE(res->has_header("Set-Cookie")) << path;
  }
  for (const auto& headers :
       std::vector<web::testing::Headers>{{{"Authorization", "Bearer wrong"}},
                                          {{"Authorization", std::string("Basic ") + kToken}},
                                          {{"Cookie", "s7log_token=wrong"}},
                                          {{"Cookie", std::string("other=") + kToken}}}) {
    auto res = c.get("/api/latest", headers);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << headers[0].second;
  }
  EXPECT_EQ(server->stream_count(), 0u);
  auto metrics = c.get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_THAT(metrics->body, HasSubstr("s7log_samples_written_total"));
}

TEST_F(LiveServerToken, TheQueryTokenIsAcceptedAndSetsTheCookie) {
  auto c = client();
  auto res = c.get(std::string("/?token=") + kToken);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->body, HasSubstr("<script src=\"/live.js\">"));
  EXPECT_EQ(res->header("Set-Cookie"),
            std::string("s7log_token=") + kToken + "; Path=/; HttpOnly; SameSite=Strict");
  res = c.get(std::string("/api/latest?plc=press2&token=") + kToken);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(nlohmann::json::parse(res->body)["group"], "slow");
}

TEST_F(LiveServerToken, BearerAndCookieAreAccepted) {
  auto c = client();
  auto res = c.get("/api/groups", {{"Authorization", std::string("Bearer ") + kToken}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(res->has_header("Set-Cookie"));
  res = c.get("/api/latest", {{"authorization", std::string("bearer  ") + kToken}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  res = c.get("/live.js", {{"Cookie", std::string("theme=dark; s7log_token=") + kToken}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(res->has_header("Set-Cookie"));  // it holds the token already
  // A stream with the cookie, as the page's EventSource sends it.
  auto events = read_events(port, 1, nullptr, "/events?group=slow",
                            {{"Cookie", std::string("s7log_token=") + kToken}});
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].first, "hello");
  EXPECT_EQ(events[0].second["group"], "slow");
}
