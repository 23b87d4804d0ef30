// The network outputs of `s7log run`: PostgreSQL and MQTT where this build has them.
#include "network_outputs.hpp"

#ifdef S7LOG_HAVE_POSTGRES
#include "sinks/postgres/postgres_delivery.hpp"
#endif
#ifdef S7LOG_HAVE_MQTT
#include "sinks/mqtt/mqtt_delivery.hpp"
#endif

namespace app {

namespace {

s7::Error not_in_build(const std::string& name, const char* library) {
  return s7::Error(s7::Errc::invalid_argument,
                   "[output." + name + "]: this build of s7log has no " + name +
                       " output (it was built without " + library +
                       "; the Windows .exe has CSV only). docs/outputs.md lists what each build "
                       "has; log to CSV here, or run s7log for Linux (the .deb) for this output");
}

logger::NetworkSinkOptions sink_options(const std::string& name, const logger::SpoolConfig& spool,
                                        std::size_t batch_rows) {
  logger::NetworkSinkOptions o;
  o.name = name;
  o.spool_dir = spool.dir;
  o.spool_max = spool.max_bytes;
  o.spool_fsync = spool.fsync;
  o.batch_rows = batch_rows;
  return o;
}

}  // namespace

bool output_in_build(const std::string& name) {
  if (name == "csv") return true;
#ifdef S7LOG_HAVE_POSTGRES
  if (name == "postgres") return true;
#endif
#ifdef S7LOG_HAVE_MQTT
  if (name == "mqtt") return true;
#endif
  return false;
}

s7::Result<void> check_outputs_in_build(const logger::OutputsConfig& outputs) {
  if (outputs.postgres) {
    if (!output_in_build("postgres")) return not_in_build("postgres", "libpq");
#ifdef S7LOG_HAVE_POSTGRES
    if (auto r = sinks::postgres::check_conninfo(outputs.postgres->url); !r)
      return s7::Error(r.error().code, "[output.postgres] url: " + r.error().what());
#endif
  }
  if (outputs.mqtt) {
    if (!output_in_build("mqtt")) return not_in_build("mqtt", "libmosquitto and protobuf-c");
#ifdef S7LOG_HAVE_MQTT
    const auto& m = *outputs.mqtt;
    sinks::mqtt::MqttOptions o;
    o.url = m.url;
    o.format = m.format;
    o.topic = m.topic;
    o.qos = m.qos;
    o.group_id = m.group_id;
    o.edge_node = m.edge_node;
    o.ca_file = m.ca_file;
    o.cert_file = m.cert_file;
    o.key_file = m.key_file;
    if (auto r = sinks::mqtt::check_options(o); !r) return r.error();
#endif
  }
  return {};
}

s7::Result<void> attach_network_outputs(NetworkOutputs& out, const logger::OutputsConfig& config,
                                        logger::Agent& agent,
                                        const std::function<void(const std::string&)>& notify) {
  if (auto r = check_outputs_in_build(config); !r) return r;
  auto add = [&](std::unique_ptr<logger::Delivery> d, const std::string& name,
                 const logger::SpoolConfig& spool, std::size_t batch_rows) {
    auto sink = std::make_unique<logger::NetworkSink>(*d, sink_options(name, spool, batch_rows),
                                                      &agent.stats(), notify);
    sink->set_link_source([&agent](const std::string& plc) { return agent.link_of(plc); });
    agent.add_output(*sink, name, &sink->stats());
    out.deliveries.push_back(std::move(d));
    out.sinks.push_back(std::move(sink));
  };
  (void)add;  // a build without the libraries has nothing to add
#ifdef S7LOG_HAVE_POSTGRES
  if (config.postgres) {
    const auto& p = *config.postgres;
    sinks::postgres::PostgresOptions o;
    o.url = p.url;
    o.schema = p.schema;
    o.table = p.table;
    add(std::make_unique<sinks::postgres::PostgresDelivery>(o), "postgres", p.spool, p.batch_rows);
  }
#endif
#ifdef S7LOG_HAVE_MQTT
  if (config.mqtt) {
    const auto& m = *config.mqtt;
    sinks::mqtt::MqttOptions o;
    o.url = m.url;
    o.format = m.format;
    o.topic = m.topic;
    o.qos = m.qos;
    o.retain = m.retain;
    o.client_id = m.client_id;
    o.username = m.username;
    o.password = m.password;
    o.ca_file = m.ca_file;
    o.cert_file = m.cert_file;
    o.key_file = m.key_file;
    o.group_id = m.group_id;
    o.edge_node = m.edge_node;
    o.keepalive = m.keepalive;
    add(std::make_unique<sinks::mqtt::MqttDelivery>(o), "mqtt", m.spool, m.batch_rows);
  }
#endif
  return {};
}

}  // namespace app
