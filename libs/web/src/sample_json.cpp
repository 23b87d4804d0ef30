// JSON views of samples: values, qualities and local ISO timestamps.
#include "web/sample_json.hpp"

#include <cmath>
#include <cstdlib>
#include <ctime>
#include <type_traits>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "platform/time.hpp"

namespace web {

ColumnKind kind_of(const logger::TagInfo& tag) {
  using s7::DataType;
  const auto& a = tag.address;
  if (a.is_array || a.count > 1) return ColumnKind::text;
  switch (a.type) {
    case DataType::Bool:
      return ColumnKind::boolean;
    case DataType::Char:
    case DataType::WChar:
    case DataType::String:
    case DataType::WString:
    case DataType::Date:
    case DataType::TimeOfDay:
    case DataType::DateAndTime:
    case DataType::Dtl:
    case DataType::LTimeOfDay:
    case DataType::LDateAndTime:
      return ColumnKind::text;
    default:
      return ColumnKind::number;
  }
}

const char* to_string(ColumnKind k) {
  switch (k) {
    case ColumnKind::number:
      return "number";
    case ColumnKind::boolean:
      return "boolean";
    case ColumnKind::text:
      return "text";
  }
  return "text";
}

std::int64_t unix_ms(std::chrono::system_clock::time_point tp) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count();
}

std::string format_local_iso(std::chrono::system_clock::time_point tp) {
  // fmt 9 formats time_points in local time without sub-seconds (fmt 10 uses UTC): go through
  // localtime explicitly and add the milliseconds (stack-notes "fmt 9.1 chrono").
  auto secs = std::chrono::floor<std::chrono::seconds>(tp);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(tp - secs).count();
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}",
                     platform::local_time(std::chrono::system_clock::to_time_t(secs)), ms);
}

const char* quality_name(logger::Quality q) {
  return logger::to_string(q).data();
}

namespace {

nlohmann::json scalar_json(const s7::Scalar& s) {
  return std::visit(
      [](const auto& x) -> nlohmann::json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, float>) {
          if (!std::isfinite(x)) return nullptr;
          // Shortest decimal of the float, read back as double: 1.23f -> 1.23.
          return std::strtod(fmt::format("{}", x).c_str(), nullptr);
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(x)) return nullptr;
          return x;
        } else {
          return x;
        }
      },
      s);
}

}  // namespace

nlohmann::json value_json(const s7::Value& v) {
  if (!v.array && v.elems.size() == 1) return scalar_json(v.elems.front());
  auto arr = nlohmann::json::array();
  for (const auto& e : v.elems) arr.push_back(scalar_json(e));
  return arr;
}

std::optional<double> chart_number(const s7::Value& v) {
  if (v.array || v.elems.size() != 1) return std::nullopt;
  return std::visit(
      [](const auto& x) -> std::optional<double> {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return std::nullopt;
        } else if constexpr (std::is_same_v<T, bool>) {
          return x ? 1.0 : 0.0;
        } else {
          auto d = static_cast<double>(x);
          if (!std::isfinite(d)) return std::nullopt;
          if constexpr (std::is_same_v<T, float>) {
            return std::strtod(fmt::format("{}", x).c_str(), nullptr);
          }
          return d;
        }
      },
      v.elems.front());
}

nlohmann::json sample_json(const std::vector<logger::TagInfo>& tags, const logger::Sample& s) {
  nlohmann::json values = nlohmann::json::object();
  nlohmann::json quality = nlohmann::json::object();
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const logger::TagValue* tv = i < s.values.size() ? &s.values[i] : nullptr;
    values[tags[i].name] = tv && tv->value ? value_json(*tv->value) : nlohmann::json(nullptr);
    quality[tags[i].name] = quality_name(tv ? tv->quality : logger::Quality::comm_error);
  }
  return {{"ts", format_local_iso(s.ts)},
          {"plc", s.plc},
          {"group", s.group},
          {"values", std::move(values)},
          {"quality", std::move(quality)},
          {"row_quality", quality_name(s.quality)},
          {"missed", s.missed}};
}

nlohmann::json sample_compact_json(std::uint64_t seq, const logger::Sample& s) {
  auto v = nlohmann::json::array();
  for (const auto& tv : s.values) {
    std::optional<double> d = tv.value ? chart_number(*tv.value) : std::nullopt;
    v.push_back(d ? nlohmann::json(*d) : nlohmann::json(nullptr));
  }
  return {{"seq", seq}, {"t", unix_ms(s.ts)}, {"v", std::move(v)}, {"q", quality_name(s.quality)}};
}

nlohmann::json columns_json(const std::vector<logger::TagInfo>& tags) {
  auto cols = nlohmann::json::array();
  for (const auto& t : tags) {
    cols.push_back({{"name", t.name}, {"kind", to_string(kind_of(t))}});
  }
  return cols;
}

}  // namespace web
