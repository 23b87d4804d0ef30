// The MQTT output: JSON messages or a Sparkplug B edge node over libmosquitto on one thread.
#include "sinks/mqtt/mqtt_delivery.hpp"

#include <fmt/format.h>
#include <mosquitto.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>

#include "platform/net.hpp"
#include "sinks/mqtt/json_payload.hpp"

namespace sinks::mqtt {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::uint64_t unix_ms(std::chrono::system_clock::time_point t) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count());
}

std::uint64_t now_ms() {
  return unix_ms(std::chrono::system_clock::now());
}

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

// libmosquitto writes with write(2), which raises SIGPIPE on a connection the broker closed:
// every entry point that calls into it holds a platform::NoSigpipe. Its socket, for the platform
// calls (an int here: the library builds on Linux only).
platform::socket_handle socket_of(struct mosquitto* mosq) {
  return static_cast<platform::socket_handle>(mosquitto_socket(mosq));
}

bool readable_file(const std::string& path) {
  std::ifstream in(path);
  return in.good();
}

bool valid_sparkplug_id(const std::string& id) {
  return !id.empty() && id.find_first_of("/+#") == std::string::npos;
}

sparkplug::Metric metric(std::string name, sparkplug::DataType type,
                         std::optional<s7::Value> value) {
  sparkplug::Metric m;
  m.name = std::move(name);
  m.type = type;
  m.value = std::move(value);
  return m;
}

sparkplug::DataType metric_type(const logger::TagInfo& t) {
  return t.scale ? sparkplug::DataType::Double : sparkplug::datatype_for(t.address);
}

std::string metric_name(const std::string& group, const logger::TagInfo& t) {
  return group_name(group) + "/" + t.name;
}

std::optional<s7::Value> value_of(const logger::Sample& s, std::size_t i) {
  if (i >= s.values.size() || s.values[i].quality != logger::Quality::ok) return std::nullopt;
  return s.values[i].value;
}

std::string seconds_text(milliseconds d) {
  if (d.count() % 1000 == 0) return fmt::format("{} s", d.count() / 1000);
  return fmt::format("{} ms", d.count());
}

}  // namespace

s7::Result<BrokerUrl> parse_broker_url(std::string_view url) {
  const auto bad = [&](const std::string& why) {
    return s7::Error(s7::Errc::invalid_argument,
                     fmt::format("[output.mqtt] url \"{}\": {}", url, why));
  };
  BrokerUrl out;
  std::string_view rest;
  if (url.starts_with("mqtt://")) {
    rest = url.substr(7);
  } else if (url.starts_with("mqtts://")) {
    rest = url.substr(8);
    out.tls = true;
    out.port = 8883;
  } else {
    return bad("expected mqtt://host:port or mqtts://host:port (TLS)");
  }
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.find('@') != std::string_view::npos)
    return bad(
        "put the user name and password in [output.mqtt] username and password, not in "
        "the url");
  if (rest.find('/') != std::string_view::npos) return bad("a broker url has no path");
  std::string_view port_text;
  if (rest.starts_with('[')) {  // [IPv6]:port
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return bad("missing ] after the IPv6 address");
    out.host = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("expected :port after ]");
      port_text = rest.substr(1);
      if (port_text.empty()) return bad("empty port");
    }
  } else {
    const auto colon = rest.rfind(':');
    out.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) return bad("empty port");
    }
  }
  if (out.host.empty()) return bad("no host name");
  if (!port_text.empty()) {
    int port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) return bad("the port must be a number 1..65535");
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return bad("the port must be a number 1..65535");
    out.port = port;
  }
  return out;
}

