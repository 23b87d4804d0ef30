// MqttDelivery against a private mosquitto broker: JSON messages, outages, refusals, Sparkplug B.
#include "sinks/mqtt/mqtt_delivery.hpp"

#include <gtest/gtest.h>
#include <mosquitto.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "platform/time.hpp"
#include "private_mosquitto.hpp"
#include "sinks/mqtt/json_payload.hpp"
#include "sinks/mqtt/sparkplug.hpp"

namespace {

using logger::LinkState;
using logger::Quality;
using logger::Sample;
using logger::TagInfo;
using logger::TagValue;
using sinks::mqtt::MqttDelivery;
using sinks::mqtt::MqttOptions;
using sinks::mqtt::testing::BrokerOptions;
using sinks::mqtt::testing::PrivateMosquitto;
namespace spb = sinks::sparkplug;

#define REQUIRE_BROKER(b)                                                          \
  do {                                                                             \
    if (!PrivateMosquitto::available()) GTEST_SKIP() << "mosquitto not installed"; \
    ASSERT_TRUE((b).ok()) << (b).error();                                          \
  } while (0)

struct Message {
  std::string topic;
  std::vector<std::uint8_t> payload;
  bool retain = false;
  int qos = 0;
  std::string text() const { return std::string(payload.begin(), payload.end()); }
};

// A test-side subscriber: libmosquitto with its own thread, collecting every message.
class Subscriber {
 public:
  Subscriber(int port, const std::string& filter) {
    mosquitto_lib_init();
    m_ = mosquitto_new(nullptr, true, this);
    mosquitto_message_callback_set(m_, [](mosquitto*, void* self, const mosquitto_message* msg) {
      auto* s = static_cast<Subscriber*>(self);
      std::lock_guard lock(s->mu_);
      const auto* p = static_cast<const std::uint8_t*>(msg->payload);
      s->got_.push_back(Message{msg->topic, std::vector<std::uint8_t>(p, p + msg->payloadlen),
                                msg->retain, msg->qos});
      s->cv_.notify_all();
    });
    mosquitto_subscribe_callback_set(m_, [](mosquitto*, void* self, int, int, const int*) {
      auto* s = static_cast<Subscriber*>(self);
      std::lock_guard lock(s->mu_);
      s->subscribed_ = true;
      s->cv_.notify_all();
    });
    ok_ = mosquitto_connect(m_, "127.0.0.1", port, 30) == MOSQ_ERR_SUCCESS &&
          mosquitto_subscribe(m_, nullptr, filter.c_str(), 2) == MOSQ_ERR_SUCCESS &&
          mosquitto_loop_start(m_) == MOSQ_ERR_SUCCESS;
    std::unique_lock lock(mu_);
    ok_ = ok_ && cv_.wait_for(lock, std::chrono::seconds(10), [&] { return subscribed_; });
  }
  ~Subscriber() {
    mosquitto_disconnect(m_);
    mosquitto_loop_stop(m_, true);
    mosquitto_destroy(m_);
  }
  bool ok() const { return ok_; }
  // Waits (up to 10 s) until `n` messages have come; returns those there are.
  std::vector<Message> wait(std::size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return got_.size() >= n; });
    return got_;
  }
  std::vector<Message> take(std::size_t n) {
    auto all = wait(n);
    std::lock_guard lock(mu_);
    got_.clear();
    return all;
  }

 private:
  mosquitto* m_ = nullptr;
  bool ok_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  bool subscribed_ = false;
  std::vector<Message> got_;
};

TagInfo tag(const std::string& name, const std::string& addr) {
  auto a = s7::parse_address(addr);
  EXPECT_TRUE(a.ok()) << addr;
  return TagInfo{name, a.ok() ? *a : s7::Address{}};
}

std::vector<TagInfo> fast_tags() {
  return {tag("counter", "DB1.DBW0:INT"), tag("temperature", "DB1.DBD2:REAL"),
          tag("alarm", "DB1.DBX6.0")};
}

