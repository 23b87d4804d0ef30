// Tests of every LiveServer endpoint with httplib::Client on loopback (port picked at run time).
#include "web/server.hpp"

#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "test_samples.hpp"

using namespace web;
using ::testing::HasSubstr;
using web::testing::demo_sample;
using web::testing::demo_tags;

namespace {

struct Fixture : ::testing::Test {
  LiveFeed feed{100};
  logger::Stats stats;
  LiveServer server{feed, stats};
  std::uint16_t port = 0;

  void SetUp() override {
    ASSERT_TRUE(feed.open(demo_tags()).ok());
    auto p = server.start("127.0.0.1", 0);
    ASSERT_TRUE(p.ok()) << p.error().what();
    port = *p;
  }
  void TearDown() override { server.stop(); }
  void feed_samples(int n, int first = 0) {
    for (int i = first; i < first + n; ++i) ASSERT_TRUE(feed.write(demo_sample(i)).ok());
  }
  httplib::Client client() {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(10, 0);
    return c;
  }
};

// Reads SSE events ("event:" name + "data:" JSON) until `want` have arrived.
// `got_first` is set once the first event has arrived.
std::vector<std::pair<std::string, nlohmann::json>> read_events(
    std::uint16_t port, std::size_t want, std::atomic<bool>* got_first = nullptr) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(10, 0);
  std::string buf;
  std::vector<std::pair<std::string, nlohmann::json>> events;
  c.Get("/events", [&](const char* data, std::size_t len) {
    buf.append(data, len);
    std::size_t end;
    while ((end = buf.find("\n\n")) != std::string::npos) {
      std::string block = buf.substr(0, end);
      buf.erase(0, end + 2);
      std::string name, payload;
      std::size_t pos = 0;
      while (pos < block.size()) {
        auto nl = block.find('\n', pos);
        auto line = block.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        if (line.rfind("event: ", 0) == 0) name = line.substr(7);
        if (line.rfind("data: ", 0) == 0) payload = line.substr(6);
        pos = nl == std::string::npos ? block.size() : nl + 1;
      }
      if (!name.empty()) events.emplace_back(name, nlohmann::json::parse(payload));
      if (got_first && !events.empty()) *got_first = true;
    }
    return events.size() < want;
  });
  return events;
}

}  // namespace

using LiveServerTest = Fixture;

TEST_F(LiveServerTest, LatestReturnsTheNewestSample) {
  feed_samples(3);
  auto c = client();
  auto res = c.Get("/api/latest");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  auto j = nlohmann::json::parse(res->body);
  EXPECT_EQ(j["values"]["counter"], 2);
  EXPECT_EQ(j["values"]["alarm"], true);
  EXPECT_EQ(j["quality"]["pressure"], "ok");
  EXPECT_TRUE(j["ts"].is_string());
}

TEST_F(LiveServerTest, LatestBeforeAnySampleHasNullTs) {
  auto res = client().Get("/api/latest");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(nlohmann::json::parse(res->body)["ts"].is_null());
}

TEST_F(LiveServerTest, HistoryReturnsTheLastNOldestFirst) {
  feed_samples(10);
  auto res = client().Get("/api/history?last=3");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  auto j = nlohmann::json::parse(res->body);
  ASSERT_EQ(j["samples"].size(), 3u);
  EXPECT_EQ(j["samples"][0]["values"]["counter"], 7);
  EXPECT_EQ(j["samples"][2]["values"]["counter"], 9);
  EXPECT_EQ(j["columns"][0]["name"], "counter");
}

TEST_F(LiveServerTest, HistoryLargerThanHeldReturnsAllHeld) {
  feed_samples(4);
  auto res = client().Get("/api/history?last=100");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(nlohmann::json::parse(res->body)["samples"].size(), 4u);
}

TEST_F(LiveServerTest, HistoryDefaultsToSixty) {
  feed_samples(70);
  auto res = client().Get("/api/history");
  ASSERT_TRUE(res);
  EXPECT_EQ(nlohmann::json::parse(res->body)["samples"].size(), 60u);
}

TEST_F(LiveServerTest, HistoryRejectsBadLast) {
  auto c = client();
  for (const char* bad : {"0", "-1", "abc", "2x", "101", ""}) {
    auto res = c.Get((std::string("/api/history?last=") + bad).c_str());
    ASSERT_TRUE(res) << bad;
    EXPECT_EQ(res->status, 400) << bad;
    EXPECT_THAT(res->body, HasSubstr("last must be")) << bad;
  }
}

TEST_F(LiveServerTest, MetricsAreInPrometheusTextFormat) {
  stats.samples_written = 5;
  stats.observe_latency(std::chrono::milliseconds(1));
  auto res = client().Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->get_header_value("Content-Type"), HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(res->body, HasSubstr("# TYPE s7log_samples_written_total counter\n"
                                   "s7log_samples_written_total 5\n"));
  EXPECT_THAT(res->body, HasSubstr("s7log_read_latency_seconds_bucket{le=\"+Inf\"} 1\n"));
  EXPECT_THAT(res->body, HasSubstr("s7log_read_latency_seconds_count 1\n"));
}

TEST_F(LiveServerTest, ServesPageAssetsAndFavicon) {
  auto c = client();
  for (const char* path :
       {"/", "/live.js", "/chart.js", "/page.css", "/uplot.js", "/uplot.css", "/favicon.ico"}) {
    auto res = c.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_FALSE(res->body.empty()) << path;
  }
  EXPECT_EQ(c.Get("/favicon.ico")->get_header_value("Content-Type"), "image/x-icon");
  EXPECT_THAT(c.Get("/")->body, HasSubstr("<script src=\"/live.js\">"));
}

