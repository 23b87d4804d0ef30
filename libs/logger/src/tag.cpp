// The course's tags and `name=ADDRESS` parsing.
#include "logger/tag.hpp"

#include <charconv>
#include <set>

#include "util/text.hpp"

namespace logger {

namespace {
TagInfo make(std::string name, std::string_view address) {
  auto a = s7::parse_address(address);
  return TagInfo{std::move(name), a ? *a : s7::Address{}};
}

using util::trim;
}  // namespace

std::vector<TagInfo> course_tags() {
  return {make("counter", "DB1.DBD0:DINT"), make("temperature", "DB1.DBW4:INT"),
          make("pressure", "DB1.DBD6:REAL"), make("alarm", "DB1.DBX10.0:BOOL"),
          make("mode_ro", "DB1.DBB11:BYTE")};
}

s7::Result<TagInfo> parse_tag_spec(std::string_view spec) {
  auto eq = spec.find('=');
  if (eq == std::string_view::npos)
    return s7::Error(s7::Errc::invalid_argument,
                     "tag '" + util::escape_control(spec) +
                         "': expected name=ADDRESS, e.g. setpoint_int=DB1.DBW20:INT");
  auto name = trim(spec.substr(0, eq));
  auto address = trim(spec.substr(eq + 1));
  if (name.empty())
    return s7::Error(s7::Errc::invalid_argument,
                     "tag '" + util::escape_control(spec) + "': the name before '=' is empty");
  if (auto r = check_tag_name(name); !r) return r.error();
  auto a = s7::parse_address(address);
  if (!a)
    return s7::Error(s7::Errc::address_syntax,
                     "tag '" + std::string(name) + "': " + a.error().what());
  if (auto r = s7::check_readable(*a); !r)
    return s7::Error(s7::Errc::invalid_argument,
                     "tag '" + std::string(name) + "': " + r.error().what());
  return TagInfo{std::string(name), *a};
}

s7::Result<void> check_tag_name(std::string_view name) {
  auto bad = [&](const std::string& why) {
    const std::string shown =
        name.size() > 40 ? std::string(name.substr(0, 40)) + "..." : std::string(name);
    return s7::Error(s7::Errc::invalid_argument,
                     "tag '" + util::escape_control(shown) + "': " + why);
  };
  if (name.empty()) return s7::Error(s7::Errc::invalid_argument, "a tag has an empty name");
  if (name.size() > kMaxTagName)
    return bad("the name is " + std::to_string(name.size()) + " bytes long; at most " +
               std::to_string(kMaxTagName) + " are allowed");
  if (name == "ts" || name == "quality") return bad("the name is taken by a built-in column");
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      return bad("control characters are not allowed in names");
  return {};
}

s7::Result<void> validate_tags(const std::vector<TagInfo>& tags) {
  std::set<std::string> seen;
  for (const auto& t : tags) {
    if (auto r = check_tag_name(t.name); !r) return r.error();
    if (!seen.insert(t.name).second)
      return s7::Error(s7::Errc::invalid_argument,
                       "tag '" + util::escape_control(t.name) + "' is defined twice");
  }
  return {};
}

s7::Result<std::pair<std::string, double>> parse_name_number(std::string_view spec) {
  auto eq = spec.find('=');
  if (eq == std::string_view::npos)
    return s7::Error(s7::Errc::invalid_argument,
                     "'" + std::string(spec) + "': expected name=number, e.g. pressure=0.5");
  auto name = trim(spec.substr(0, eq));
  auto num = trim(spec.substr(eq + 1));
  double v = 0;
  auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
  if (name.empty() || ec != std::errc() || end != num.data() + num.size() || v < 0)
    return s7::Error(s7::Errc::invalid_argument,
                     "'" + std::string(spec) + "': expected name=number (>= 0), e.g. pressure=0.5");
  return std::pair<std::string, double>{std::string(name), v};
}

}  // namespace logger