Sample sample(std::int64_t counter, float temp, bool alarm, std::int64_t ms = 1796652181100) {
  Sample s;
  s.ts = std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
  s.plc = "line1";
  s.group = "fast";
  s.values = {TagValue{s7::Value(s7::Scalar(counter))}, TagValue{s7::Value(s7::Scalar(temp))},
              TagValue{s7::Value(s7::Scalar(alarm))}};
  return s;
}

MqttOptions options(const PrivateMosquitto& b, const std::string& format = "json") {
  MqttOptions o;
  o.url = b.url();
  o.format = format;
  o.client_id = "s7log-test";
  o.group_id = "plant";
  o.edge_node = "edge1";
  o.ack_timeout = std::chrono::milliseconds(5000);
  return o;
}

s7::Result<void> deliver(MqttDelivery& d, const std::vector<Sample>& samples,
                         bool historical = false) {
  std::vector<const Sample*> ptrs;
  for (const auto& s : samples) ptrs.push_back(&s);
  return d.deliver(ptrs, historical);
}

class MqttDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(platform::use_zone_for_tests("UTC")); }
};

TEST_F(MqttDeliveryTest, JsonMessagesArriveAtEachQos) {
  PrivateMosquitto broker;
  REQUIRE_BROKER(broker);
  Subscriber sub(broker.port(), "s7log/#");
  ASSERT_TRUE(sub.ok());
  const auto tags = fast_tags();
  for (int qos : {0, 1, 2}) {
    auto o = options(broker);
    o.qos = qos;
    MqttDelivery d(o);
    EXPECT_EQ(d.describe(), "MQTT broker " + broker.where());
    ASSERT_TRUE(d.open_group("line1", "fast", tags).ok());
    EXPECT_FALSE(d.connected());
    auto c = d.connect();
    ASSERT_TRUE(c.ok()) << c.error().what();
    EXPECT_TRUE(d.connected());
    const std::vector<Sample> batch{sample(1, 1.5f, false), sample(2, 2.25f, true)};
    auto r = deliver(d, batch, qos == 2);
    ASSERT_TRUE(r.ok()) << r.error().what();
    const auto got = sub.take(2);
    ASSERT_EQ(got.size(), 2u) << "qos " << qos;
    for (std::size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(got[i].topic, "s7log/line1/fast");
      EXPECT_EQ(got[i].text(), sinks::mqtt::json_payload(batch[i], tags, qos == 2));
      EXPECT_EQ(got[i].qos, qos);
      EXPECT_FALSE(got[i].retain);
    }
    d.disconnect();
    EXPECT_FALSE(d.connected());
  }
}

TEST_F(MqttDeliveryTest, BrokerOutageFailsClearlyAndRecovers) {
  PrivateMosquitto broker;
  REQUIRE_BROKER(broker);
  MqttDelivery d(options(broker));
  ASSERT_TRUE(d.open_group("line1", "fast", fast_tags()).ok());
  ASSERT_TRUE(d.connect().ok());
  ASSERT_TRUE(deliver(d, {sample(1, 1.0f, false)}).ok());

  broker.stop();
  auto r = deliver(d, {sample(2, 2.0f, false)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().what().find(broker.where()), std::string::npos) << r.error().what();
  EXPECT_FALSE(d.connected());
  EXPECT_FALSE(deliver(d, {sample(2, 2.0f, false)}).ok());  // not connected: fails at once

  auto c = d.connect();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().what(), "cannot connect to the MQTT broker " + broker.where() +
                                  ": connection refused: is the broker running and listening on " +
                                  broker.where() + "?");
  EXPECT_FALSE(d.connected());

  ASSERT_TRUE(broker.start()) << broker.error();
  Subscriber sub(broker.port(), "s7log/#");
  ASSERT_TRUE(sub.ok());
  c = d.connect();
  ASSERT_TRUE(c.ok()) << c.error().what();
  ASSERT_TRUE(deliver(d, {sample(2, 2.0f, false)}).ok());
  const auto got = sub.wait(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NE(got[0].text().find("\"counter\":2"), std::string::npos) << got[0].text();
}

TEST_F(MqttDeliveryTest, UnknownHost) {
  MqttOptions o;
  o.url = "mqtt://no-such-host.invalid:1883";
  MqttDelivery d(o);
  auto c = d.connect();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().what().find("unknown host \"no-such-host.invalid\""), std::string::npos)
      << c.error().what();
  EXPECT_NE(c.error().what().find("no-such-host.invalid:1883"), std::string::npos);
}

