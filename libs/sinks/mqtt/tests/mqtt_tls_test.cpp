// MqttDelivery over TLS (mqtts://) against a private mosquitto with a TLS listener and a test PKI
// made at test time by the openssl tool: trusted CA, wrong CA, client certificates, plain/TLS
// mix-ups.
#include <gtest/gtest.h>
#include <mosquitto.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "platform/time.hpp"
#include "private_mosquitto.hpp"
#include "sinks/mqtt/json_payload.hpp"
#include "sinks/mqtt/mqtt_delivery.hpp"

namespace {

using logger::Sample;
using logger::TagInfo;
using logger::TagValue;
using sinks::mqtt::MqttDelivery;
using sinks::mqtt::MqttOptions;
using sinks::mqtt::testing::PrivateMosquitto;
using sinks::mqtt::testing::Tls;

#define REQUIRE_TLS_BROKER(b)                                                                \
  do {                                                                                       \
    if (!PrivateMosquitto::available()) GTEST_SKIP() << "mosquitto not installed";           \
    if (!sinks::mqtt::testing::openssl_available()) GTEST_SKIP() << "openssl not installed"; \
    ASSERT_TRUE((b).ok()) << (b).error();                                                    \
  } while (0)

struct Message {
  std::string topic, text;
  int qos = 0;
};

// A test-side subscriber over TLS: libmosquitto with its own thread, trusting `ca`, with a client
// certificate when `cert` is not empty.
class TlsSubscriber {
 public:
  TlsSubscriber(int port, const std::string& filter, const std::filesystem::path& ca,
                const std::filesystem::path& cert = {}, const std::filesystem::path& key = {}) {
    mosquitto_lib_init();
    m_ = mosquitto_new(nullptr, true, this);
    mosquitto_int_option(m_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_message_callback_set(m_, [](mosquitto*, void* self, const mosquitto_message* msg) {
      auto* s = static_cast<TlsSubscriber*>(self);
      std::lock_guard lock(s->mu_);
      s->got_.push_back(Message{msg->topic,
                                std::string(static_cast<const char*>(msg->payload),
                                            static_cast<std::size_t>(msg->payloadlen)),
                                msg->qos});
      s->cv_.notify_all();
    });
    mosquitto_subscribe_callback_set(m_, [](mosquitto*, void* self, int, int, const int*) {
      auto* s = static_cast<TlsSubscriber*>(self);
      std::lock_guard lock(s->mu_);
      s->subscribed_ = true;
      s->cv_.notify_all();
    });
    ok_ = mosquitto_tls_set(m_, ca.c_str(), nullptr, cert.empty() ? nullptr : cert.c_str(),
                            key.empty() ? nullptr : key.c_str(), nullptr) == MOSQ_ERR_SUCCESS &&
          mosquitto_connect(m_, "127.0.0.1", port, 30) == MOSQ_ERR_SUCCESS &&
          mosquitto_subscribe(m_, nullptr, filter.c_str(), 2) == MOSQ_ERR_SUCCESS &&
          mosquitto_loop_start(m_) == MOSQ_ERR_SUCCESS;
    std::unique_lock lock(mu_);
    ok_ = ok_ && cv_.wait_for(lock, std::chrono::seconds(10), [&] { return subscribed_; });
  }
  ~TlsSubscriber() {
    mosquitto_disconnect(m_);
    mosquitto_loop_stop(m_, true);
    mosquitto_destroy(m_);
  }
  TlsSubscriber(const TlsSubscriber&) = delete;
  TlsSubscriber& operator=(const TlsSubscriber&) = delete;

  bool ok() const { return ok_; }
  // Waits (up to 10 s) until `n` messages have come; returns (and forgets) those there are.
  std::vector<Message> take(std::size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return got_.size() >= n; });
    return std::exchange(got_, {});
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
  return {tag("counter", "DB1.DBW0:INT"), tag("temperature", "DB1.DBD2:REAL")};
}

Sample sample(std::int64_t counter, float temp) {
  Sample s;
  s.ts = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796652181100));
  s.plc = "line1";
  s.group = "fast";
  s.values = {TagValue{s7::Value(s7::Scalar(counter))}, TagValue{s7::Value(s7::Scalar(temp))}};
  return s;
}