s7::Result<void> check_options(const MqttOptions& o) {
  const auto bad = [](const std::string& why) {
    return s7::Error(s7::Errc::invalid_argument, "[output.mqtt] " + why);
  };
  auto url = parse_broker_url(o.url);
  if (!url) return url.error();
  if (o.format != "json" && o.format != "sparkplug")
    return bad("format = \"" + o.format + "\": expected \"json\" or \"sparkplug\"");
  if (o.qos < 0 || o.qos > 2) return bad(fmt::format("qos = {}: expected 0, 1 or 2", o.qos));
  if (o.format == "json" && o.topic.empty()) return bad("topic is empty");
  if (o.format == "sparkplug") {
    if (!valid_sparkplug_id(o.group_id))
      return bad("group_id \"" + o.group_id + "\": must not be empty or hold / + #");
    if (!o.edge_node.empty() && !valid_sparkplug_id(o.edge_node))
      return bad("edge_node \"" + o.edge_node + "\": must not hold / + #");
  }
  if (o.keepalive.count() != 0 && (o.keepalive.count() < 5 || o.keepalive.count() > 65535))
    return bad("keepalive must be 0 (none) or 5..65535 s");
  if (o.ack_timeout.count() <= 0) return bad("ack_timeout must be positive");
  if (!o.key_file.empty() && o.cert_file.empty()) return bad("key_file needs cert_file");
  const std::pair<const char*, const std::string*> files[] = {
      {"ca_file", &o.ca_file}, {"cert_file", &o.cert_file}, {"key_file", &o.key_file}};
  for (const auto& [key, path] : files) {
    if (path->empty()) continue;
    if (!url->tls) return bad(fmt::format("{} is set but the url is not mqtts:// (TLS)", key));
    if (!readable_file(*path)) return bad(fmt::format("{} \"{}\" cannot be read", key, *path));
  }
  return {};
}

MqttDelivery::MqttDelivery(MqttOptions options) : options_(std::move(options)) {
  if (auto u = parse_broker_url(options_.url)) url_ = *u;
  client_id_ = options_.client_id.empty()
                   ? fmt::format("s7log-{}-{}", platform::host_name(), platform::process_id())
                   : options_.client_id;
  edge_node_ = options_.edge_node.empty() ? platform::host_name() : options_.edge_node;
}

MqttDelivery::~MqttDelivery() {
  disconnect();
}

std::string MqttDelivery::server() const {
  if (!url_) return options_.url;
  if (url_->host.find(':') != std::string::npos)
    return fmt::format("[{}]:{}", url_->host, url_->port);
  return fmt::format("{}:{}", url_->host, url_->port);
}

std::string MqttDelivery::describe() const {
  std::string d = "MQTT broker " + server();
  if (sparkplug())
    d += fmt::format(" (Sparkplug B group {}, edge node {})", options_.group_id, edge_node_);
  return d;
}

std::string MqttDelivery::topic(std::string_view type, std::string_view device) const {
  std::string t = fmt::format("spBv1.0/{}/{}/{}", options_.group_id, type, edge_node_);
  if (!device.empty()) t += fmt::format("/{}", device);
  return t;
}

const MqttDelivery::Group* MqttDelivery::find_group(const std::string& plc,
                                                    const std::string& group) const {
  for (const auto& g : groups_)
    if (g.plc == plc && g.group == group) return &g;
  return nullptr;
}

bool MqttDelivery::alive(const Device& d) const {
  return !d.link || *d.link == logger::LinkState::connected;
}

s7::Result<void> MqttDelivery::open_group(const std::string& plc, const std::string& group,
                                          const std::vector<logger::TagInfo>& tags) {
  bool found = false;
  for (auto& g : groups_) {
    if (g.plc == plc && g.group == group) {
      g.tags = tags;
      found = true;
    }
  }
  if (!found) groups_.push_back(Group{plc, group, tags});
  devices_.try_emplace(plc_name(plc));
  return {};
}

// --- callbacks (run inside libmosquitto calls on this thread) -----------------------------------

void MqttDelivery::on_connect(struct mosquitto*, void* self, int rc) {
  static_cast<MqttDelivery*>(self)->connack_ = rc;
}

void MqttDelivery::on_disconnect(struct mosquitto*, void* self, int) {
  static_cast<MqttDelivery*>(self)->lost_ = true;
}

void MqttDelivery::on_publish(struct mosquitto*, void* self, int mid) {
  auto* d = static_cast<MqttDelivery*>(self);
  if (d->pending_.erase(mid) == 0) d->early_.insert(mid);
  if (d->tracking_) ++d->batch_acks_[mid];
}

