// Writes Sparkplug payloads made by the C++ encoder for the Python cross-check: for each case
// <dir>/<case>.bin (the bytes) and <dir>/<case>.json (what was meant: the metrics as given).
// Usage: sink_mqtt_sparkplug_vectors <dir>. tests/integration/sparkplug_decode.py `check` runs it
// and compares its own decoding of every .bin with the .json.
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "sinks/mqtt/sparkplug.hpp"

namespace spb = sinks::sparkplug;

namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_scalar(const s7::Scalar& s) {
  char buf[64];
  if (const auto* b = std::get_if<bool>(&s)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<std::int64_t>(&s)) {
    std::snprintf(buf, sizeof buf, "%" PRId64, *i);
    return buf;
  }
  if (const auto* u = std::get_if<std::uint64_t>(&s)) {
    std::snprintf(buf, sizeof buf, "%" PRIu64, *u);
    return buf;
  }
  if (const auto* f = std::get_if<float>(&s)) {
    std::snprintf(buf, sizeof buf, "%.17g", double{*f});  // the float's exact double
    return buf;
  }
  if (const auto* d = std::get_if<double>(&s)) {
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  return json_string(std::get<std::string>(s));
}

std::string json_metric(const spb::Metric& m) {
  std::string out = "{";
  if (!m.name.empty()) out += "\"name\": " + json_string(m.name) + ", ";
  if (m.alias) out += "\"alias\": " + std::to_string(*m.alias) + ", ";
  if (m.timestamp_ms) out += "\"timestamp\": " + std::to_string(*m.timestamp_ms) + ", ";
  out += "\"datatype\": " + json_string(spb::to_string(m.type)) + ", ";
  out += std::string("\"is_historical\": ") + (m.is_historical ? "true" : "false") + ", ";
  out += std::string("\"is_null\": ") + (m.value ? "false" : "true") + ", ";
  out += "\"value\": ";
  if (!m.value) {
    out += "null";
  } else if (m.value->array) {
    out += "[";
    for (std::size_t i = 0; i < m.value->elems.size(); ++i)
      out += (i ? ", " : "") + json_scalar(m.value->elems[i]);
    out += "]";
  } else {
    out += json_scalar(m.value->elems.front());
  }
  return out + "}";
}

std::string json_payload(std::optional<std::uint64_t> timestamp, std::optional<std::uint64_t> seq,
                         const std::vector<spb::Metric>& metrics) {
  std::string out = "{";
  if (timestamp) out += "\"timestamp\": " + std::to_string(*timestamp) + ", ";
  if (seq) out += "\"seq\": " + std::to_string(*seq) + ", ";
  out += "\"metrics\": [";
  for (std::size_t i = 0; i < metrics.size(); ++i)
    out += (i ? ",\n  " : "\n  ") + json_metric(metrics[i]);
  return out + "]}\n";
}

bool write(const std::filesystem::path& dir, const std::string& name,
           const std::vector<std::uint8_t>& bytes, const std::string& json) {
  std::ofstream bin(dir / (name + ".bin"), std::ios::binary);
  bin.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  std::ofstream js(dir / (name + ".json"));
  js << json;
  return bin.good() && js.good();
}

spb::Metric metric(std::string name, spb::DataType t, std::optional<s7::Value> v) {
  spb::Metric m;
  m.name = std::move(name);
  m.type = t;
  m.value = std::move(v);
  return m;
}

template <class T>
s7::Value array(std::initializer_list<T> v) {
  s7::Value out;
  out.array = true;
  for (const auto& x : v) out.elems.emplace_back(x);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <output dir>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir(argv[1]);
  std::filesystem::create_directories(dir);
  using T = spb::DataType;
  using I = std::int64_t;
  using U = std::uint64_t;
  bool ok = true;
  const auto add = [&](const std::string& name, std::uint64_t ts, std::optional<std::uint64_t> seq,
                       const std::vector<spb::Metric>& metrics) {
    ok = write(dir, name, spb::encode_payload(ts, seq, metrics), json_payload(ts, seq, metrics)) &&
         ok;
  };

  // NBIRTH: bdSeq, the rebirth control and every scalar type at its edges.
  add("nbirth", 1700000000000, 0,
      {
          metric(std::string(spb::kBdSeqMetric), T::UInt64, s7::Value(U{7})),
          metric(std::string(spb::kRebirthMetric), T::Boolean, s7::Value(false)),
          metric("plc1/int8_min", T::Int8, s7::Value(I{-128})),
          metric("plc1/int8_max", T::Int8, s7::Value(I{127})),
          metric("plc1/int16", T::Int16, s7::Value(I{-30000})),
          metric("plc1/int32", T::Int32, s7::Value(I{std::numeric_limits<std::int32_t>::min()})),
          metric("plc1/int64", T::Int64, s7::Value(std::numeric_limits<I>::min())),
          metric("plc1/int64_minus1", T::Int64, s7::Value(I{-1})),
          metric("plc1/uint8", T::UInt8, s7::Value(U{250})),
          metric("plc1/uint16", T::UInt16, s7::Value(U{52360})),
          metric("plc1/uint32", T::UInt32, s7::Value(U{4294967295u})),
          metric("plc1/uint64", T::UInt64, s7::Value(std::numeric_limits<U>::max())),
          metric("plc1/float", T::Float, s7::Value(1.23f)),
          metric("plc1/float_neg", T::Float, s7::Value(-3.0e38f)),
          metric("plc1/double", T::Double, s7::Value(1022.9123213)),
          metric("plc1/bool", T::Boolean, s7::Value(true)),
          metric("plc1/string", T::String, s7::Value(std::string("h\xC3\xA9llo \"q\" \\ tab\t"))),
          metric("plc1/empty", T::String, s7::Value(std::string())),
          metric("plc1/text", T::Text, s7::Value(std::string("line1\nline2"))),
          metric("plc1/datetime", T::DateTime, s7::Value(U{1656107875000})),
          metric("plc1/null", T::Int32, std::nullopt),
      });

  // DDATA: changed metrics, by alias with their own timestamps.
  std::vector<spb::Metric> ddata = {
      metric("fast/temperature", T::Float, s7::Value(21.5f)),
      metric("fast/alarm", T::Boolean, s7::Value(true)),
      metric("", T::UInt16, s7::Value(U{42})),
  };
  ddata[2].alias = 3;
  ddata[2].timestamp_ms = 1700000000123;
  add("ddata", 1700000000200, 5, ddata);

  // Spooled samples: historical, one of them null.
  std::vector<spb::Metric> hist = {
      metric("slow/pressure", T::Double, s7::Value(1.5)),
      metric("slow/pressure", T::Double, std::nullopt),
  };
  for (std::size_t i = 0; i < hist.size(); ++i) {
    hist[i].is_historical = true;
    hist[i].timestamp_ms = 1699999990000 + i * 1000;
  }
  add("historical", 1700000000300, 255, hist);

  // Every array type.
  add("arrays", 1700000000400, 6,
      {
          metric("a/int8", T::Int8Array, array<I>({-23, 123, -128})),
          metric("a/int16", T::Int16Array, array<I>({-30000, 30000})),
          metric("a/int32", T::Int32Array, array<I>({-1, 315338746})),
          metric("a/int64", T::Int64Array, array<I>({-4270929666821191986, 1})),
          metric("a/uint8", T::UInt8Array, array<U>({23, 250})),
          metric("a/uint16", T::UInt16Array, array<U>({30, 52360})),
          metric("a/uint32", T::UInt32Array, array<U>({52, 3293969225})),
          metric("a/uint64", T::UInt64Array, array<U>({52, 16444743074749521625u})),
          metric("a/float", T::FloatArray, array<float>({1.23f, 89.341f})),
          metric("a/double", T::DoubleArray, array<double>({12.354213, 1022.9123213})),
          metric("a/bool", T::BooleanArray,
                 array<bool>({false, false, true, true, false, true, false, false, true, true,
                              false, true})),
          metric("a/bool_empty", T::BooleanArray, array<bool>({})),
          metric("a/string", T::StringArray, array<std::string>({"ABC", "hello", "", "\xC3\xBC"})),
          metric("a/datetime", T::DateTimeArray, array<U>({1256102875335, 1656107875000})),
      });

  // NDEATH: bdSeq only, no timestamp, no seq.
  const std::vector<spb::Metric> death = {
      metric(std::string(spb::kBdSeqMetric), T::UInt64, s7::Value(U{255}))};
  ok = write(dir, "ndeath", spb::encode_ndeath(255),
             json_payload(std::nullopt, std::nullopt, death)) &&
       ok;

  if (!ok) {
    std::fprintf(stderr, "cannot write into %s\n", dir.string().c_str());
    return 1;
  }
  return 0;
}
