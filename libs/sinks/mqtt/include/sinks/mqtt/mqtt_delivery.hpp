// The MQTT output (issue 15): one JSON message per group sample, or a Sparkplug B 3.0 edge node
// with each PLC a device; libmosquitto driven on the caller's thread (no background thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "logger/delivery.hpp"
#include "sinks/mqtt/sparkplug.hpp"

struct mosquitto;
struct mosquitto_message;

namespace sinks::mqtt {

struct MqttOptions {
  std::string url;              // mqtt://host[:port] (1883) or mqtts://host[:port] (8883, TLS)
  std::string format = "json";  // "json" or "sparkplug"
  std::string topic = "s7log/{plc}/{group}";  // JSON only: {plc} and {group} are replaced
  int qos = 1;                                // JSON only: 0, 1 or 2 (Sparkplug: see below)
  bool retain = false;                        // JSON only
  std::string client_id;                      // empty: s7log-<host>-<pid>
  std::string username, password;
  std::string ca_file;  // mqtts: the CA that signed the broker's certificate (empty: the system's)
  std::string cert_file;  // mqtts: client certificate (PEM), with key_file (empty: in cert_file)
  std::string key_file;
  std::string group_id = "s7log";  // Sparkplug group id
  std::string edge_node;           // Sparkplug edge node id; empty: the host name
  std::chrono::seconds keepalive{30};
  std::chrono::milliseconds ack_timeout{10000};  // for CONNACK and for each deliver()
};

// host, port and TLS of an [output.mqtt] url. Errors (invalid_argument) say what is wrong:
// another scheme, no host, a bad port, user:password@ in the url (use username/password).
struct BrokerUrl {
  std::string host;
  int port = 1883;
  bool tls = false;
};
s7::Result<BrokerUrl> parse_broker_url(std::string_view url);

// Ok when the options can work (url, format, qos 0..2, Sparkplug ids without / + #, files of
// mqtts readable); else the error names the [output.mqtt] key. connect() checks this first.
s7::Result<void> check_options(const MqttOptions& options);

// Contract (logger::Delivery, all calls on one thread; see delivery.hpp):
// - MQTT 3.1.1 with a clean session. libmosquitto runs without its thread: connect(), deliver(),
//   link(), poll() and disconnect() drive its socket themselves (platform::poll_sockets +
//   mosquitto_loop_read/write/misc: no FD_SETSIZE limit), with SIGPIPE blocked around the calls
//   (platform::NoSigpipe) and a quick ACK after each read (platform::quick_ack: a broker without
//   TCP_NODELAY would otherwise hold the last PUBACK of a batch ~40 ms for our delayed ACK).
// - connect(): a fresh client (the previous one, if any, is destroyed first), TCP connect, TLS,
//   CONNACK within ack_timeout. Errors name the broker (host:port, never the password) and what
//   to check (broker not running, unknown host, client id refused, user name/password or ACL,
//   TLS files). Sparkplug: the will is NDEATH with this session's bdSeq; then NCMD is subscribed,
//   NBIRTH (seq 0) and a DBIRTH per living device are published before connect() returns.
// - deliver(): JSON: one message per sample on expand_topic(topic), at `qos`/`retain`; ok once
//   every message is acknowledged at that QoS (QoS 0: written to the socket). Sparkplug: a DDATA
//   per sample with the metrics that changed (QoS 0, as the spec asks); ok once the broker has
//   handled them all: an UNSUBSCRIBE of "spBv1.0/<group>/NCMD/<edge>/s7log-sync" (a filter never
//   subscribed) follows them, and its UNSUBACK, which the broker sends after handling every
//   packet before it, is awaited. A broker that stops before it read the batch fails it, and
//   the batch is sent again (historical) instead of being lost.
//   Errors (broker gone, ack_timeout) destroy the client (connected() false): libmosquitto never
//   re-sends its own copies; the caller re-delivers the batch, so QoS 1 can duplicate messages.
// - acknowledged(): after a deliver() that failed, how many samples at the start of its batch
//   had every message acknowledged before the failure: JSON QoS 1 PUBACK, QoS 2 PUBCOMP (in any
//   order: the longest such prefix; a sample without a message, of a group not opened, counts
//   along). JSON QoS 0 and Sparkplug (QoS 0): 0, since a message written to a socket that then
//   broke may be lost; except when the batch was all done and only the answer to a rebirth
//   request failed afterwards: then the whole batch. 0 after a deliver() that succeeded.
// - Samples of a group that open_group() did not announce are skipped (their tag names are not
//   known); so are, in Sparkplug, rows without any value of a device that is not alive.
// - Sparkplug details: devices are PLCs (plc_name()), metrics "group/tag" with the type of
//   sparkplug::datatype_for (Double for scaled tags); a tag without a value is is_null. seq runs
//   0..255 over NBIRTH (0) and every later message of the session; bdSeq goes up by one per
//   CONNECT packet sent (0..255; a connect() refused at the TCP level or to an unknown host sends
//   none), NBIRTH repeats it. Change detection compares with what was last sent
//   live (births and live DDATA): historical samples (the spool's) go out whole, each metric
//   is_historical with the sample's time, and leave that state alone, because hosts do not take
//   historical metrics as current values. link(): a living device whose PLC leaves `connected`
//   gets DDEATH; when it is back, DBIRTH. A device whose link was never reported counts as
//   alive. A sample with values for a device that is not alive gives a DBIRTH first, and a
//   device whose link is down is given its DDEATH again at the end of that deliver().
//   NCMD "Node Control/Rebirth" = true (read in poll() and while waiting in deliver()) -> NBIRTH
//   (same bdSeq, seq 0) and every DBIRTH again. disconnect() publishes NDEATH first.
class MqttDelivery : public logger::Delivery {
 public:
  explicit MqttDelivery(MqttOptions options);
  ~MqttDelivery() override;
  MqttDelivery(const MqttDelivery&) = delete;
  MqttDelivery& operator=(const MqttDelivery&) = delete;