void MqttDelivery::on_unsubscribe(struct mosquitto*, void* self, int mid) {
  auto* d = static_cast<MqttDelivery*>(self);
  if (d->pending_.erase(mid) == 0) d->early_.insert(mid);
}

void MqttDelivery::on_message(struct mosquitto*, void* self, const struct mosquitto_message* msg) {
  auto* d = static_cast<MqttDelivery*>(self);
  if (!d->sparkplug() || msg == nullptr || msg->topic == nullptr) return;
  if (d->topic("NCMD") != msg->topic) return;
  auto decoded = sparkplug::decode_payload(std::span<const std::uint8_t>(
      static_cast<const std::uint8_t*>(msg->payload), static_cast<std::size_t>(msg->payloadlen)));
  if (decoded && sparkplug::is_rebirth_request(*decoded)) d->rebirth_requested_ = true;
}

void MqttDelivery::on_log(struct mosquitto*, void* self, int level, const char* text) {
  if ((level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING)) != 0 && text != nullptr)
    static_cast<MqttDelivery*>(self)->last_log_ = text;
}

// --- socket I/O ---------------------------------------------------------------------------------

void MqttDelivery::drop() {
  if (mosq_ != nullptr) {
    platform::NoSigpipe no_sigpipe;
    mosquitto_destroy(mosq_);  // closes the socket; queued copies go with it
  }
  mosq_ = nullptr;
  connected_ = false;
  pending_.clear();
  early_.clear();
  rebirth_requested_ = false;
  for (auto& [name, d] : devices_) d.born = false;
}

s7::Result<void> MqttDelivery::fail(s7::Error e) {
  drop();
  return e;
}

s7::Result<void> MqttDelivery::io_error(int rc, int err, const std::string& doing) {
  const std::string where = server();
  if (rc == MOSQ_ERR_ERRNO && err == ECONNREFUSED)
    return fail(s7::Error(s7::Errc::connection_refused,
                          fmt::format("{} the MQTT broker {}: connection refused: is the broker "
                                      "running and listening on {}?",
                                      doing, where, where)));
  if (rc == MOSQ_ERR_EAI)
    return fail(s7::Error(
        s7::Errc::host_not_found,
        fmt::format("{} the MQTT broker {}: unknown host \"{}\" ({}): check the host name in "
                    "[output.mqtt] url",
                    doing, where, url_ ? url_->host : "", platform::resolve_error_text(err))));
  // libmosquitto reports OpenSSL's other failures as errno EPROTO (logging OpenSSL's reason
  // when it has one). A TLS 1.3 broker refuses a client certificate, or its lack, only after
  // the client's side of the handshake is done: at the next write (even inside
  // mosquitto_connect_async: EPROTO, no reason when the broker's reset came first) or read
  // (EPROTO, or a connection closed after the alert that the log line has). Before CONNACK
  // these are TLS failures; later, a broker that goes away looks the same.
  const bool tls_refused = url_ && url_->tls && !connack_ &&
                           ((rc == MOSQ_ERR_ERRNO && err == EPROTO) ||
                            (rc == MOSQ_ERR_CONN_LOST && last_log_.starts_with("OpenSSL Error")));
  if (rc == MOSQ_ERR_TLS || rc == MOSQ_ERR_TLS_HANDSHAKE || tls_refused)
    return fail(s7::Error(
        s7::Errc::network_error,
        fmt::format("{} the MQTT broker {}: TLS failed{}: check [output.mqtt] ca_file (the CA "
                    "that signed the broker's certificate, whose name must match \"{}\"), "
                    "cert_file/key_file, and that {} speaks TLS",
                    doing, where, last_log_.empty() ? "" : " (" + last_log_ + ")",
                    url_ ? url_->host : "", where)));
  const bool lost = rc == MOSQ_ERR_ERRNO &&
                    (err == EPIPE || err == ECONNRESET || err == ENOTCONN || err == ECONNABORTED);
  if (lost || rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_KEEPALIVE)
    return fail(s7::Error(
        s7::Errc::connection_closed,
        fmt::format("{} the MQTT broker {}: the connection was lost ({}): is the broker running "
                    "on {}? (a second client with the client id \"{}\" also takes the "
                    "connection over)",
                    doing, where, lost ? std::strerror(err) : mosquitto_strerror(rc), where,
                    client_id_)));
  if (rc == MOSQ_ERR_ERRNO)
    return fail(s7::Error(s7::Errc::network_error,
                          fmt::format("{} the MQTT broker {}: {}: is the broker running and "
                                      "reachable on {}?",
                                      doing, where, std::strerror(err), where)));
  return fail(s7::Error(s7::Errc::network_error, fmt::format("{} the MQTT broker {}: {}", doing,
                                                             where, mosquitto_strerror(rc))));
}