TEST_F(MqttDeliveryTest, WrongPasswordSaysWhatToCheckWithoutThePassword) {
  PrivateMosquitto broker(BrokerOptions{"s7log", "right-secret", ""});
  REQUIRE_BROKER(broker);
  auto o = options(broker);
  o.username = "s7log";
  o.password = "wrong-secret";
  MqttDelivery d(o);
  auto c = d.connect();
  ASSERT_FALSE(c.ok());
  const auto msg = c.error().what();
  EXPECT_NE(msg.find(broker.where()), std::string::npos) << msg;
  EXPECT_NE(msg.find("username \"s7log\" and password"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("wrong-secret"), std::string::npos) << msg;
  EXPECT_FALSE(d.connected());

  o.password = "right-secret";
  MqttDelivery good(o);
  auto g = good.connect();
  EXPECT_TRUE(g.ok()) << g.error().what();
}

TEST_F(MqttDeliveryTest, RefusedClientIdNamesIt) {
  PrivateMosquitto broker(BrokerOptions{"", "", "clientid_prefixes allowed-\n"});
  REQUIRE_BROKER(broker);
  MqttDelivery d(options(broker));  // client id s7log-test
  auto c = d.connect();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().what().find("client id \"s7log-test\""), std::string::npos)
      << c.error().what();
  EXPECT_NE(c.error().what().find("[output.mqtt] client_id"), std::string::npos);
  auto o = options(broker);
  o.client_id = "allowed-s7log";
  MqttDelivery good(o);
  EXPECT_TRUE(good.connect().ok());
}

TEST_F(MqttDeliveryTest, BadOptions) {
  MqttOptions o;
  o.url = "http://x";
  MqttDelivery d(o);
  auto c = d.connect();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().what().find("mqtt://"), std::string::npos);
  EXPECT_FALSE(sinks::mqtt::parse_broker_url("mqtt://u:p@host").ok());
  auto u = sinks::mqtt::parse_broker_url("mqtts://[::1]");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8883);
  EXPECT_TRUE(u->tls);
}

// --- acknowledged() after a connection that broke mid-batch ------------------------------------

// A scripted MQTT 3.1.1 broker on a loopback port, for one client connection at a time: CONNACK
// to CONNECT; the n-th PUBLISH (0-based) of a connection is acknowledged when `ack` holds n (QoS
// 1 PUBACK, QoS 2 PUBREC), and a QoS 2 one completed (PUBCOMP on its PUBREL) when `complete`
// holds n. After `hang_up_after` events (PUBLISHes for QoS 1, PUBRELs for QoS 2) it sends FIN
// behind its answers (shutdown(SHUT_WR)), reads until the client closes, and takes the next
// connection: deterministic, the client reads every answer before the end of the stream.
class ScriptedBroker {
 public:
  struct Script {
    std::set<int> ack, complete;
    int hang_up_after = -1;  // -1: never
    // Like a broker that stops: after this many PUBLISHes it closes the connection at once,
    // answering nothing more and reading nothing more (-1: never).
    int drop_after_publishes = -1;
  };

