// The tag that the outputs module and its loader compare (sinks/outputs_module.hpp).
#include <fmt/format.h>

#include "sinks/outputs_module.hpp"

namespace sinks {

std::string outputs_module_abi(const char* version) {
  return fmt::format(
      "s7log-outputs {} api={} config={} postgres={} mqtt={} sample={} tag={} value={} delivery={}",
      version, kOutputsModuleApi, sizeof(logger::OutputsConfig), sizeof(logger::PostgresOutput),
      sizeof(logger::MqttOutput), sizeof(logger::Sample), sizeof(logger::TagInfo),
      sizeof(logger::TagValue), sizeof(logger::Delivery));
}

}  // namespace sinks