s7::Result<void> MqttDelivery::step(milliseconds wait, const char* doing) {
  if (mosquitto_socket(mosq_) < 0) return io_error(MOSQ_ERR_NO_CONN, 0, doing);
  const platform::socket_handle sock = socket_of(mosq_);
  platform::PollItem p{sock, platform::kReadable, 0};
  if (mosquitto_want_write(mosq_)) p.want |= platform::kWritable;
  std::error_code ec;
  const int n = platform::poll_sockets(&p, 1, std::max(wait, milliseconds(0)), ec);
  if (n < 0) return io_error(MOSQ_ERR_ERRNO, ec.value(), doing);
  if (n > 0) {
    // Read first (also advances a TLS handshake, whichever way it waits), then write.
    int rc = mosquitto_loop_read(mosq_, 1);
    int err = errno;
    // ACK what was read at once: a broker without TCP_NODELAY (mosquitto's default) holds its
    // next small PUBACK until then, and a delayed ACK makes that ~40 ms.
    if (mosquitto_socket(mosq_) >= 0) platform::quick_ack(sock);
    if (rc == MOSQ_ERR_SUCCESS && mosquitto_socket(mosq_) >= 0 && mosquitto_want_write(mosq_)) {
      rc = mosquitto_loop_write(mosq_, 1);
      err = errno;
    }
    if (rc != MOSQ_ERR_SUCCESS) return io_error(rc, err, doing);
  }
  if (mosquitto_socket(mosq_) < 0 || lost_) return io_error(MOSQ_ERR_CONN_LOST, 0, doing);
  if (const int rc = mosquitto_loop_misc(mosq_); rc != MOSQ_ERR_SUCCESS)
    return io_error(rc, errno, doing);
  return {};
}

s7::Result<void> MqttDelivery::publish(const std::string& t, std::span<const std::uint8_t> payload,
                                       int qos, bool retain, int* mid_out) {
  int mid = 0;
  const int rc = mosquitto_publish(mosq_, &mid, t.c_str(), static_cast<int>(payload.size()),
                                   payload.data(), qos, retain);
  const int err = errno;
  if (rc != MOSQ_ERR_SUCCESS) {
    if (rc == MOSQ_ERR_PAYLOAD_SIZE || rc == MOSQ_ERR_MALFORMED_UTF8 || rc == MOSQ_ERR_INVAL)
      return fail(s7::Error(s7::Errc::invalid_argument,
                            fmt::format("cannot publish on \"{}\" to the MQTT broker {}: {}", t,
                                        server(), mosquitto_strerror(rc))));
    return io_error(rc, err, "cannot publish to");
  }
  if (early_.erase(mid) == 0) pending_.insert(mid);
  if (mid_out != nullptr) *mid_out = mid;
  return {};
}

s7::Result<void> MqttDelivery::barrier() {
  // An UNSUBSCRIBE of a filter never subscribed changes nothing, and the broker must answer it
  // (MQTT 3.1.1 3.10.4) after the packets before it.
  int mid = 0;
  const int rc = mosquitto_unsubscribe(mosq_, &mid, (topic("NCMD") + "/s7log-sync").c_str());
  if (rc != MOSQ_ERR_SUCCESS) return io_error(rc, errno, "cannot deliver to");
  if (early_.erase(mid) == 0) pending_.insert(mid);
  return {};
}

