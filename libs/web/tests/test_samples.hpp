// Synthetic tags and samples for the web tests (no PLC needed).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "logger/sample.hpp"

namespace web::testing {

inline logger::TagInfo tag(std::string name, s7::DataType type, std::uint32_t count = 1) {
  logger::TagInfo t;
  t.name = std::move(name);
  t.address.type = type;
  t.address.count = count;
  t.address.is_array = count > 1;
  return t;
}

// counter (DINT), pressure (REAL), alarm (BOOL), label (STRING).
inline std::vector<logger::TagInfo> demo_tags() {
  return {tag("counter", s7::DataType::DInt), tag("pressure", s7::DataType::Real),
          tag("alarm", s7::DataType::Bool), tag("label", s7::DataType::String)};
}

inline logger::Sample demo_sample(std::int64_t i, std::chrono::system_clock::time_point ts =
                                                      std::chrono::system_clock::time_point{} +
                                                      std::chrono::seconds(1'700'000'000)) {
  logger::Sample s;
  s.ts = ts + std::chrono::seconds(i);
  s.values = {logger::TagValue{s7::Value(s7::Scalar(std::int64_t{i})), logger::Quality::ok},
              logger::TagValue{s7::Value(s7::Scalar(1.23f)), logger::Quality::ok},
              logger::TagValue{s7::Value(s7::Scalar(i % 2 == 0)), logger::Quality::ok},
              logger::TagValue{s7::Value(s7::Scalar(std::string("run"))), logger::Quality::ok}};
  return s;
}

}  // namespace web::testing
