// Fuzz target: logger.toml parsing (any bytes must give a config or a file:line error, never
// crash).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "logger/config.hpp"
#include "logger/plan.hpp"
#include "logger/tag.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = logger::parse_config(text, "fuzz.toml");
  if (r.ok()) {
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
