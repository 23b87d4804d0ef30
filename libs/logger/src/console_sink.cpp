// Console sink: the course's `LOG: {...}` line per row.
#include "logger/console_sink.hpp"

namespace logger {

namespace {
std::string py_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string py_scalar(const s7::Scalar& s) {
  if (const auto* str = std::get_if<std::string>(&s)) return py_quote(*str);
  return course_scalar(s);
}
}  // namespace

s7::Result<void> ConsoleSink::open(const std::vector<TagInfo>& tags) {
  names_.clear();
  for (const auto& t : tags) names_.push_back(t.name);
  return {};
}

std::string ConsoleSink::line(const Sample& sample) const {
  CsvFormat course = format_;
  course.dialect = Dialect::course;  // the console always shows the course's notation
  std::string out = "LOG: {'ts': " + py_quote(course.timestamp(sample.ts));
  for (std::size_t i = 0; i < names_.size() && i < sample.values.size(); ++i) {
    out += ", " + py_quote(names_[i]) + ": ";
    const auto& v = sample.values[i].value;
    if (!v) {
      out += "None";
    } else if (!v->array && v->elems.size() == 1) {
      out += py_scalar(v->elems.front());
    } else {
      out += "[";
      for (std::size_t k = 0; k < v->elems.size(); ++k)
        out += (k ? ", " : "") + py_scalar(v->elems[k]);
      out += "]";
    }
  }
  if (format_.quality) out += ", 'quality': " + py_quote(to_string(sample.quality));
  out += "}";
  return out;
}

s7::Result<void> ConsoleSink::write(const Sample& sample) {
  std::string l = line(sample) + "\n";
  if (out_) {
    out_(std::move(l));
  } else {
    std::fwrite(l.data(), 1, l.size(), stdout);
    std::fflush(stdout);
  }
  return {};
}

}  // namespace logger