MqttOptions options(const PrivateMosquitto& b) {
  MqttOptions o;
  o.url = b.url();
  o.client_id = "s7log-tls-test";
  o.ca_file = b.pki().ca_cert.string();
  o.ack_timeout = std::chrono::milliseconds(5000);
  return o;
}

s7::Result<void> deliver(MqttDelivery& d, const std::vector<Sample>& samples) {
  std::vector<const Sample*> ptrs;
  for (const auto& s : samples) ptrs.push_back(&s);
  return d.deliver(ptrs, false);
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Connects `d`, delivers two JSON samples and checks that `sub` receives exactly them.
void deliver_and_receive(MqttDelivery& d, TlsSubscriber& sub) {
  const auto tags = fast_tags();
  ASSERT_TRUE(d.open_group("line1", "fast", tags).ok());
  auto c = d.connect();
  ASSERT_TRUE(c.ok()) << c.error().what();
  EXPECT_TRUE(d.connected());
  const std::vector<Sample> batch{sample(1, 1.5f), sample(2, 2.25f)};
  auto r = deliver(d, batch);
  ASSERT_TRUE(r.ok()) << r.error().what();
  const auto got = sub.take(2);
  ASSERT_EQ(got.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(got[i].topic, "s7log/line1/fast");
    EXPECT_EQ(got[i].text, sinks::mqtt::json_payload(batch[i], tags, false));
    EXPECT_EQ(got[i].qos, 1);
  }
  d.disconnect();
  EXPECT_FALSE(d.connected());
}

class MqttTls : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(platform::use_zone_for_tests("UTC")); }
};

TEST_F(MqttTls, TrustedCaDeliversJson) {
  PrivateMosquitto broker({}, Tls::server);
  REQUIRE_TLS_BROKER(broker);
  TlsSubscriber sub(broker.port(), "s7log/#", broker.pki().ca_cert);
  ASSERT_TRUE(sub.ok()) << broker.log();
  MqttDelivery d(options(broker));
  EXPECT_EQ(d.describe(), "MQTT broker " + broker.where());
  deliver_and_receive(d, sub);
}

TEST_F(MqttTls, WrongCaFailsNamingBrokerAndCaFile) {
  PrivateMosquitto broker({}, Tls::server);
  REQUIRE_TLS_BROKER(broker);
  auto o = options(broker);
  o.ca_file = broker.pki().other_ca_cert.string();
  MqttDelivery d(o);
  ASSERT_TRUE(d.open_group("line1", "fast", fast_tags()).ok());
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto c = d.connect();
    ASSERT_FALSE(c.ok()) << "attempt " << attempt;
    const auto msg = c.error().what();
    EXPECT_TRUE(has(msg, "cannot connect to the MQTT broker " + broker.where())) << msg;
    EXPECT_TRUE(has(msg, "TLS failed")) << msg;
    EXPECT_TRUE(has(msg, "certificate verify failed")) << msg;  // OpenSSL's reason
    EXPECT_TRUE(has(msg, "check [output.mqtt] ca_file")) << msg;
    EXPECT_TRUE(has(msg, "\"127.0.0.1\"")) << msg;  // the name the certificate must match
    EXPECT_FALSE(d.connected());
    EXPECT_FALSE(deliver(d, {sample(1, 1.0f)}).ok());
  }
}

