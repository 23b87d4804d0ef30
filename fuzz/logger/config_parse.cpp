// Fuzz target: logger.toml reading as load_config does it, byte-order marks and UTF-16 decoding
// included (any bytes must give a config or a file:line error, never crash).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "logger/agent.hpp"
#include "logger/config.hpp"
#include "logger/plan.hpp"
#include "logger/tag.hpp"
#include "util/text_file.hpp"

namespace {

// Stands in for a network output: the agent only needs one registered under the name.
class Discard : public logger::Sink {
 public:
  s7::Result<void> open(const std::vector<logger::TagInfo>&) override { return {}; }
  s7::Result<void> write(const logger::Sample&) override { return {}; }
};

// The only source a fuzzed config can name: "Telemetry.db" (the course's DB1 as TIA writes it,
// shortened). Nothing is read from the disk.
s7::Result<std::string> read_source(const std::string& name) {
  if (name != "Telemetry.db") return s7::Error(s7::Errc::invalid_argument, "no such file");
  return std::string(
      "DATA_BLOCK \"Telemetry\"\n{ S7_Optimized_Access := 'FALSE' }\nVERSION : 0.1\n"
      "   STRUCT\n      counter : DInt;\n      temperature : Int := 25;\n"
      "      pressure : Real := 1.23;\n      alarm : Bool;\n      mode_ro : Byte := 16#07;\n"
      "      motor : Array[1..2] of Struct\n         speed : Real;\n         on : Bool;\n"
      "      END_STRUCT;\n   END_STRUCT;\nBEGIN\n   alarm := TRUE;\nEND_DATA_BLOCK\n");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto text = util::decode_text_file(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!text) return 0;  // broken UTF-16: load_config says so
  auto r = logger::parse_config(*text, "fuzz.toml", read_source);
  if (r.ok() && r->plant) {
    // A plant that loaded is one the agent takes (with the outputs its [output.*] tables set
    // up), and its plan report covers every group.
    logger::Agent agent;
    Discard postgres, mqtt;
    if (r->outputs.postgres) agent.add_output(postgres, "postgres");
    if (r->outputs.mqtt) agent.add_output(mqtt, "mqtt");
    if (!agent.configure(*r->plant).ok()) __builtin_trap();
    const auto report = logger::describe_plant_plan(*r->plant);
    for (const auto& g : r->plant->groups)
      if (report.find("group " + g.name + ",") == std::string::npos) __builtin_trap();
  } else if (r.ok()) {
    const auto& tags = r->has_tags ? r->config.tags : logger::course_tags();
    auto plan = logger::build_plan(tags);
    std::size_t covered = 0;
    for (const auto& item : plan.items) covered += item.tags.size();
    if (covered != tags.size()) __builtin_trap();  // every tag is read by exactly one item
  } else if (r.error().what().rfind("fuzz.toml", 0) != 0) {
    __builtin_trap();  // errors always name the file
  }
  return 0;
}
