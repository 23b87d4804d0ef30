// Tests of every LiveServer endpoint with our test HTTP client on loopback (port picked at run
// time), and of its limits (body size, head deadline, Host, workers) with raw connections where
// needed.
#include "web/server.hpp"

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <memory>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "test_samples.hpp"
#include "web/http_target.hpp"

using namespace web;
using ::testing::HasSubstr;
using web::testing::Client;
using web::testing::demo_sample;
using web::testing::demo_tags;
using web::testing::Headers;
using web::testing::read_events;
using web::testing::Response;
using RawClient = web::testing::Connection;  // for what a well-behaved client cannot send

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
  Client client() {
    Client c(port);
    c.set_read_timeout(std::chrono::seconds(10));
    return c;
  }
};

std::string status_line(const std::string& answer) {
  return answer.substr(0, answer.find("\r\n"));
}

}  // namespace

using LiveServerTest = Fixture;

TEST_F(LiveServerTest, LatestReturnsTheNewestSample) {
  feed_samples(3);
  auto c = client();
  auto res = c.get("/api/latest");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->header("Content-Type"), "application/json");
  auto j = nlohmann::json::parse(res->body);
  EXPECT_EQ(j["values"]["counter"], 2);
  EXPECT_EQ(j["values"]["alarm"], true);
  EXPECT_EQ(j["quality"]["pressure"], "ok");
  EXPECT_TRUE(j["ts"].is_string());
}

TEST_F(LiveServerTest, LatestBeforeAnySampleHasNullTs) {
  auto res = client().get("/api/latest");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(nlohmann::json::parse(res->body)["ts"].is_null());
}

TEST_F(LiveServerTest, HistoryReturnsTheLastNOldestFirst) {
  feed_samples(10);
  auto res = client().get("/api/history?last=3");
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
  auto res = client().get("/api/history?last=100");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(nlohmann::json::parse(res->body)["samples"].size(), 4u);
}

TEST_F(LiveServerTest, HistoryDefaultsToSixty) {
  feed_samples(70);
  auto res = client().get("/api/history");
  ASSERT_TRUE(res);
  EXPECT_EQ(nlohmann::json::parse(res->body)["samples"].size(), 60u);
}

TEST_F(LiveServerTest, HistoryRejectsBadLast) {
  auto c = client();
  for (const char* bad : {"0", "-1", "abc", "2x", "101", ""}) {
    auto res = c.get((std::string("/api/history?last=") + bad).c_str());
    ASSERT_TRUE(res) << bad;
    EXPECT_EQ(res->status, 400) << bad;
    EXPECT_THAT(res->body, HasSubstr("last must be")) << bad;
  }
}

TEST_F(LiveServerTest, MetricsAreInPrometheusTextFormat) {
  stats.samples_written = 5;
  stats.observe_latency(std::chrono::milliseconds(1));
  auto res = client().get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->header("Content-Type"), HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(res->body, HasSubstr("# TYPE s7log_samples_written_total counter\n"
                                   "s7log_samples_written_total 5\n"));
  EXPECT_THAT(res->body, HasSubstr("s7log_read_latency_seconds_bucket{le=\"+Inf\"} 1\n"));
  EXPECT_THAT(res->body, HasSubstr("s7log_read_latency_seconds_count 1\n"));
}

TEST_F(LiveServerTest, ServesPageAssetsAndFavicon) {
  auto c = client();
  for (const char* path :
       {"/", "/live.js", "/chart.js", "/page.css", "/uplot.js", "/uplot.css", "/favicon.ico"}) {
    auto res = c.get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_FALSE(res->body.empty()) << path;
  }
  EXPECT_EQ(c.get("/favicon.ico")->header("Content-Type"), "image/x-icon");
  EXPECT_THAT(c.get("/")->body, HasSubstr("<script src=\"/live.js\">"));
}

namespace {

// Answers the status of GET path, reading no body (so /events, a stream, returns at once).
int status_of(Client& c, const std::string& path) {
  auto res = c.request("GET", path, {}, [](const Response&) { return false; });
  return res ? res->status : 0;
}

}  // namespace