TEST_F(MqttTls, RequiredClientCertificate) {
  PrivateMosquitto broker({}, Tls::require_client_cert);
  REQUIRE_TLS_BROKER(broker);
  const auto& pki = broker.pki();

  // No client certificate, or one the broker's CA did not sign (the other CA's own): with TLS
  // 1.3 the broker refuses it after the client's side of the handshake is done, so libmosquitto
  // meets the refusal at its next write or read, in one of several ways depending on timing
  // (several attempts each, to meet more of them).
  const std::pair<std::filesystem::path, std::filesystem::path> refused[] = {
      {{}, {}}, {pki.other_ca_cert, pki.other_ca_key}};
  for (const auto& [cert, key] : refused) {
    auto o = options(broker);
    o.cert_file = cert.string();
    o.key_file = key.string();
    MqttDelivery d(o);
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto c = d.connect();
      ASSERT_FALSE(c.ok()) << "cert_file \"" << o.cert_file << "\", attempt " << attempt;
      const auto msg = c.error().what();
      EXPECT_TRUE(has(msg, "cannot connect to the MQTT broker " + broker.where())) << msg;
      EXPECT_TRUE(has(msg, "TLS failed")) << msg;
      EXPECT_TRUE(has(msg, "cert_file/key_file")) << msg;
      EXPECT_FALSE(d.connected());
    }
  }

  TlsSubscriber sub(broker.port(), "s7log/#", pki.ca_cert, pki.client_cert, pki.client_key);
  ASSERT_TRUE(sub.ok()) << broker.log();
  {  // cert_file and key_file
    auto o = options(broker);
    o.cert_file = pki.client_cert.string();
    o.key_file = pki.client_key.string();
    MqttDelivery d(o);
    deliver_and_receive(d, sub);
  }
  {  // the key in cert_file (key_file empty)
    const auto pem = broker.dir() / "client.pem";
    {
      std::ofstream out(pem);
      std::ifstream crt(pki.client_cert), key(pki.client_key);
      out << crt.rdbuf() << key.rdbuf();
    }
    auto o = options(broker);
    o.cert_file = pem.string();
    MqttDelivery d(o);
    deliver_and_receive(d, sub);
  }
}

TEST_F(MqttTls, PlainMqttToTlsPortFailsClearly) {
  PrivateMosquitto broker({}, Tls::server);
  REQUIRE_TLS_BROKER(broker);
  MqttOptions o;
  o.url = "mqtt://" + broker.where();
  o.client_id = "s7log-tls-test";
  o.ack_timeout = std::chrono::milliseconds(1500);
  MqttDelivery d(o);
  auto c = d.connect();
  ASSERT_FALSE(c.ok());
  const auto msg = c.error().what();
  EXPECT_TRUE(has(msg, "the MQTT broker " + broker.where())) << msg;
  EXPECT_TRUE(has(msg, "closed the connection before accepting it")) << msg;
  EXPECT_TRUE(has(msg, "speaks plain MQTT there")) << msg;
  EXPECT_TRUE(has(msg, "mqtts://")) << msg;  // says TLS may be what the port speaks
  EXPECT_FALSE(d.connected());
}

TEST_F(MqttTls, TlsToPlainPortFailsClearly) {
  PrivateMosquitto plain;
  PrivateMosquitto tls_broker({}, Tls::server);  // only for its CA
  REQUIRE_TLS_BROKER(tls_broker);
  ASSERT_TRUE(plain.ok()) << plain.error();
  MqttOptions o;
  o.url = "mqtts://" + plain.where();
  o.client_id = "s7log-tls-test";
  o.ca_file = tls_broker.pki().ca_cert.string();
  o.ack_timeout = std::chrono::milliseconds(1500);
  MqttDelivery d(o);
  auto c = d.connect();
  ASSERT_FALSE(c.ok());
  const auto msg = c.error().what();
  EXPECT_TRUE(has(msg, "the MQTT broker " + plain.where())) << msg;
  EXPECT_TRUE(has(msg, "TLS failed")) << msg;
  EXPECT_TRUE(has(msg, "and that " + plain.where() + " speaks TLS")) << msg;
  EXPECT_FALSE(d.connected());
}

}  // namespace