  explicit ScriptedBroker(std::vector<Script> scripts) : scripts_(std::move(scripts)) {
    listen_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ok_ = ::bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
          ::listen(listen_, 4) == 0 &&
          ::getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len) == 0;
    port_ = ntohs(a.sin_port);
    if (ok_) thread_ = std::thread([this] { run(); });
  }
  ~ScriptedBroker() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    ::close(listen_);
  }
  ScriptedBroker(const ScriptedBroker&) = delete;
  ScriptedBroker& operator=(const ScriptedBroker&) = delete;

  bool ok() const { return ok_; }
  std::string url() const { return "mqtt://127.0.0.1:" + std::to_string(port_); }

 private:
  // Waits (polling so that the destructor can stop it) until fd is readable; false: stop.
  bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    while (!stop_) {
      const int n = ::poll(&p, 1, 50);
      if (n > 0) return true;
      if (n < 0 && errno != EINTR) return false;
    }
    return false;
  }
  bool read_exact(int fd, std::uint8_t* out, std::size_t n) {
    while (n > 0) {
      if (!readable(fd)) return false;
      const auto got = ::recv(fd, out, n, 0);
      if (got <= 0) return false;
      out += got;
      n -= static_cast<std::size_t>(got);
    }
    return true;
  }
  // One packet: its first byte and its body; false at the end of the stream.
  bool read_packet(int fd, std::uint8_t& type, std::vector<std::uint8_t>& body) {
    if (!read_exact(fd, &type, 1)) return false;
    std::size_t len = 0;
    for (int shift = 0; shift < 28; shift += 7) {
      std::uint8_t b = 0;
      if (!read_exact(fd, &b, 1)) return false;
      len |= static_cast<std::size_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
    }
    body.assign(len, 0);
    return len == 0 || read_exact(fd, body.data(), len);
  }
  static void send_all(int fd, std::initializer_list<std::uint8_t> bytes) {
    const std::vector<std::uint8_t> v(bytes);
    (void)::send(fd, v.data(), v.size(), MSG_NOSIGNAL);
  }

  void serve(int fd, const Script& script) {
    int publishes = 0, events = 0;
    std::map<int, int> index_of_mid;  // QoS 2: the PUBLISH a PUBREL is about
    std::uint8_t type = 0;
    std::vector<std::uint8_t> body;
    while (read_packet(fd, type, body)) {
      const int kind = type >> 4;
      if (kind == 1) {  // CONNECT
        send_all(fd, {0x20, 0x02, 0x00, 0x00});
      } else if (kind == 3 && body.size() >= 2) {  // PUBLISH
        const int qos = (type >> 1) & 3;
        const std::size_t tlen = (std::size_t{body[0]} << 8) | body[1];
        const int n = publishes++;
        if (publishes == script.drop_after_publishes) return;
        if (qos > 0 && body.size() >= tlen + 4) {
          const std::uint8_t hi = body[tlen + 2], lo = body[tlen + 3];
          index_of_mid[(hi << 8) | lo] = n;
          if (script.ack.count(n) != 0)
            send_all(fd, {static_cast<std::uint8_t>(qos == 1 ? 0x40 : 0x50), 0x02, hi, lo});
          if (qos == 1) ++events;
        }
      } else if (kind == 6 && body.size() >= 2) {  // PUBREL
        const int mid = (body[0] << 8) | body[1];
        if (script.complete.count(index_of_mid[mid]) != 0)
          send_all(fd, {0x70, 0x02, body[0], body[1]});
        ++events;
      } else if (kind == 8 && body.size() >= 2) {  // SUBSCRIBE: granted QoS 0
        send_all(fd, {0x90, 0x03, body[0], body[1], 0x00});
      } else if (kind == 10 && body.size() >= 2) {  // UNSUBSCRIBE
        send_all(fd, {0xb0, 0x02, body[0], body[1]});
      } else if (kind == 12) {  // PINGREQ
        send_all(fd, {0xd0, 0x00});
      } else if (kind == 14) {  // DISCONNECT
        break;
      }
      if (script.hang_up_after >= 0 && events >= script.hang_up_after) {
        ::shutdown(fd, SHUT_WR);
        while (read_packet(fd, type, body)) {
        }
        break;
      }
    }
  }

  void run() {
    for (const auto& script : scripts_) {
      if (!readable(listen_)) return;
      const int fd = ::accept(listen_, nullptr, nullptr);
      if (fd < 0) return;
      serve(fd, script);
      ::close(fd);
    }
  }

  std::vector<Script> scripts_;
  int listen_ = -1;
  int port_ = 0;
  bool ok_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::vector<Sample> counting(int n) {
  std::vector<Sample> out;
  for (int i = 0; i < n; ++i) out.push_back(sample(i, 1.0f, false, 1796652181100 + i * 100));
  return out;
}