  // "MQTT broker 127.0.0.1:1883" (+ ", Sparkplug B group plant, edge node line1").
  std::string describe() const override;
  s7::Result<void> open_group(const std::string& plc, const std::string& group,
                              const std::vector<logger::TagInfo>& tags) override;
  bool connected() const override { return connected_; }
  s7::Result<void> connect() override;
  void disconnect() override;
  s7::Result<void> deliver(std::span<const logger::Sample* const> batch, bool historical) override;
  void link(const std::string& plc, logger::LinkState state) override;
  void poll() override;
  std::size_t acknowledged() const override { return acknowledged_; }

  const std::string& client_id() const { return client_id_; }
  const std::string& edge_node() const { return edge_node_; }
  // bdSeq of the current (or last) session.
  std::uint64_t bd_seq() const { return bd_seq_; }

 private:
  struct Device {
    std::optional<logger::LinkState> link;  // unknown until link() reports it
    bool born = false;
    std::map<std::string, std::optional<s7::Value>> last;  // by metric name: what hosts hold
  };
  struct Group {
    std::string plc, group;
    std::vector<logger::TagInfo> tags;
  };

  bool sparkplug() const { return options_.format == "sparkplug"; }
  bool alive(const Device& d) const;
  std::string server() const;
  std::string topic(std::string_view type, std::string_view device = {}) const;
  const Group* find_group(const std::string& plc, const std::string& group) const;

  s7::Result<void> publish(const std::string& topic, std::span<const std::uint8_t> payload, int qos,
                           bool retain, int* mid = nullptr);
  // One round of socket I/O, waiting up to `wait`; `doing` starts error messages.
  s7::Result<void> step(std::chrono::milliseconds wait, const char* doing);
  s7::Result<void> wait_published();  // every pending mid done
  // Sparkplug: an UNSUBSCRIBE whose UNSUBACK (a pending mid) says the broker read all before it.
  s7::Result<void> barrier();
  s7::Result<void> io_error(int rc, int err, const std::string& doing);
  s7::Result<void> fail(s7::Error e);  // drop() and return e
  void drop();

  std::uint64_t next_seq();
  s7::Result<void> births();
  s7::Result<void> birth_device(const std::string& device);
  s7::Result<void> death_device(const std::string& device);
  s7::Result<void> sparkplug_sample(const logger::Sample& s, bool historical);
  s7::Result<void> answer_rebirth();
  s7::Result<void> connect_session();
  s7::Result<void> deliver_batch(std::span<const logger::Sample* const> batch, bool historical,
                                 bool& all_done);
  std::size_t acknowledged_prefix() const;

  static void on_connect(struct mosquitto*, void* self, int rc);
  static void on_disconnect(struct mosquitto*, void* self, int rc);
  static void on_publish(struct mosquitto*, void* self, int mid);
  static void on_unsubscribe(struct mosquitto*, void* self, int mid);
  static void on_message(struct mosquitto*, void* self, const struct mosquitto_message* msg);
  static void on_log(struct mosquitto*, void* self, int level, const char* text);

  MqttOptions options_;
  std::optional<BrokerUrl> url_;  // empty when the url does not parse (connect() says why)
  std::string client_id_;
  std::string edge_node_;
  struct mosquitto* mosq_ = nullptr;
  bool connected_ = false;
  std::optional<int> connack_;  // CONNACK code of the attempt under way
  bool lost_ = false;           // on_disconnect since the client was made
  std::set<int> pending_;       // mids not acknowledged yet
  std::set<int> early_;         // mids done before publish() returned (QoS 0 written at once)
  // deliver() of JSON at QoS 1/2: each sample's mid (0: no message), and how often each mid was
  // acknowledged during it (a mid can come again in a batch of more than 65535 messages).
  bool tracking_ = false;
  std::vector<int> batch_mids_;
  std::map<int, std::size_t> batch_acks_;
  std::size_t acknowledged_ = 0;
  std::string last_log_;  // libmosquitto's last error/warning line (TLS details)
  bool rebirth_requested_ = false;
  std::uint64_t bd_seq_ = 0;
  bool bd_seq_used_ = false;   // bd_seq_ went out in a CONNECT (the next connect() adds one)
  bool connect_sent_ = false;  // this connect() got as far as sending CONNECT
  std::uint64_t seq_ = 0;
  std::vector<Group> groups_;
  std::map<std::string, Device> devices_;  // by device (PLC) name
};

}  // namespace sinks::mqtt