namespace {

// Answers the status of GET path, reading no body (so /events, a stream, returns at once).
int status_of(httplib::Client& c, const std::string& path) {
  int status = 0;
  auto res = c.Get(
      path,
      [&](const httplib::Response& r) {
        status = r.status;
        return false;
      },
      [](const char*, std::size_t) { return false; });
  (void)res;  // canceled on purpose after the status line
  return status;
}

}  // namespace

TEST_F(LiveServerTest, ApiIndexListsEveryEndpointAndEachAnswers) {
  feed_samples(2);
  auto c = client();
  for (const char* path : {"/api", "/api/"}) {
    auto res = c.Get(path);
    ASSERT_TRUE(res) << path;
    ASSERT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << path;
  }
  auto index = nlohmann::json::parse(c.Get("/api")->body);
  ASSERT_TRUE(index["endpoints"].is_array());
  std::set<std::string> listed;
  for (const auto& e : index["endpoints"]) {
    auto path = e.at("path").get<std::string>();
    EXPECT_TRUE(listed.insert(path).second) << path << " is listed twice";
    EXPECT_EQ(e.at("method"), "GET") << path;
    EXPECT_FALSE(e.at("description").get<std::string>().empty()) << path;
    int status = status_of(c, path);
    EXPECT_NE(status, 404) << path;
    EXPECT_EQ(status, 200) << path;
  }
  // The endpoints docs/live.md describes, all of them and nothing else.
  EXPECT_EQ(listed, (std::set<std::string>{"/", "/api", "/api/latest", "/api/history", "/events",
                                           "/metrics", "/favicon.ico", "/live.js", "/chart.js",
                                           "/page.css", "/uplot.js", "/uplot.css"}));
}

TEST_F(LiveServerTest, UnknownPathsAre404) {
  auto c = client();
  for (const char* path : {"/nope", "/api/nope", "/api/latest/x", "/metrics/x", "/apix"}) {
    auto res = c.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
  }
}

TEST_F(LiveServerTest, EventsStartWithHistoryThenStreamNewSamples) {
  feed_samples(3);
  std::atomic<bool> got_hello{false};
  std::thread writer([&] {
    // New samples only after the hello, so the test knows which samples are history.
    while (!got_hello) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    feed_samples(2, 3);
  });
  auto events = read_events(port, 3, &got_hello);
  writer.join();
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[0].first, "hello");
  const auto& hello = events[0].second;
  ASSERT_EQ(hello["history"].size(), 3u);
  EXPECT_EQ(hello["history"][0]["v"][0], 0.0);
  EXPECT_EQ(hello["history"][2]["v"][0], 2.0);
  EXPECT_EQ(hello["columns"][2]["kind"], "boolean");
  std::vector<double> counters;
  for (std::size_t i = 1; i < events.size(); ++i) {
    if (events[i].first == "sample") counters.push_back(events[i].second["v"][0]);
  }
  ASSERT_FALSE(counters.empty());
  EXPECT_EQ(counters[0], 3.0);  // the first new sample, nothing doubled or lost
}

TEST_F(LiveServerTest, StopEndsOpenStreams) {
  feed_samples(1);
  std::atomic<bool> done{false};
  std::thread reader([&] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    c.Get("/events", [&](const char*, std::size_t) { return true; });
    done = true;
  });
  while (server.stream_count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server.stop();  // returns only when the stream's worker has ended
  reader.join();
  EXPECT_TRUE(done);
  EXPECT_EQ(server.stream_count(), 0u);
}

TEST_F(LiveServerTest, PlainGetsWorkWhileManyStreamsAreOpen) {
  std::vector<std::thread> readers;
  std::atomic<bool> quit{false};
  for (int i = 0; i < LiveServer::kMaxStreams; ++i) {
    readers.emplace_back([&] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(60, 0);
      c.Get("/events", [&](const char*, std::size_t) { return !quit.load(); });
    });
  }
  while (server.stream_count() < static_cast<std::size_t>(LiveServer::kMaxStreams)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto c = client();
  auto res = c.Get("/api/latest");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  auto extra = c.Get("/events");  // one stream too many: refused, not queued
  ASSERT_TRUE(extra);
  EXPECT_EQ(extra->status, 503);
  quit = true;
  server.stop();
  for (auto& t : readers) t.join();
}

TEST(LiveServer, StartFailsWhenThePortIsTaken) {
  LiveFeed feed;
  logger::Stats stats;
  LiveServer a(feed, stats), b(feed, stats);
  auto pa = a.start("127.0.0.1", 0);
  ASSERT_TRUE(pa.ok());
  auto pb = b.start("127.0.0.1", *pa);
  ASSERT_FALSE(pb.ok());
  EXPECT_THAT(pb.error().what(), HasSubstr(std::to_string(*pa)));
}

TEST(ParseListenAddress, AcceptsHostPortForms) {
  auto a = parse_listen_address("0.0.0.0:9000");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "0.0.0.0");
  EXPECT_EQ(a->port, 9000);
  a = parse_listen_address(":0");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 0);
  a = parse_listen_address("8081");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8081);
  a = parse_listen_address("[::1]:8082");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 8082);
  a = parse_listen_address("localhost");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "localhost");
  EXPECT_EQ(a->port, 8080);
}

TEST(ParseListenAddress, RejectsBadPorts) {
  for (const char* bad : {"127.0.0.1:70000", "127.0.0.1:x", "host:", "[::1"}) {
    auto a = parse_listen_address(bad);
    EXPECT_FALSE(a.ok()) << bad;
  }
}
