// Reading s7log CSV text back: RFC 4180 records, the two dialects, local timestamps, cell values.
#include "logger/csv_reader.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "util/u8path.hpp"

namespace logger {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

s7::Error invalid(std::string message) {
  return s7::Error(s7::Errc::invalid_argument, std::move(message));
}

}  // namespace

std::optional<LocalTime> parse_csv_timestamp(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS, then an optional fraction.
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, se;
  if (s.size() < 19 || !digits(0, 4, y) || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' ||
      !digits(8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !digits(11, 2, h) || s[13] != ':' ||
      !digits(14, 2, mi) || s[16] != ':' || !digits(17, 2, se)) {
    return std::nullopt;
  }
  using namespace std::chrono;
  nanoseconds frac{0};
  if (s.size() > 19) {
    if ((s[19] != '.' && s[19] != ',') || s.size() == 20) return std::nullopt;
    std::int64_t scale = 100'000'000;  // nanoseconds of the first fraction digit
    for (std::size_t i = 20; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      frac += nanoseconds((s[i] - '0') * scale);
      scale /= 10;  // 0 past the ninth digit: those digits are checked, not counted
    }
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  // Nanoseconds since 1970 in 64 bits reach 1677..2262; a log's years lie well inside.
  if (!ymd.ok() || y < 1900 || y > 2200 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  return local_days{ymd} + hours{h} + minutes{mi} + seconds{se} + frac;
}

std::vector<std::vector<std::string>> split_csv_records(std::string_view text, char separator) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  bool any = false;  // the current line has a separator or a quote (so it is a record)
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';  // RFC 4180 2.7: a doubled quote inside quotes is one quote
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == separator) {
      row.push_back(std::move(cell));
      cell.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !cell.empty()) {
        row.push_back(std::move(cell));
        rows.push_back(std::move(row));
      }
      row.clear();
      cell.clear();
      any = false;
    } else {
      cell += c;
      any = true;
    }
  }
  if (any || !cell.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

s7::Result<CsvFile> parse_csv_file(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  auto not_s7log = [](std::string_view why) {
    return invalid(fmt::format("not an s7log CSV: {}", why));
  };
  if (trim(text).empty()) return not_s7log("the file is empty");
  // The header decides the dialect: CsvFormat::header writes `ts` and the separator first.
  const auto header_line = text.substr(0, text.find_first_of("\r\n"));
  CsvFile file;
  if (header_line.substr(0, 3) == "ts;") {
    file.dialect = Dialect::excel_da;
  } else if (header_line != "ts" && header_line.substr(0, 3) != "ts,") {
    return not_s7log(
        fmt::format("the header must start with 'ts', found '{}'", header_line.substr(0, 40)));
  }
  CsvFormat format;
  format.dialect = file.dialect;
  auto records = split_csv_records(text, format.separator());
  for (std::size_t c = 1; c < records[0].size(); ++c)
    file.columns.emplace_back(trim(records[0][c]));
  file.rows.reserve(records.size() - 1);
  for (std::size_t r = 1; r < records.size(); ++r) {
    auto& record = records[r];
    const auto ts = parse_csv_timestamp(trim(record[0]));
    if (!ts) {
      return invalid(fmt::format("row {}: bad timestamp '{}' (expected YYYY-MM-DDTHH:MM:SS[.mmm])",
                                 r + 1, record[0].substr(0, 40)));
    }
    CsvFile::Row row{*ts, {}};
    row.cells.resize(file.columns.size());
    const std::size_t n = std::min(file.columns.size(), record.size() - 1);
    for (std::size_t c = 0; c < n; ++c) row.cells[c] = std::move(record[c + 1]);
    file.rows.push_back(std::move(row));
  }
  return file;
}

s7::Result<CsvFile> read_csv_file(const std::filesystem::path& path) {
  const auto name = util::path_text(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    return invalid(fmt::format("{}: {}", name, exists ? "cannot be read" : "no such file"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto file = parse_csv_file(text.str());
  if (!file) return invalid(fmt::format("{}: {}", name, file.error().what()));
  return file;
}

CsvCell interpret_cell(std::string_view cell, Dialect dialect) {
  const auto s = trim(cell);
  if (s.empty()) return {};
  if (s == "True" || s == "true" || s == "TRUE") return {CsvCellKind::boolean, 1, {}};
  if (s == "False" || s == "false" || s == "FALSE") return {CsvCellKind::boolean, 0, {}};
  std::string num(s);
  if (dialect == Dialect::excel_da) std::replace(num.begin(), num.end(), ',', '.');
  if (num.front() == '+') num.erase(0, 1);
  double d = 0;
  const auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), d);
  if (ec == std::errc() && end == num.data() + num.size()) return {CsvCellKind::number, d, {}};
  return {CsvCellKind::text, 0, std::string(s)};
}

}  // namespace logger
