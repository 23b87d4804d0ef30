// CSV row text for the two dialects (RFC 4180 quoting, local ISO 8601 timestamps).
#include "logger/csv.hpp"

#include <cstdio>

#include "logger/rotation.hpp"

namespace logger {

std::string_view to_string(Quality q) {
  switch (q) {
    case Quality::ok:
      return "ok";
    case Quality::comm_error:
      return "comm_error";
    case Quality::item_error:
      return "item_error";
  }
  return "?";
}

std::optional<Dialect> parse_dialect(std::string_view text) {
  if (text == "course" || text == "comma" || text == "default") return Dialect::course;
  if (text == "excel-da" || text == "excel_da" || text == "excel-de") return Dialect::excel_da;
  return std::nullopt;
}

std::string_view to_string(Dialect d) {
  return d == Dialect::excel_da ? "excel-da" : "course";
}

std::string quote_field(std::string_view field, char separator) {
  if (field.find_first_of(std::string{separator, '"', '\r', '\n'}) == std::string_view::npos)
    return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';  // RFC 4180 2.7: a quote inside a quoted field is doubled
    out += c;
  }
  out += '"';
  return out;
}

std::string course_scalar(const s7::Scalar& s) {
  // The course's Python logger writes bools as True/False.
  if (const bool* b = std::get_if<bool>(&s)) return *b ? "True" : "False";
  return s7::format_scalar(s);
}

namespace {
std::string dialect_scalar(const s7::Scalar& s, Dialect d) {
  std::string text = course_scalar(s);
  if (d == Dialect::excel_da &&
      (std::holds_alternative<float>(s) || std::holds_alternative<double>(s)))
    for (char& c : text)
      if (c == '.') c = ',';
  return text;
}
}  // namespace

std::string CsvFormat::cell(const s7::Value& v) const {
  if (!v.array && v.elems.size() == 1) return dialect_scalar(v.elems.front(), dialect);
  std::string out = "[";
  std::string_view join = dialect == Dialect::excel_da ? "; " : ", ";
  for (std::size_t i = 0; i < v.elems.size(); ++i) {
    if (i) out += join;
    out += dialect_scalar(v.elems[i], dialect);
  }
  out += "]";
  return out;
}

std::string CsvFormat::timestamp(std::chrono::system_clock::time_point ts) const {
  using namespace std::chrono;
  auto secs = floor<seconds>(ts);
  std::tm tm = local_tm(secs);
  char buf[48];
  char sep = dialect == Dialect::excel_da ? ' ' : 'T';
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02d%c%02d:%02d:%02d", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, sep, tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out(buf, static_cast<std::size_t>(n));
  if (millis) {
    auto ms = duration_cast<milliseconds>(ts - secs).count();
    n = std::snprintf(buf, sizeof buf, "%c%03d", dialect == Dialect::excel_da ? ',' : '.',
                      static_cast<int>(ms));
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::string CsvFormat::header(const std::vector<TagInfo>& tags) const {
  std::string out = "ts";
  for (const auto& t : tags) {
    out += separator();
    out += quote_field(t.name, separator());
  }
  if (quality) {
    out += separator();
    out += "quality";
  }
  out += eol;
  return out;
}

std::string CsvFormat::row(const Sample& s) const {
  std::string out = quote_field(timestamp(s.ts), separator());
  for (const auto& v : s.values) {
    out += separator();
    if (v.value) out += quote_field(cell(*v.value), separator());
  }
  if (quality) {
    out += separator();
    out += to_string(s.quality);
  }
  out += eol;
  return out;
}

}  // namespace logger