TEST_F(MqttDeliveryTest, AcknowledgedCountsTheSamplesAckedBeforeTheConnectionBroke) {
  // QoS 1: PUBACKs for messages 0, 1 and 3 (not 2), then the broker hangs up after 6
  // PUBLISHes. Then a connection that acknowledges everything.
  ScriptedBroker broker({{{0, 1, 3}, {}, 6}, {{0, 1, 2, 3, 4, 5}, {}, -1}});
  ASSERT_TRUE(broker.ok());
  MqttOptions o;
  o.url = broker.url();
  o.client_id = "s7log-test";
  o.qos = 1;
  o.ack_timeout = std::chrono::milliseconds(10000);
  MqttDelivery d(o);
  ASSERT_TRUE(d.open_group("line1", "fast", fast_tags()).ok());
  auto c = d.connect();
  ASSERT_TRUE(c.ok()) << c.error().what();
  EXPECT_EQ(d.acknowledged(), 0u);
  auto r = deliver(d, counting(6));
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(d.connected());
  EXPECT_EQ(d.acknowledged(), 2u) << r.error().what();  // 3 came, but after the missing 2

  // Not connected: fails at once, nothing acknowledged.
  EXPECT_FALSE(deliver(d, counting(1)).ok());
  EXPECT_EQ(d.acknowledged(), 0u);

  // A delivery that succeeds resets it.
  c = d.connect();
  ASSERT_TRUE(c.ok()) << c.error().what();
  r = deliver(d, counting(6));
  ASSERT_TRUE(r.ok()) << r.error().what();
  EXPECT_EQ(d.acknowledged(), 0u);
}