s7::Result<void> MqttDelivery::wait_published() {
  const auto deadline = Clock::now() + options_.ack_timeout;
  while (!pending_.empty()) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      return fail(s7::Error(
          s7::Errc::request_timeout,
          fmt::format("the MQTT broker {} did not acknowledge {} message(s) within {}: is it "
                      "overloaded, or does it hold the connection without answering?",
                      server(), pending_.size(), seconds_text(options_.ack_timeout))));
    if (auto r = step(left, "cannot deliver to"); !r) return r;
  }
  early_.clear();
  return {};
}

// --- connect / disconnect -----------------------------------------------------------------------

s7::Result<void> MqttDelivery::connect() {
  connect_sent_ = false;
  auto r = connect_session();
  // bdSeq counts CONNECT packets: one that went out (its will holds this bdSeq, and a broker
  // that took it may still publish that will) uses the number up. A connection refused, or a
  // host not found, sent none.
  if (connect_sent_ && (r || !(r.error().is(s7::Errc::connection_refused) ||
                               r.error().is(s7::Errc::host_not_found))))
    bd_seq_used_ = true;
  return r;
}

s7::Result<void> MqttDelivery::connect_session() {
  platform::NoSigpipe no_sigpipe;
  drop();
  if (auto r = check_options(options_); !r) return r;
  url_ = *parse_broker_url(options_.url);
  init_library();
  mosq_ = mosquitto_new(client_id_.c_str(), true, this);
  if (mosq_ == nullptr)
    return s7::Error(s7::Errc::invalid_argument,
                     fmt::format("cannot make an MQTT client with client id \"{}\": {}", client_id_,
                                 std::strerror(errno)));
  lost_ = false;
  connack_.reset();
  last_log_.clear();
  seq_ = 0;
  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  mosquitto_int_option(mosq_, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_connect_callback_set(mosq_, &MqttDelivery::on_connect);
  mosquitto_disconnect_callback_set(mosq_, &MqttDelivery::on_disconnect);
  mosquitto_publish_callback_set(mosq_, &MqttDelivery::on_publish);
  mosquitto_message_callback_set(mosq_, &MqttDelivery::on_message);
  mosquitto_unsubscribe_callback_set(mosq_, &MqttDelivery::on_unsubscribe);
  mosquitto_log_callback_set(mosq_, &MqttDelivery::on_log);
  const auto setup_error = [&](int rc, const std::string& what) {
    return fail(s7::Error(
        s7::Errc::invalid_argument,
        fmt::format("MQTT broker {}: cannot set {}: {}", server(), what, mosquitto_strerror(rc))));
  };
  if (!options_.username.empty()) {
    const int rc =
        mosquitto_username_pw_set(mosq_, options_.username.c_str(),
                                  options_.password.empty() ? nullptr : options_.password.c_str());
    if (rc != MOSQ_ERR_SUCCESS) return setup_error(rc, "[output.mqtt] username/password");
  }
  if (url_->tls) {
    const bool own_ca = !options_.ca_file.empty();
    if (!own_ca) mosquitto_int_option(mosq_, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
    if (own_ca || !options_.cert_file.empty()) {
      const std::string& key = options_.key_file.empty() ? options_.cert_file : options_.key_file;
      const int rc = mosquitto_tls_set(
          mosq_, own_ca ? options_.ca_file.c_str() : nullptr, own_ca ? nullptr : "/etc/ssl/certs",
          options_.cert_file.empty() ? nullptr : options_.cert_file.c_str(),
          options_.cert_file.empty() ? nullptr : key.c_str(), nullptr);
      if (rc != MOSQ_ERR_SUCCESS)
        return setup_error(rc, "[output.mqtt] ca_file/cert_file/key_file");
    }
  }
  if (sparkplug()) {
    if (bd_seq_used_) bd_seq_ = (bd_seq_ + 1) % 256;
    bd_seq_used_ = false;
    const auto will = sparkplug::encode_ndeath(bd_seq_);
    const int rc = mosquitto_will_set(mosq_, topic("NDEATH").c_str(), static_cast<int>(will.size()),
                                      will.data(), 1, false);
    if (rc != MOSQ_ERR_SUCCESS) return setup_error(rc, "the NDEATH will");
  }
  const int keepalive = static_cast<int>(options_.keepalive.count());
  int rc = mosquitto_connect_async(mosq_, url_->host.c_str(), url_->port, keepalive);
  if (rc != MOSQ_ERR_SUCCESS) return io_error(rc, errno, "cannot connect to");
  connect_sent_ = true;  // CONNECT is queued: on its way unless the TCP connection fails

  const auto deadline = Clock::now() + options_.ack_timeout;
  while (!connack_) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      return fail(s7::Error(
          s7::Errc::connect_timeout,
          fmt::format("the MQTT broker {} did not accept the connection within {}: check the "
                      "host and port in [output.mqtt] url and the firewall ({} needs the "
                      "broker's {} port)",
                      server(), seconds_text(options_.ack_timeout),
                      url_->tls ? "mqtts://" : "mqtt://",
                      url_->tls ? "TLS (usually 8883)" : "plain (usually 1883)")));
    const auto r = step(left, "cannot connect to");
    if (connack_) break;  // a refusal closes the socket too: the code says more
    if (!r) {
      // Lost before any CONNACK: a TLS/plain mismatch or a broker that hangs up at once.
      if (r.error().is(s7::Errc::connection_closed))
        return s7::Error(s7::Errc::connection_closed,
                         fmt::format("cannot connect to the MQTT broker {}: it closed the "
                                     "connection before accepting it: check that it speaks {} "
                                     "there (mqtt:// plain, mqtts:// TLS) and its log",
                                     server(), url_->tls ? "TLS" : "plain MQTT"));
      return r;
    }
  }
  const std::string where = server();
  switch (*connack_) {
    case 0:
      break;
    case 1:
      return fail(s7::Error(s7::Errc::connection_closed,
                            fmt::format("the MQTT broker {} refused the connection: it does not "
                                        "speak MQTT 3.1.1",
                                        where)));
    case 2:
      return fail(s7::Error(
          s7::Errc::connection_closed,
          fmt::format("the MQTT broker {} refused the client id \"{}\": another client uses "
                      "client id {}, or the broker refuses it: set [output.mqtt] client_id",
                      where, client_id_, client_id_)));
    case 3:
      return fail(s7::Error(s7::Errc::connection_closed,
                            fmt::format("the MQTT broker {} refused the connection: server "
                                        "unavailable; try again later or check its log",
                                        where)));
    case 4:
      return fail(s7::Error(
          s7::Errc::connection_closed,
          fmt::format(
              "the MQTT broker {} refused the connection: bad user name or password: "
              "check [output.mqtt] username{} and password",
              where,
              options_.username.empty() ? " (none given)" : " \"" + options_.username + "\"")));
    case 5:
      return fail(s7::Error(
          s7::Errc::connection_closed,
          fmt::format(
              "the MQTT broker {} refused the connection: not authorized: check "
              "[output.mqtt] username{} and password, the broker's ACL, and that it "
              "accepts the client id \"{}\" (or set [output.mqtt] client_id)",
              where, options_.username.empty() ? " (none given)" : " \"" + options_.username + "\"",
              client_id_)));
    default:
      return fail(s7::Error(s7::Errc::connection_closed,
                            fmt::format("the MQTT broker {} refused the connection (CONNACK code "
                                        "{})",
                                        where, *connack_)));
  }
  connected_ = true;
  if (sparkplug()) {
    rc = mosquitto_subscribe(mosq_, nullptr, topic("NCMD").c_str(), 0);
    if (rc != MOSQ_ERR_SUCCESS) return io_error(rc, errno, "cannot subscribe to NCMD at");
    if (auto r = births(); !r) return r;
    if (auto r = wait_published(); !r) return r;
  }
  return {};
}

void MqttDelivery::disconnect() {
  if (mosq_ == nullptr) return;
  platform::NoSigpipe no_sigpipe;
  if (connected_) {
    bool ok = true;
    if (sparkplug()) {
      // A clean DISCONNECT drops the will: say goodbye ourselves (the same NDEATH).
      const auto death = sparkplug::encode_ndeath(bd_seq_);
      ok = publish(topic("NDEATH"), death, 1, false).ok() && wait_published().ok();
    }
    if (ok && mosquitto_disconnect(mosq_) == MOSQ_ERR_SUCCESS) {
      const auto deadline = Clock::now() + milliseconds(1000);
      while (mosquitto_socket(mosq_) >= 0 && mosquitto_want_write(mosq_) &&
             Clock::now() < deadline) {
        platform::PollItem p{socket_of(mosq_), platform::kWritable, 0};
        std::error_code ec;
        if (platform::poll_sockets(&p, 1, milliseconds(100), ec) > 0 &&
            mosquitto_loop_write(mosq_, 1) != MOSQ_ERR_SUCCESS)
          break;
      }
    }
  }
  drop();
}

// --- Sparkplug ----------------------------------------------------------------------------------

std::uint64_t MqttDelivery::next_seq() {
  seq_ = (seq_ + 1) % 256;
  return seq_;
}

s7::Result<void> MqttDelivery::births() {
  seq_ = 0;
  std::vector<sparkplug::Metric> node;
  node.push_back(metric(std::string(sparkplug::kBdSeqMetric), sparkplug::DataType::UInt64,
                        s7::Value(s7::Scalar(static_cast<std::uint64_t>(bd_seq_)))));
  node.push_back(metric(std::string(sparkplug::kRebirthMetric), sparkplug::DataType::Boolean,
                        s7::Value(s7::Scalar(false))));
  const auto now = now_ms();
  for (auto& m : node) m.timestamp_ms = now;
  if (auto r = publish(topic("NBIRTH"), sparkplug::encode_payload(now, 0, node), 0, false); !r)
    return r;
  for (auto& [name, d] : devices_) {
    d.born = false;
    if (!alive(d)) continue;
    if (auto r = birth_device(name); !r) return r;
  }
  return {};
}

s7::Result<void> MqttDelivery::birth_device(const std::string& device) {
  auto& d = devices_[device];
  const auto now = now_ms();
  std::vector<sparkplug::Metric> metrics;
  for (const auto& g : groups_) {
    if (plc_name(g.plc) != device) continue;
    for (const auto& t : g.tags) {
      const auto name = metric_name(g.group, t);
      auto& last = d.last[name];  // a metric never sent yet is null
      auto m = metric(name, metric_type(t), last);
      m.timestamp_ms = now;
      metrics.push_back(std::move(m));
    }
  }
  if (auto r = publish(topic("DBIRTH", device), sparkplug::encode_payload(now, next_seq(), metrics),
                       0, false);
      !r)
    return r;
  d.born = true;
  return {};
}

s7::Result<void> MqttDelivery::death_device(const std::string& device) {
  auto& d = devices_[device];
  if (auto r = publish(topic("DDEATH", device), sparkplug::encode_payload(now_ms(), next_seq(), {}),
                       0, false);
      !r)
    return r;
  d.born = false;
  return {};
}

s7::Result<void> MqttDelivery::sparkplug_sample(const logger::Sample& s, bool historical) {
  const Group* g = find_group(s.plc, s.group);
  if (g == nullptr) return {};
  const std::string device = plc_name(s.plc);
  auto& d = devices_[device];
  if (!d.born) {
    bool any = false;
    for (std::size_t i = 0; i < g->tags.size(); ++i) any = any || value_of(s, i).has_value();
    if (!any) return {};  // nothing to tell about a device that is not alive
    if (auto r = birth_device(device); !r) return r;
  }
  const auto ts = unix_ms(s.ts);
  std::vector<sparkplug::Metric> metrics;
  for (std::size_t i = 0; i < g->tags.size(); ++i) {
    const auto& t = g->tags[i];
    auto name = metric_name(g->group, t);
    auto value = value_of(s, i);
    if (!historical) {
      auto& last = d.last[name];
      if (last == value) continue;
      last = value;
    }
    auto m = metric(std::move(name), metric_type(t), std::move(value));
    m.timestamp_ms = ts;
    m.is_historical = historical;
    metrics.push_back(std::move(m));
  }
  if (metrics.empty()) return {};
  return publish(topic("DDATA", device), sparkplug::encode_payload(ts, next_seq(), metrics), 0,
                 false);
}

s7::Result<void> MqttDelivery::answer_rebirth() {
  rebirth_requested_ = false;
  if (auto r = births(); !r) return r;
  return wait_published();
}

// --- Delivery -----------------------------------------------------------------------------------

s7::Result<void> MqttDelivery::deliver(std::span<const logger::Sample* const> batch,
                                       bool historical) {
  acknowledged_ = 0;
  batch_mids_.clear();
  batch_acks_.clear();
  if (!connected_ || mosq_ == nullptr)
    return s7::Error(s7::Errc::not_connected,
                     fmt::format("not connected to the MQTT broker {}", server()));
  platform::NoSigpipe no_sigpipe;
  tracking_ = !sparkplug() && options_.qos > 0;
  bool all_done = false;
  auto r = deliver_batch(batch, historical, all_done);
  if (!r) acknowledged_ = all_done ? batch.size() : tracking_ ? acknowledged_prefix() : 0;
  tracking_ = false;
  batch_mids_.clear();
  batch_acks_.clear();
  return r;
}

std::size_t MqttDelivery::acknowledged_prefix() const {
  // Messages of one mid are acknowledged in the order they were sent: libmosquitto keeps at
  // most max_inflight (20) in flight, far fewer than the 65535 mids before one comes again.
  std::map<int, std::size_t> seen;
  std::size_t n = 0;
  for (const int mid : batch_mids_) {
    if (mid != 0) {
      const auto it = batch_acks_.find(mid);
      if (it == batch_acks_.end() || it->second <= seen[mid]++) break;
    }
    ++n;
  }
  return n;
}

s7::Result<void> MqttDelivery::deliver_batch(std::span<const logger::Sample* const> batch,
                                             bool historical, bool& all_done) {
  for (const logger::Sample* s : batch) {
    if (sparkplug()) {
      if (auto r = sparkplug_sample(*s, historical); !r) return r;
    } else {
      const Group* g = find_group(s->plc, s->group);
      if (g == nullptr) {
        batch_mids_.push_back(0);
        continue;
      }
      const std::string text = json_payload(*s, g->tags, historical);
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
      int mid = 0;
      if (auto r = publish(expand_topic(options_.topic, s->plc, s->group),
                           std::span<const std::uint8_t>(bytes, text.size()), options_.qos,
                           options_.retain, &mid);
          !r)
        return r;
      batch_mids_.push_back(mid);
    }
    // Keep the socket moving (and the in-flight window open) during a long batch.
    if (pending_.size() >= 64)
      if (auto r = step(milliseconds(0), "cannot deliver to"); !r) return r;
  }
  if (sparkplug()) {
    for (auto& [name, d] : devices_)
      if (d.born && !alive(d))
        if (auto r = death_device(name); !r) return r;
    // QoS 0 has no acknowledgement, and a broker that stops drops what it has not read yet:
    // wait until it has handled every message of the batch (a broker answers in order).
    if (auto r = barrier(); !r) return r;
  }
  if (auto r = wait_published(); !r) return r;
  all_done = true;
  if (rebirth_requested_) return answer_rebirth();
  return {};
}

void MqttDelivery::link(const std::string& plc, logger::LinkState state) {
  const std::string device = plc_name(plc);
  auto& d = devices_[device];
  d.link = state;
  if (!sparkplug() || !connected_) return;
  platform::NoSigpipe no_sigpipe;
  s7::Result<void> r;
  if (d.born && !alive(d))
    r = death_device(device);
  else if (!d.born && alive(d))
    r = birth_device(device);
  if (r) r = wait_published();
  (void)r;  // an error dropped the connection: the next connect() makes births anew
}

void MqttDelivery::poll() {
  if (!connected_ || mosq_ == nullptr) return;
  platform::NoSigpipe no_sigpipe;
  auto r = step(milliseconds(0), "lost");
  if (r && rebirth_requested_) r = answer_rebirth();
  (void)r;  // an error dropped the connection: connected() says so
}

}  // namespace sinks::mqtt
