// The network outputs of `s7log run` ([output.postgres], [output.mqtt]): built where this build
// has their client libraries, each a NetworkSink (batches, disk spool) in front of its Delivery.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "logger/agent.hpp"
#include "logger/config.hpp"
#include "logger/delivery.hpp"
#include "logger/network_sink.hpp"
#include "logger/outputs.hpp"

namespace app {

// Whether this build has an output ("csv" always; "postgres" and "mqtt" where libpq and
// libmosquitto + protobuf-c were found: the Linux builds, not the Windows .exe).
bool output_in_build(const std::string& name);

// Ok when every output the config sets up ([output.*]) is in this build; else an error that says
// which is not and where the docs list what each build has.
s7::Result<void> check_outputs_in_build(const logger::OutputsConfig& outputs);

// The objects must outlive the agent's runs.
struct NetworkOutputs {
  std::vector<std::unique_ptr<logger::Delivery>> deliveries;
  std::vector<std::unique_ptr<logger::NetworkSink>> sinks;
};

// Creates the configured outputs and hands them to `agent` (before agent.configure()).
s7::Result<void> attach_network_outputs(NetworkOutputs& out, const logger::OutputsConfig& config,
                                        logger::Agent& agent,
                                        const std::function<void(const std::string&)>& notify);

}  // namespace app