TEST_F(MqttDeliveryTest, AcknowledgedAtQos2CountsOnlyCompletedMessages) {
  // PUBREC for messages 0..3, PUBCOMP for 0, 1 and 3 only: 2 is received but not complete, so
  // the broker may not have passed it on yet; it hangs up after the 4 PUBRELs.
  ScriptedBroker broker({{{0, 1, 2, 3}, {0, 1, 3}, 4}});
  ASSERT_TRUE(broker.ok());
  MqttOptions o;
  o.url = broker.url();
  o.client_id = "s7log-test";
  o.qos = 2;
  o.ack_timeout = std::chrono::milliseconds(10000);
  MqttDelivery d(o);
  ASSERT_TRUE(d.open_group("line1", "fast", fast_tags()).ok());
  ASSERT_TRUE(d.connect().ok());
  // A sample of a group that was never opened has no message: it counts along.
  auto batch = counting(6);
  batch.insert(batch.begin() + 1, sample(99, 0.0f, false));
  batch[1].group = "unknown";
  auto r = deliver(d, batch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(d.acknowledged(), 3u) << r.error().what();
}

TEST_F(MqttDeliveryTest, AcknowledgedIsZeroAtQos0) {
  // QoS 0 has no acknowledgement: a broker that went away cannot tell what it took before.
  PrivateMosquitto broker;
  REQUIRE_BROKER(broker);
  auto o = options(broker);
  o.qos = 0;
  MqttDelivery d(o);
  ASSERT_TRUE(d.open_group("line1", "fast", fast_tags()).ok());
  ASSERT_TRUE(d.connect().ok());
  ASSERT_TRUE(deliver(d, counting(3)).ok());
  EXPECT_EQ(d.acknowledged(), 0u);
  broker.stop();
  auto r = deliver(d, counting(3));
  for (int i = 0; i < 100 && r.ok(); ++i) {  // a write to a closed socket may still pass once
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    r = deliver(d, counting(3));
  }
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(d.acknowledged(), 0u);
}

// --- Sparkplug ----------------------------------------------------------------------------------

spb::Decoded decode(const Message& m) {
  auto d = spb::decode_payload(m.payload);
  EXPECT_TRUE(d.ok()) << m.topic << ": " << (d.ok() ? "" : d.error().what());
  return d.ok() ? *d : spb::Decoded{};
}

const spb::Metric* find(const spb::Decoded& d, const std::string& name) {
  for (const auto& m : d.metrics)
    if (m.name == name) return &m;
  return nullptr;
}

TEST_F(MqttDeliveryTest, SparkplugBirthsDataRebirthAndDeath) {
  PrivateMosquitto broker;
  REQUIRE_BROKER(broker);
  Subscriber sub(broker.port(), "spBv1.0/#");
  ASSERT_TRUE(sub.ok());
  MqttDelivery d(options(broker, "sparkplug"));
  ASSERT_TRUE(d.open_group("line1", "fast", fast_tags()).ok());
  ASSERT_TRUE(d.open_group("line1", "slow", {tag("level", "DB2.DBD0:REAL")}).ok());
  auto c = d.connect();
  ASSERT_TRUE(c.ok()) << c.error().what();

  // NBIRTH (seq 0, bdSeq, Rebirth false), then DBIRTH with every metric (null: no value yet).
  auto got = sub.take(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].topic, "spBv1.0/plant/NBIRTH/edge1");
  EXPECT_EQ(got[0].qos, 0);
  auto nb = decode(got[0]);
  EXPECT_EQ(nb.seq, 0u);
  ASSERT_NE(find(nb, "bdSeq"), nullptr);
  EXPECT_EQ(find(nb, "bdSeq")->value, s7::Value(s7::Scalar(std::uint64_t{0})));
  ASSERT_NE(find(nb, "Node Control/Rebirth"), nullptr);
  EXPECT_EQ(find(nb, "Node Control/Rebirth")->value, s7::Value(s7::Scalar(false)));
  EXPECT_EQ(got[1].topic, "spBv1.0/plant/DBIRTH/edge1/line1");
  auto db = decode(got[1]);
  EXPECT_EQ(db.seq, 1u);
  ASSERT_EQ(db.metrics.size(), 4u);
  EXPECT_EQ(db.metrics[0].name, "fast/counter");
  EXPECT_EQ(db.metrics[0].type, spb::DataType::Int16);
  EXPECT_FALSE(db.metrics[0].value.has_value());
  EXPECT_EQ(db.metrics[1].name, "fast/temperature");
  EXPECT_EQ(db.metrics[1].type, spb::DataType::Float);
  EXPECT_EQ(db.metrics[2].type, spb::DataType::Boolean);
  EXPECT_EQ(db.metrics[3].name, "slow/level");

  // DDATA: first sample all (they differ from the nulls), then only what changed.
  ASSERT_TRUE(deliver(d, {sample(1, 1.5f, false), sample(2, 1.5f, false)}).ok());
  got = sub.take(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].topic, "spBv1.0/plant/DDATA/edge1/line1");
  auto d1 = decode(got[0]);
  EXPECT_EQ(d1.seq, 2u);
  EXPECT_EQ(d1.metrics.size(), 3u);
  auto d2 = decode(got[1]);
  EXPECT_EQ(d2.seq, 3u);
  ASSERT_EQ(d2.metrics.size(), 1u);
  EXPECT_EQ(d2.metrics[0].name, "fast/counter");
  EXPECT_EQ(d2.metrics[0].value, s7::Value(s7::Scalar(std::int64_t{2})));
  EXPECT_EQ(d2.metrics[0].timestamp_ms, 1796652181100u);
  EXPECT_FALSE(d2.metrics[0].is_historical);

  // Nothing changed: no message. Historical: every metric, flagged.
  ASSERT_TRUE(deliver(d, {sample(2, 1.5f, false)}).ok());
  ASSERT_TRUE(deliver(d, {sample(7, 9.5f, true, 1796652100000)}, true).ok());
  got = sub.take(1);
  ASSERT_EQ(got.size(), 1u);
  auto h = decode(got[0]);
  EXPECT_EQ(h.seq, 4u);
  ASSERT_EQ(h.metrics.size(), 3u);
  for (const auto& m : h.metrics) {
    EXPECT_TRUE(m.is_historical) << m.name;
    EXPECT_EQ(m.timestamp_ms, 1796652100000u);
  }
  // The historical values did not move the live state: the same live sample sends nothing.
  ASSERT_TRUE(deliver(d, {sample(2, 1.5f, false)}).ok());

  // NCMD rebirth -> NBIRTH (same bdSeq, seq 0) and DBIRTH with the last live values.
  {
    mosquitto* cmd = mosquitto_new(nullptr, true, nullptr);
    ASSERT_EQ(mosquitto_connect(cmd, "127.0.0.1", broker.port(), 30), MOSQ_ERR_SUCCESS);
    spb::Metric rebirth;
    rebirth.name = "Node Control/Rebirth";
    rebirth.type = spb::DataType::Boolean;
    rebirth.value = s7::Value(s7::Scalar(true));
    const auto payload = spb::encode_payload(1, std::nullopt, std::span(&rebirth, 1));
    int mid = 0;
    ASSERT_EQ(mosquitto_publish(cmd, &mid, "spBv1.0/plant/NCMD/edge1",
                                static_cast<int>(payload.size()), payload.data(), 1, false),
              MOSQ_ERR_SUCCESS);
    for (int i = 0; i < 5; ++i) mosquitto_loop(cmd, 20, 1);
    mosquitto_disconnect(cmd);
    mosquitto_destroy(cmd);
  }
  got = sub.take(1);  // our own NCMD
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].topic, "spBv1.0/plant/NCMD/edge1");
  for (int i = 0; i < 500 && sub.wait(0).empty(); ++i) {
    d.poll();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  got = sub.take(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].topic, "spBv1.0/plant/NBIRTH/edge1");
  EXPECT_EQ(decode(got[0]).seq, 0u);
  EXPECT_EQ(find(decode(got[0]), "bdSeq")->value, s7::Value(s7::Scalar(std::uint64_t{0})));
  EXPECT_EQ(got[1].topic, "spBv1.0/plant/DBIRTH/edge1/line1");
  db = decode(got[1]);
  EXPECT_EQ(db.seq, 1u);
  ASSERT_NE(find(db, "fast/counter"), nullptr);
  EXPECT_EQ(find(db, "fast/counter")->value, s7::Value(s7::Scalar(std::int64_t{2})));

  // The PLC's link drops: DDEATH; a missed row of a dead device sends nothing; back: DBIRTH.
  d.link("line1", LinkState::reconnecting);
  got = sub.take(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].topic, "spBv1.0/plant/DDEATH/edge1/line1");
  EXPECT_EQ(decode(got[0]).seq, 2u);
  Sample missed = sample(0, 0, false);
  missed.values.assign(3, TagValue{std::nullopt, Quality::comm_error});
  missed.quality = Quality::comm_error;
  missed.missed = true;
  ASSERT_TRUE(deliver(d, {missed}).ok());
  d.link("line1", LinkState::connected);
  got = sub.take(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].topic, "spBv1.0/plant/DBIRTH/edge1/line1");
  EXPECT_EQ(decode(got[0]).seq, 3u);

  // A clean disconnect publishes NDEATH with the session's bdSeq; the next session has bdSeq 1.
  d.disconnect();
  got = sub.take(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].topic, "spBv1.0/plant/NDEATH/edge1");
  EXPECT_EQ(find(decode(got[0]), "bdSeq")->value, s7::Value(s7::Scalar(std::uint64_t{0})));
  ASSERT_TRUE(d.connect().ok());
  got = sub.take(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(find(decode(got[0]), "bdSeq")->value, s7::Value(s7::Scalar(std::uint64_t{1})));
  EXPECT_EQ(d.bd_seq(), 1u);
}