TEST_F(LiveServerTest, ApiIndexListsEveryEndpointAndEachAnswers) {
  feed_samples(2);
  auto c = client();
  for (const char* path : {"/api", "/api/"}) {
    auto res = c.get(path);
    ASSERT_TRUE(res) << path;
    ASSERT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->header("Content-Type"), "application/json") << path;
  }
  auto index = nlohmann::json::parse(c.get("/api")->body);
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
  EXPECT_EQ(listed,
            (std::set<std::string>{"/", "/api", "/api/groups", "/api/latest", "/api/history",
                                   "/events", "/metrics", "/favicon.ico", "/live.js", "/chart.js",
                                   "/page.css", "/uplot.js", "/uplot.css"}));
}

TEST_F(LiveServerTest, UnknownPathsAre404) {
  auto c = client();
  for (const char* path : {"/nope", "/api/nope", "/api/latest/x", "/metrics/x", "/apix"}) {
    auto res = c.get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
  }
}

TEST_F(LiveServerTest, HeadOtherMethodsAndConnectionHandling) {
  feed_samples(5);
  {  // HEAD: the GET answer's headers, no body; the connection goes on (keep-alive).
    RawClient c(port);
    ASSERT_TRUE(c.send("HEAD /api/latest HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    auto answer = c.read(std::chrono::milliseconds(300));
    EXPECT_EQ(status_line(answer), "HTTP/1.1 200 OK") << answer;
    EXPECT_THAT(answer, HasSubstr("\r\nContent-Length: "));
    EXPECT_THAT(answer, HasSubstr("\r\nKeep-Alive: timeout=2, max=100\r\n"));
    EXPECT_EQ(answer.substr(answer.find("\r\n\r\n") + 4), "");
    EXPECT_FALSE(c.closed_by_server);
  }
  // Every method but GET and HEAD: 404, as for an unknown path (httplib, too, answered 404 for
  // its known methods).
  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "FOO"}) {
    RawClient c(port);
    ASSERT_TRUE(c.send(std::string(method) +
                       " /api/latest HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    auto answer = c.read_to_close();
    EXPECT_EQ(status_line(answer), "HTTP/1.1 404 Not Found") << method;
    EXPECT_THAT(answer, HasSubstr("\r\nConnection: close\r\n")) << method;
    EXPECT_THAT(answer, ::testing::EndsWith("\r\n\r\n404 /api/latest\n")) << method;
    EXPECT_TRUE(c.closed_by_server) << method;
  }
  {  // HTTP/1.0: one answer, then the connection closes.
    RawClient c(port);
    ASSERT_TRUE(c.send("GET /api/history?l%61st=%33 HTTP/1.0\r\n\r\n"));
    auto answer = c.read_to_close();
    EXPECT_EQ(status_line(answer), "HTTP/1.1 200 OK") << answer;
    EXPECT_THAT(answer, HasSubstr("\r\nConnection: close\r\n"));
    auto body = nlohmann::json::parse(answer.substr(answer.find("\r\n\r\n") + 4));
    EXPECT_EQ(body["samples"].size(), 3u);  // percent-decoded name and value
    EXPECT_TRUE(c.closed_by_server);
  }
  {  // A decoded path is routed like the plain one.
    auto res = client().get("/api/%6catest");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    res = client().get("/api/history?last=+2");  // '+' is a space: not a number
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_THAT(res->body, HasSubstr("got ' 2'"));
  }
}

TEST_F(LiveServerTest, EventsOverHttp10EndWithTheConnection) {
  feed_samples(2);
  RawClient c(port);
  ASSERT_TRUE(c.send("GET /events HTTP/1.0\r\n\r\n"));
  std::string answer;
  while (answer.find("event: hello") == std::string::npos &&
         c.read_some(answer, std::chrono::seconds(10))) {
  }
  EXPECT_EQ(status_line(answer), "HTTP/1.1 200 OK") << answer;
  EXPECT_THAT(answer, HasSubstr("\r\nContent-Type: text/event-stream\r\n"));
  EXPECT_THAT(answer, HasSubstr("\r\nConnection: close\r\n"));
  EXPECT_EQ(answer.find("Transfer-Encoding"), std::string::npos) << answer;
  EXPECT_THAT(answer, HasSubstr("\r\n\r\nretry: 1000\n\nid: 2\nevent: hello\n"));
  server.stop();
  c.read_to_close();
  EXPECT_TRUE(c.closed_by_server);
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
    Client c(port);
    c.set_read_timeout(std::chrono::seconds(60));
    c.request("GET", "/events", {}, {}, [&](std::string_view) { return true; });
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
      Client c(port);
      c.set_read_timeout(std::chrono::seconds(60));
      c.request("GET", "/events", {}, {}, [&](std::string_view) { return !quit.load(); });
    });
  }
  while (server.stream_count() < static_cast<std::size_t>(LiveServer::kMaxStreams)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto c = client();
  auto res = c.get("/api/latest");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  auto extra = c.get("/events");  // one stream too many: refused, not queued
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

// ---------------------------------------------------------------------------------------------
// Limits and security (docs/live.md "Limits and security").

namespace {

// A LiveServer with the given limits on a free loopback port, with a few samples.
struct Running {
  LiveFeed feed{100};
  logger::Stats stats;
  std::unique_ptr<LiveServer> server;
  std::uint16_t port = 0;

  explicit Running(HttpLimits limits = {}) {
    EXPECT_TRUE(feed.open(demo_tags()).ok());
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(feed.write(demo_sample(i)).ok());
    server = std::make_unique<LiveServer>(feed, stats, std::move(limits));
    auto p = server->start("127.0.0.1", 0);
    EXPECT_TRUE(p.ok()) << p.error().what();
    port = p.ok() ? *p : 0;
  }
  ~Running() { server->stop(); }
  Client client() const {
    Client c(port);
    c.set_read_timeout(std::chrono::seconds(10));
    return c;
  }
};

// SSE readers on threads of their own; the destructor stops the server (which ends the streams)
// and joins them, also when an assertion ends the test early.
struct StreamReaders {
  Running& running;
  std::atomic<bool> quit{false};
  std::vector<std::thread> threads;

  explicit StreamReaders(Running& r) : running(r) {}
  ~StreamReaders() {
    quit = true;
    running.server->stop();
    for (auto& t : threads) t.join();
  }
  void open() {
    threads.emplace_back([this] {
      Client c(running.port);
      c.set_read_timeout(std::chrono::seconds(60));
      c.request("GET", "/events", {}, {}, [this](std::string_view) { return !quit.load(); });
    });
  }
};

// Polls `done` until it holds or 10 s pass (a bound so that a broken server fails the test
// instead of hanging it).
template <class F>
bool eventually(F done) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace

TEST(LiveServerLimits, BodyAboveTheLimitIs413AndTheConnectionClosesWithoutReadingIt) {
  Running r;
  RawClient c(r.port);
  ASSERT_TRUE(c.connected());
  // 1 GiB announced, a few bytes sent: the answer must not wait for the rest.
  ASSERT_TRUE(
      c.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1073741824\r\n\r\nabc"));
  auto answer = c.read_to_close();
  EXPECT_EQ(status_line(answer), "HTTP/1.1 413 Payload Too Large") << answer;
  EXPECT_THAT(answer, HasSubstr("Connection: close\r\n"));
  EXPECT_THAT(answer, HasSubstr("at most 1024 bytes"));
  EXPECT_TRUE(c.closed_by_server);
}

TEST(LiveServerLimits, ChunkedBodyIs413AndTheConnectionCloses) {
  Running r;
  RawClient c(r.port);
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(
      c.send("POST /api/latest HTTP/1.1\r\nHost: localhost\r\n"
             "Transfer-Encoding: chunked\r\n\r\n40000000\r\nxyz"));
  auto answer = c.read_to_close();
  EXPECT_EQ(status_line(answer), "HTTP/1.1 413 Payload Too Large") << answer;
  EXPECT_TRUE(c.closed_by_server);
}

TEST(LiveServerLimits, SmallBodiesAreReadAndTheRequestAnswered) {
  Running r;
  RawClient c(r.port);
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(
      c.send("GET /api/latest HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\n"
             "hello"
             "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
  auto answer = c.read_to_close();
  // Both requests of the (pipelined) connection are answered, the body is not taken as a request.
  EXPECT_EQ(status_line(answer), "HTTP/1.1 200 OK") << answer;
  EXPECT_THAT(answer, HasSubstr("\"seq\":3"));
  EXPECT_THAT(answer, HasSubstr("# TYPE s7log_samples_written_total counter"));
  EXPECT_TRUE(c.closed_by_server);
}

TEST(LiveServerLimits, SlowHeadIsCutOffAtTheHeadDeadline) {
  HttpLimits limits;
  limits.head_timeout = std::chrono::milliseconds(300);
  Running r(limits);
  RawClient c(r.port);
  ASSERT_TRUE(c.connected());
  // A byte every 20 ms: each byte arrives well within any per-read timeout, so only a deadline
  // for the whole head ends it. 500 bytes would take 10 s; the server must close long before.
  std::string head = "GET /api/latest HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
  head.resize(500, 'a');
  std::string answer;
  std::size_t sent = 0;
  for (; sent < head.size() && !c.closed_by_server; ++sent) {
    if (!c.send(head.substr(sent, 1))) break;
    answer += c.read(std::chrono::milliseconds(20));
  }
  answer += c.read(std::chrono::milliseconds(100));
  EXPECT_LT(sent, head.size()) << "the whole slow head was accepted";
  EXPECT_TRUE(c.closed_by_server);
  EXPECT_EQ(status_line(answer), "HTTP/1.1 408 Request Timeout") << answer;
}

TEST(LiveServerLimits, SilentConnectionIsClosedAtTheHeadDeadline) {
  HttpLimits limits;
  limits.head_timeout = std::chrono::milliseconds(200);
  Running r(limits);
  RawClient c(r.port);
  ASSERT_TRUE(c.connected());
  auto answer = c.read_to_close();
  EXPECT_TRUE(c.closed_by_server);
  EXPECT_EQ(answer, "");  // nothing was asked, nothing is answered
}

TEST(LiveServerLimits, HeadLargerThanTheCapIs431) {
  HttpLimits limits;
  limits.max_head_bytes = 2048;
  Running r(limits);
  RawClient c(r.port);
  ASSERT_TRUE(c.connected());
  std::string head = "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + std::string(4096, 'b');
  c.send(head);  // may fail part-way once the server has refused and closed
  auto answer = c.read_to_close();
  EXPECT_EQ(status_line(answer), "HTTP/1.1 431 Request Header Fields Too Large") << answer;
  EXPECT_TRUE(c.closed_by_server);
}

TEST(LiveServerLimits, HostCheckAcceptsLoopbackBoundAndConfiguredNames) {
  HttpLimits limits;
  limits.allowed_hosts = parse_host_list("Logger.Plant.Local, scada:8080");
  Running r(limits);
  auto c = r.client();
  for (const std::string& host : std::vector<std::string>{
           "localhost", "localhost:" + std::to_string(r.port), "LOCALHOST:1", "127.0.0.1",
           "127.0.0.1:" + std::to_string(r.port), "[::1]", "[::1]:8080", "192.0.2.7:8080",
           "logger.plant.local", "logger.plant.local:443", "SCADA", "localhost."}) {
    auto res = c.get("/api/latest", {{"Host", host}});
    ASSERT_TRUE(res) << host;
    EXPECT_EQ(res->status, 200) << host;
  }
}

TEST(LiveServerLimits, HostCheckRefusesOtherNames) {
  Running r;
  auto c = r.client();
  for (const std::string& host : std::vector<std::string>{
           "evil.example", "evil.example:" + std::to_string(r.port), "localhost.evil.example",
           "127.0.0.1.nip.io", "", "[::1", "a:b:c"}) {
    for (const char* path : {"/api/latest", "/metrics", "/", "/events"}) {
      auto res = c.get(path, {{"Host", host}});
      ASSERT_TRUE(res) << host << " " << path;
      EXPECT_EQ(res->status, 421) << host << " " << path;
      EXPECT_THAT(res->body, HasSubstr("unknown host")) << host;
    }
  }
  EXPECT_EQ(r.server->stream_count(), 0u);
}

TEST(LiveServerLimits, BoundNameIsAccepted) {
  LiveFeed feed;
  logger::Stats stats;
  LiveServer server(feed, stats);
  auto port = server.start("localhost", 0);  // a name, as in --live localhost:8080
  ASSERT_TRUE(port.ok());
  Client c(*port);
  c.set_read_timeout(std::chrono::seconds(10));
  auto res = c.get("/api/latest", {{"Host", "localhost:" + std::to_string(*port)}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  server.stop();
}

TEST(LiveServerLimits, EveryAnswerHasNosniffAndNoCorsHeaders) {
  Running r;
  auto c = r.client();
  Headers cross_site = {{"Origin", "http://evil.example"}};
  std::vector<std::optional<Response>> answers;
  answers.push_back(c.get("/", cross_site));
  answers.push_back(c.get("/api/latest", cross_site));
  answers.push_back(c.get("/metrics", cross_site));
  answers.push_back(c.get("/nope", cross_site));
  answers.push_back(c.get("/api/history?last=0", cross_site));
  answers.push_back(c.get("/api/latest", {{"Host", "evil.example"}}));
  answers.push_back(c.options("/api/latest", {{"Origin", "http://evil.example"},
                                              {"Access-Control-Request-Method", "GET"}}));
  std::set<int> statuses;
  for (auto& res : answers) {
    ASSERT_TRUE(res);
    statuses.insert(res->status);
    EXPECT_EQ(res->header("X-Content-Type-Options"), "nosniff") << res->status;
    for (const auto& [name, value] : res->headers) {
      std::string lower = name;
      for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      EXPECT_NE(lower.rfind("access-control-", 0), 0u)
          << res->status << ": " << name << ": " << value;
    }
  }
  EXPECT_EQ(statuses, (std::set<int>{200, 400, 404, 421}));
  // The refusals the gate writes itself carry it too.
  RawClient raw(r.port);
  raw.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999\r\n\r\n");
  auto refusal = raw.read_to_close();
  EXPECT_THAT(refusal, HasSubstr("\r\nX-Content-Type-Options: nosniff\r\n"));
  EXPECT_EQ(refusal.find("Access-Control-"), std::string::npos);
}

TEST(LiveServerLimits, PlainGetsFindAWorkerWhileStreamsAndSlowClientsHoldTheirs) {
  HttpLimits limits;
  limits.max_streams = 4;
  limits.plain_workers = 2;
  limits.head_timeout = std::chrono::seconds(60);  // the slow clients stay for the whole test
  Running r(limits);
  StreamReaders readers(r);
  for (std::size_t i = 0; i < limits.max_streams; ++i) readers.open();
  ASSERT_TRUE(eventually([&] { return r.server->stream_count() == limits.max_streams; }))
      << r.server->stream_count() << " streams";
  // 40 clients that started a request and send nothing more: more than every worker there is.
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < 40; ++i) {
    slow.push_back(std::make_unique<RawClient>(r.port));
    ASSERT_TRUE(slow.back()->send("GET /api/latest HTTP/1.1\r\nHost: local"));
  }
  auto c = r.client();
  for (int i = 0; i < 10; ++i) {
    for (const char* path : {"/api/latest", "/metrics", "/api/history?last=2"}) {
      auto res = c.get(path);
      ASSERT_TRUE(res) << path << " " << i;
      EXPECT_EQ(res->status, 200) << path;
    }
  }
  auto extra = c.get("/events");  // one stream too many: refused at once, not queued
  ASSERT_TRUE(extra);
  EXPECT_EQ(extra->status, 503);
  EXPECT_EQ(extra->header("Retry-After"), "5");
  // The slow clients were only waited for, never answered.
  for (auto& s : slow) EXPECT_EQ(s->read(std::chrono::milliseconds(0)), "");
}

TEST(LiveServerLimits, TooManyConnectionsCloseTheOldestWaitingOnes) {
  HttpLimits limits;
  limits.max_connections = 8;
  limits.head_timeout = std::chrono::seconds(60);
  Running r(limits);
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 20; ++i) {
    idle.push_back(std::make_unique<RawClient>(r.port));
    ASSERT_TRUE(idle.back()->connected());
  }
  auto res = r.client().get("/api/latest");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  idle.front()->read_to_close();
  EXPECT_TRUE(idle.front()->closed_by_server);
}

TEST(LiveServerLimits, IdleKeptAliveConnectionsHoldNoWorker) {
  HttpLimits limits;
  limits.plain_workers = 2;
  limits.keep_alive_timeout = std::chrono::seconds(60);
  Running r(limits);
  std::vector<std::unique_ptr<Client>> kept;
  for (int i = 0; i < 10; ++i) {
    kept.push_back(std::make_unique<Client>(r.port));
    kept.back()->set_keep_alive(true);
    kept.back()->set_read_timeout(std::chrono::seconds(10));
    auto res = kept.back()->get("/api/latest");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
  for (auto& k : kept) {  // each reuses its connection
    auto res = k->get("/metrics");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
  r.server->stop();
}

TEST(ParseRequestHead, ReadsMethodTargetHostAndBodyLength) {
  HttpRefusal why;
  auto h = parse_request_head(
      "GET /api/history?last=5 HTTP/1.1\r\nhost: a.example:80\r\ncontent-length:  12 \r\n"
      "Content-Length: 12\r\nX-Other: \"q\"\t\r\n\r\n",
      why);
  ASSERT_TRUE(h) << why.text;
  EXPECT_EQ(h->method, "GET");
  EXPECT_EQ(h->target, "/api/history?last=5");
  EXPECT_EQ(h->path, "/api/history");
  EXPECT_EQ(h->version, "HTTP/1.1");
  EXPECT_EQ(h->host, "a.example:80");
  EXPECT_EQ(h->content_length, 12u);
  EXPECT_FALSE(h->transfer_encoding);
  h = parse_request_head("POST / HTTP/1.0\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", why);
  ASSERT_TRUE(h) << why.text;
  EXPECT_FALSE(h->host);
  EXPECT_TRUE(h->transfer_encoding);
  h = parse_request_head("GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", why);
  ASSERT_TRUE(h) << why.text;
  EXPECT_EQ(h->content_length, std::numeric_limits<std::uint64_t>::max());
}

TEST(ParseRequestHead, RejectsMalformedHeads) {
  static constexpr char kNul[] = "GET / HTTP/1.1\r\nX: a\0b\r\n\r\n";
  for (const std::string& bad : std::vector<std::string>{
           "GET /\r\n\r\n",
           "GET  / HTTP/1.1\r\n\r\n",
           "GET / HTTP/2\r\n\r\n",
           "G(T / HTTP/1.1\r\n\r\n",
           "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
           "GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
           "GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
           "GET / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n",
           "GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\n",
           "GET / HTTP/1.1\r\nX: a\nContent-Length: 5000\r\n\r\n",
           "GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n",
           "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
           std::string(kNul, sizeof kNul - 1),
           "",
       }) {
    HttpRefusal why;
    EXPECT_FALSE(parse_request_head(bad, why)) << bad;
    EXPECT_EQ(why.status, 400) << bad;
  }
}

TEST(RefuseRequest, BodiesAndHosts) {
  HttpLimits limits;
  HttpRefusal why;
  auto head = [&](const std::string& text) { return *parse_request_head(text, why); };
  EXPECT_FALSE(refuse_request(head("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), limits, ""));
  EXPECT_FALSE(refuse_request(head("GET / HTTP/1.0\r\n\r\n"), limits, ""));
  EXPECT_FALSE(refuse_request(
      head("GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1024\r\n\r\n"), limits, ""));
  EXPECT_EQ(
      refuse_request(head("GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1025\r\n\r\n"),
                     limits, "")
          ->status,
      413);
  EXPECT_EQ(refuse_request(
                head("GET / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"),
                limits, "")
                ->status,
            413);
  EXPECT_EQ(refuse_request(head("GET / HTTP/1.1\r\n\r\n"), limits, "")->status, 400);
  EXPECT_EQ(
      refuse_request(head("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n"), limits, "")->status,
      421);
}

namespace {

// setenv() is POSIX; Windows has _putenv_s (which removes the variable for an empty value).
void set_env(const char* name, const char* value) {
#ifdef _WIN32
  _putenv_s(name, value);
#else
  ::setenv(name, value, 1);
#endif
}

}  // namespace

TEST(HttpLimitsFromEnv, ReadsTheAllowedHosts) {
  set_env(kAllowedHostsEnv, "Logger.Example:8080, scada");
  auto limits = http_limits_from_env();
  set_env(kAllowedHostsEnv, "");
  EXPECT_EQ(limits.allowed_hosts, (std::vector<std::string>{"logger.example", "scada"}));
  EXPECT_EQ(limits.max_body_bytes, 1024u);
  EXPECT_TRUE(http_limits_from_env().allowed_hosts.empty());
}

TEST(HostAllowed, LoopbackIpLiteralsBoundAndExtraNames) {
  std::vector<std::string> extra = parse_host_list("Logger.example,  scada:9000 [fe80::1]");
  EXPECT_EQ(extra, (std::vector<std::string>{"logger.example", "scada", "[fe80::1]"}));
  for (const char* ok : {"localhost", "localhost:8080", "127.0.0.1", "127.0.0.1:80", "[::1]",
                         "[::1]:8080", "10.1.2.3", "[2001:db8::5]:80", "logger.example", "scada:1",
                         "plc-box", "plc-box:8080", "Logger.Example."}) {
    EXPECT_TRUE(host_allowed(ok, "plc-box", extra)) << ok;
  }
  EXPECT_TRUE(host_allowed("[fe80::2]:80", "fe80::2", {}));
  for (const char* bad : {"evil.example", "evil.example:8080", "localhost.evil.example",
                          "127.0.0.1.evil.example", "", ":8080", "::1", "[::1", "[::1]x",
                          "localhost:80x", "localhost:123456", "0x7f.1", "2130706433"}) {
    EXPECT_FALSE(host_allowed(bad, "plc-box", extra)) << bad;
  }
}

TEST(HttpTarget, DecodesPathAndQueryParameters) {
  EXPECT_EQ(percent_decode("a%20b+c%2Bd%zz%4", false), "a b+c+d%zz%4");
  EXPECT_EQ(percent_decode("a%20b+c%2b", true), "a b c+");
  EXPECT_EQ(target_path("/api/%68istory?last=5#x"), "/api/history");
  EXPECT_EQ(target_path("/a#b?c"), "/a");
  EXPECT_EQ(target_path("*"), "*");
  EXPECT_EQ(query_param("/h?last=5", "last"), "5");
  EXPECT_EQ(query_param("/h?x=1&last=%32%30&last=3", "last"), "20");  // the first one counts
  EXPECT_EQ(query_param("/h?l%61st=+7", "last"), " 7");
  EXPECT_EQ(query_param("/h?last", "last"), "");
  EXPECT_EQ(query_param("/h?last=", "last"), "");
  EXPECT_EQ(query_param("/h?&&last=a=b&", "last"), "a=b");
  EXPECT_EQ(query_param("/h?lastx=1", "last"), std::nullopt);
  EXPECT_EQ(query_param("/h#?last=1", "last"), std::nullopt);
  EXPECT_EQ(query_param("/h", "last"), std::nullopt);
}

TEST(IsIpLiteral, TheFormsInetPtonTakes) {
  for (const char* ok : {"127.0.0.1", "0.0.0.0", "255.255.255.255", "192.0.2.7", "[::1]", "[::]",
                         "[2001:db8::5]", "[1:2:3:4:5:6:7:8]", "[::ffff:192.0.2.7]", "[1::]",
                         "[fe80::1:2]", "[1:2:3:4:5:6::8]", "[1:2:3:4:5:6:1.2.3.4]"}) {
    EXPECT_TRUE(is_ip_literal(ok)) << ok;
  }
  for (const char* bad : {"",
                          "1.2.3",
                          "1.2.3.4.5",
                          "256.1.1.1",
                          "01.2.3.4",
                          "1.2.3.04",
                          "1..2.3",
                          "1.2.3.4.",
                          "0x7f.1",
                          "2130706433",
                          " 1.2.3.4",
                          "::1",
                          "[::1",
                          "[]",
                          "[:::]",
                          "[1:2:3:4:5:6:7:8:9]",
                          "[1::2::3]",
                          "[12345::]",
                          "[1:2:3:4:5:6:7]",
                          "[:1]",
                          "[1:]",
                          "[g::1]",
                          "[::1%eth0]",
                          "[1:2:3:4:5:6:7:1.2.3.4]",
                          "[::1.2.3]",
                          "[1:2:3:4:5:6:7::8]"}) {
    EXPECT_FALSE(is_ip_literal(bad)) << bad;
  }
}
