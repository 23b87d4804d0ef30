// s7log-outputs.so: the PostgreSQL and MQTT deliveries behind the module's three C entry points
// (everything else is hidden at link time). See sinks/outputs_module.hpp.
#include <memory>

#include "sinks/outputs_module.hpp"

#ifdef S7LOG_HAVE_POSTGRES
#include "sinks/postgres/postgres_delivery.hpp"
#endif
#ifdef S7LOG_HAVE_MQTT
#include "sinks/mqtt/mqtt_delivery.hpp"
#endif

namespace {

[[maybe_unused]] std::string not_in_build(const std::string& name, const char* library) {
  return "[output." + name + "]: this build of s7log has no " + name +
         " output (it was built without " + library +
         "). docs/outputs.md lists what each build has";
}

#ifdef S7LOG_HAVE_MQTT
sinks::mqtt::MqttOptions mqtt_options(const logger::MqttOutput& m) {
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
  return o;
}
#endif

}  // namespace

extern "C" __attribute__((visibility("default"))) const char* s7log_outputs_abi() {
  static const std::string tag = sinks::outputs_module_abi(S7LOG_OUTPUTS_VERSION);
  return tag.c_str();
}

extern "C" __attribute__((visibility("default"))) bool s7log_outputs_check(
    const logger::OutputsConfig* config, std::string* error) {
  if (config->postgres) {
#ifdef S7LOG_HAVE_POSTGRES
    if (auto r = sinks::postgres::check_conninfo(config->postgres->url); !r) {
      *error = "[output.postgres] url: " + r.error().what();
      return false;
    }
#else
    *error = not_in_build("postgres", "libpq");
    return false;
#endif
  }
  if (config->mqtt) {
#ifdef S7LOG_HAVE_MQTT
    if (auto r = sinks::mqtt::check_options(mqtt_options(*config->mqtt)); !r) {
      *error = r.error().what();
      return false;
    }
#else
    *error = not_in_build("mqtt", "libmosquitto and protobuf-c");
    return false;
#endif
  }
  return true;
}

extern "C" __attribute__((visibility("default"))) logger::Delivery* s7log_outputs_create(
    const logger::OutputsConfig* config, const char* kind, std::string* error) {
  const std::string k = kind;
#ifdef S7LOG_HAVE_POSTGRES
  if (k == "postgres" && config->postgres) {
    sinks::postgres::PostgresOptions o;
    o.url = config->postgres->url;
    o.schema = config->postgres->schema;
    o.table = config->postgres->table;
    return std::make_unique<sinks::postgres::PostgresDelivery>(o).release();
  }
#endif
#ifdef S7LOG_HAVE_MQTT
  if (k == "mqtt" && config->mqtt)
    return std::make_unique<sinks::mqtt::MqttDelivery>(mqtt_options(*config->mqtt)).release();
#endif
  (void)config;
  *error = "this build of s7log has no " + k + " output";
  return nullptr;
}