TEST_F(MqttDeliveryTest, SparkplugDeliverFailsWhenTheBrokerStopsBeforeReadingTheBatch) {
  // A QoS 0 DDATA written to the socket is not delivered yet: this broker reads NBIRTH and
  // DBIRTH and then goes away (the write of the DDATA after that still succeeds). The next
  // connection answers everything (the NDEATH at the end is QoS 1).
  ScriptedBroker broker({{{}, {}, -1, 2}, {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {}, -1, -1}});
  ASSERT_TRUE(broker.ok());
  MqttOptions o;
  o.url = broker.url();
  o.format = "sparkplug";
  o.client_id = "s7log-test";
  o.group_id = "plant";
  o.edge_node = "edge1";
  o.ack_timeout = std::chrono::milliseconds(10000);
  MqttDelivery d(o);
  ASSERT_TRUE(d.open_group("line1", "fast", fast_tags()).ok());
  auto c = d.connect();
  ASSERT_TRUE(c.ok()) << c.error().what();
  auto batch = counting(1);
  auto r = deliver(d, batch);
  ASSERT_FALSE(r.ok()) << "the batch counted as delivered though the broker never read it";
  EXPECT_FALSE(d.connected());
  EXPECT_EQ(d.acknowledged(), 0u);
  c = d.connect();
  ASSERT_TRUE(c.ok()) << c.error().what();
  r = deliver(d, batch, true);
  EXPECT_TRUE(r.ok()) << r.error().what();
}

