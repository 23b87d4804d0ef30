// The network outputs of `s7log run` ([output.postgres], [output.mqtt]): deliveries from the
// module s7log-outputs.so (Linux builds with the client libraries), each behind a NetworkSink
// (batches, disk spool).
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

// Ok when every output the config sets up ([output.*]) is in this build (the module loads and
// has it, and accepts its settings); else an error that says which is not and why: no module
// (the Windows .exe), a module from another build, an output it was built without.
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