TEST_F(MqttDeliveryTest, SparkplugBdSeqCountsConnectPacketsNotRefusedAttempts) {
  PrivateMosquitto broker;
  REQUIRE_BROKER(broker);
  MqttDelivery d(options(broker, "sparkplug"));
  ASSERT_TRUE(d.open_group("line1", "fast", fast_tags()).ok());
  ASSERT_TRUE(d.connect().ok());
  EXPECT_EQ(d.bd_seq(), 0u);
  broker.stop();
  for (int i = 0; i < 3; ++i) {
    auto c = d.connect();
    ASSERT_FALSE(c.ok());
    EXPECT_TRUE(c.error().is(s7::Errc::connection_refused)) << c.error().what();
  }
  ASSERT_TRUE(broker.start()) << broker.error();
  Subscriber sub(broker.port(), "spBv1.0/+/NBIRTH/#");
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(d.connect().ok());
  EXPECT_EQ(d.bd_seq(), 1u);  // the refused attempts sent no CONNECT
  const auto got = sub.wait(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(find(decode(got[0]), "bdSeq")->value, s7::Value(s7::Scalar(std::uint64_t{1})));
}

TEST_F(MqttDeliveryTest, SparkplugWillIsNdeathWhenTheConnectionDies) {
  PrivateMosquitto broker;
  REQUIRE_BROKER(broker);
  Subscriber sub(broker.port(), "spBv1.0/+/NDEATH/#");
  ASSERT_TRUE(sub.ok());
  {
    auto o = options(broker, "sparkplug");
    o.keepalive = std::chrono::seconds(5);
    MqttDelivery d(o);
    ASSERT_TRUE(d.open_group("line1", "fast", fast_tags()).ok());
    ASSERT_TRUE(d.connect().ok());
    // A second client with the same id takes the session over: the broker sends our will.
    MqttDelivery thief(o);
    ASSERT_TRUE(thief.connect().ok());
    auto got = sub.wait(1);
    ASSERT_GE(got.size(), 1u);
    EXPECT_EQ(got[0].topic, "spBv1.0/plant/NDEATH/edge1");
    EXPECT_EQ(find(decode(got[0]), "bdSeq")->value, s7::Value(s7::Scalar(std::uint64_t{0})));
    // The first one notices on its next delivery and says what may be going on.
    auto r = deliver(d, {sample(1, 1.0f, false)});
    for (int i = 0; i < 100 && r.ok(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      r = deliver(d, {sample(i + 2, 1.0f, false)});
    }
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().what().find("client id \"s7log-test\""), std::string::npos)
        << r.error().what();
    EXPECT_FALSE(d.connected());
  }
}

}  // namespace
